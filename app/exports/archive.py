"""What an export may contain, and the one place exports read a run from: events come page by
page through the visibility rule, with notes left out unless asked for and, under the Chatham
House Rule, every name replaced by its role alias."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.auth.viewer import Viewer
from app.errors import Forbidden
from app.events.record import EventRecord
from app.events.store import Store
from app.events.visibility import can_see
from app.exports.chatham import Aliases, Person
from app.runs.state import RunState
from app.scenarios.models import Scenario

PAGE = 1000


@dataclass(frozen=True)
class Options:
    chatham: bool | None = None  # None: what the scenario says
    include_notes: bool = False
    lang: str = "en"


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
    lang: str
    aliases: Aliases
    store: Store

    @property
    def complete(self) -> bool:
        """Everything the log holds: what `ttx import` needs to rebuild the run."""
        return self.viewer.is_white_cell and self.include_notes

    def name(self, participant_id: str | None) -> str | None:
        if participant_id is None:
            return None
        if self.chatham:
            return self.aliases.name_of(participant_id)
        return next((p.name for p in self.people if p.id == participant_id), None)

    def text(self, value: Any) -> Any:
        return self.aliases.scrub_value(value) if self.chatham else value

    def shown(self, record: EventRecord) -> bool:
        if record.kind == "note.added" and not self.include_notes:
            return False
        return can_see(record, self.viewer, self.scenario.rules.observers)

    def event(self, record: EventRecord) -> dict[str, Any]:
        """The event as the export shows it."""
        public = record.public()
        if self.chatham:
            payload = self.aliases.scrub_value(public["payload"])
            if record.kind == "participant.joined":
                payload["name"] = self.aliases.name_of(
                    payload.get("participant_id")
                ) or payload.get("name")
            public["payload"] = payload
        return public

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
        exclude: dict[str, Any] = {}
        if not self.include_notes or not self.viewer.is_white_cell:
            exclude = {"injects": {"__all__": {"controller_notes"}}}
        data = self.scenario.model_dump(
            mode="json", by_alias=True, exclude_none=True, exclude=exclude
        )
        if not self.viewer.is_white_cell:
            data.pop("injects", None)  # the MSEL is white-cell material
        return data

    def participants(self) -> list[dict[str, Any]]:
        """Who took part, in order of joining; names only outside the Chatham House Rule."""
        rows = []
        for person in self.people:
            row = {
                "id": person.id,
                "team": person.team,
                "role": person.role,
                "alias": self.aliases.name_of(person.id),
            }
            if not self.chatham:
                row["name"] = person.name
            rows.append(row)
        return rows


async def open_archive(store: Store, run_id: str, viewer: Viewer, options: Options) -> Archive:
    """Load what every export needs; refuses the attributed archive to anyone but the white cell."""
    snapshot = await store.snapshot(run_id)
    rule = snapshot.scenario.metadata.chatham_house
    chatham = rule if options.chatham is None else options.chatham
    if not viewer.is_white_cell:
        if rule and not chatham:
            raise Forbidden(
                "the full, attributed archive is for the facilitator only", field="chatham"
            )
        if options.include_notes:
            raise Forbidden("facilitator notes are for the white cell only", field="include_notes")
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
        include_notes=options.include_notes and viewer.is_white_cell,
        lang=options.lang,
        aliases=Aliases(people, snapshot.scenario, options.lang),
        store=store,
    )
