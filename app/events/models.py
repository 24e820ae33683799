"""The event log table: one immutable row per change to a run, numbered 1, 2, 3… per run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import app.db  # noqa: F401  (naming convention before any table)


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("run_id", "idem_key"),
        Index("ix_event_run_id_kind", "run_id", "kind"),  # recommendations, joins: read by kind
    )

    run_id: str = Field(foreign_key="run.id", primary_key=True, max_length=32)
    seq: int = Field(primary_key=True)
    kind: str = Field(max_length=40)
    ts: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    clock: float = Field(description="Exercise clock in seconds when the event happened")
    phase: str | None = Field(default=None, max_length=64)
    team: str | None = Field(default=None, max_length=64, description="Origin team")
    actor: str | None = Field(default=None, max_length=32, description="Participant id")
    audience: str = Field(max_length=400, description="JSON: 'all', 'white_cell' or [team, …]")
    payload: str = Field(sa_column=Column(Text, nullable=False), description="JSON object")
    idem_key: str | None = Field(
        default=None, max_length=160, description="Client id or schedule key: at most once per run"
    )
