"""Initial schema: runs, join codes, participants and their token hashes, the event log, open connections.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 16:08:04.997352
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("scenario_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("scenario_version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("scenario", sa.Text(), nullable=False),
        sa.Column(
            "facilitator_token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run")),
        sa.UniqueConstraint("facilitator_token_hash", name=op.f("uq_run_facilitator_token_hash")),
    )
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_scenario_id"), ["scenario_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_run_status"), ["status"], unique=False)

    op.create_table(
        "connection",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("worker", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], name=op.f("fk_connection_run_id_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection")),
    )
    with op.batch_alter_table("connection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_connection_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_connection_worker"), ["worker"], unique=False)

    op.create_table(
        "event",
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clock", sa.Float(), nullable=False),
        sa.Column("phase", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("team", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("audience", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("idem_key", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], name=op.f("fk_event_run_id_run")),
        sa.PrimaryKeyConstraint("run_id", "seq", name=op.f("pk_event")),
        sa.UniqueConstraint("run_id", "idem_key", name=op.f("uq_event_run_id_idem_key")),
    )
    op.create_table(
        "join_code",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("team", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], name=op.f("fk_join_code_run_id_run")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_join_code")),
    )
    with op.batch_alter_table("join_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_join_code_run_id"), ["run_id"], unique=False)

    op.create_table(
        "participant",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("team", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], name=op.f("fk_participant_run_id_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_run_id"), ["run_id"], unique=False)

    op.create_table(
        "participant_token",
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_participant_token_participant_id_participant"),
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_participant_token")),
    )
    with op.batch_alter_table("participant_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_token_participant_id"), ["participant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("participant_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_token_participant_id"))

    op.drop_table("participant_token")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_run_id"))

    op.drop_table("participant")
    with op.batch_alter_table("join_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_join_code_run_id"))

    op.drop_table("join_code")
    op.drop_table("event")
    with op.batch_alter_table("connection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connection_worker"))
        batch_op.drop_index(batch_op.f("ix_connection_run_id"))

    op.drop_table("connection")
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_status"))
        batch_op.drop_index(batch_op.f("ix_run_scenario_id"))

    op.drop_table("run")
