"""The one append path: a writer thread that commits jobs in groups.

Every write to a run goes through here. The thread takes all jobs waiting, opens one
transaction, locks the runs they touch (`FOR UPDATE` on PostgreSQL, the write lock on SQLite),
lets each job decide against the locked state, inserts the events and the updated state
together, commits, and only then resolves the callers' futures and hands the events on for
publishing. One commit for many writes is what makes durable writes fast on SQLite; the row
lock and the `(run_id, seq)` key are what keep `seq` gapless across processes.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol

import structlog
from sqlalchemy import Connection, Engine, bindparam, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from app.auth.viewer import Viewer
from app.errors import Conflict, NotFound, Problem, Unavailable
from app.events.models import Event
from app.events.record import Draft, EventRecord
from app.runs.context import ClientIdempotency, Command, Context
from app.runs.models import Run
from app.runs.state import RunState, evolve
from app.scenarios.models import Scenario

log = structlog.get_logger(__name__)

MAX_BATCH = 256
event_table = Event.__table__  # type: ignore[attr-defined]
run_table = Run.__table__  # type: ignore[attr-defined]


class ScenarioCache:
    """Parsed scenario snapshots by run id; a run's snapshot never changes."""

    def __init__(self) -> None:
        self._items: dict[str, Scenario] = {}

    def get(self, conn: Connection, run_id: str) -> Scenario:
        scenario = self._items.get(run_id)
        if scenario is None:
            text = conn.execute(
                select(run_table.c.scenario).where(run_table.c.id == run_id)
            ).scalar_one()
            scenario = self._items[run_id] = Scenario.model_validate_json(text)
        return scenario

    def put(self, run_id: str, scenario: Scenario) -> None:
        self._items[run_id] = scenario


@dataclass
class Locked:
    run_id: str
    state: RunState
    scenario: Scenario
    changed: bool = False


class Tx:
    """One group-commit transaction: locked runs, buffered events, in-batch idempotency keys."""

    def __init__(
        self, conn: Connection, scenarios: ScenarioCache, states: dict[str, RunState]
    ) -> None:
        self.conn = conn
        self.scenarios = scenarios
        self.states = states  # the writer's cache of the last committed state per run
        self.runs: dict[str, Locked] = {}
        self.records: list[EventRecord] = []
        self.keys: dict[tuple[str, str], list[EventRecord]] = {}
        self.absent: set[tuple[str, str]] = set()  # keys known not to be in the log

    def lock(self, run_ids: Iterable[str]) -> None:
        """Lock the runs in id order (so two processes never deadlock) and load their state."""
        ids = sorted(set(run_ids) - set(self.runs))
        if not ids:
            return
        query = (
            select(run_table.c.id, run_table.c.last_seq, run_table.c.state)
            .where(run_table.c.id.in_(ids))
            .order_by(run_table.c.id)
            .with_for_update()
        )
        for run_id, last_seq, state_json in self.conn.execute(query):
            cached = self.states.get(run_id)
            state = (
                cached
                if cached and cached.last_seq == last_seq
                else RunState.model_validate_json(state_json)
            )
            self.runs[run_id] = Locked(run_id, state, self.scenarios.get(self.conn, run_id))

    def run(self, run_id: str) -> Locked:
        if run_id not in self.runs:
            self.lock([run_id])
        if run_id not in self.runs:
            raise NotFound(f"no run '{run_id}'")
        return self.runs[run_id]

    def adopt(self, run_id: str, state: RunState, scenario: Scenario) -> Locked:
        """A run this transaction has just inserted."""
        self.scenarios.put(run_id, scenario)
        self.runs[run_id] = Locked(run_id, state, scenario, changed=True)
        return self.runs[run_id]

    def prefetch(self, jobs: Iterable[Job]) -> None:
        """Look up the batch's idempotency keys in one query instead of one per write."""
        wanted = set()
        for job in jobs:
            if isinstance(job, CommandJob) and job.run_id in self.runs:
                key = job.command.idem_key(job.viewer, self.runs[job.run_id].state)
                if key:
                    wanted.add((job.run_id, key))
        if not wanted:
            return
        pairs = tuple_(event_table.c.run_id, event_table.c.idem_key)
        for row in self.conn.execute(select(event_table).where(pairs.in_(sorted(wanted)))):
            self.keys[(row.run_id, row.idem_key)] = [EventRecord.from_row(row)]
        self.absent = wanted - set(self.keys)

    def existing(self, run_id: str, key: str) -> list[EventRecord] | None:
        """The events a write with this idempotency key produced before, if it did."""
        if (run_id, key) in self.keys:
            return self.keys[(run_id, key)]
        if (run_id, key) in self.absent:
            return None
        row = self.conn.execute(
            select(event_table).where(event_table.c.run_id == run_id, event_table.c.idem_key == key)
        ).first()
        return [EventRecord.from_row(row)] if row else None

    def event(self, run_id: str, seq: int) -> EventRecord | None:
        """An event of a locked run: from this batch if it is new, else from the log."""
        for record in reversed(self.records):
            if record.run_id == run_id and record.seq == seq:
                return record
        row = self.conn.execute(
            select(event_table).where(event_table.c.run_id == run_id, event_table.c.seq == seq)
        ).first()
        return EventRecord.from_row(row) if row else None

    def keyed(self, run_id: str, key: str) -> EventRecord | None:
        found = self.existing(run_id, key)
        return found[0] if found else None

    def append(self, run_id: str, drafts: list[Draft], now: float) -> list[EventRecord]:
        """Number the drafts, fold them into the run's state and buffer them for insertion."""
        locked = self.run(run_id)
        state, records = locked.state, []
        ts = datetime.fromtimestamp(now, UTC)
        for draft in drafts:
            clock = state.clock(now)
            record = EventRecord(
                run_id=run_id,
                seq=state.last_seq + 1,
                kind=draft.kind,
                ts=ts,
                clock=clock,
                phase=None,
                team=draft.team,
                actor=draft.actor,
                audience=draft.audience,
                payload=draft.payload,
                idem_key=draft.idem_key,
            )
            state = evolve(state, record)
            phase = (
                locked.scenario.phases[state.phase].id if state.status.value != "lobby" else None
            )
            records.append(_with_phase(record, phase))
        locked.state, locked.changed = state, True
        self.records.extend(records)
        for record in records:
            if record.idem_key:
                self.keys[(run_id, record.idem_key)] = [record]
        return records

    def execute(self, run_id: str, command: Command, viewer: Viewer | None) -> Appended:
        """Decide `command` against the locked run and append what it proposes."""
        locked = self.run(run_id)
        key = command.idem_key(viewer, locked.state)
        if key and (first := self.existing(run_id, key)):
            if isinstance(command, ClientIdempotency) and not command.replays(first[0]):
                raise Conflict(
                    f"this client_id was already used for another write ({first[0].kind}, event "
                    f"{first[0].seq}); use a fresh id for every new write",
                    field="client_id",
                    code="client_id_reused",
                )
            return Appended(first, replayed=True)
        now = time.time()
        context = Context(
            locked.scenario, now, viewer, partial(self.event, run_id), partial(self.keyed, run_id)
        )
        drafts = command.decide(locked.state, context)
        if key and drafts:
            drafts[0] = replace(drafts[0], idem_key=key)
        return Appended(self.append(run_id, drafts, now), replayed=False)

    def flush(self) -> None:
        if self.records:
            self.conn.execute(insert(event_table), [record.row() for record in self.records])
        changed = [locked for locked in self.runs.values() if locked.changed]
        if changed:
            self.conn.execute(
                update(run_table)
                .where(run_table.c.id == bindparam("run_id"))
                .values(
                    state=bindparam("state"),
                    last_seq=bindparam("last_seq"),
                    status=bindparam("status"),
                ),
                [
                    {
                        "run_id": locked.run_id,
                        "state": locked.state.model_dump_json(),
                        "last_seq": locked.state.last_seq,
                        "status": locked.state.status.value,
                    }
                    for locked in changed
                ],
            )


def _with_phase(record: EventRecord, phase: str | None) -> EventRecord:
    return replace(record, phase=phase)


@dataclass(frozen=True)
class Appended:
    events: list[EventRecord]
    replayed: bool  # True: an idempotent retry, nothing was appended


class Job(Protocol):
    run_id: str

    def execute(self, tx: Tx) -> Any: ...


@dataclass
class CommandJob:
    run_id: str
    command: Command
    viewer: Viewer | None

    def execute(self, tx: Tx) -> Appended:
        return tx.execute(self.run_id, self.command, self.viewer)


_STOP = object()


class Writer:
    """Owns the write connection; see the module docstring."""

    def __init__(
        self,
        engine: Engine,
        on_commit: Callable[[list[EventRecord]], None],
        scenarios: ScenarioCache,
    ) -> None:
        self.engine = engine
        self.on_commit = on_commit
        self.scenarios = scenarios
        self.states: dict[str, RunState] = {}
        self.queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.batches = 0
        self.jobs = 0

    def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.thread = threading.Thread(target=self._run, name="ttx-writer", daemon=True)
        self.thread.start()

    async def stop(self) -> None:
        if self.thread is not None:
            self.queue.put(_STOP)
            await asyncio.to_thread(self.thread.join, 30)
            self.thread = None

    async def submit(self, job: Job) -> Any:
        """Run `job` in the next group commit; returns its result once committed."""
        if self.loop is None or self.thread is None:
            raise Unavailable("the server is shutting down")
        future = self.loop.create_future()
        self.queue.put((job, future))
        return await future

    def _run(self) -> None:
        while True:
            first = self.queue.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self.queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self.queue.put(_STOP)
                    break
                batch.append(item)
            results, records = self._commit([job for job, _ in batch])
            assert self.loop is not None
            self.loop.call_soon_threadsafe(self._deliver, batch, results, records)

    def _deliver(
        self,
        batch: list[tuple[Job, asyncio.Future[Any]]],
        results: list[Any],
        records: list[EventRecord],
    ) -> None:
        """On the event loop: publish first (in commit order), then answer the callers."""
        if records:
            try:
                self.on_commit(records)
            except Exception:
                log.exception("publishing committed events failed; streams heal by replay")
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)

    def _commit(self, jobs: list[Job]) -> tuple[list[Any], list[EventRecord]]:
        try:
            return self._transaction(jobs)
        except Exception as exc:
            if len(jobs) > 1:  # one job's failure must not fail the others: retry one by one
                results, records = [], []
                for job in jobs:
                    result, committed = self._commit([job])
                    results.extend(result)
                    records.extend(committed)
                return results, records
            if isinstance(exc, OperationalError | InterfaceError | IntegrityError):
                # away, busy, or a race another process won: a retry finds its answer
                log.warning("write failed", error=str(exc.orig))
                return [Unavailable("the database refused the write; retry")], []
            # A bug (or input that slipped past validation) answers its caller, never kills the
            # writer, and never tells the caller to retry what will fail again.
            log.exception("writer transaction failed")
            return [exc], []

    def _transaction(self, jobs: list[Job]) -> tuple[list[Any], list[EventRecord]]:
        results: list[Any] = []
        with self.engine.begin() as conn:
            tx = Tx(conn, self.scenarios, self.states)
            tx.lock(job.run_id for job in jobs if job.run_id)
            tx.prefetch(jobs)
            for job in jobs:
                try:
                    results.append(job.execute(tx))
                except Problem as problem:
                    results.append(problem)
            tx.flush()
        self.batches += 1
        self.jobs += len(jobs)
        for locked in tx.runs.values():
            self.states[locked.run_id] = locked.state
        return results, tx.records
