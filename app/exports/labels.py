"""What a reader of the report sees instead of identifiers: team, phase, inject, move and level
names from the scenario in the report's language, translated event kinds, decisions, roles and
channels, and wall times as a date and time with their zone."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from babel.dates import format_datetime

from app.aar.common import team_name, words
from app.scenarios.models import Scenario


class Labels:
    """Names in one language. Anything the scenario or the catalogue lacks is shown as it is."""

    def __init__(self, scenario: Scenario, lang: str) -> None:
        self.scenario = scenario
        self.lang = lang
        self.t = words(lang)

    def pick(self, value: Any) -> str:
        """Scenario text ({en, ru}, a Text, or a string) in the report's language."""
        if value is None:
            return ""
        if isinstance(value, dict):
            return value.get(self.lang) or value.get("en") or ""
        if hasattr(value, "get"):
            return str(value.get(self.lang))
        return str(value)

    def team(self, team: str | None) -> str:
        if team is None:
            return ""
        return {"white_cell": self.t._("White cell"), "observers": self.t._("Observers")}.get(
            team, team_name(self.scenario, team, self.t)
        )

    def level(self, index: int | None) -> str:
        levels = self.scenario.escalation.levels
        return (
            levels[index].label.get(self.lang) if index is not None and index < len(levels) else ""
        )

    def inject(self, inject_id: str | None) -> str:
        found = self.scenario.inject(inject_id or "")
        return found.title.get(self.lang) if found else (inject_id or "")

    def phase(self, phase_id: str | None) -> str:
        found = next((p for p in self.scenario.phases if p.id == phase_id), None)
        return found.title.get(self.lang) if found else (phase_id or "")

    def move(self, move_type: str | None) -> str:
        found = next((m for m in self.scenario.moves if m.id == move_type), None)
        return found.label.get(self.lang) if found else (move_type or "")

    def objective(self, objective_id: str | None) -> str:
        found = next((o for o in self.scenario.objectives if o.id == objective_id), None)
        return found.title.get(self.lang) if found else (objective_id or "")

    def decision(self, decision: str | None) -> str:
        _ = self.t._
        names = {
            "accept": _("accepted as proposed"),
            "modify": _("modified"),
            "reject": _("rejected"),
        }
        return names.get(decision or "", decision or _("awaiting a ruling"))

    def role(self, role: str | None) -> str:
        _ = self.t._
        names = {
            "player": _("player"),
            "team_lead": _("team lead"),
            "observer": _("observer"),
            "facilitator": _("facilitator"),
        }
        return names.get(role or "", role or "")

    def channel(self, channel: str | None) -> str:
        """A message's channel, or the channel an inject came by."""
        _ = self.t._
        names = {
            "team": _("Team channel"),
            "plenary": _("Plenary"),
            "hotline": _("Hotline"),
            "news": _("News flash"),
            "intelligence_report": _("Intelligence report"),
            "diplomatic_cable": _("Diplomatic cable"),
            "military_report": _("Military report"),
            "hotline_call": _("Hotline call"),
            "social_media": _("Social media"),
            "email": _("Email"),
        }
        return names.get(channel or "", channel or "")

    def reason(self, reason: str | None) -> str:
        """Why the escalation level changed."""
        _ = self.t._
        names = {"start": _("start"), "ruling": _("ruling"), "facilitator": _("facilitator")}
        return names.get(reason or "", reason or "")

    @cached_property
    def _kinds(self) -> dict[str, str]:
        _ = self.t._
        return {
            "run.created": _("Run created"),
            "participant.joined": _("Joined"),
            "run.started": _("Started"),
            "run.paused": _("Paused"),
            "run.resumed": _("Resumed"),
            "run.ended": _("Ended"),
            "phase.advanced": _("Next phase"),
            "inject.fired": _("Inject"),
            "message.sent": _("Message"),
            "message.delivered": _("Message delivered"),
            "move.submitted": _("Move"),
            "move.adjudicated": _("Ruling"),
            "escalation.changed": _("Escalation change"),
            "hotline.call_placed": _("Hotline call"),
            "hotline.answered": _("Call answered"),
            "hotline.hung_up": _("Call ended"),
            "hotline.unanswered": _("Call rang out"),
            "hotline.cut": _("Line cut"),
            "hotline.restored": _("Line restored"),
            "hotline.delay_set": _("Hotline delay"),
            "hotline.held": _("Hotline message held back"),
            "hotline.lost": _("Held hotline messages lost"),
            "note.added": _("Facilitator note"),
            "comcheck.sent": _("Communications check"),
            "comcheck.acked": _("Check acknowledged"),
            "recommendation.drafted": _("Recommendation drafted"),
            "recommendation.endorsed": _("Recommendation endorsed"),
            "recommendation.edited": _("Recommendation edited"),
            "recommendation.accepted": _("Recommendation accepted"),
            "recommendation.declined": _("Recommendation declined"),
            "recommendation.reopened": _("Recommendation reopened"),
            "recommendation.merged": _("Recommendations merged"),
            "aar.summary_set": _("Executive summary"),
            "aar.phase_noted": _("Phase notes"),
            "objective.rated": _("Objective rated"),
        }

    def kind(self, kind: str) -> str:
        """An event kind as a reader names it ("message.sent": "Message")."""
        return self._kinds.get(kind, kind)

    def when(self, moment: str | datetime | None) -> str:
        """A wall time as a date and time with its zone: "2 December 2026, 13:31:31 UTC"."""
        if moment is None:
            return "—"
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        text = format_datetime(moment, "d MMMM y, HH:mm:ss", tzinfo=UTC, locale=self.lang)
        return f"{text} UTC"

    def date(self, moment: datetime | None = None) -> str:
        """A date as the marking of a printed page carries it: "2 December 2026"."""
        moment = moment or datetime.now(UTC)
        return format_datetime(moment, "d MMMM y", tzinfo=UTC, locale=self.lang)
