"""Tables of runs and their participants. Both are caches of what the event log says, plus the
credentials (join codes, token hashes) that never enter the log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Text
from sqlmodel import Field, SQLModel

import app.db  # noqa: F401  (naming convention before any table)


class Run(SQLModel, table=True):
    __tablename__ = "run"

    id: str = Field(primary_key=True, max_length=32)
    scenario_id: str = Field(max_length=64, index=True)
    scenario_version: str = Field(max_length=32)
    title: str = Field(max_length=300)
    scenario: str = Field(sa_column=Column(Text, nullable=False), description="JSON snapshot")
    facilitator_token_hash: str = Field(max_length=64, unique=True)
    status: str = Field(max_length=16, index=True)
    last_seq: int = 0
    state: str = Field(sa_column=Column(Text, nullable=False), description="JSON RunState")
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class JoinCode(SQLModel, table=True):
    """Codes are unique across runs, so a participant needs only the code to find the run."""

    __tablename__ = "join_code"

    code: str = Field(primary_key=True, max_length=16)
    run_id: str = Field(foreign_key="run.id", index=True, max_length=32)
    team: str = Field(max_length=64)


class Participant(SQLModel, table=True):
    __tablename__ = "participant"

    id: str = Field(primary_key=True, max_length=32)
    run_id: str = Field(foreign_key="run.id", index=True, max_length=32)
    team: str = Field(max_length=64)
    role: str = Field(max_length=16)
    display_name: str = Field(max_length=80)
    language: str = Field(max_length=8)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ParticipantToken(SQLModel, table=True):
    """One row per device a participant joined from; only the SHA-256 of the token is kept."""

    __tablename__ = "participant_token"

    token_hash: str = Field(primary_key=True, max_length=64)
    participant_id: str = Field(foreign_key="participant.id", index=True, max_length=32)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
