"""The scenario format: these models are its single definition (docs and JSON Schema derive from them).

Cross-references between sections (a phase an inject names, a team an audience names…) are
checked separately in `references.py`, on the raw data, so that every mistake is reported at once.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from app.fields import Clean

WHITE_CELL = "white_cell"
OBSERVERS = "observers"
RESERVED_TEAMS = frozenset({WHITE_CELL, OBSERVERS, "all"})
LANGUAGES = ("en", "ru")
MAX_TEXT = 20_000  # characters of one text in one language

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,63}$"),
    Field(description="Lower-case id: a letter, then letters, digits, '_' or '-' (at most 64)."),
]
Lang = Literal["en", "ru"]
OFFSET_RE = re.compile(r"\+(\d{1,2}):([0-5]\d):([0-5]\d)")  # whole string: fullmatch


class StrictModel(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored. A key left empty
    (`objectives:` with every item commented out, `~`, `null`) means the field is not given."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_not_given(cls, data: Any) -> Any:
        if isinstance(data, dict) and None in data.values():
            return {key: value for key, value in data.items() if value is not None}
        return data


class StringShorthand:
    """Mixin for models that also accept a plain string; tells the JSON Schema so."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        text = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
        return {"anyOf": [text, handler(core_schema)]}


class Text(StringShorthand, StrictModel):
    """Text in English and optionally Russian; a plain string is English only."""

    en: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT), Clean]
    ru: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT), Clean] | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_english(cls, data: Any) -> Any:
        return {"en": data} if isinstance(data, str) else data

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to English."""
        return (self.ru if lang == "ru" else None) or self.en


class BilingualText(Text):
    """Text that must exist in both languages (titles and summaries a reader chooses by)."""

    ru: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT), Clean]

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return handler(core_schema)


DEFAULT_MARKING = {
    "en": "EXERCISE — SIMULATION — NOT REAL",
    "ru": "УЧЕНИЕ — ИМИТАЦИЯ — НЕ РЕАЛЬНЫЕ СОБЫТИЯ",
}


class Metadata(StrictModel):
    id: Slug
    version: Annotated[
        str,
        Field(
            description="Version of this scenario file, e.g. '1.0' or '2.1.3'.",
            json_schema_extra={"pattern": r"^\d+(\.\d+){0,2}$"},
        ),
    ]
    title: BilingualText
    summary: BilingualText
    languages: list[Lang] = Field(default_factory=lambda: ["en", "ru"], min_length=1)
    duration_minutes: StrictInt = Field(ge=10, le=24 * 60, description="Expected playing time.")
    authors: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        min_length=1
    )
    chatham_house: StrictBool = Field(
        True, description="Exports replace names with role aliases unless the facilitator opts out."
    )
    marking: Text = Field(
        default_factory=lambda: Text.model_validate(DEFAULT_MARKING),
        description="Shown on every simulated item so that no screenshot passes for real news.",
    )
    measures: list[Text] = Field(
        default_factory=list,
        description="The risk-reduction measures this scenario tests, in brief.",
    )
    sources: list[str] = Field(
        default_factory=list, description="Real incidents and reports the scenario draws on."
    )

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not re.fullmatch(r"\d+(\.\d+){0,2}", value):
            raise ValueError(f'expected a version like "1.0" or "2.1.3" (in quotes), got {value!r}')
        return value


class Background(StrictModel):
    read_ahead: Text = Field(description="Markdown everyone reads before the exercise.")
    briefings: dict[str, Text] = Field(
        default_factory=dict, description="Private markdown briefing per team id."
    )


class Team(StrictModel):
    id: Annotated[Slug, Field(json_schema_extra={"not": {"enum": sorted(RESERVED_TEAMS)}})]
    name: BilingualText
    description: Text | None = None

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_TEAMS:
            raise ValueError(f"'{value}' is a built-in team and cannot be declared")
        return value


class Phase(StrictModel):
    id: Slug
    title: Text
    timebox_minutes: StrictInt = Field(ge=1, le=24 * 60)
    description: Text | None = None
    questions: list[Text] = Field(
        default_factory=list, description="Discussion questions for the plenary after the phase."
    )


class Channel(StrEnum):
    """How an inject reaches players; the team room styles each like what it simulates."""

    news = "news"
    intelligence_report = "intelligence_report"
    diplomatic_cable = "diplomatic_cable"
    military_report = "military_report"
    hotline_call = "hotline_call"
    social_media = "social_media"
    email = "email"


def parse_offset(value: str) -> int | None:
    """Seconds of a trigger such as '+00:15:00'; None for 'manual'. Raises ValueError otherwise."""
    if value == "manual":
        return None
    match = OFFSET_RE.fullmatch(value)
    if not match:
        raise ValueError(
            f"expected 'manual' or a clock offset '+HH:MM:SS' such as '+00:15:00', got {value!r}"
        )
    hours, minutes, seconds = (int(part) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


Trigger = Annotated[
    str,
    Field(
        description="'manual' (the facilitator fires it) or '+HH:MM:SS' after its phase begins.",
        json_schema_extra={"pattern": r"^(manual|\+\d{1,2}:[0-5]\d:[0-5]\d)$"},
    ),
]


class InjectVariant(StrictModel):
    """The same incident as one team perceives it; unset fields come from the inject."""

    title: Text | None = None
    body: Text
    from_: Text | None = Field(None, alias="from")
    channel: Channel | None = None


class ExpectedAction(StringShorthand, StrictModel):
    team: Slug | None = Field(None, description="The team expected to act; none means any.")
    text: Text

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data


class Inject(StrictModel):
    id: Slug
    phase: Slug
    trigger: Trigger = "manual"
    audience: Annotated[
        list[str],
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "array", "items": {"type": "string"}, "minItems": 1},
                ]
            }
        ),
    ] = Field(
        default_factory=lambda: ["all"],
        min_length=1,
        description="'all', or a list of team ids (may include 'observers').",
    )
    channel: Channel
    from_: Text = Field(alias="from", description="The originator as players see it.")
    title: Text
    body: Text = Field(description="Markdown.")
    variants: dict[str, InjectVariant] = Field(
        default_factory=dict, description="Per-team versions of this inject, by team id."
    )
    expected_actions: list[ExpectedAction] = Field(default_factory=list)
    objectives: list[Slug] = Field(default_factory=list)
    controller_notes: Text | None = Field(None, description="White cell only.")
    contingency_for: Slug | None = Field(
        None, description="The inject whose expected action did not happen."
    )
    escalation: StrictInt = Field(
        0, ge=-10, le=10, description="Suggested change of escalation level."
    )

    @field_validator("trigger")
    @classmethod
    def _offset(cls, value: str) -> str:
        parse_offset(value)
        return value

    @field_validator("audience", mode="before")
    @classmethod
    def _all_shorthand(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @property
    def offset_seconds(self) -> int | None:
        return parse_offset(self.trigger)

    def version_for(self, team: str | None) -> InjectVariant:
        """What `team` sees of this inject (its variant, completed from the inject)."""
        variant = self.variants.get(team) if team else None
        return InjectVariant(
            title=(variant and variant.title) or self.title,
            body=variant.body if variant else self.body,
            from_=(variant and variant.from_) or self.from_,
            channel=(variant and variant.channel) or self.channel,
        )


class MoveCategory(StrEnum):
    diplomatic = "diplomatic"
    military = "military"
    communication = "communication"
    information = "information"
    cyber = "cyber"


class MoveType(StrictModel):
    id: Slug
    label: BilingualText
    category: MoveCategory
    escalation: StrictInt = Field(0, ge=-10, le=10, description="Default escalation weight.")
    objectives: list[Slug] = Field(default_factory=list)
    teams: list[Slug] | None = Field(
        None, min_length=1, description="Teams that may choose it; none means all."
    )
    description: Text | None = None


class EscalationLevel(StrictModel):
    id: Slug
    label: Text
    description: Text | None = None


class Escalation(StrictModel):
    levels: list[EscalationLevel] = Field(min_length=2, description="Lowest first.")
    start: Slug = Field(description="Id of the level the run starts at.")


class CheckKind(StrEnum):
    hotline_contact = "hotline_contact"
    message = "message"
    move = "move"
    escalation_max = "escalation_max"
    no_move = "no_move"


def _needs(kind: str | list[str], then: dict[str, Any]) -> dict[str, Any]:
    on = {"enum": kind} if isinstance(kind, list) else {"const": kind}
    return {"if": {"properties": {"kind": on}, "required": ["kind"]}, "then": then}


class Check(StrictModel):
    """A machine-checkable success rule for an objective; see docs/scenario-format.md."""

    model_config = ConfigDict(  # what `_fields_for_kind` demands, for editors too
        json_schema_extra={
            "allOf": [
                _needs("hotline_contact", {"required": ["within_minutes"]}),
                _needs("message", {"required": ["channel"]}),
                _needs("escalation_max", {"required": ["level"]}),
                _needs(
                    ["move", "no_move"],
                    {"anyOf": [{"required": ["move_types"]}, {"required": ["categories"]}]},
                ),
            ]
        }
    )

    kind: CheckKind
    after_inject: Slug | None = Field(None, description="The clock for 'within' starts here.")
    within_minutes: StrictInt | None = Field(None, ge=1, le=24 * 60)
    teams: list[Slug] | None = Field(
        None, min_length=1, description="Teams that must act; none means any."
    )
    channel: Literal["team", "plenary", "hotline"] | None = None
    move_types: list[Slug] | None = Field(None, min_length=1)
    categories: list[MoveCategory] | None = Field(None, min_length=1)
    level: Slug | None = Field(None, description="For escalation_max: the highest level allowed.")

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Check:
        needs: dict[CheckKind, tuple[str, ...]] = {
            CheckKind.hotline_contact: ("within_minutes",),
            CheckKind.message: ("channel",),
            CheckKind.move: (),
            CheckKind.escalation_max: ("level",),
            CheckKind.no_move: (),
        }
        missing = [name for name in needs[self.kind] if getattr(self, name) is None]
        if missing:
            raise ValueError(
                f"{_article(self.kind)} '{self.kind}' check needs {', '.join(missing)}"
            )
        if self.kind in (CheckKind.move, CheckKind.no_move) and not (
            self.move_types or self.categories
        ):
            raise ValueError(
                f"{_article(self.kind)} '{self.kind}' check needs move_types or categories"
            )
        return self


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


class Objective(StrictModel):
    id: Slug
    title: Text
    description: Text | None = None
    measure: Text = Field(description="How success is judged, in words.")
    check: Check | None = Field(None, description="Optional machine-checkable rule.")


class ObserverAccess(StrEnum):
    public = "public"
    all_teams = "all_teams"


class MoveVisibility(StrEnum):
    on_ruling = "on_ruling"
    immediately = "immediately"
    never = "never"


class HotlineRules(StrictModel):
    teams: list[Slug] | None = Field(
        None, min_length=2, max_length=2, description="The two ends; default: the first two teams."
    )
    ring_timeout_seconds: StrictInt = Field(120, ge=10, le=3600)


class Rules(StrictModel):
    observers: ObserverAccess = Field(
        ObserverAccess.public,
        description="public: plenary, injects to all; all_teams: also team traffic.",
    )
    moves_visible: MoveVisibility = Field(
        MoveVisibility.on_ruling, description="When other teams see a team's move."
    )
    hotline: HotlineRules = Field(default_factory=HotlineRules)


class Scenario(StrictModel):
    metadata: Metadata
    background: Background
    teams: list[Team] = Field(min_length=2)
    phases: list[Phase] = Field(min_length=1)
    injects: list[Inject] = Field(default_factory=list)
    moves: list[MoveType] = Field(min_length=1, description="The move menu.")
    escalation: Escalation
    objectives: list[Objective] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)

    @property
    def id(self) -> str:
        return self.metadata.id

    @property
    def team_ids(self) -> list[str]:
        return [team.id for team in self.teams]

    @property
    def hotline_teams(self) -> tuple[str, str]:
        first, second = self.rules.hotline.teams or self.team_ids[:2]
        return first, second

    def inject(self, inject_id: str) -> Inject | None:
        return next((item for item in self.injects if item.id == inject_id), None)

    def move_type(self, move_type_id: str) -> MoveType | None:
        return next((item for item in self.moves if item.id == move_type_id), None)

    def level_index(self, level_id: str) -> int:
        return [level.id for level in self.escalation.levels].index(level_id)
