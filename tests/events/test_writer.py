"""One write that fails inside a group commit must not fail the writes committed with it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app import db
from app.auth.viewer import Role, Viewer
from app.channels.commands import SendMessage
from app.events.store import Store
from app.events.writer import CommandJob, Tx
from app.runs.service import RunCreate, create_run
from tests.runs.machine import scenario


@dataclass
class Crash:
    """A job with a bug in it."""

    run_id: str

    def execute(self, tx: Tx) -> None:
        raise RuntimeError("a bug")


@pytest.fixture
async def store(database_url):
    db.upgrade(database_url)
    store = Store(
        db.make_engine(database_url), db.make_engine(database_url, writer=True), lambda _: None
    )
    await store.start()
    yield store
    await store.stop()
    store.reader.dispose()
    store.writer_engine.dispose()


async def test_a_crashing_job_fails_alone(store: Store):
    created = await create_run(store, scenario(), RunCreate(scenario="minimal"), False)
    white = Viewer(created.id, "white_cell", Role.facilitator)

    def say(n: int) -> CommandJob:
        return CommandJob(
            created.id, SendMessage(client_id=f"m{n}", channel="plenary", text=f"{n}"), white
        )

    results, records = store.writer._commit([say(1), Crash(created.id), say(2)])
    assert isinstance(results[1], RuntimeError)
    assert [r.payload["text"] for r in records] == ["1", "2"]
    logged = await store.events_after(created.id, 0)
    assert [e.payload.get("text") for e in logged if e.kind == "message.sent"] == ["1", "2"]
    assert [e.seq for e in logged] == list(range(1, len(logged) + 1))  # still gapless
