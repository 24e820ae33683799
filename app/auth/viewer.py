"""Who is asking: the identity every read and write of a run is checked against."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.scenarios.models import OBSERVERS, WHITE_CELL


class Role(StrEnum):
    facilitator = "facilitator"
    team_lead = "team_lead"
    player = "player"
    observer = "observer"


@dataclass(frozen=True)
class Viewer:
    run_id: str
    team: str  # a scenario team id, "white_cell" or "observers"
    role: Role
    participant_id: str | None = None  # None: the run's own facilitator token
    name: str = "Facilitator"

    @property
    def is_white_cell(self) -> bool:
        return self.team == WHITE_CELL

    @property
    def is_observer(self) -> bool:
        return self.team == OBSERVERS

    @property
    def actor(self) -> str | None:
        """What the log records as the actor: the participant, or None for the run's facilitator."""
        return self.participant_id
