"""What a command decides with, and the guards commands share.

A command is a pydantic model (it doubles as the request body) with a pure
`decide(state, ctx) -> list[Draft]` that either proposes events or raises a Problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Protocol

from app.auth.viewer import Viewer
from app.errors import Conflict, Forbidden
from app.events.record import Draft, EventRecord
from app.runs.state import RunState, RunStatus
from app.scenarios.models import Scenario


def _no_events(seq: int) -> EventRecord | None:
    return None


def _no_key(key: str) -> EventRecord | None:
    return None


@dataclass(frozen=True)
class Context:
    scenario: Scenario
    now: float  # wall time, epoch seconds, taken once the run is locked
    viewer: Viewer | None  # None: the scheduler acting for the run
    event: Callable[[int], EventRecord | None] = _no_events  # an earlier event of this run, by seq
    keyed: Callable[[str], EventRecord | None] = _no_key  # an earlier event by its unique key


class Command(Protocol):
    def decide(self, state: RunState, ctx: Context) -> list[Draft]: ...

    def idem_key(self, viewer: Viewer | None, state: RunState) -> str | None: ...


class NoIdempotency:
    """Commands without a client id: a retry is a new request."""

    def idem_key(self, viewer: Viewer | None, state: RunState) -> str | None:
        return None


class ClientIdempotency:
    """Participant writes carry a client-generated id: a retry returns the first result."""

    client_id: str
    kinds: ClassVar[frozenset[str]] = frozenset()  # what this command's first event can be
    echoed: ClassVar[tuple[str, ...]] = ()  # body fields that event's payload carries as sent

    def idem_key(self, viewer: Viewer | None, state: RunState) -> str | None:
        who = (viewer.participant_id if viewer else None) or "facilitator"
        return f"{who}:{self.client_id}"

    def replays(self, first: EventRecord) -> bool:
        """Whether `first`, the event this client id produced before, answers this very request
        (a retry), rather than the id being reused for a different write."""
        if self.kinds and first.kind not in self.kinds:
            return False
        return all(first.payload.get(name) == getattr(self, name) for name in self.echoed)


def white_cell(ctx: Context) -> Viewer | None:
    """The facilitator (or the scheduler); anyone else is refused."""
    if ctx.viewer is not None and not ctx.viewer.is_white_cell:
        raise Forbidden("only the white cell (facilitators) may do this")
    return ctx.viewer


def player(ctx: Context, doing: str) -> Viewer:
    """A member of a scenario team; observers and the white cell are refused."""
    viewer = ctx.viewer
    if viewer is None or viewer.is_white_cell:
        raise Forbidden(
            f"only team members {doing}; the white cell acts through rulings and injects"
        )
    if viewer.is_observer:
        raise Forbidden(f"observers only watch; only team members {doing}")
    return viewer


_WHY = {
    RunStatus.lobby: "the run has not started yet",
    RunStatus.paused: "the run is paused",
    RunStatus.ended: "the run has ended",
    RunStatus.running: "the run is running",
}


def require_status(state: RunState, allowed: set[RunStatus], doing: str) -> None:
    if state.status not in allowed:
        raise Conflict(
            f"cannot {doing}: {_WHY[state.status]}", code="wrong_state", status=state.status.value
        )


def not_ended(state: RunState, doing: str) -> None:
    require_status(state, {RunStatus.lobby, RunStatus.running, RunStatus.paused}, doing)
