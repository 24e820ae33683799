"""Injects fired, and how soon each team wrote, moved and made hotline contact after each one.

Hotline contact is one thing everywhere in the review (this table, the hotline statistics,
the `hotline_contact` objective): a call answered, by either end, or a message on the
hotline; a call that only rang is not contact. A team that an inject was not sent to shows
"not sent", not a response time.
"""

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
    """Seconds from a firing to a team's first action of each kind (None: it never came, or
    the inject was not sent to the team: `sent` is then false)."""

    message: float | None  # first message on the team's own channel
    message_seq: int | None
    move: float | None  # first move submitted
    move_seq: int | None
    hotline: float | None  # first hotline contact: a call it placed or took answered, a message
    hotline_seq: int | None
    sent: bool = True  # the inject reached the team


NOT_SENT = TeamResponse(None, None, None, None, None, None, sent=False)


@dataclass(frozen=True)
class InjectResponse(Result):
    firing: Firing
    teams: dict[str, TeamResponse]  # every scenario team, whoever the inject went to

    def to_dict(self) -> dict[str, Any]:
        return {**self.firing.to_dict(), "teams": plain(self.teams)}


MEASURES: dict[str, Callable[[EventRecord], bool]] = {
    "message": lambda e: e.kind == "message.sent" and e.payload.get("channel") == "team",
    "move": lambda e: e.kind == "move.submitted",
}


def hotline_contact(event: EventRecord) -> bool:
    """An answered call or a hotline message: what counts as using the hotline."""
    return event.kind == "hotline.answered" or (
        event.kind == "message.sent" and event.payload.get("channel") == "hotline"
    )


def contact_teams(event: EventRecord, callers: dict[int, str | None]) -> set[str]:
    """The teams a hotline contact involves: both ends of an answered call (the caller from
    `callers`, call seq -> team), the sender and the addressee of a message."""
    if event.kind == "hotline.answered":
        return {t for t in (event.team, callers.get(event.payload.get("call_seq"))) if t}
    return {t for t in (event.team, event.payload.get("to")) if t}


def callers_of(events: list[EventRecord]) -> dict[int, str | None]:
    """call seq -> the team that placed it."""
    return {e.seq: e.team for e in of(events, "hotline.call_placed")}


def reached(firing: Firing, team: str) -> bool:
    """Whether an inject went to the team (to everyone, or a version for it)."""
    return "all" in firing.audience or team in firing.audience


def inject_responses(scenario: Scenario, events: list[EventRecord]) -> list[InjectResponse]:
    """For each firing, how soon each team it was sent to first wrote in its channel, moved
    and made hotline contact afterwards (later in the log, whatever the inject was about)."""
    # one pass to index each team's actions, then a binary search per firing: a long run has
    # many injects and many events, and scanning the log for each would be their product
    index = {
        (team, name): [e for e in events if e.team == team and match(e)]
        for team in scenario.team_ids
        for name, match in MEASURES.items()
    }
    callers = callers_of(events)
    contacts = [e for e in events if hotline_contact(e)]
    for team in scenario.team_ids:
        index[(team, "hotline")] = [e for e in contacts if team in contact_teams(e, callers)]
    seqs = {key: [e.seq for e in found] for key, found in index.items()}

    def response(firing: Firing, team: str) -> TeamResponse:
        if not reached(firing, team):
            return NOT_SENT
        answers: list[float | int | None] = []
        for name in (*MEASURES, "hotline"):
            found = index[(team, name)]
            at = bisect.bisect_right(seqs[(team, name)], firing.seq)
            first = found[at] if at < len(found) else None
            answers += [rounded(first.clock - firing.clock), first.seq] if first else [None, None]
        return TeamResponse(*answers)  # type: ignore[arg-type]

    return [
        InjectResponse(firing, {team: response(firing, team) for team in scenario.team_ids})
        for firing in firings(scenario, events)
    ]
