"""Moves (a team's decision, matrix-game style) and the white cell's rulings on them."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.events.record import ALL, Draft
from app.fields import Clean, Id, Seq
from app.runs.commands import Body, ClientId, escalation_change
from app.runs.context import (
    ClientIdempotency,
    Context,
    NoIdempotency,
    player,
    require_status,
    white_cell,
)
from app.runs.state import RunState, RunStatus
from app.scenarios.models import MoveVisibility
from app.scenarios.references import suggest

Short = Annotated[str, StringConstraints(max_length=2000), Clean]


def _objectives(ctx: Context, objectives: list[str], field: str) -> None:
    known = [objective.id for objective in ctx.scenario.objectives]
    for index, objective in enumerate(objectives):
        if objective not in known:
            raise Invalid(
                f"unknown objective '{objective}'{suggest(objective, known)}",
                field=f"{field}[{index}]",
            )


class SubmitMove(ClientIdempotency, Body):
    kinds: ClassVar[frozenset[str]] = frozenset({"move.submitted"})
    echoed: ClassVar[tuple[str, ...]] = (
        "move_type",
        "action",
        "intended_result",
        "reasons",
        "confidence",
    )

    client_id: ClientId
    move_type: Id = Field(description="Id from the scenario's move menu.")
    action: Annotated[str, StringConstraints(min_length=1, max_length=2000), Clean]
    intended_result: Short = ""
    reasons: Annotated[str, StringConstraints(max_length=4000), Clean] = ""
    confidence: int | None = Field(None, ge=1, le=5, strict=True)
    objectives: list[Id] = Field(default_factory=list, max_length=20)

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = player(ctx, "submit moves")
        require_status(state, {RunStatus.running}, "submit a move")
        move_type = ctx.scenario.move_type(self.move_type)
        if move_type is None:
            ids = [item.id for item in ctx.scenario.moves]
            raise Invalid(
                f"unknown move type '{self.move_type}'{suggest(self.move_type, ids)}",
                field="move_type",
            )
        if move_type.teams is not None and viewer.team not in move_type.teams:
            raise Forbidden(
                f"move type '{move_type.id}' is not open to team '{viewer.team}'", field="move_type"
            )
        _objectives(ctx, self.objectives, "objectives")
        visible = ctx.scenario.rules.moves_visible is MoveVisibility.immediately
        payload = {
            "move_type": move_type.id,
            "category": str(move_type.category),
            "escalation_weight": move_type.escalation,
            "action": self.action,
            "intended_result": self.intended_result,
            "reasons": self.reasons,
            "confidence": self.confidence,
            "objectives": self.objectives or list(move_type.objectives),
        }
        audience = (ALL,) if visible else (viewer.team,)
        return [Draft("move.submitted", audience, payload, team=viewer.team, actor=viewer.actor)]


def ruling_key(move_seq: int) -> str:
    return f"ruling:{move_seq}"


class Adjudicate(NoIdempotency, Body):
    move_seq: Seq = Field(description="The seq of the move.submitted event ruled on.")
    decision: Literal["accept", "modify", "reject"]
    outcome: Annotated[str, StringConstraints(min_length=1, max_length=8000), Clean]
    rationale: Annotated[str, StringConstraints(max_length=8000), Clean] = ""
    escalation_change: int = Field(0, ge=-10, le=10, strict=True)
    objectives_met: list[Id] = Field(default_factory=list, max_length=20)

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = white_cell(ctx)
        require_status(state, {RunStatus.running, RunStatus.paused}, "rule on a move")
        submitted = ctx.event(self.move_seq)
        if (
            submitted is None
            or submitted.kind != "move.submitted"
            or ctx.keyed(ruling_key(self.move_seq))
        ):
            raise NotFound(
                f"move {self.move_seq} is not awaiting a ruling (unknown, or already ruled on)",
                field="move_seq",
            )
        _objectives(ctx, self.objectives_met, "objectives_met")
        if self.decision == "reject" and self.escalation_change:
            raise Conflict(
                "a rejected move does not change the escalation level", field="escalation_change"
            )
        escalation = escalation_change(
            state,
            ctx,
            state.escalation + self.escalation_change,
            reason="ruling",
            move_seq=self.move_seq,
        )
        applied = escalation[0].payload["to"] - state.escalation if escalation else 0
        team = submitted.team or ""
        hidden = ctx.scenario.rules.moves_visible is MoveVisibility.never
        payload = {
            "move_seq": self.move_seq,
            "move_type": submitted.payload["move_type"],
            "action": submitted.payload["action"],
            "decision": self.decision,
            "outcome": self.outcome,
            "rationale": self.rationale,
            "escalation_change": applied,
            "objectives_met": self.objectives_met,
        }
        ruling = Draft(
            "move.adjudicated",
            (team,) if hidden else (ALL,),
            payload,
            team=team,
            actor=viewer and viewer.actor,
            idem_key=ruling_key(self.move_seq),  # one ruling per move, whichever process rules
        )
        return [ruling, *escalation]
