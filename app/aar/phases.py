"""Each phase of the scenario: what it planned, and what happened while it ran."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from app.aar.common import (
    Level,
    Result,
    level_after,
    level_of,
    of,
    rounded,
    rulings_by_move,
    start_level,
)
from app.aar.escalation import phase_spans
from app.aar.responses import firings
from app.events.record import EventRecord
from app.scenarios.models import Scenario


@dataclass(frozen=True)
class ExpectedAction(Result):
    team: str | None  # None: any team
    text: str  # English


@dataclass(frozen=True)
class PlannedInject(Result):
    inject_id: str
    title: str  # English
    expected_actions: tuple[ExpectedAction, ...]
    fired: bool
    seq: int | None  # when it fired, in whatever phase that was
    clock: float | None


@dataclass(frozen=True)
class MoveRecord(Result):
    seq: int
    clock: float
    move_type: str
    category: str | None
    decision: str | None  # None: still awaiting a ruling when the log ends
    ruling_seq: int | None
    escalation_change: int | None  # as the ruling applied it


@dataclass(frozen=True)
class PhaseReview(Result):
    """A phase: what the scenario planned for it, and what happened while it ran."""

    index: int
    id: str
    title: str  # English
    planned: tuple[PlannedInject, ...]  # the scenario's injects of this phase
    reached: bool = False
    start: float | None = None
    end: float | None = None
    injects_fired: int = 0  # firings during the phase, scripted or ad hoc
    inject_ids: tuple[str, ...] = ()  # their ids, "ad hoc" for ad-hoc ones
    # by team, each move with its ruling (even one made in a later phase)
    moves: dict[str, tuple[MoveRecord, ...]] = field(default_factory=dict)
    messages: dict[str, dict[str, int]] = field(default_factory=dict)  # channel -> team -> sent
    hotline_calls: int = 0
    hotline_answered: int = 0  # of the calls placed in this phase
    escalation_start: Level | None = None
    escalation_end: Level | None = None


def phase_review(scenario: Scenario, events: list[EventRecord]) -> list[PhaseReview]:
    """Every phase of the scenario. Events belong to the phase whose run.started or
    phase.advanced precedes them in the log; a phase never reached has only its plan."""
    spans = {span.index: span for span in phase_spans(events)}
    fired = {f.inject_id: f for f in firings(scenario, events) if f.inject_id}
    rulings = rulings_by_move(events)
    answered = {e.payload.get("call_seq") for e in of(events, "hotline.answered")}
    start = start_level(scenario, events)
    reviews = []
    for index, phase in enumerate(scenario.phases):
        planned = tuple(
            PlannedInject(
                inject_id=inject.id,
                title=inject.title.en,
                expected_actions=tuple(
                    ExpectedAction(action.team, action.text.en)
                    for action in inject.expected_actions
                ),
                fired=inject.id in fired,
                seq=fired[inject.id].seq if inject.id in fired else None,
                clock=fired[inject.id].clock if inject.id in fired else None,
            )
            for inject in scenario.injects
            if inject.phase == phase.id
        )
        span = spans.get(index)
        if span is None:
            reviews.append(PhaseReview(index, phase.id, phase.title.en, planned))
            continue
        following = [s.seq for s in spans.values() if s.seq > span.seq]
        inside = [e for e in events if span.seq <= e.seq < min(following, default=math.inf)]
        fired_here = firings(scenario, inside)
        calls = of(inside, "hotline.call_placed")
        reviews.append(
            PhaseReview(
                index=index,
                id=phase.id,
                title=phase.title.en,
                planned=planned,
                reached=True,
                start=span.start,
                end=span.end,
                injects_fired=len(fired_here),
                inject_ids=tuple(f.label for f in fired_here),
                moves=_moves_by_team(scenario, inside, rulings),
                messages=_messages(scenario, inside),
                hotline_calls=len(calls),
                hotline_answered=sum(call.seq in answered for call in calls),
                escalation_start=level_of(scenario, level_after(events, span.seq, start)),
                escalation_end=level_of(scenario, level_after(events, inside[-1].seq, start)),
            )
        )
    return reviews


def _moves_by_team(
    scenario: Scenario, events: list[EventRecord], rulings: dict[int, EventRecord]
) -> dict[str, tuple[MoveRecord, ...]]:
    def record(move: EventRecord) -> MoveRecord:
        ruling = rulings.get(move.seq)
        return MoveRecord(
            seq=move.seq,
            clock=rounded(move.clock),
            move_type=move.payload.get("move_type", ""),
            category=move.payload.get("category"),
            decision=ruling.payload["decision"] if ruling else None,
            ruling_seq=ruling.seq if ruling else None,
            escalation_change=ruling.payload.get("escalation_change") if ruling else None,
        )

    moves = of(events, "move.submitted")
    return {team: tuple(record(m) for m in moves if m.team == team) for team in scenario.team_ids}


def _messages(scenario: Scenario, events: list[EventRecord]) -> dict[str, dict[str, int]]:
    """Messages sent, by channel and team: every scenario team, and the white cell if it wrote."""
    sent = Counter((e.payload.get("channel"), e.team) for e in of(events, "message.sent"))
    teams = [*scenario.team_ids, *sorted({t for _, t in sent if t and t not in scenario.team_ids})]
    return {
        channel: {team: sent.get((channel, team), 0) for team in teams}
        for channel in ("team", "plenary", "hotline")
    }
