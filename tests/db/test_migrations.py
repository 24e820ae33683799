"""Alembic is the only way the schema is made or changed: the migrations and the models agree
on SQLite and PostgreSQL, and upgrading a database that holds data keeps the data."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from app import db
from app.models import metadata
from tests.support.services import postgres_database


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.sqlite3'}"
    else:
        with postgres_database() as url:
            yield url


def test_migrations_and_models_agree(empty_database):
    db.upgrade(empty_database)
    engine = create_engine(empty_database)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
        assert (
            context.get_current_revision()
            == ScriptDirectory.from_config(db.alembic_config(empty_database)).get_current_head()
        )
    engine.dispose()


def test_revisions_are_a_single_dated_line():
    script = ScriptDirectory.from_config(db.alembic_config("sqlite://"))
    revisions = list(script.walk_revisions())
    assert len(script.get_heads()) == 1
    for revision in revisions:
        name = revision.path.rsplit("/", 1)[-1]
        assert name[:4].isdigit() and name[4] == "_", f"{name}: revisions are date-named"
        assert revision.module.__doc__.strip(), f"{name}: say what the revision does"
        assert callable(getattr(revision.module, "downgrade", None)), f"{name}: reversible"


def test_upgrading_from_the_first_revision_keeps_the_data(empty_database):
    db.upgrade(empty_database, "0001")
    engine = create_engine(empty_database)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO run (id, scenario_id, scenario_version, title, scenario, facilitator_token_hash, status, last_seq, state, created_at)"
                " VALUES ('r1', 'minimal', '1.0', 'Old run', '{}', 'h', 'ended', 2, '{}', :now)"
            ),
            {"now": now},
        )
        for seq in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO event (run_id, seq, kind, ts, clock, audience, payload) VALUES ('r1', :seq, 'message.sent', :now, 1.5, 'all', :payload)"
                ),
                {"seq": seq, "now": now, "payload": json.dumps({"text": f"message {seq}"})},
            )
    db.upgrade(empty_database)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT seq, payload FROM event WHERE run_id = 'r1' ORDER BY seq")
        ).all()
        assert [(seq, json.loads(payload)["text"]) for seq, payload in rows] == [
            (1, "message 1"),
            (2, "message 2"),
        ]
        assert MigrationContext.configure(conn).get_current_revision() == "0002"
    db.upgrade(empty_database, "0001")  # and back down: reversible
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM event")).scalar() == 2
    engine.dispose()
