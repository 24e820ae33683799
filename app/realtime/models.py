"""Open websocket connections, so every process can tell the facilitator who is connected."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel

import app.db  # noqa: F401  (naming convention before any table)


class Connection(SQLModel, table=True):
    __tablename__ = "connection"

    id: str = Field(primary_key=True, max_length=32)
    run_id: str = Field(foreign_key="run.id", index=True, max_length=32)
    participant_id: str | None = Field(default=None, max_length=32)
    worker: str = Field(max_length=64, index=True)
    opened_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    seen_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
