"""What `ttx import` checks beyond the format (`import_format.py`): that each event could have
been written by this server's commands. Who may see it (its audience), who did it (an actor
of the right team and role) and what it names (injects, move types, phases, objectives) follow
the rules the commands use, so a file edited to send a team's message to everyone, or a note to
the teams, is refused instead of leaking once imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import TypeAdapter, ValidationError

from app.events.record import ALL, WHITE_CELL_ONLY, EventRecord
from app.exports.handout import SYSTEM
from app.injects.commands import inject_drafts
from app.runs.service import DisplayName
from app.scenarios.models import OBSERVERS, WHITE_CELL, MoveVisibility, Scenario

EVERYONE = (ALL,)
TO_ALL = {*SYSTEM, "participant.joined", "comcheck.sent"}  # SYSTEM: the clock, phases, levels
TO_WHITE_CELL = {
    "note.added",
    "hotline.held",
    "hotline.delay_set",
    "hotline.lost",
    "aar.summary_set",
    "aar.phase_noted",
    "objective.rated",
}
ON_THE_LINE = {  # between the two hotline teams
    "hotline.call_placed",
    "hotline.answered",
    "hotline.hung_up",
    "hotline.unanswered",
    "hotline.cut",
    "hotline.restored",
}
BY_PLAYERS = {"move.submitted", "hotline.call_placed", "hotline.answered", "hotline.hung_up"}
BY_THE_WHITE_CELL = {
    *TO_WHITE_CELL - {"hotline.held"},
    "hotline.cut",
    "hotline.restored",
    "move.adjudicated",
    "recommendation.edited",
    "recommendation.accepted",
    "recommendation.declined",
    "recommendation.reopened",
    "recommendation.merged",
}
ROLES = {WHITE_CELL: {"facilitator"}, OBSERVERS: {"observer"}}
TEAM_ROLES = {"player", "team_lead"}
_NAME = TypeAdapter(DisplayName)


@dataclass
class Rules:
    """The checks, with what earlier events established: who joined, which moves were made."""

    scenario: Scenario
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (team, role)
    moves: dict[int, tuple[str | None, str]] = field(default_factory=dict)  # seq -> team, type

    def check(self, event: EventRecord) -> None:
        """Raises ValueError naming what cannot be right about `event`."""
        phases = [phase.id for phase in self.scenario.phases]
        if event.phase is not None and event.phase not in phases:
            raise ValueError(f"phase {event.phase!r} is no phase of the scenario")
        if event.kind == "participant.joined":
            self._joined(event)
        self._actor(event)
        self._names(event, phases)
        wanted = self._audience(event)
        if wanted is not None and set(event.audience) != set(wanted):
            raise ValueError(
                f"audience {list(event.audience)} is not who sees {event.kind}: {list(wanted)}"
            )
        if event.kind == "move.submitted":
            self.moves[event.seq] = (event.team, event.payload["move_type"])

    def _joined(self, event: EventRecord) -> None:
        p, team = event.payload, event.team
        teams = self.scenario.team_ids
        if team is None or team not in (*teams, WHITE_CELL, OBSERVERS):
            raise ValueError(f"team {team!r}: a participant joins a team of the scenario")
        if p["role"] not in ROLES.get(team, TEAM_ROLES):
            raise ValueError(f"payload.role {p['role']!r} is not a role of team {team!r}")
        if p["participant_id"] in self.people:
            raise ValueError(f"payload.participant_id {p['participant_id']!r} joined before")
        if event.actor != p["participant_id"]:
            raise ValueError("actor is not the participant who joins")
        try:
            _NAME.validate_python(p["name"])
        except ValidationError as exc:
            problem = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise ValueError(f"payload.name: {problem}") from None
        self.people[p["participant_id"]] = (team, p["role"])

    def _actor(self, event: EventRecord) -> None:
        actor = self.people.get(event.actor or "")
        if event.kind in BY_THE_WHITE_CELL and event.actor and (actor or ("",))[0] != WHITE_CELL:
            raise ValueError(f"actor {event.actor!r} is not of the white cell, who does this")
        if event.kind in BY_PLAYERS and (actor is None or actor[0] not in self.scenario.team_ids):
            raise ValueError(f"actor {event.actor!r}: only a team's member does this")
        if actor and event.kind != "move.adjudicated" and event.team != actor[0]:
            raise ValueError(f"team {event.team!r} is not the team of actor {event.actor!r}")

    def _names(self, event: EventRecord, phases: list[str]) -> None:
        """What the event names exists in the scenario."""
        p, scenario = event.payload, self.scenario
        named = {
            "run.started": [("phase", p.get("phase"), phases)],
            "phase.advanced": [("from", p.get("from"), phases), ("to", p.get("to"), phases)],
            "aar.phase_noted": [("phase", p.get("phase"), phases)],
            "objective.rated": [
                ("objective", p.get("objective"), [o.id for o in scenario.objectives])
            ],
            "move.submitted": [("move_type", p.get("move_type"), [m.id for m in scenario.moves])],
        }.get(event.kind, [])
        for name, value, known in named:
            if value not in known:
                raise ValueError(f"payload.{name} {value!r} is not in the scenario")
        if event.kind == "move.submitted":
            allowed = scenario.move_type(p["move_type"])
            if allowed and allowed.teams is not None and event.team not in allowed.teams:
                raise ValueError(f"move type {p['move_type']!r} is not open to team {event.team!r}")
        ruling = event.kind == "move.adjudicated"
        if ruling and self.moves.get(p["move_seq"]) != (event.team, p.get("move_type")):
            raise ValueError("team and payload.move_type are not those of the move ruled on")
        inject = p.get("inject_id") if event.kind == "inject.fired" else None
        if inject is not None and scenario.inject(inject) is None:
            raise ValueError(f"payload.inject_id {inject!r} is not in the scenario")

    def _audience(self, event: EventRecord) -> tuple[str, ...] | None:
        """Who sees an event of this kind, as the commands decide it (None: checked here)."""
        kind, scenario = event.kind, self.scenario
        hotline = tuple(sorted(scenario.hotline_teams))
        if kind in TO_ALL or kind.startswith("recommendation."):
            return EVERYONE
        if kind in TO_WHITE_CELL:
            return WHITE_CELL_ONLY
        if kind in ON_THE_LINE:
            return hotline
        if kind == "move.submitted":
            shown = scenario.rules.moves_visible is MoveVisibility.immediately
            return EVERYONE if shown else (event.team or "",)
        if kind == "move.adjudicated":
            hidden = scenario.rules.moves_visible is MoveVisibility.never
            return (event.team or "",) if hidden else EVERYONE
        if kind == "comcheck.acked":
            return (event.team or "",)
        if kind == "message.sent":
            return self._message(event, hotline)
        if kind == "message.delivered":
            return (_other(hotline, event.team),)
        if kind == "inject.fired":
            return self._inject(event)
        return None

    def _message(self, event: EventRecord, hotline: tuple[str, ...]) -> tuple[str, ...]:
        channel, team, to = event.payload["channel"], event.team, event.payload.get("to")
        if channel == "plenary":
            return EVERYONE
        if channel == "team":
            if team == WHITE_CELL:
                if to not in self.scenario.team_ids:
                    raise ValueError(
                        f"payload.to {to!r}: the white cell writes into a team's channel"
                    )
                return (to,)
            if team not in self.scenario.team_ids:
                raise ValueError(f"team {team!r} has no team channel")
            return (team,)
        if team not in hotline or to != _other(hotline, team):
            raise ValueError(f"team {team!r} to {to!r}: the hotline joins {' and '.join(hotline)}")
        return (team,) if event.audience == (team,) else hotline  # held back: the sender's only

    def _inject(self, event: EventRecord) -> tuple[str, ...] | None:
        p, scenario = event.payload, self.scenario
        known = [*scenario.team_ids, OBSERVERS]
        if p.get("inject_id") is None:  # ad hoc: to all, or to some teams
            if p.get("variant") is not None:
                raise ValueError("payload.variant: an ad-hoc inject has no versions")
            if event.audience != EVERYONE and not set(event.audience) <= set(known):
                raise ValueError("audience names a team the scenario lacks")
            return None
        inject = scenario.inject(p["inject_id"])
        drafts = inject_drafts(inject, scenario, p.get("trigger", "facilitator")) if inject else []
        versions = {d.payload["variant"]: d.audience for d in drafts}
        if p.get("variant") not in versions:
            raise ValueError(f"payload.variant {p.get('variant')!r} is no version of this inject")
        return versions[p.get("variant")]


def _other(hotline: tuple[str, ...], team: str | None) -> str:
    return next((t for t in hotline if t != team), "")
