"""Index events by kind within a run: recommendations and joins are read by kind.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:34:52
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_event_run_id_kind", "event", ["run_id", "kind"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_run_id_kind", table_name="event")
