"""Injects fired, and how soon each team wrote, moved and used the hotline after each one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.aar.common import Result, first_after, of, plain, rounded
from app.events.record import EventRecord
from app.scenarios.models import Scenario

AD_HOC = "ad hoc"


@dataclass(frozen=True)
class Firing(Result):
    """One firing of an inject: a scripted inject's versions together, or one ad-hoc inject."""

    seq: int  # its first inject.fired event: the id of an ad-hoc firing
    seqs: tuple[int, ...]  # one event per version
    clock: float
    inject_id: str | None  # None: ad hoc
    trigger: str  # scheduled, facilitator or adhoc
    title: str  # English
    title_ru: str | None
    audience: tuple[str, ...]  # the teams its versions went to ("all" for everyone)

    @property
    def label(self) -> str:
        return self.inject_id or AD_HOC


def firings(scenario: Scenario, events: list[EventRecord]) -> list[Firing]:
    """Injects fired, in log order. A scripted inject fires once, as one event per version."""
    groups: dict[str | int, list[EventRecord]] = {}
    for event in of(events, "inject.fired"):
        groups.setdefault(event.payload.get("inject_id") or event.seq, []).append(event)
    return [_firing(scenario, group) for group in groups.values()]


def _firing(scenario: Scenario, group: list[EventRecord]) -> Firing:
    first = group[0]
    inject = scenario.inject(first.payload.get("inject_id") or "")
    base = next((e for e in group if e.payload.get("variant") is None), first)
    title = inject.title.model_dump() if inject else dict(base.payload.get("title") or {})
    audience = tuple(dict.fromkeys(team for e in group for team in e.audience))
    return Firing(
        seq=first.seq,
        seqs=tuple(e.seq for e in group),
        clock=rounded(first.clock),
        inject_id=first.payload.get("inject_id"),
        trigger=first.payload.get("trigger", "adhoc"),
        title=title.get("en") or "",
        title_ru=title.get("ru"),
        audience=audience,
    )


@dataclass(frozen=True)
class TeamResponse(Result):
    """Seconds from a firing to a team's first action of each kind (None: it never came)."""

    message: float | None  # first message on the team's own channel
    message_seq: int | None
    move: float | None  # first move submitted
    move_seq: int | None
    hotline: float | None  # first call placed or answered
    hotline_seq: int | None


@dataclass(frozen=True)
class InjectResponse(Result):
    firing: Firing
    teams: dict[str, TeamResponse]  # every scenario team, whoever the inject went to

    def to_dict(self) -> dict[str, Any]:
        return {**self.firing.to_dict(), "teams": plain(self.teams)}


def inject_responses(scenario: Scenario, events: list[EventRecord]) -> list[InjectResponse]:
    """For each firing, how soon each team first wrote in its channel, moved and used the
    hotline afterwards (later in the log, whatever the inject was about)."""
    return [
        InjectResponse(
            firing, {team: _response(events, firing, team) for team in scenario.team_ids}
        )
        for firing in firings(scenario, events)
    ]


def _response(events: list[EventRecord], firing: Firing, team: str) -> TeamResponse:
    def after(match: Callable[[EventRecord], bool]) -> tuple[float | None, int | None]:
        found = first_after(events, firing.seq, lambda e: e.team == team and match(e))
        return (rounded(found.clock - firing.clock), found.seq) if found else (None, None)

    message = after(lambda e: e.kind == "message.sent" and e.payload.get("channel") == "team")
    move = after(lambda e: e.kind == "move.submitted")
    hotline = after(lambda e: e.kind in ("hotline.call_placed", "hotline.answered"))
    return TeamResponse(*message, *move, *hotline)
