"""The escalation series: the level as a step function, with injects, rulings and phases."""

from __future__ import annotations

from app.aar.escalation import InjectMarker, LevelPoint, PhaseSpan, RulingMarker, escalation_series
from tests.aar import story


def test_escalation_series_of_the_story():
    m, s = story()
    series = escalation_series(m.scenario, m.events)
    assert series.points == (
        LevelPoint(1, 0, 1, "tension", "start", None),
        LevelPoint(s.calmer.seq, 420, 0, "calm", "ruling", s.talks.seq),
        LevelPoint(s.crisis.seq, 480, 2, "crisis", "ruling", s.deploy.seq),
        LevelPoint(s.eased.seq, 800, 1, "tension", "facilitator", None),
    )
    assert series.injects == (
        InjectMarker(s.report[0].seq, 60, "first-report", "Something happened", "Что-то случилось"),
        InjectMarker(s.leak.seq, 700, "ad hoc", "Press leak", None),
    )
    assert series.rulings == (
        RulingMarker(s.talks_ruling.seq, 420, "russia", "accept", -1, s.talks.seq, 0),
        RulingMarker(s.deploy_ruling.seq, 480, "nato", "modify", 2, s.deploy.seq, 2),
        RulingMarker(s.rejection.seq, 760, "russia", "reject", 0, s.second_deploy.seq, 2),
    )
    assert series.phases == (
        PhaseSpan(0, "incident", s.started.seq, 0, 600),
        PhaseSpan(1, "response", s.response.seq, 600, 900),
    )
    assert series.end == 900
    assert (series.start_level, series.peak_level, series.final_level) == (1, 2, 1)
