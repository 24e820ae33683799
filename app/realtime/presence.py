"""Who is connected, across processes: a row per open websocket, refreshed by heartbeats.

Rows go through the writer (they are writes like any other), but they are not events: being
online is not part of the exercise's record.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update

from app.events.writer import Tx
from app.realtime.models import Connection

if TYPE_CHECKING:
    from app.services import Services

table = Connection.__table__  # type: ignore[attr-defined]
STALE_AFTER = timedelta(seconds=90)


@dataclass
class Opened:
    id: str
    run: str
    participant_id: str | None
    worker: str
    run_id: str = ""  # presence rows do not lock the run

    def execute(self, tx: Tx) -> None:
        now = datetime.now(UTC)
        tx.conn.execute(
            insert(table).values(
                id=self.id,
                run_id=self.run,
                participant_id=self.participant_id,
                worker=self.worker,
                opened_at=now,
                seen_at=now,
            )
        )


@dataclass
class Closed:
    id: str
    run_id: str = ""

    def execute(self, tx: Tx) -> None:
        tx.conn.execute(delete(table).where(table.c.id == self.id))


@dataclass
class Seen:
    """This worker's connections are alive; drop rows nobody has refreshed for a while."""

    worker: str
    run_id: str = ""

    def execute(self, tx: Tx) -> None:
        now = datetime.now(UTC)
        tx.conn.execute(update(table).where(table.c.worker == self.worker).values(seen_at=now))
        tx.conn.execute(delete(table).where(table.c.seen_at < now - STALE_AFTER * 10))


async def connected_participants(services: Services, run_id: str) -> set[str]:
    def _read() -> set[str]:
        since = datetime.now(UTC) - STALE_AFTER
        query = select(table.c.participant_id).where(
            table.c.run_id == run_id, table.c.seen_at >= since, table.c.participant_id.is_not(None)
        )
        with services.reader.connect() as conn:
            return {row[0] for row in conn.execute(query)}

    return await asyncio.to_thread(_read)
