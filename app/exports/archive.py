"""What an export may contain, and the one place exports read a run from: events come page by
page through the visibility rule, with notes left out unless asked for and, under the Chatham
House Rule, every name replaced by its role alias and every participant id by its alias key.

Who may have what (docs/review-and-exports.md): the after-action review and the reports that
hold it are white-cell material; anyone in the run may export, as JSON or CSV, exactly what
they may see, and the recommendations brief. The facilitator's *handout* edition of the
report is what participants may be given.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from app.auth.viewer import Viewer
from app.errors import Forbidden, Invalid
from app.events.record import EventRecord
from app.events.store import Store
from app.events.visibility import can_see
from app.exports.chatham import Aliases, Person
from app.exports.free_text import scrubbed
from app.runs.present import scenario_view
from app.runs.state import RunState
from app.scenarios.models import Scenario

PAGE = 1000
WHITE_CELL_MATERIAL = (
    "the after-action review is prepared by the white cell; your facilitator shares it"
)

Edition = Literal["full", "handout"]


@dataclass(frozen=True)
class Options:
    chatham: bool | None = None  # None: what the scenario says
    include_notes: bool = False
    lang: str = "en"
    edition: Edition = "full"
    review: bool = False  # the export holds the after-action review (white cell only)


@dataclass
class Archive:
    run_id: str
    title: str
    created_at: datetime
    state: RunState
    scenario: Scenario
    people: list[Person]
    viewer: Viewer
    chatham: bool
    include_notes: bool
    handout: bool
    lang: str
    aliases: Aliases
    store: Store

    def __post_init__(self) -> None:
        shown = {p.id: self.aliases.name_of(p.id) if self.chatham else p.name for p in self.people}
        self._names = shown | {self.actor(pid): name for pid, name in shown.items()}
        self.shown_title = self.aliases.scrub(self.title) if self.chatham else self.title

    @property
    def complete(self) -> bool:
        """Everything the log holds, attributed: what `ttx import` needs to rebuild the run."""
        return self.viewer.is_white_cell and self.include_notes and not self.chatham

    def actor(self, participant_id: str | None) -> str | None:
        """A participant id as the export shows it: its alias key under the Rule."""
        if participant_id is None or not self.chatham:
            return participant_id
        return self.aliases.key_of(participant_id) or participant_id

    def name(self, actor: str | None) -> str | None:
        """Who an actor is, as the export names them: alias or display name. Takes the id as
        the log has it or as `actor()` shows it."""
        return self._names.get(actor) if actor else None

    def shown(self, record: EventRecord) -> bool:
        if record.kind == "note.added" and not self.include_notes:
            return False
        return can_see(record, self.viewer, self.scenario.rules.observers)

    def record(self, record: EventRecord) -> EventRecord:
        """The event as the export shows it, still a record: names scrubbed and ids as alias
        keys under the Rule, the clock in milliseconds as every export writes it, so that the
        figures are the same with the Rule on or off and after `ttx import`. The one place an
        event is scrubbed: only its free-text fields (`free_text.py`), exactly once."""
        clock = round(record.clock, 3)
        if not self.chatham:
            return record if clock == record.clock else replace(record, clock=clock)
        payload = scrubbed(record.kind, record.payload, self.aliases)
        if record.kind == "participant.joined":
            joined = record.payload.get("participant_id")
            payload = {**payload, "name": self.aliases.name_of(joined)}
            payload["participant_id"] = self.actor(joined)
        return replace(record, clock=clock, actor=self.actor(record.actor), payload=payload)

    def event(self, record: EventRecord) -> dict[str, Any]:
        """The event as the export shows it, in the API's shape."""
        return self.record(record).public()

    async def records(self) -> AsyncIterator[EventRecord]:
        """Every event the export shows, in seq order, a page at a time."""
        after = 0
        while True:
            page = await self.store.events_after(self.run_id, after, PAGE)
            if not page:
                return
            for record in page:
                if self.shown(record):
                    yield record
            after = page[-1].seq

    def scenario_snapshot(self) -> dict[str, Any]:
        """The scenario as the viewer may read it (`GET …/scenario`): all of it for the white
        cell, controller notes only with the notes; a team's own briefing and no injects."""
        if not self.viewer.is_white_cell:
            return scenario_view(self.scenario, self.viewer)
        exclude: dict[str, Any] = {}
        if not self.include_notes:
            exclude = {"injects": {"__all__": {"controller_notes"}}}
        return self.scenario.model_dump(
            mode="json", by_alias=True, exclude_none=True, exclude=exclude
        )

    def participants(self) -> list[dict[str, Any]]:
        """Who took part, in order of joining; names and ids only outside the Rule."""
        rows = []
        for person in self.people:
            row = {
                "id": self.actor(person.id),
                "team": person.team,
                "role": person.role,
                "alias": self.aliases.name_of(person.id),
            }
            if not self.chatham:
                row["name"] = person.name
            rows.append(row)
        return rows


def _decide(viewer: Viewer, rule: bool, options: Options) -> tuple[bool, bool]:
    """(chatham, include_notes) for this viewer and these options, or why not."""
    if options.review and not viewer.is_white_cell:
        raise Forbidden(WHITE_CELL_MATERIAL)
    chatham = rule if options.chatham is None else options.chatham
    if options.edition == "handout":
        if options.chatham is False or options.include_notes:
            raise Invalid(
                "the handout edition keeps the Chatham House Rule and leaves notes out",
                field="edition",
            )
        return True, False
    if not viewer.is_white_cell:
        if rule and not chatham:
            raise Forbidden(
                "the full, attributed archive is for the facilitator only", field="chatham"
            )
        if options.include_notes:
            raise Forbidden("facilitator notes are for the white cell only", field="include_notes")
    return chatham, options.include_notes and viewer.is_white_cell


async def open_archive(store: Store, run_id: str, viewer: Viewer, options: Options) -> Archive:
    """Load what every export needs, once the viewer may have it."""
    snapshot = await store.snapshot(run_id)
    chatham, include_notes = _decide(viewer, snapshot.scenario.metadata.chatham_house, options)
    joined = await store.events_of_kind(run_id, "participant.joined")
    people = [
        Person(e.payload["participant_id"], e.team or "", e.payload["role"], e.payload["name"])
        for e in joined
    ]
    return Archive(
        run_id=run_id,
        title=snapshot.title,
        created_at=snapshot.created_at,
        state=snapshot.state,
        scenario=snapshot.scenario,
        people=people,
        viewer=viewer,
        chatham=chatham,
        include_notes=include_notes,
        handout=options.edition == "handout",
        lang=options.lang,
        aliases=Aliases(people, snapshot.scenario, options.lang),
        store=store,
    )
