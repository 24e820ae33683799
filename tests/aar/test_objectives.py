"""Objective ratings: the story's, a facilitator's overrides, and each check kind's grading."""

from __future__ import annotations

import pytest

from app.aar.objectives import rate_objectives
from tests.aar import HOTLINE, Run, after_report, rated, started, story
from tests.runs.machine import NATO, RUSSIA, WHITE

# --- the story ----------------------------------------------------------------------------------


def test_objectives_of_the_story():
    m, s = story()
    results = {r.objective: r for r in rate_objectives(m.scenario, m.events)}
    assert {key: r.rating for key, r in results.items()} == {
        "hotline": "P",  # answered 180 s after first-report, within 5 min
        "team-talk": "P",  # NATO 30 s, Russia 60 s: the last within 1 min
        "plenary": "P",  # any team, any time
        "diplomacy": "S",  # Russia's talks 340 s after first-report: within twice 5 min
        "restraint": "M",  # NATO's deploy at 450 s (modified); Russia's at 750 s is too late
        "below-crisis": "S",  # crisis from 480 s to 800 s, back to tension at the end
        "late-reaction": None,  # late-news never fired
        "lessons": None,  # no check
    }
    first = s.report[0].seq
    assert results["hotline"].evidence == (first, s.call.seq, s.answer.seq)
    assert results["hotline"].explanation == (
        "A hotline call was answered 3 min after the inject “Something happened” (target 5 min)."
    )
    assert results["team-talk"].evidence == (first, s.nato_team.seq, s.russia_team.seq)
    assert results["plenary"].evidence == (s.plenary.seq,)
    assert results["diplomacy"].evidence == (first, s.talks.seq, s.talks_ruling.seq)
    assert results["restraint"].evidence == (first, s.deploy.seq, s.deploy_ruling.seq)
    assert results["below-crisis"].evidence == (s.crisis.seq,)
    assert all(r.source == "computed" for r in results.values() if r.rating)
    assert results["late-reaction"].source is None
    assert results["late-reaction"].explanation == (
        "The inject “Late news” never fired, so there is nothing to rate."
    )
    assert results["lessons"].explanation == "No check and no facilitator rating."


def test_the_facilitators_rating_wins_and_the_computed_one_stays_alongside():
    m, _ = story()
    results = {
        r.objective: r
        for r in rate_objectives(m.scenario, m.events, {"hotline": "M", "lessons": "P"})
    }
    hotline, lessons = results["hotline"], results["lessons"]
    assert (hotline.rating, hotline.source, hotline.computed_rating) == ("M", "facilitator", "P")
    assert hotline.explanation == "Rated M by the facilitator (computed: P)."
    assert hotline.computed_explanation.startswith("A hotline call was answered 3 min")
    assert (lessons.rating, lessons.source, lessons.computed_rating) == ("P", "facilitator", None)


def test_an_override_must_be_a_rating():
    m, _ = story()
    with pytest.raises(ValueError, match="one of P, S, M, U"):
        rate_objectives(m.scenario, m.events, {"hotline": "A"})


# --- each check kind ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answered_after", "rating"),
    [(180, "P"), (300, "P"), (300.4, "P"), (300.5, "S"), (600, "S"), (601, "M"), (None, "U")],
)
def test_hotline_contact_by_time_to_answer(answered_after, rating):
    m = after_report(at=60)
    if answered_after is not None:
        m.hotline("call", NATO, at=60 + answered_after - 10)
        m.hotline("answer", RUSSIA, at=60 + answered_after)
    assert rated(m, **HOTLINE).rating == rating


def test_hotline_contact_never_made():
    result = rated(after_report(), **HOTLINE)
    assert result.explanation == (
        "No hotline contact (an answered call or a message) after the inject “Something happened”."
    )
    assert result.evidence == (result.evidence[0],)  # the inject that started the clock


def test_a_hotline_message_is_contact_and_a_call_that_only_rang_is_not():
    m = started()
    m.hotline("call", NATO, at=10)
    m.hotline("answer", RUSSIA, at=20)  # connected before the inject
    m.fire("first-report", at=60)
    message = m.say(RUSSIA, "We see it too", "hotline", at=150)
    result = rated(m, **HOTLINE)
    assert (result.rating, result.evidence[1:]) == ("P", (message.seq,))
    assert result.explanation == (
        "A message went over the hotline 1 min 30 s after the inject “Something happened” "
        "(target 5 min)."
    )
    rang = after_report()
    rang.hotline("call", NATO, at=70)
    rang.tick(at=200)  # rings out
    assert rated(rang, **HOTLINE).rating == "U"


def test_explanations_near_a_threshold_read_differently_for_different_ratings():
    on_time, late = after_report(at=60), after_report(at=60)
    on_time.hotline("call", NATO, at=300)
    on_time.hotline("answer", RUSSIA, at=360.4)  # 300.4 s: shown and rated as 5 min
    late.hotline("call", NATO, at=300)
    late.hotline("answer", RUSSIA, at=361)
    first, second = rated(on_time, **HOTLINE), rated(late, **HOTLINE)
    assert (first.rating, second.rating) == ("P", "S")
    assert "answered 5 min after" in first.explanation
    assert "answered 5 min 1 s after" in second.explanation


def test_hotline_contact_before_the_inject_does_not_count():
    m = started()
    m.hotline("call", NATO, at=10)
    m.hotline("answer", RUSSIA, at=20)
    m.hotline("hang_up", NATO, at=30)
    m.fire("first-report", at=40)
    assert rated(m, **HOTLINE).rating == "U"


def test_hotline_contact_without_an_inject_counts_from_the_start():
    m = started()
    m.hotline("call", RUSSIA, at=100)
    m.hotline("answer", NATO, at=130)
    result = rated(m, kind="hotline_contact", within_minutes=2, teams=["russia"])
    assert (result.rating, result.explanation) == (
        "S",
        "A hotline call was answered 2 min 10 s after the start (target 2 min).",
    )


TEAM_TALK = {"kind": "message", "channel": "team", "teams": ["nato", "russia"]}


@pytest.mark.parametrize(
    ("russia_after", "rating"), [(200, "P"), (400, "S"), (700, "M"), (None, "U")]
)
def test_message_graded_by_the_last_required_teams_first_message(russia_after, rating):
    m = after_report(at=60)
    m.say(NATO, "First", at=120)
    if russia_after is not None:
        m.say(RUSSIA, "Second", at=60 + russia_after)
    result = rated(m, **TEAM_TALK, after_inject="first-report", within_minutes=5)
    assert result.rating == rating


def test_message_names_the_team_that_did_not_write():
    m = after_report()
    m.say(NATO, "Only us", at=120)
    result = rated(m, **TEAM_TALK, after_inject="first-report", within_minutes=5)
    assert (
        result.explanation
        == "Russia did not write on the team channel after the inject “Something happened”."
    )


def test_message_without_a_time_limit_is_done_or_not():
    m = started()
    m.say(WHITE, "The white cell is not a team", "plenary")
    m.say(NATO, "Team channel, not plenary")
    assert rated(m, kind="message", channel="plenary").rating == "U"
    plenary = m.say(RUSSIA, "To all", "plenary", at=500)
    result = rated(m, kind="message", channel="plenary")
    assert (result.rating, result.evidence) == ("P", (plenary.seq,))
    assert result.explanation == "Russia wrote on the plenary channel 8 min 20 s after the start."


DIPLOMACY = {
    "kind": "move",
    "teams": ["russia"],
    "categories": ["diplomatic"],
    "after_inject": "first-report",
    "within_minutes": 5,
}


def test_a_matching_move_in_time():
    m = after_report(at=60)
    talks = m.move(RUSSIA, "talks", at=160)
    result = rated(m, **DIPLOMACY)
    assert (result.rating, result.evidence[1:]) == ("P", (talks.seq,))
    assert result.explanation == (
        "Russia made a matching move 1 min 40 s after the inject “Something happened” "
        "(target 5 min)."
    )


def test_a_rejected_move_does_not_count_but_one_awaiting_a_ruling_does():
    m = after_report(at=60)
    first = m.move(RUSSIA, "talks", at=100)
    m.rule(first, "reject", at=110)
    m.move(NATO, "talks", at=120)  # not a required team
    assert rated(m, **DIPLOMACY).rating == "U"
    second = m.move(RUSSIA, "talks", at=760)
    result = rated(m, **DIPLOMACY)
    assert (result.rating, result.evidence[1:]) == ("M", (second.seq,))


def test_a_move_matches_by_type_or_by_category():
    m = after_report()
    m.move(NATO, "call", at=100)
    assert rated(m, kind="move", move_types=["call"]).rating == "P"
    assert rated(m, kind="move", move_types=["deploy"], categories=["communication"]).rating == "P"
    assert rated(m, kind="move", move_types=["deploy"], categories=["diplomatic"]).rating == "U"


RESTRAINT = {
    "kind": "no_move",
    "move_types": ["deploy"],
    "after_inject": "first-report",
    "within_minutes": 10,
}


@pytest.mark.parametrize(
    ("decisions", "rating"),
    [
        ([], "P"),
        (["reject"], "S"),
        (["reject", "reject"], "S"),
        (["accept"], "M"),
        (["modify", "reject"], "M"),
        ([None], "M"),  # still awaiting a ruling
        (["accept", None], "U"),
        (["modify", "accept", "reject"], "U"),
    ],
)
def test_restraint_by_the_rulings_on_matching_moves(decisions, rating):
    m = after_report(at=60)
    for i, decision in enumerate(decisions):
        move = m.move(NATO if i % 2 else RUSSIA, "deploy", at=100 + 10 * i)
        if decision:
            m.rule(move, decision)
    assert rated(m, **RESTRAINT).rating == rating


def test_restraint_looks_only_inside_its_window_and_at_its_teams():
    m = after_report(at=60)
    m.move(NATO, "talks", at=100)  # not a matching move
    m.move(NATO, "deploy", at=661)  # one second after the window
    assert rated(m, **RESTRAINT).rating == "P"
    assert rated(m, **RESTRAINT | {"within_minutes": None}).rating == "M"  # until the end
    assert rated(m, **RESTRAINT | {"within_minutes": None, "teams": ["russia"]}).rating == "P"
    result = rated(m, kind="no_move", categories=["military"])
    assert result.explanation == "1 matching move submitted after the start, 1 not rejected."


def escalated(*levels: str) -> Run:
    """A run whose white cell moves the level through `levels`, a minute apart."""
    m = started()
    for minute, level in enumerate(levels, start=1):
        m.escalate(level, at=60 * minute)
    return m


@pytest.mark.parametrize(
    ("levels", "rating"),
    [
        ((), "P"),
        (("calm", "tension"), "P"),
        (("crisis", "tension"), "S"),
        (("conflict", "calm"), "S"),
        (("crisis",), "M"),
        (("conflict", "crisis"), "M"),
        (("conflict",), "U"),
    ],
)
def test_escalation_max_by_the_level_at_the_end(levels, rating):
    assert rated(escalated(*levels), kind="escalation_max", level="tension").rating == rating


def test_escalation_max_names_the_changes_above_the_level():
    m = escalated("crisis", "conflict", "crisis")
    result = rated(m, kind="escalation_max", level="tension")
    assert result.evidence == tuple(e.seq for e in m.events if e.kind == "escalation.changed")
    assert result.explanation == "Escalation ended at Crisis, 1 level above Tension."


def test_escalation_max_after_an_inject_starts_with_the_level_then_in_force():
    m = escalated("crisis", "tension")
    m.fire("first-report", at=180)
    check = {"kind": "escalation_max", "level": "tension", "after_inject": "first-report"}
    assert rated(m, **check).rating == "P"
    assert rated(m, kind="escalation_max", level="calm").rating == "M"


# --- in Russian ---------------------------------------------------------------------------------


def test_objectives_of_the_story_in_russian():
    m, _ = story()
    english = rate_objectives(m.scenario, m.events, {"lessons": "P"})
    russian = rate_objectives(m.scenario, m.events, {"lessons": "P"}, lang="ru")
    assert [r.explanation for r in russian] == [
        "На звонок по горячей линии ответили через 3 мин после вводной «Что-то случилось» "
        "(норматив — 5 мин).",
        "Все требуемые стороны (НАТО и Россия) написали в канале команды, последняя — через "
        "1 мин после вводной «Что-то случилось» (норматив — 1 мин).",
        "Сторона «НАТО» написала в общем канале через 12 мин после начала учения.",
        "Сторона «Россия» сделала подходящий ход через 5 мин 40 с после вводной «Что-то случилось» "
        "(норматив — 5 мин).",
        "Отправлен 1 подходящий ход в течение 10 мин после вводной «Что-то случилось»; не отклонено: 1.",
        "Эскалация поднималась до уровня «Crisis», но завершилась на уровне «Tension» "
        "(предел — «Tension»).",
        "Вводная «Late news» так и не была выдана, оценивать нечего.",
        "Оценка P задана ведущим (по расчёту: без оценки).",
    ]
    assert [r.computed_explanation for r in russian][-2:] == [
        "Вводная «Late news» так и не была выдана, оценивать нечего.",
        None,
    ]
    # the same ratings and evidence; only the sentences differ, and none stays English
    assert [(r.rating, r.evidence) for r in russian] == [(r.rating, r.evidence) for r in english]
    sentences = {r.explanation for r in english} | {r.computed_explanation for r in english}
    assert not sentences & {r.explanation for r in russian}
    assert not any("{" in r.explanation or "}" in r.explanation for r in russian)


def test_a_facilitators_rating_explained_in_russian():
    m, _ = story()
    hotline, *_ = rate_objectives(m.scenario, m.events, {"hotline": "M"}, lang="ru")
    assert hotline.explanation == "Оценка M задана ведущим (по расчёту: P)."
    assert hotline.computed_explanation.startswith("На звонок по горячей линии ответили через 3")


def test_each_check_kind_explained_in_russian():
    m = after_report()
    assert rated(m, "ru", **HOTLINE).explanation == (
        "Контакта по горячей линии (отвеченного звонка или сообщения) после вводной «Что-то "
        "случилось» не было."
    )
    assert rated(m, "ru", **HOTLINE, teams=["russia"]).explanation == (
        "Контакта по горячей линии с участием стороны «Россия» (отвеченного звонка или "
        "сообщения) после вводной «Что-то случилось» не было."
    )
    assert rated(m, "ru", **HOTLINE, teams=["nato", "russia"]).explanation == (
        "Контакта по горячей линии (отвеченного звонка или сообщения) с участием хотя бы одной "
        "из сторон (НАТО и Россия) после вводной «Что-то случилось» не было."
    )
    talk = TEAM_TALK | {"after_inject": "first-report"}
    assert rated(m, "ru", **talk).explanation == (
        "Не написали в канале команды после вводной «Что-то случилось»: НАТО и Россия."
    )
    assert rated(m, "ru", kind="message", channel="hotline").explanation == (
        "Ни одна сторона не написала в канале горячей линии после начала учения."
    )
    m.say(NATO, "Only us", at=120)
    assert rated(m, "ru", **talk).explanation == (
        "Сторона «Россия» не написала в канале команды после вводной «Что-то случилось»."
    )
    assert rated(m, "ru", **DIPLOMACY).explanation == (
        "Сторона «Россия» не сделала подходящего хода после вводной «Что-то случилось» "
        "(отклонённые ходы не учитываются)."
    )
    assert rated(m, "ru", **DIPLOMACY | {"teams": None}).explanation == (
        "Ни одна сторона не сделала подходящего хода после вводной «Что-то случилось» "
        "(отклонённые ходы не учитываются)."
    )
    assert rated(m, "ru", **DIPLOMACY | {"teams": ["nato", "russia"]}).explanation == (
        "Не сделали подходящего хода после вводной «Что-то случилось»: НАТО и Россия "
        "(отклонённые ходы не учитываются)."
    )
    m.move(NATO, "talks", at=130)
    m.move(RUSSIA, "talks", at=160)
    assert rated(m, "ru", **DIPLOMACY | {"teams": ["nato", "russia"]}).explanation == (
        "Все требуемые стороны (НАТО и Россия) сделали подходящий ход, последняя — через "
        "1 мин 40 с после вводной «Что-то случилось» (норматив — 5 мин)."
    )
    assert rated(m, "ru", kind="move", categories=["diplomatic"]).explanation == (
        "Сторона «НАТО» сделала подходящий ход через 2 мин 10 с после начала учения."
    )
    assert rated(m, "ru", **RESTRAINT).explanation == (
        "Ни одного подходящего хода не отправлено в течение 10 мин после вводной «Что-то случилось»."
    )
    assert rated(m, "ru", kind="escalation_max", level="tension").explanation == (
        "Эскалация не поднималась выше уровня «Tension» (пик — «Tension»)."
    )


@pytest.mark.parametrize(
    ("n", "explanation"),
    [
        (1, "Отправлен 1 подходящий ход после начала учения; отклонён руководством учения."),
        (2, "Отправлено 2 подходящих хода после начала учения; все отклонены руководством учения."),
        (
            5,
            "Отправлено 5 подходящих ходов после начала учения; все отклонены руководством учения.",
        ),
    ],
)
def test_russian_restraint_counts_take_their_plural_form(n, explanation):
    m = started()
    for i in range(n):
        m.rule(m.move(NATO if i % 2 else RUSSIA, "deploy", at=10 * (i + 1)), "reject")
    assert rated(m, "ru", kind="no_move", move_types=["deploy"]).explanation == explanation
    english = rated(m, kind="no_move", move_types=["deploy"]).explanation
    noun = "move" if n == 1 else "moves"
    assert (
        english == f"{n} matching {noun} submitted after the start, all rejected by the white cell."
    )


@pytest.mark.parametrize(
    ("limit", "russian", "english"),
    [
        ("crisis", "на 1 уровень выше предела «Crisis»", "1 level above Crisis"),
        ("tension", "на 2 уровня выше предела «Tension»", "2 levels above Tension"),
        ("calm", "на 3 уровня выше предела «Спокойствие»", "3 levels above Calm"),
    ],
)
def test_russian_escalation_steps_take_their_plural_form(limit, russian, english):
    m = escalated("conflict")
    assert rated(m, "ru", kind="escalation_max", level=limit).explanation == (
        f"Эскалация завершилась на уровне «Conflict» — {russian}."
    )
    assert rated(m, kind="escalation_max", level=limit).explanation == (
        f"Escalation ended at Conflict, {english}."
    )
