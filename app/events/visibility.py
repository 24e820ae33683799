"""The one visibility rule. The websocket stream, the REST history and every export ask here."""

from __future__ import annotations

from app.auth.viewer import Viewer
from app.events.record import ALL, WHITE_CELL_ONLY, EventRecord
from app.scenarios.models import OBSERVERS, WHITE_CELL, ObserverAccess


def can_see(event: EventRecord, viewer: Viewer, observers: ObserverAccess) -> bool:
    """White cell sees all; a team sees events for all and its own; observers what the rules allow.

    Who an event is for is fixed when it is written (its audience): a team's variant of an
    inject, a team's private channel, a move not yet ruled on and controller notes each carry
    an audience that leaves the others out.
    """
    return team_sees(event, viewer.team, observers)


def team_sees(event: EventRecord, team: str, observers: ObserverAccess) -> bool:
    """The rule itself: what one may see depends only on one's team, so the stream can decide
    once per team instead of once per socket."""
    if team == WHITE_CELL:
        return True
    audience = event.audience
    if audience == (ALL,):
        return True
    if audience == WHITE_CELL_ONLY:
        return False
    if team in audience:
        return True
    return team == OBSERVERS and observers is ObserverAccess.all_teams
