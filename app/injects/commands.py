"""Firing injects: scripted ones from the MSEL (by hand or by the clock) and ad-hoc ones."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from app.errors import Conflict, Invalid, NotFound
from app.events.record import ALL, Draft
from app.fields import Id
from app.runs.commands import Body
from app.runs.context import Context, NoIdempotency, not_ended, white_cell
from app.runs.state import RunState
from app.scenarios.models import OBSERVERS, Channel, Inject, Scenario, Text
from app.scenarios.references import suggest


def _content(inject: Inject, team: str | None) -> dict[str, Any]:
    version = inject.version_for(team)
    return {
        "channel": str(version.channel),
        "from": (version.from_ or inject.from_).model_dump(exclude_none=True),
        "title": (version.title or inject.title).model_dump(exclude_none=True),
        "body": version.body.model_dump(exclude_none=True),
    }


def inject_drafts(inject: Inject, scenario: Scenario, trigger: str) -> list[Draft]:
    """One inject.fired per version: each team with a variant gets its own event, the rest share
    the base text. The first carries the schedule key that makes firing happen at most once."""
    audience = inject.audience
    targets = [*scenario.team_ids, OBSERVERS] if ALL in audience else list(audience)
    with_variant = [team for team in targets if team in inject.variants]
    plain = [team for team in targets if team not in inject.variants]
    common = {"inject_id": inject.id, "trigger": trigger}
    drafts = [
        Draft("inject.fired", (team,), {**common, "variant": team, **_content(inject, team)})
        for team in with_variant
    ]
    if plain:
        base_audience = (ALL,) if ALL in audience and not with_variant else tuple(plain)
        drafts.append(
            Draft(
                "inject.fired", base_audience, {**common, "variant": None, **_content(inject, None)}
            )
        )
    first = drafts[0]
    drafts[0] = Draft(first.kind, first.audience, first.payload, idem_key=f"inject:{inject.id}")
    return drafts


class FireInject(NoIdempotency, Body):
    """Fire a scripted inject now, whatever its trigger; each scripted inject fires once."""

    inject: Id

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        white_cell(ctx)
        not_ended(state, "fire an inject")
        inject = ctx.scenario.inject(self.inject)
        if inject is None:
            ids = [item.id for item in ctx.scenario.injects]
            raise NotFound(
                f"no inject '{self.inject}' in this scenario{suggest(self.inject, ids)}",
                field="inject",
            )
        if self.inject in state.fired:
            raise Conflict(
                f"inject '{self.inject}' has already fired (event {state.fired[self.inject]})",
                code="already_fired",
            )
        return inject_drafts(inject, ctx.scenario, "facilitator")


class AdhocInject(NoIdempotency, Body):
    """An inject the facilitator writes live."""

    title: Text
    body: Text
    audience: list[Id] = Field(
        min_length=1, max_length=20, description="'all' or a list of team ids."
    )
    channel: Channel = Channel.news
    from_: Text = Field(
        default_factory=lambda: Text(en="White cell", ru="Руководство учения"), alias="from"
    )

    @field_validator("audience", mode="before")
    @classmethod
    def _all_shorthand(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        white_cell(ctx)
        not_ended(state, "send an inject")
        known = [*ctx.scenario.team_ids, OBSERVERS]
        for index, team in enumerate(self.audience):
            if team == ALL and len(self.audience) == 1:
                continue
            if team not in known:
                raise Invalid(
                    f"unknown team '{team}'{suggest(team, known)}; use 'all' or some of {', '.join(known)}",
                    field=f"audience[{index}]",
                )
        payload = {
            "inject_id": None,
            "trigger": "adhoc",
            "variant": None,
            "channel": str(self.channel),
            "from": self.from_.model_dump(exclude_none=True),
            "title": self.title.model_dump(exclude_none=True),
            "body": self.body.model_dump(exclude_none=True),
        }
        return [Draft("inject.fired", tuple(dict.fromkeys(self.audience)), payload)]
