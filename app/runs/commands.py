"""Commands on the run itself: its lifecycle, escalation, facilitator notes and the comcheck."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.auth.viewer import Viewer
from app.errors import Conflict, Invalid, NotFound
from app.events.record import ALL, WHITE_CELL_ONLY, Draft
from app.fields import Clean, Seq
from app.runs.context import (
    ClientIdempotency,
    Context,
    NoIdempotency,
    not_ended,
    require_status,
    white_cell,
)
from app.runs.state import RunState, RunStatus

ClientId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$"),
    Field(
        description="Chosen by the client, unique per write; a retry with the same id is a no-op."
    ),
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Control(NoIdempotency, Body):
    """Move the run through lobby -> running <-> paused -> ended, or to the next phase."""

    action: Literal["start", "pause", "resume", "end", "next_phase"]

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        white_cell(ctx)
        phases = ctx.scenario.phases
        match self.action:
            case "start":
                require_status(state, {RunStatus.lobby}, "start")
                return [Draft("run.started", (ALL,), {"phase": phases[0].id})]
            case "pause":
                require_status(state, {RunStatus.running}, "pause")
                return [Draft("run.paused", (ALL,))]
            case "resume":
                require_status(state, {RunStatus.paused}, "resume")
                return [Draft("run.resumed", (ALL,))]
            case "end":
                not_ended(state, "end the run")
                return [*held_lost(state, "ended"), Draft("run.ended", (ALL,))]
        require_status(state, {RunStatus.running, RunStatus.paused}, "advance the phase")
        return [advance_phase(state, ctx, "facilitator")]


def held_lost(state: RunState, why: str) -> list[Draft]:
    """Hotline messages the white cell's delay still holds are lost when the line is cut or the
    run ends: recorded for the white cell (the teams were never told they were held)."""
    seqs = [queued.seq for queued in state.hotline.queued]
    if not seqs:
        return []
    return [Draft("hotline.lost", WHITE_CELL_ONLY, {"message_seqs": seqs, "why": why})]


def advance_phase(state: RunState, ctx: Context, reason: str) -> Draft:
    phases = ctx.scenario.phases
    if state.phase + 1 >= len(phases):
        raise Conflict(
            f"already in the last phase '{phases[state.phase].id}'; end the run instead",
            code="last_phase",
        )
    payload = {
        "index": state.phase + 1,
        "from": phases[state.phase].id,
        "to": phases[state.phase + 1].id,
        "reason": reason,
    }
    return Draft("phase.advanced", (ALL,), payload)


def escalation_change(state: RunState, ctx: Context, target: int, **why: object) -> list[Draft]:
    """An escalation.changed event to `target`, kept within the ladder; none if nothing changes."""
    levels = ctx.scenario.escalation.levels
    target = max(0, min(len(levels) - 1, target))
    if target == state.escalation:
        return []
    payload = {
        "from": state.escalation,
        "to": target,
        "from_id": levels[state.escalation].id,
        "to_id": levels[target].id,
        **why,
    }
    return [Draft("escalation.changed", (ALL,), payload)]


class SetEscalation(NoIdempotency, Body):
    """The facilitator moves the escalation level directly (a ruling can also move it)."""

    level: str | None = Field(None, description="Id of the target level on the scenario's ladder.")
    change: int | None = Field(
        None, ge=-10, le=10, strict=True, description="Steps up (+) or down (-)."
    )
    reason: Annotated[str, StringConstraints(max_length=2000), Clean] = ""

    @model_validator(mode="after")
    def _one_of(self) -> SetEscalation:
        if (self.level is None) == (self.change is None):
            raise ValueError("give either 'level' or 'change'")
        return self

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        white_cell(ctx)
        not_ended(state, "change the escalation level")
        if self.level is not None:
            ids = [level.id for level in ctx.scenario.escalation.levels]
            if self.level not in ids:
                raise Invalid(
                    f"unknown escalation level '{self.level}'; the ladder is {', '.join(ids)}",
                    field="level",
                )
            target = ids.index(self.level)
        else:
            target = state.escalation + (self.change or 0)
        drafts = escalation_change(state, ctx, target, reason="facilitator", note=self.reason)
        if not drafts:
            raise Conflict("the escalation level would not change", code="no_change")
        return drafts


class AddNote(NoIdempotency, Body):
    """A facilitator note: white cell only, in the stream and (on request) in exports."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=8000), Clean]

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = white_cell(ctx)
        return [
            Draft("note.added", WHITE_CELL_ONLY, {"text": self.text}, actor=viewer and viewer.actor)
        ]


class SendComcheck(NoIdempotency, Body):
    """A communications check every participant is asked to acknowledge."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=500), Clean] = (
        "Communications check: please acknowledge."
    )

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        white_cell(ctx)
        not_ended(state, "send a comcheck")
        return [Draft("comcheck.sent", (ALL,), {"text": self.text})]


class AckComcheck(ClientIdempotency, Body):
    kinds: ClassVar[frozenset[str]] = frozenset({"comcheck.acked"})

    comcheck_seq: Seq | None = Field(None, description="Defaults to the latest comcheck.")
    client_id: ClientId = Field(
        "ack", description="Optional: one acknowledgement per comcheck counts, whatever the id."
    )

    def idem_key(self, viewer: Viewer | None, state: RunState) -> str | None:
        """One acknowledgement per participant and comcheck, whatever the client id."""
        who = (viewer.participant_id if viewer else None) or "facilitator"
        return f"{who}:comcheck:{self.comcheck_seq or state.comcheck}"

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = ctx.viewer
        if viewer is None or viewer.participant_id is None:
            raise Invalid("only participants acknowledge a comcheck")
        seq = self.comcheck_seq or state.comcheck
        if seq is None:
            raise NotFound("no comcheck has been sent yet", field="comcheck_seq")
        sent = ctx.event(seq) if seq != state.comcheck else None
        if seq != state.comcheck and (sent is None or sent.kind != "comcheck.sent"):
            raise NotFound(f"event {seq} is not a comcheck", field="comcheck_seq")
        audience = (viewer.team,) if not viewer.is_observer else ("observers",)
        payload = {"comcheck_seq": seq}
        return [Draft("comcheck.acked", audience, payload, team=viewer.team, actor=viewer.actor)]
