"""`ttx import`: load a complete JSON export into this server as a new run.

The events keep their seq, time, clock and payload, so the imported run's after-action review
is the same as the original's. The whole file is checked first (`import_format.py`) and a
problem answers as one line naming the event and field; nothing is written unless all of it
is right. Tokens and join codes are not exported: the import issues a new facilitator token
and new codes (participants join again with their team's new code and their name). With a new
run id, participants get new ids too, the same throughout the log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert

from app.aar.review import review
from app.auth import tokens
from app.errors import Conflict, Invalid
from app.events.record import ALL, EventRecord
from app.events.store import Store
from app.events.writer import Tx, event_table, run_table
from app.exports.import_format import CHOICES, PAYLOADS, EventIn, ExportIn, type_problem
from app.exports.import_rules import Rules
from app.exports.json_export import FORMAT, VERSION
from app.runs.models import JoinCode, Participant
from app.runs.service import Created
from app.runs.state import RunState, evolve
from app.scenarios.models import OBSERVERS, WHITE_CELL, Scenario
from app.scenarios.validate import ScenarioInvalid, check_data

code_table = JoinCode.__table__  # type: ignore[attr-defined]
participant_table = Participant.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Parsed:
    scenario: Scenario
    run_id: str
    title: str
    created_at: datetime
    events: list[EventRecord]
    state: RunState


def _where(error: dict[str, Any], data: dict[str, Any]) -> str:
    """A pydantic error's place, with an event named by its seq."""
    loc = list(error["loc"])
    if len(loc) >= 2 and loc[0] == "events" and isinstance(loc[1], int):
        event = data["events"][loc[1]]
        seq = event.get("seq") if isinstance(event, dict) else None
        rest = ".".join(str(part) for part in loc[2:])
        return f"event seq {seq if seq is not None else '?'} (#{loc[1] + 1})" + (
            f", field {rest}" if rest else ""
        )
    return "field " + ".".join(str(part) for part in loc)


def _document(data: Any) -> ExportIn:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Invalid(f'not a ttx run export (expected "format": "{FORMAT}")', field="format")
    if data.get("version") != VERSION:
        raise Invalid(
            f"export version {data.get('version')!r} is not supported (expected {VERSION})",
            field="version",
        )
    if data.get("complete") is not True:
        raise Invalid(
            "this export is not complete: only a facilitator's export with the notes and without "
            "the Chatham House Rule can be imported "
            "(ttx export RUN --format json --include-notes --no-chatham)",
            field="complete",
        )
    try:
        return ExportIn.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        place = _where(error, data)
        raise Invalid(f"the export is damaged: {place}: {error['msg']}", field=place) from None


def _check_event(event: EventRecord, scenario: Scenario, seen: dict[int, str]) -> None:
    """Raises ValueError naming the field of `event` that cannot be right."""
    p = event.payload
    fields = PAYLOADS.get(event.kind)
    if fields is None:
        raise ValueError(f"kind: unknown event kind {event.kind!r}")
    for name, wanted in fields.items():
        if name not in p:
            raise ValueError(f"payload.{name} is missing")
        problem = type_problem(p[name], wanted)
        if problem:
            raise ValueError(f"payload.{name} {problem}")
        if isinstance(wanted, tuple) and seen.get(p[name]) != wanted[1]:
            raise ValueError(f"payload.{name} names no earlier {wanted[1]} event")
    for (kind, name), allowed in CHOICES.items():
        if kind == event.kind and name in p and p[name] not in allowed:
            raise ValueError(f"payload.{name} is {p[name]!r}, not one of {allowed}")
    levels = range(len(scenario.escalation.levels))
    for name in {"run.created": ["escalation"], "escalation.changed": ["from", "to"]}.get(
        event.kind, []
    ):
        if p[name] not in levels:
            raise ValueError(f"payload.{name} is no level of the scenario's ladder")
    if event.kind == "phase.advanced" and p["index"] not in range(len(scenario.phases)):
        raise ValueError("payload.index is no phase of the scenario")
    teams = {*scenario.team_ids, WHITE_CELL, OBSERVERS}
    if event.team is not None and event.team not in teams:
        raise ValueError(f"team {event.team!r} is not a team of the scenario")
    if event.audience != (ALL,) and not set(event.audience) <= teams:
        raise ValueError("audience names a team the scenario lacks")


def _record(run_id: str, index: int, raw: dict[str, Any], data: dict[str, Any]) -> EventRecord:
    """One event of the file, checked against the format, as the log keeps it."""
    try:
        e = EventIn.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        error = {**error, "loc": ("events", index, *error["loc"])}
        place = _where(error, data)
        raise Invalid(f"the export is damaged: {place}: {error['msg']}", field=place) from None
    return EventRecord(
        run_id=run_id,
        seq=e.seq,
        kind=e.kind,
        ts=e.ts if e.ts.tzinfo else e.ts.replace(tzinfo=UTC),
        clock=float(e.clock),
        phase=e.phase,
        team=e.team,
        actor=e.actor,
        audience=(ALL,) if e.audience == ALL else tuple(e.audience),
        payload=e.payload,
    )


def parse(data: Any) -> Parsed:
    """Check an export can be imported; raises Invalid naming what is wrong."""
    document = _document(data)
    try:  # the same model and reference checks as `ttx validate`
        scenario = check_data(document.scenario, "scenario")
    except ScenarioInvalid as exc:
        first = exc.diagnostics[0]
        raise Invalid(
            f"the export's scenario is damaged: scenario.{first.path}: {first.message}"
        ) from None
    events = [
        _record(document.run.id, index, raw, data) for index, raw in enumerate(document.events)
    ]
    seen: dict[int, str] = {}
    rules = Rules(scenario)
    state = RunState()
    for number, event in enumerate(events, 1):
        try:
            if event.seq != number:
                raise ValueError(f"seq should be {number}: events are numbered 1, 2, 3 … ")
            _check_event(event, scenario, seen)
            joining = event.kind == "participant.joined"
            if event.actor is not None and not joining and event.actor not in rules.people:
                raise ValueError(f"actor {event.actor!r} has not joined the run")
            rules.check(event)
            state = evolve(state, event)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            text = str(exc) if isinstance(exc, ValueError) else f"cannot be replayed ({exc!r})"
            raise Invalid(f"event seq {event.seq}: {text}", field=f"events[{number - 1}]") from None
        seen[event.seq] = event.kind
    try:
        review(scenario, events)  # what every export computes: it must not fail later
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise Invalid(f"the export's events do not make a reviewable run ({exc!r})") from None
    run = document.run
    return Parsed(scenario, run.id, run.title, run.created_at, events, state)


def with_new_ids(parsed: Parsed, run_id: str) -> Parsed:
    """The same run under a new id, each participant under a new id throughout the log."""
    ids = {
        e.payload["participant_id"]: tokens.new_id("p", 10)
        for e in parsed.events
        if e.kind == "participant.joined"
    }

    def renamed(event: EventRecord) -> EventRecord:
        payload = event.payload
        if event.kind == "participant.joined":
            payload = {**payload, "participant_id": ids[payload["participant_id"]]}
        return replace(event, run_id=run_id, actor=ids.get(event.actor or ""), payload=payload)

    return replace(parsed, run_id=run_id, events=[renamed(e) for e in parsed.events])


@dataclass
class ImportJob:
    parsed: Parsed
    token_hash: str
    codes: dict[str, str]

    @property
    def run_id(self) -> str:
        """The run the writer locks for this job."""
        return self.parsed.run_id

    def execute(self, tx: Tx) -> None:
        run, scenario, state = self.parsed, self.parsed.scenario, self.parsed.state
        if tx.conn.execute(run_table.select().where(run_table.c.id == run.run_id)).first():
            raise Conflict(
                f"a run '{run.run_id}' already exists here (import it with --new-id)",
                field="run.id",
            )
        created = run.created_at
        tx.conn.execute(
            insert(run_table).values(
                id=run.run_id,
                scenario_id=scenario.id,
                scenario_version=scenario.metadata.version,
                title=run.title,
                scenario=scenario.model_dump_json(by_alias=True),
                facilitator_token_hash=self.token_hash,
                status=state.status.value,
                last_seq=state.last_seq,
                state=state.model_dump_json(),
                created_at=created if created.tzinfo else created.replace(tzinfo=UTC),
            )
        )
        tx.conn.execute(
            insert(code_table),
            [{"code": c, "run_id": run.run_id, "team": t} for t, c in self.codes.items()],
        )
        joined = {
            e.payload["participant_id"]: e for e in run.events if e.kind == "participant.joined"
        }
        if joined:
            tx.conn.execute(
                insert(participant_table),
                [
                    {
                        "id": pid,
                        "run_id": run.run_id,
                        "team": e.team or "",
                        "role": e.payload["role"],
                        "display_name": e.payload["name"],
                        "language": e.payload.get("language", "en"),
                        "created_at": e.ts,
                    }
                    for pid, e in joined.items()
                ],
            )
        rows = [replace(e, run_id=run.run_id).row() for e in run.events]
        for start in range(0, len(rows), 5000):
            tx.conn.execute(insert(event_table), rows[start : start + 5000])
        tx.adopt(run.run_id, state, scenario)


async def import_run(store: Store, data: Any, *, keep_id: bool = True) -> Created:
    parsed = parse(data)
    if not keep_id:
        parsed = with_new_ids(parsed, tokens.new_id(length=10))
    token = tokens.new_token()
    teams = [*parsed.scenario.team_ids, OBSERVERS, WHITE_CELL]
    codes = {team: tokens.new_join_code() for team in teams}
    await store.submit(ImportJob(parsed, tokens.hash_token(token), codes))
    return Created(parsed.run_id, token, codes)
