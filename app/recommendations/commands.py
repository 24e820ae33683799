"""Recommendations: lessons participants draft and endorse, and the white cell curates.

They are the exercise's main written output, tagged like the ELN/RIAC report's measures:
four categories and two tiers (an immediate "basic" step, or an "enhanced" step for a better
climate). Drafting, endorsing and curating work during the run and after it has ended.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints, model_validator

from app.auth.viewer import Viewer
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.events.record import ALL, Draft
from app.fields import Clean, Seq
from app.runs.commands import Body, ClientId
from app.runs.context import ClientIdempotency, Context, NoIdempotency, white_cell
from app.runs.state import RunState

Category = Literal[
    "quality_of_dialogue", "substance_of_dialogue", "restraint_on_the_ground", "positive_agenda"
]
Tier = Literal["basic", "enhanced"]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200), Clean]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000), Clean]


def _author(ctx: Context, doing: str) -> Viewer:
    viewer = ctx.viewer
    if viewer is None or viewer.is_observer:
        raise Forbidden(f"observers only watch; team members and the white cell {doing}")
    return viewer


def _existing(state: RunState, seq: int, field: str = "recommendation") -> str:
    status = state.recommendations.get(seq)
    if status is None:
        raise NotFound(f"no recommendation {seq}", field=field)
    return status


class DraftRecommendation(ClientIdempotency, Body):
    kinds: ClassVar[frozenset[str]] = frozenset({"recommendation.drafted"})
    echoed: ClassVar[tuple[str, ...]] = ("title", "text", "category", "tier")

    client_id: ClientId
    title: Title
    text: Text
    category: Category
    tier: Tier = "basic"

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = _author(ctx, "draft recommendations")
        payload = {
            "title": self.title,
            "text": self.text,
            "category": self.category,
            "tier": self.tier,
        }
        return [
            Draft("recommendation.drafted", (ALL,), payload, team=viewer.team, actor=viewer.actor)
        ]


class EndorseRecommendation(Body):
    """One endorsement per participant; endorsing again returns the first endorsement."""

    recommendation: Seq

    def idem_key(self, viewer: Viewer | None, state: RunState) -> str | None:
        who = viewer.participant_id if viewer else None
        return f"{who}:endorse:{self.recommendation}" if who else None

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = ctx.viewer
        if (
            viewer is None
            or viewer.participant_id is None
            or viewer.is_white_cell
            or viewer.is_observer
        ):
            raise Forbidden("only members of the teams endorse recommendations")
        status = _existing(state, self.recommendation)
        if status in ("merged", "declined"):
            why = (
                "endorse the one it became"
                if status == "merged"
                else "it can no longer be endorsed"
            )
            raise Conflict(
                f"recommendation {self.recommendation} was {status}; {why}",
                code=f"recommendation_{status}",
            )
        payload = {"recommendation": self.recommendation}
        return [
            Draft("recommendation.endorsed", (ALL,), payload, team=viewer.team, actor=viewer.actor)
        ]


class CurateRecommendation(NoIdempotency, Body):
    """The white cell edits, accepts, declines, reopens or merges a recommendation."""

    action: Literal["edit", "accept", "decline", "reopen", "merge"]
    title: Title | None = None
    text: Text | None = None
    category: Category | None = None
    tier: Tier | None = None
    into: Seq | None = Field(None, description="For 'merge': the recommendation this one joins.")

    @model_validator(mode="after")
    def _fields_for_action(self) -> CurateRecommendation:
        edits = {
            "title": self.title,
            "text": self.text,
            "category": self.category,
            "tier": self.tier,
        }
        if self.action == "edit" and all(value is None for value in edits.values()):
            raise ValueError("an edit changes at least one of title, text, category, tier")
        if self.action == "merge" and self.into is None:
            raise ValueError("'into' is required to merge")
        return self

    def decide_for(self, seq: int, state: RunState, ctx: Context) -> list[Draft]:
        viewer = white_cell(ctx)
        status = _existing(state, seq)
        actor = viewer and viewer.actor
        base = {"recommendation": seq}
        if status == "merged":
            raise Conflict(
                f"recommendation {seq} was merged into another one", code="recommendation_merged"
            )
        if self.action == "edit":
            changes = {
                k: v
                for k, v in {
                    "title": self.title,
                    "text": self.text,
                    "category": self.category,
                    "tier": self.tier,
                }.items()
                if v is not None
            }
            return [Draft("recommendation.edited", (ALL,), {**base, **changes}, actor=actor)]
        if self.action == "merge":
            if self.into == seq:
                raise Invalid("a recommendation cannot be merged into itself", field="into")
            target = _existing(state, self.into or 0, "into")
            if target in ("merged", "declined"):
                raise Conflict(f"recommendation {self.into} was {target}", field="into")
            return [
                Draft("recommendation.merged", (ALL,), {**base, "into": self.into}, actor=actor)
            ]
        wanted = {"accept": "accepted", "decline": "declined", "reopen": "draft"}[self.action]
        if status == wanted:
            raise Conflict(f"recommendation {seq} is already {wanted}", code="no_change")
        kind = {
            "accept": "recommendation.accepted",
            "decline": "recommendation.declined",
            "reopen": "recommendation.reopened",
        }[self.action]
        return [Draft(kind, (ALL,), base, actor=actor)]


class Curation:
    """Binds a curation to the recommendation it acts on (the seq comes from the URL)."""

    def __init__(self, seq: int, body: CurateRecommendation) -> None:
        self.seq, self.body = seq, body

    def idem_key(self, viewer: Viewer | None, state: RunState) -> str | None:
        return None

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        return self.body.decide_for(self.seq, state, ctx)
