"""`ttx import`: load a complete JSON export into this server as a new run.

The events keep their seq, time, clock and payload, so the imported run's after-action review
is the same as the original's. Tokens and join codes are not exported; the import issues a new
facilitator token and new codes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert

from app.auth import tokens
from app.errors import Conflict, Invalid
from app.events.record import EventRecord
from app.events.store import Store
from app.events.writer import Tx, event_table, run_table
from app.exports.json_export import FORMAT, VERSION
from app.runs.models import JoinCode, Participant
from app.runs.service import Created
from app.runs.state import replay
from app.scenarios.models import OBSERVERS, WHITE_CELL, Scenario

code_table = JoinCode.__table__  # type: ignore[attr-defined]
participant_table = Participant.__table__  # type: ignore[attr-defined]


def parse(data: Any) -> tuple[Scenario, list[EventRecord], dict[str, Any]]:
    """Check an export can be imported; raises Invalid naming what is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Invalid(f'not a ttx run export (expected "format": "{FORMAT}")', field="format")
    if data.get("version") != VERSION:
        raise Invalid(
            f"export version {data.get('version')!r} is not supported (expected {VERSION})",
            field="version",
        )
    if not data.get("complete"):
        raise Invalid(
            "this export is not complete: export it as the facilitator with --include-notes",
            field="complete",
        )
    try:
        scenario = Scenario.model_validate(data["scenario"])
        run_id = data["run"]["id"]
        events = [EventRecord.from_public(run_id, event) for event in data["events"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid(f"the export is damaged: {exc}") from None
    seqs = [event.seq for event in events]
    if seqs != list(range(1, len(seqs) + 1)):
        raise Invalid("the export's events are not numbered 1, 2, 3 … without gaps", field="events")
    return scenario, events, data


@dataclass
class ImportJob:
    run_id: str
    scenario: Scenario
    events: list[EventRecord]
    data: dict[str, Any]
    token_hash: str
    codes: dict[str, str]

    def execute(self, tx: Tx) -> None:
        if tx.conn.execute(run_table.select().where(run_table.c.id == self.run_id)).first():
            raise Conflict(f"a run '{self.run_id}' already exists here", field="run.id")
        state = replay(self.events)
        created = datetime.fromisoformat(self.data["run"]["created_at"])
        tx.conn.execute(
            insert(run_table).values(
                id=self.run_id,
                scenario_id=self.scenario.id,
                scenario_version=self.scenario.metadata.version,
                title=self.data["run"]["title"],
                scenario=self.scenario.model_dump_json(by_alias=True),
                facilitator_token_hash=self.token_hash,
                status=state.status.value,
                last_seq=state.last_seq,
                state=state.model_dump_json(),
                created_at=created if created.tzinfo else created.replace(tzinfo=UTC),
            )
        )
        tx.conn.execute(
            insert(code_table),
            [{"code": c, "run_id": self.run_id, "team": t} for t, c in self.codes.items()],
        )
        joined = {
            e.payload["participant_id"]: e for e in self.events if e.kind == "participant.joined"
        }
        if joined:
            tx.conn.execute(
                insert(participant_table),
                [
                    {
                        "id": pid,
                        "run_id": self.run_id,
                        "team": e.team,
                        "role": e.payload["role"],
                        "display_name": e.payload["name"],
                        "language": e.payload.get("language", "en"),
                        "created_at": e.ts,
                    }
                    for pid, e in joined.items()
                ],
            )
        rows = [replace(e, run_id=self.run_id).row() for e in self.events]
        for start in range(0, len(rows), 5000):
            tx.conn.execute(insert(event_table), rows[start : start + 5000])
        tx.adopt(self.run_id, state, self.scenario)


async def import_run(store: Store, data: Any, *, keep_id: bool = True) -> Created:
    scenario, events, raw = parse(data)
    run_id = raw["run"]["id"] if keep_id else tokens.new_id(length=10)
    token = tokens.new_token()
    codes = {team: tokens.new_join_code() for team in [*scenario.team_ids, OBSERVERS, WHITE_CELL]}
    await store.submit(ImportJob(run_id, scenario, events, raw, tokens.hash_token(token), codes))
    return Created(run_id, token, codes)
