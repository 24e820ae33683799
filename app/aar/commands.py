"""What the white cell writes into the after-action review, during the run or after it: the
executive summary, per phase why things differed and what to do next time, and ratings of the
objectives the scenario cannot measure (or a correction of a computed one)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from app.errors import Invalid
from app.events.record import WHITE_CELL_ONLY, Draft
from app.fields import Clean
from app.runs.commands import Body
from app.runs.context import Context, NoIdempotency, white_cell
from app.runs.state import RunState
from app.scenarios.references import suggest

Long = Annotated[str, StringConstraints(max_length=20_000), Clean]


class SetSummary(NoIdempotency, Body):
    text: Long

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = white_cell(ctx)
        return [
            Draft(
                "aar.summary_set",
                WHITE_CELL_ONLY,
                {"text": self.text},
                actor=viewer and viewer.actor,
            )
        ]


class NotePhase(NoIdempotency, Body):
    phase: str
    why: Long | None = None
    next_time: Long | None = None

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = white_cell(ctx)
        ids = [phase.id for phase in ctx.scenario.phases]
        if self.phase not in ids:
            raise Invalid(f"unknown phase '{self.phase}'{suggest(self.phase, ids)}", field="phase")
        if self.why is None and self.next_time is None:
            raise Invalid("give 'why' or 'next_time' (or both)", field="why")
        payload = {"phase": self.phase} | {
            k: v for k, v in {"why": self.why, "next_time": self.next_time}.items() if v is not None
        }
        return [Draft("aar.phase_noted", WHITE_CELL_ONLY, payload, actor=viewer and viewer.actor)]


class RateObjective(NoIdempotency, Body):
    objective: str
    rating: Literal["P", "S", "M", "U"] | None = None  # None: back to the computed rating
    note: Long = ""

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = white_cell(ctx)
        ids = [objective.id for objective in ctx.scenario.objectives]
        if self.objective not in ids:
            raise Invalid(
                f"unknown objective '{self.objective}'{suggest(self.objective, ids)}",
                field="objective",
            )
        payload = {"objective": self.objective, "rating": self.rating, "note": self.note}
        return [Draft("objective.rated", WHITE_CELL_ONLY, payload, actor=viewer and viewer.actor)]
