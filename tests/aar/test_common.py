"""Participants and duration, the shared measures every other part of the review builds on."""

from __future__ import annotations

import json

from app.aar.common import duration, participants_per_team
from app.aar.review import review
from tests.aar import story


def test_participants_are_counted_per_team_and_never_named():
    m, _ = story()
    counts = participants_per_team(m.events)
    assert counts == {"nato": 2, "russia": 1, "observers": 1, "white_cell": 1}
    assert "Nina" not in json.dumps(review(m.scenario, m.events))


def test_duration_is_the_exercise_clock_and_the_wall_clock_includes_pauses():
    m, s = story()
    d = duration(m.events)
    assert (d.status, d.clock_seconds, d.wall_seconds) == ("ended", 900, 1200)
    assert d.wall_start == s.started.public()["ts"] and d.wall_end == s.ended.public()["ts"]
