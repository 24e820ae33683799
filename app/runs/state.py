"""A run's current state, and the pure function that folds one event into it.

The state is whatever the log says: `evolve` is applied to every event in seq order, and the
cached copy in the `run` row is written in the same transaction as the events it reflects.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from app.events.record import EventRecord


class RunStatus(StrEnum):
    lobby = "lobby"
    running = "running"
    paused = "paused"
    ended = "ended"


class QueuedMessage(BaseModel):
    """A hotline message held back by the facilitator's delay, delivered by the scheduler."""

    seq: int  # its message.sent event
    deliver_at: float  # epoch seconds
    team: str
    text: str


class HotlineState(BaseModel):
    status: Literal["idle", "ringing", "connected", "cut"] = "idle"
    caller: str | None = None  # team that placed the current call
    call_seq: int | None = None
    since: float | None = None  # epoch seconds of the last change of status
    since_clock: float | None = None  # the exercise clock then (a call rings out on it)
    delay_seconds: int = 0
    queued: list[QueuedMessage] = Field(default_factory=list)


class RunState(BaseModel):
    status: RunStatus = RunStatus.lobby
    clock_base: float = 0.0  # exercise seconds accumulated before `running_since`
    running_since: float | None = None  # epoch seconds the current running stretch began
    phase: int = 0
    phase_started: float = 0.0  # exercise clock when the current phase began
    escalation: int = 0
    fired: dict[str, int] = Field(default_factory=dict)  # scripted inject id -> first seq
    hotline: HotlineState = Field(default_factory=HotlineState)
    comcheck: int | None = None  # seq of the latest comcheck.sent
    recommendations: dict[int, str] = Field(
        default_factory=dict
    )  # seq -> draft|accepted|declined|merged
    auto_advance: bool = False
    last_seq: int = 0

    def clock(self, now: float) -> float:
        """Exercise seconds at wall time `now`: it only runs while the run is running."""
        if self.status is RunStatus.running and self.running_since is not None:
            return self.clock_base + max(0.0, now - self.running_since)
        return self.clock_base

    def phase_clock(self, now: float) -> float:
        return self.clock(now) - self.phase_started


def evolve(state: RunState, event: EventRecord) -> RunState:
    """The state after `event`. Deterministic: uses only the event, never the wall clock.

    Pure but cheap: the copy is shallow, and a container is replaced (never changed in place)
    when the event touches it, so `state` itself is left as it was.
    """
    s = state.model_copy(update={"last_seq": event.seq})
    p = event.payload
    match event.kind:
        case "run.created":
            s.escalation = p["escalation"]
            s.auto_advance = p.get("auto_advance", False)
        case "run.started":
            s.status, s.running_since, s.clock_base = RunStatus.running, event.epoch, 0.0
            s.phase, s.phase_started = 0, 0.0
        case "run.paused":
            s.status, s.clock_base, s.running_since = RunStatus.paused, event.clock, None
        case "run.resumed":
            s.status, s.running_since = RunStatus.running, event.epoch
        case "run.ended":
            if s.status is RunStatus.running:
                s.clock_base = event.clock
            s.status, s.running_since = RunStatus.ended, None
            s.hotline = s.hotline.model_copy(update={"queued": []})
        case "phase.advanced":
            s.phase, s.phase_started = p["index"], event.clock
        case "inject.fired":
            if p.get("inject_id") and p["inject_id"] not in s.fired:
                s.fired = {**s.fired, p["inject_id"]: event.seq}
        case "escalation.changed":
            s.escalation = p["to"]
        case "comcheck.sent":
            s.comcheck = event.seq
        case "hotline.call_placed":
            s.hotline = _line(s, "ringing", event, caller=event.team, call_seq=event.seq)
        case "hotline.answered":
            s.hotline = _line(s, "connected", event)
        case "hotline.hung_up" | "hotline.unanswered" | "hotline.restored":
            s.hotline = _line(s, "idle", event, caller=None, call_seq=None)
        case "hotline.cut":
            s.hotline = _line(s, "cut", event, caller=None, call_seq=None)
        case "hotline.delay_set":
            s.hotline = s.hotline.model_copy(update={"delay_seconds": p["seconds"]})
        case "hotline.held":
            # Always the event right after the message it holds: both come from one decision.
            held = QueuedMessage(
                seq=event.seq - 1, deliver_at=p["deliver_at"], team=event.team or "", text=p["text"]
            )
            s.hotline = s.hotline.model_copy(update={"queued": [*s.hotline.queued, held]})
        case "message.delivered":
            queued = [q for q in s.hotline.queued if q.seq != p["message_seq"]]
            s.hotline = s.hotline.model_copy(update={"queued": queued})
        case "hotline.lost":
            queued = [q for q in s.hotline.queued if q.seq not in p["message_seqs"]]
            s.hotline = s.hotline.model_copy(update={"queued": queued})
        case "recommendation.drafted" | "recommendation.reopened":
            s.recommendations = {**s.recommendations, p.get("recommendation", event.seq): "draft"}
        case "recommendation.accepted" | "recommendation.declined" | "recommendation.merged":
            status = event.kind.removeprefix("recommendation.")
            s.recommendations = {**s.recommendations, p["recommendation"]: status}
    return s


def _line(state: RunState, status: str, event: EventRecord, **changes: object) -> HotlineState:
    update = {"status": status, "since": event.epoch, "since_clock": event.clock, **changes}
    return state.hotline.model_copy(update=update)


def replay(events: Iterable[EventRecord], state: RunState | None = None) -> RunState:
    """Rebuild a state from its log (or continue one)."""
    current = state or RunState()
    for event in events:
        current = evolve(current, event)
    return current
