"""Injects fired, and how soon each team wrote, moved and used the hotline after each one."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.aar.common import Result, of, plain, rounded
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

    def title_in(self, lang: str) -> str:
        """The title in `lang`, falling back to English."""
        return (self.title_ru if lang == "ru" else None) or self.title


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


MEASURES: dict[str, Callable[[EventRecord], bool]] = {
    "message": lambda e: e.kind == "message.sent" and e.payload.get("channel") == "team",
    "move": lambda e: e.kind == "move.submitted",
    "hotline": lambda e: e.kind in ("hotline.call_placed", "hotline.answered"),
}


def inject_responses(scenario: Scenario, events: list[EventRecord]) -> list[InjectResponse]:
    """For each firing, how soon each team first wrote in its channel, moved and used the
    hotline afterwards (later in the log, whatever the inject was about)."""
    # one pass to index each team's actions, then a binary search per firing: a long run has
    # many injects and many events, and scanning the log for each would be their product
    index = {
        (team, name): [e for e in events if e.team == team and match(e)]
        for team in scenario.team_ids
        for name, match in MEASURES.items()
    }
    seqs = {key: [e.seq for e in found] for key, found in index.items()}

    def response(firing: Firing, team: str) -> TeamResponse:
        answers: list[float | int | None] = []
        for name in MEASURES:
            found = index[(team, name)]
            at = bisect.bisect_right(seqs[(team, name)], firing.seq)
            first = found[at] if at < len(found) else None
            answers += [rounded(first.clock - firing.clock), first.seq] if first else [None, None]
        return TeamResponse(*answers)  # type: ignore[arg-type]

    return [
        InjectResponse(firing, {team: response(firing, team) for team in scenario.team_ids})
        for firing in firings(scenario, events)
    ]
