"""How soon each team responded to each inject, by log order rather than clock."""

from __future__ import annotations

from app.aar.responses import TeamResponse, inject_responses
from tests.aar import started, story
from tests.runs.machine import NATO, RUSSIA, WHITE


def test_each_teams_first_message_move_and_hotline_contact_after_each_inject():
    m, s = story()
    report, leak = inject_responses(m.scenario, m.events)
    assert report.firing.inject_id == "first-report" and report.firing.trigger == "scheduled"
    assert report.firing.seqs == tuple(e.seq for e in s.report)  # three versions, one firing
    assert report.firing.clock == 60 and report.firing.title == "Something happened"
    assert report.teams == {
        # hotline contact: the answered call, for the caller as for the answerer
        "nato": TeamResponse(30, s.nato_team.seq, 390, s.deploy.seq, 180, s.answer.seq),
        "russia": TeamResponse(60, s.russia_team.seq, 340, s.talks.seq, 180, s.answer.seq),
    }
    assert leak.firing.inject_id is None and leak.firing.seq == s.leak.seq  # ad hoc: by its seq
    assert (leak.firing.title, leak.firing.trigger, leak.firing.clock) == (
        "Press leak",
        "adhoc",
        700,
    )
    assert leak.teams["nato"] == TeamResponse(None, None, None, None, None, None)
    assert leak.teams["russia"] == TeamResponse(None, None, 50, s.second_deploy.seq, None, None)


def test_only_what_comes_after_the_firing_counts_and_the_white_cell_is_not_a_team():
    m = started()
    m.say(NATO, "Before", at=10)
    m.say(WHITE, "To NATO's channel", at=20, to="nato")
    m.fire("first-report", at=30)
    m.say(WHITE, "Again", at=40, to="nato")
    (response,) = inject_responses(m.scenario, m.events)
    assert response.teams["nato"].message is None


def test_ad_hoc_injects_are_each_their_own_firing_even_at_the_same_clock():
    m = started()
    first = m.adhoc("One", at=30, audience="russia")
    second = m.adhoc("Two")
    m.say(RUSSIA, "Seen", at=45)
    one, two = inject_responses(m.scenario, m.events)
    assert (one.firing.seq, two.firing.seq) == (first.seq, second.seq)
    assert one.firing.audience == ("russia",) and one.teams["russia"].message == 15
    assert two.teams["russia"].message == 15
    # a team the inject did not go to has no response time, however soon it wrote
    m.say(NATO, "Unrelated", at=50)
    one, two = inject_responses(m.scenario, m.events)
    assert one.teams["nato"].sent is False and one.teams["nato"].message is None
    assert two.teams["nato"].sent is True and two.teams["nato"].message == 20
