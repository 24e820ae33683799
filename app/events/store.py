"""The event store: appends through the writer, reads from a pool of connections.

Reads run in worker threads (the drivers are synchronous); SQLite in WAL mode lets them run
while the writer commits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from app.auth.viewer import Viewer
from app.errors import NotFound
from app.events.record import EventRecord
from app.events.writer import (
    Appended,
    CommandJob,
    Job,
    ScenarioCache,
    Writer,
    event_table,
    run_table,
)
from app.moves.commands import ruling_key
from app.runs.context import Command
from app.runs.models import JoinCode
from app.runs.state import RunState, RunStatus
from app.scenarios.models import Scenario

code_table = JoinCode.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RunSnapshot:
    id: str
    title: str
    scenario: Scenario
    state: RunState
    join_codes: dict[str, str]
    created_at: Any
    pending_moves: list[EventRecord]  # the move.submitted events awaiting a ruling


class Store:
    def __init__(
        self, reader: Engine, writer: Engine, on_commit: Callable[[list[EventRecord]], None]
    ) -> None:
        self.reader = reader
        self.writer_engine = writer
        self.scenarios = ScenarioCache()
        self.writer = Writer(writer, on_commit, self.scenarios)

    async def start(self) -> None:
        self.writer.start()

    async def stop(self) -> None:
        await self.writer.stop()

    async def execute(self, run_id: str, command: Command, viewer: Viewer | None) -> Appended:
        """Decide and append a command; raises its Problem if it is refused."""
        return await self.writer.submit(CommandJob(run_id, command, viewer))

    async def submit(self, job: Job) -> Any:
        return await self.writer.submit(job)

    # -- reads ---------------------------------------------------------------------------

    async def events_after(self, run_id: str, after: int, limit: int = 1000) -> list[EventRecord]:
        return await asyncio.to_thread(self._events_after, run_id, after, limit)

    def _events_after(self, run_id: str, after: int, limit: int) -> list[EventRecord]:
        query = (
            select(event_table)
            .where(event_table.c.run_id == run_id, event_table.c.seq > after)
            .order_by(event_table.c.seq)
            .limit(limit)
        )
        with self.reader.connect() as conn:
            return [EventRecord.from_row(row) for row in conn.execute(query)]

    async def keyed(self, run_id: str, key: str) -> EventRecord | None:
        """The event a write with this idempotency key produced, if it was committed."""
        return await asyncio.to_thread(self._keyed, run_id, key)

    def _keyed(self, run_id: str, key: str) -> EventRecord | None:
        query = select(event_table).where(
            event_table.c.run_id == run_id, event_table.c.idem_key == key
        )
        with self.reader.connect() as conn:
            row = conn.execute(query).first()
        return EventRecord.from_row(row) if row else None

    async def events_of_kind(self, run_id: str, prefix: str) -> list[EventRecord]:
        """Every event whose kind starts with `prefix` ("recommendation."), in seq order."""
        return await asyncio.to_thread(self._events_of_kind, run_id, prefix)

    def _events_of_kind(self, run_id: str, prefix: str) -> list[EventRecord]:
        query = (
            select(event_table)
            .where(
                event_table.c.run_id == run_id,
                event_table.c.kind.startswith(prefix, autoescape=True),
            )
            .order_by(event_table.c.seq)
        )
        with self.reader.connect() as conn:
            return [EventRecord.from_row(row) for row in conn.execute(query)]

    async def snapshot(self, run_id: str) -> RunSnapshot:
        return await asyncio.to_thread(self._snapshot, run_id)

    def _snapshot(self, run_id: str) -> RunSnapshot:
        query = select(
            run_table.c.id,
            run_table.c.title,
            run_table.c.state,
            run_table.c.created_at,
        ).where(run_table.c.id == run_id)
        with self.reader.connect() as conn:
            row = conn.execute(query).first()
            if row is None:
                raise NotFound(f"no run '{run_id}'")
            scenario = self.scenarios.get(conn, run_id)
            codes = conn.execute(
                select(code_table.c.team, code_table.c.code).where(code_table.c.run_id == run_id)
            ).all()
            state = RunState.model_validate_json(row.state)
            pending = self._pending_moves(conn, run_id)
        return RunSnapshot(
            id=row.id,
            title=row.title,
            scenario=scenario,
            state=state,
            join_codes={team: code for team, code in codes},
            created_at=row.created_at,
            pending_moves=pending,
        )

    def _pending_moves(self, conn: Connection, run_id: str) -> list[EventRecord]:
        """Moves without a ruling: every move.submitted whose ruling key is not in the log."""
        moves = conn.execute(
            select(event_table)
            .where(event_table.c.run_id == run_id, event_table.c.kind == "move.submitted")
            .order_by(event_table.c.seq)
        ).all()
        if not moves:
            return []
        ruled = set(
            conn.execute(
                select(event_table.c.idem_key).where(
                    event_table.c.run_id == run_id, event_table.c.kind == "move.adjudicated"
                )
            ).scalars()
        )
        return [EventRecord.from_row(m) for m in moves if ruling_key(m.seq) not in ruled]

    async def active_runs(self) -> list[tuple[str, RunState]]:
        """Runs the clock may act on (running, or with a call ringing or messages queued)."""
        return await asyncio.to_thread(self._active_runs)

    def _active_runs(self) -> list[tuple[str, RunState]]:
        query = select(run_table.c.id, run_table.c.state).where(
            run_table.c.status.in_([RunStatus.running.value, RunStatus.paused.value])
        )
        with self.reader.connect() as conn:
            return [
                (row.id, RunState.model_validate_json(row.state)) for row in conn.execute(query)
            ]

    async def scenario_of(self, run_id: str) -> Scenario:
        return await asyncio.to_thread(self._scenario_of, run_id)

    def _scenario_of(self, run_id: str) -> Scenario:
        with self.reader.connect() as conn:
            return self.scenarios.get(conn, run_id)
