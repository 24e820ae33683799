"""Hotline statistics: ring, talk and cut times in wall seconds, every way a call can end."""

from __future__ import annotations

from app.aar.common import Spread
from app.aar.hotline import Call, Delay, Unanswered, hotline_stats
from app.aar.responses import inject_responses
from tests.aar import after_report, started, story
from tests.runs.machine import NATO, RUSSIA


def test_hotline_statistics_of_the_story():
    m, s = story()
    h = hotline_stats(m.scenario, m.events)
    assert (h.placed, h.placed_by_team, h.answered, h.unanswered) == (
        2,
        {"nato": 1, "russia": 1},
        1,
        1,
    )
    assert h.ring_seconds == Spread(count=1, mean=30, median=30, max=30)
    assert (h.talk_seconds, h.cut_seconds, h.cuts, h.cut_at_end) == (120, 45, 1, False)
    assert h.delays == (Delay(s.delay.seq, 695, 15),)
    assert h.messages == {"nato": 1, "russia": 1}
    assert h.first_inject_to_first_contact == 180  # first-report at 60, Russia answers at 240
    assert h.open_at_end is None
    assert h.calls == (
        Call(s.call.seq, 210, "nato", "talked", s.answer.seq, 30, 120, s.hang_up.seq),
        Call(s.second_call.seq, 630, "russia", "cut_while_ringing", None, None, None, s.cut.seq),
    )


def test_ring_and_talk_times_are_wall_seconds_that_include_pauses():
    m = after_report()
    m.hotline("call", NATO, at=100)
    m.control("pause", at=110)
    m.wait(200)
    m.control("resume")
    m.hotline("answer", RUSSIA, at=120)
    h = hotline_stats(m.scenario, m.events)
    assert h.ring_seconds.max == 220  # 20 s of exercise time + 200 s of pause
    (response,) = inject_responses(m.scenario, m.events)
    assert response.teams["russia"].hotline == 60  # the exercise clock did not move while paused


def test_time_to_answer_over_several_calls():
    m = after_report()
    for placed, answered, ended in [(100, 110, 130), (200, 240, 250), (300, 400, 500)]:
        m.hotline("call", NATO, at=placed)
        m.hotline("answer", RUSSIA, at=answered)
        m.hotline("hang_up", RUSSIA, at=ended)
    h = hotline_stats(m.scenario, m.events)
    assert h.ring_seconds == Spread(count=3, mean=50, median=40, max=100)
    assert h.talk_seconds == 20 + 10 + 100


def test_calls_that_end_unanswered_in_each_way():
    m = after_report()
    m.hotline("call", NATO, at=100)
    m.tick(at=220)  # rings out after the scenario's 120 s
    m.hotline("call", RUSSIA, at=300)
    m.hotline("hang_up", RUSSIA, at=310)  # the caller gives up
    m.hotline("call", RUSSIA, at=320)
    m.hotline("hang_up", NATO, at=325)  # the other side refuses the call
    m.hotline("call", NATO, at=400)
    m.hotline("cut", at=410)
    h = hotline_stats(m.scenario, m.events)
    assert [c.outcome for c in h.calls] == [
        "rang_out",
        "abandoned",
        "declined",
        "cut_while_ringing",
    ]
    assert (h.answered, h.unanswered) == (0, 4)
    assert h.unanswered_why == Unanswered(rang_out_or_declined=2, abandoned=1, cut_while_ringing=1)
    assert h.ring_seconds == Spread(0, None, None, None)


def test_a_call_still_connected_counts_its_talk_up_to_the_last_event():
    m = after_report()
    m.hotline("call", NATO, at=100)
    m.hotline("answer", RUSSIA, at=130)
    m.say(NATO, "Still talking", "hotline", at=190)
    h = hotline_stats(m.scenario, m.events)
    assert h.open_at_end == "connected" and h.calls[0].outcome == "connected_at_end"
    assert h.calls[0].end_seq is None and h.talk_seconds == 60


def test_a_call_still_ringing_when_the_run_ends_is_neither_answered_nor_unanswered():
    m = after_report()
    m.hotline("call", RUSSIA, at=100)
    m.control("end", at=150)
    h = hotline_stats(m.scenario, m.events)
    assert h.open_at_end == "ringing" and h.calls[0].outcome == "ringing_at_end"
    assert (h.answered, h.unanswered) == (0, 0)


def test_a_line_cut_and_never_restored_counts_until_the_end():
    m = after_report()
    m.hotline("cut", at=100)
    m.hotline("restore", at=130)
    m.hotline("call", NATO, at=140)
    m.hotline("answer", RUSSIA, at=150)
    m.hotline("cut", at=200)  # while connected: the call ends, its talk is kept
    m.control("end", at=260)
    h = hotline_stats(m.scenario, m.events)
    assert (h.cuts, h.cut_seconds, h.cut_at_end) == (2, 30 + 60, True)
    assert h.calls[0].outcome == "cut_while_connected" and h.talk_seconds == 50


def test_no_contact_after_an_inject_means_no_time_to_first_contact():
    m = started()
    m.hotline("call", NATO, at=10)
    m.hotline("hang_up", NATO, at=20)
    m.fire("first-report", at=30)
    m.hotline("call", NATO, at=40)
    m.tick(at=200)  # a call that only rang out is no contact
    assert hotline_stats(m.scenario, m.events).first_inject_to_first_contact is None


def test_a_hotline_message_on_a_line_connected_before_the_inject_is_contact():
    m = started()
    m.hotline("call", NATO, at=10)
    m.hotline("answer", RUSSIA, at=20)
    m.fire("first-report", at=60)
    m.say(NATO, "Are you seeing this?", "hotline", at=75)
    assert hotline_stats(m.scenario, m.events).first_inject_to_first_contact == 15
    (response,) = inject_responses(m.scenario, m.events)
    assert response.teams["nato"].hotline == 15 and response.teams["russia"].hotline == 15
