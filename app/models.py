"""Every table, imported in one place so that Alembic and the tests see the whole schema."""

from app.db import metadata
from app.events.models import Event
from app.realtime.models import Connection
from app.runs.models import JoinCode, Participant, ParticipantToken, Run

__all__ = ["Connection", "Event", "JoinCode", "Participant", "ParticipantToken", "Run", "metadata"]
