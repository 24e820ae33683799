"""The escalation level over exercise time, with the injects, rulings and phases to mark on it:
what `chart.py` draws and the `escalation_max` check reads."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.aar.common import Result, end_clock, of, rounded, start_level
from app.aar.responses import firings
from app.events.record import EventRecord
from app.scenarios.models import Scenario


@dataclass(frozen=True)
class LevelPoint(Result):
    seq: int | None  # run.created or escalation.changed (None: no run.created in the log)
    clock: float
    level: int  # index into the scenario's ladder, lowest first
    level_id: str
    reason: str  # start, ruling or facilitator
    move_seq: int | None


@dataclass(frozen=True)
class InjectMarker(Result):
    seq: int
    clock: float
    inject: str  # the inject id, or "ad hoc"
    title: str
    title_ru: str | None


@dataclass(frozen=True)
class RulingMarker(Result):
    seq: int
    clock: float
    team: str | None
    decision: str  # accept, modify or reject
    escalation_change: int  # as applied
    move_seq: int
    level: int  # the level once the ruling (and the change it caused) took effect


@dataclass(frozen=True)
class PhaseSpan(Result):
    index: int
    id: str
    seq: int  # run.started or phase.advanced
    start: float
    end: float


@dataclass(frozen=True)
class EscalationSeries(Result):
    points: tuple[LevelPoint, ...]  # a step function: each level holds until the next point
    injects: tuple[InjectMarker, ...]
    rulings: tuple[RulingMarker, ...]
    phases: tuple[PhaseSpan, ...]
    end: float

    @property
    def start_level(self) -> int:
        return self.points[0].level

    @property
    def peak_level(self) -> int:
        return max(point.level for point in self.points)

    @property
    def final_level(self) -> int:
        return self.points[-1].level


def escalation_series(scenario: Scenario, events: list[EventRecord]) -> EscalationSeries:
    """The level over exercise time, from run.created's start level, with what to mark on it."""
    ids = [level.id for level in scenario.escalation.levels]
    created = next((e for e in events if e.kind == "run.created"), None)
    start = start_level(scenario, events)
    points = [LevelPoint(created.seq if created else None, 0.0, start, ids[start], "start", None)]
    rulings: list[RulingMarker] = []
    for event in of(events, "escalation.changed", "move.adjudicated"):
        p = event.payload
        if event.kind == "move.adjudicated":
            rulings.append(
                RulingMarker(
                    seq=event.seq,
                    clock=rounded(event.clock),
                    team=event.team,
                    decision=p["decision"],
                    escalation_change=p.get("escalation_change", 0),
                    move_seq=p["move_seq"],
                    level=points[-1].level,
                )
            )
            continue
        move_seq = p.get("move_seq")
        reason = p.get("reason", "facilitator")
        points.append(
            LevelPoint(event.seq, rounded(event.clock), p["to"], ids[p["to"]], reason, move_seq)
        )
        if rulings and move_seq == rulings[-1].move_seq:  # the change a ruling caused follows it
            rulings[-1] = replace(rulings[-1], level=p["to"])
    return EscalationSeries(
        points=tuple(points),
        injects=tuple(
            InjectMarker(f.seq, f.clock, f.label, f.title, f.title_ru)
            for f in firings(scenario, events)
        ),
        rulings=tuple(rulings),
        phases=tuple(phase_spans(events)),
        end=rounded(end_clock(events)),
    )


def phase_spans(events: list[EventRecord]) -> list[PhaseSpan]:
    """The phases the run went through: run.started opens the first, phase.advanced the next."""
    starts = [
        (0, e.payload.get("phase", ""), e)
        if e.kind == "run.started"
        else (e.payload["index"], e.payload["to"], e)
        for e in of(events, "run.started", "phase.advanced")
    ]
    if not starts:  # still in the lobby
        return []
    ends = [e.clock for _, _, e in starts[1:]] + [end_clock(events)]
    return [
        PhaseSpan(index, phase, e.seq, rounded(e.clock), rounded(end))
        for (index, phase, e), end in zip(starts, ends, strict=True)
    ]
