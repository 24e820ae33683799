"""The per-phase review: each phase's plan beside what happened while it ran."""

from __future__ import annotations

from app.aar.phases import phase_review
from tests.aar import after_report, story
from tests.runs.machine import NATO


def test_phase_review_of_the_story():
    m, s = story()
    incident, response, resolution = phase_review(m.scenario, m.events)

    assert (incident.start, incident.end, incident.reached) == (0, 600, True)
    (planned,) = incident.planned
    assert (planned.inject_id, planned.fired, planned.clock) == ("first-report", True, 60)
    assert [(a.team, a.text) for a in planned.expected_actions] == [
        ("nato", "Call the hotline"),
        ("russia", "Answer the hotline"),
    ]
    assert (incident.injects_fired, incident.inject_ids) == (1, ("first-report",))
    assert [(mv.move_type, mv.decision) for mv in incident.moves["nato"]] == [("deploy", "modify")]
    assert [(mv.move_type, mv.decision) for mv in incident.moves["russia"]] == [("talks", "accept")]
    assert incident.messages == {
        "team": {"nato": 1, "russia": 1},
        "plenary": {"nato": 0, "russia": 0},
        "hotline": {"nato": 1, "russia": 1},
    }
    assert (incident.hotline_calls, incident.hotline_answered) == (1, 1)
    assert (incident.escalation_start.id, incident.escalation_end.id) == ("tension", "crisis")

    assert (response.start, response.end) == (600, 900)
    assert response.planned[0].inject_id == "nudge" and not response.planned[0].fired
    assert response.planned[0].expected_actions[0].team is None  # any team
    assert (response.injects_fired, response.inject_ids) == (1, ("ad hoc",))
    assert response.moves == {"nato": (), "russia": response.moves["russia"]}
    (rejected,) = response.moves["russia"]
    assert (rejected.seq, rejected.decision, rejected.ruling_seq) == (
        s.second_deploy.seq,
        "reject",
        s.rejection.seq,
    )
    assert response.messages["plenary"] == {"nato": 1, "russia": 0}
    assert (response.hotline_calls, response.hotline_answered) == (1, 0)
    assert (response.escalation_start.id, response.escalation_end.id) == ("crisis", "tension")

    assert not resolution.reached and resolution.start is None
    assert [p.inject_id for p in resolution.planned] == ["late-news"]


def test_a_scripted_inject_fired_early_is_planned_in_its_phase_and_happens_in_the_current_one():
    m = after_report()
    m.fire("late-news", at=90)
    incident, _, resolution = phase_review(m.scenario, m.events)
    assert incident.inject_ids == ("first-report", "late-news")
    assert resolution.planned[0].fired and resolution.planned[0].clock == 90
    assert not resolution.reached


def test_a_ruling_in_a_later_phase_is_shown_with_its_move():
    m = after_report()
    move = m.move(NATO, "deploy", at=100)
    m.control("next_phase", at=200)
    m.rule(move, "accept", 1, at=210)
    incident, response, _ = phase_review(m.scenario, m.events)
    assert incident.moves["nato"][0].decision == "accept"
    assert incident.moves["nato"][0].escalation_change == 1
    assert response.moves["nato"] == ()
    assert (incident.escalation_end.id, response.escalation_end.id) == ("tension", "crisis")
