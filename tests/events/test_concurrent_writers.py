"""`seq` stays gapless and unique when several processes write to one run at once: a database
guarantee (the run row's lock and the (run_id, seq) key), not a process's memory."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from app import db
from app.events.store import Store
from app.runs.service import RunCreate, create_run
from tests.runs.machine import scenario

WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from app import db
    from app.auth.viewer import Role, Viewer
    from app.channels.commands import SendMessage
    from app.events.store import Store

    async def main(url, run_id, count, tag):
        store = Store(db.make_engine(url), db.make_engine(url, writer=True), lambda records: None)
        await store.start()
        viewer = Viewer(run_id, "white_cell", Role.facilitator)
        gate = asyncio.Semaphore(25)

        async def one(i):
            async with gate:
                await store.execute(run_id, SendMessage(client_id=f"{tag}-{i}", channel="plenary", text=f"{tag} {i}"), viewer)

        await asyncio.gather(*(one(i) for i in range(count)))
        await store.stop()

    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
    """
)
PROCESSES, WRITES = 4, 150


async def test_four_processes_one_run(database_url):
    db.upgrade(database_url)
    store = Store(
        db.make_engine(database_url),
        db.make_engine(database_url, writer=True),
        lambda records: None,
    )
    await store.start()
    try:
        created = await create_run(store, scenario(), RunCreate(scenario="minimal"), False)
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, database_url, created.id, str(WRITES), f"w{n}"]
            )
            for n in range(PROCESSES)
        ]
        assert [w.wait(timeout=120) for w in writers] == [0] * PROCESSES
        events, after = [], 0
        while page := await store.events_after(created.id, after, 1000):
            events += page
            after = page[-1].seq
        last_seq = (await store.snapshot(created.id)).state.last_seq
    finally:
        await store.stop()
        store.reader.dispose()
        store.writer_engine.dispose()
    assert [e.seq for e in events] == list(range(1, PROCESSES * WRITES + 2))  # + run.created
    texts = [e.payload["text"] for e in events if e.kind == "message.sent"]
    assert sorted(texts) == sorted(f"w{n} {i}" for n in range(PROCESSES) for i in range(WRITES))
    assert events[-1].seq == last_seq
