"""The clock's loop: wake when something is due and submit a Tick for that run.

Every process runs one. Firing is decided under the run's lock against the logged state and
the log's unique keys, so it happens exactly once whichever process gets there first, after
pauses and after restarts (a restarted server finds overdue items and fires them at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import structlog

from app.errors import Problem
from app.events.store import Store
from app.runs.schedule import Tick, next_due

log = structlog.get_logger(__name__)

POLL_SECONDS = 0.5  # the longest a due item waits, and how soon other processes' changes are seen


class Scheduler:
    def __init__(self, store: Store, poll: float = POLL_SECONDS) -> None:
        self.store = store
        self.poll = poll
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="ttx-scheduler")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def nudge(self) -> None:
        """Something changed (a run started or resumed): look again now."""
        self._wake.set()

    async def _loop(self) -> None:
        while True:
            try:
                sleep = await self.tick_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler pass failed")
                sleep = self.poll
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), sleep)

    async def tick_due(self) -> float:
        """Tick every run with something due; returns how long to sleep."""
        now = time.time()
        soonest = now + self.poll
        for run_id, state in await self.store.active_runs():
            scenario = await self.store.scenario_of(run_id)
            due = next_due(state, scenario)
            if due is None:
                continue
            if due <= now:
                try:
                    await self.store.execute(run_id, Tick(), None)
                except Problem as problem:
                    log.warning("tick refused", run_id=run_id, error=problem.message)
            else:
                soonest = min(soonest, due)
        return max(0.01, soonest - time.time())
