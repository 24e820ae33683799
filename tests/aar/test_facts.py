"""The summary facts, word for word: they are what a facilitator starts the write-up from."""

from __future__ import annotations

import re

import pytest

from app.aar.facts import summary_facts
from tests.aar import started, story
from tests.runs.machine import NATO, RUSSIA


def test_summary_facts_of_the_story():
    m, _ = story()
    assert summary_facts(m.scenario, m.events) == [
        "The run lasted 15 min on the exercise clock (20 min of wall time, pauses included).",
        "Participants: NATO 2, Russia 1, observers 1, white cell 1.",
        "1 of 3 scripted injects fired, and 1 ad-hoc inject.",
        "3 moves submitted (NATO 1, Russia 2): 1 accepted, 1 modified, 1 rejected, "
        "0 awaiting a ruling.",
        "2 hotline calls placed (NATO 1, Russia 1): 1 answered, 1 unanswered, 2 min of talk "
        "(wall time).",
        "The quickest hotline contact after an inject came 3 min after “Something happened”.",
        "The white cell cut the line 1 time, for 45 s of wall time in total.",
        "Escalation started at Tension, peaked at Crisis and ended at Tension.",
        "Objectives: 3 P, 2 S, 1 M, 0 U, 2 not rated.",
    ]


def test_summary_facts_of_the_story_in_russian():
    m, _ = story()
    facts = summary_facts(m.scenario, m.events, lang="ru")
    assert facts == [
        "Учение длилось 15 мин учебного времени (20 мин реального времени, включая паузы).",
        "Участники: НАТО 2, Россия 1, наблюдатели 1, руководство учения 1.",
        "Выдано вводных по сценарию: 1 из 3; кроме того, выдана 1 внеплановая вводная.",
        "Отправлено 3 хода (НАТО 1, Россия 2): принято — 1, изменено — 1, отклонено — 1, "
        "ожидают решения — 0.",
        "Сделано 2 звонка по горячей линии (НАТО 1, Россия 1): с ответом — 1, без ответа — 1; "
        "общее время разговоров — 2 мин реального времени.",
        "Быстрее всего на горячую линию вышли через 3 мин после вводной «Что-то случилось».",
        "Руководство учения отключило линию 1 раз, в общей сложности на 45 с реального времени.",
        "Эскалация началась на уровне «Tension», достигла пика на уровне «Crisis» и завершилась "
        "на уровне «Tension».",  # the fixture's ladder has no Russian labels above 'calm'
        "Цели: P — 3, S — 2, M — 1, U — 0, без оценки — 2.",
    ]
    assert not set(facts) & set(summary_facts(m.scenario, m.events))
    assert not any("{" in fact or "}" in fact for fact in facts)
    assert all(re.search("[а-яё]", fact) for fact in facts)


@pytest.mark.parametrize(
    ("n", "moves", "adhoc"),
    [
        (1, "Отправлен 1 ход (НАТО 0, Россия 1)", "выдана 1 внеплановая вводная"),
        (2, "Отправлено 2 хода (НАТО 1, Россия 1)", "выданы 2 внеплановые вводные"),
        (5, "Отправлено 5 ходов (НАТО 2, Россия 3)", "выдано 5 внеплановых вводных"),
    ],
)
def test_russian_counts_take_their_plural_form(n, moves, adhoc):
    m = started()
    for i in range(n):
        m.adhoc(f"Leak {i}", at=10 + 10 * i)
        m.move(NATO if i % 2 else RUSSIA, "talks", at=15 + 10 * i)
    facts = summary_facts(m.scenario, m.events, lang="ru")
    assert f"Выдано вводных по сценарию: 0 из 3; кроме того, {adhoc}." in facts
    assert any(fact.startswith(moves + ": принято — 0") for fact in facts)
    english = summary_facts(m.scenario, m.events)
    noun = "inject" if n == 1 else "injects"
    assert f"0 of 3 scripted injects fired, and {n} ad-hoc {noun}." in english


def test_a_run_still_going_or_paused_in_russian():
    m = started()
    m.say(NATO, "Hello", at=130)
    assert summary_facts(m.scenario, m.events, lang="ru")[0] == (
        "Учение ещё идёт; прошло 2 мин 10 с учебного времени."
    )
    m.control("pause", at=150)
    assert summary_facts(m.scenario, m.events)[0] == (
        "The run is still paused after 2 min 30 s on the exercise clock."
    )
    assert summary_facts(m.scenario, m.events, lang="ru")[0] == (
        "Учение приостановлено; прошло 2 мин 30 с учебного времени."
    )
    assert "Горячая линия не использовалась." in summary_facts(m.scenario, m.events, lang="ru")


def test_the_draft_names_no_inject_that_only_one_team_received():
    """The facts start the executive summary, which the handout prints for every participant:
    a quicker answer to an ad-hoc inject sent only to Russia is not the one they name."""
    m = started()
    m.fire("first-report", at=10)
    m.adhoc("Adhoc: Moscow asks for details", at=200, audience="russia")
    m.hotline("call", RUSSIA, at=205)
    m.hotline("answer", NATO, at=210)
    m.hotline("hang_up", RUSSIA, at=240)
    facts = summary_facts(m.scenario, m.events)
    assert not [f for f in facts if "Moscow" in f]
    assert (
        "The quickest hotline contact after an inject came 3 min 20 s after “Something happened”."
        in facts
    )
