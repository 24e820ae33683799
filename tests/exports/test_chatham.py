"""Role aliases in place of names, also inside free text, whatever the name looks like."""

from __future__ import annotations

import pytest

from app.exports.chatham import Aliases, Person
from tests.runs.machine import scenario

PEOPLE = [
    Person("p1", "nato", "player", "Anna Ivanova"),
    Person("p2", "russia", "team_lead", "Борис Петров"),
    Person("p3", "nato", "player", "Ann"),
    Person("p4", "russia", "player", "O'Brien (x+y)*"),
    Person("p5", "observers", "observer", "<b>Bo</b>"),
    Person("p6", "white_cell", "facilitator", 'Jean "JJ" Dupont'),
]


@pytest.fixture
def aliases() -> Aliases:
    return Aliases(PEOPLE, scenario())


def test_aliases_are_stable_role_names(aliases):
    assert [aliases.name_of(p.id) for p in PEOPLE] == [
        "NATO participant 1",
        "Russia participant 1",
        "NATO participant 2",
        "Russia participant 2",
        "Observer 1",
        "Facilitator 1",
    ]
    russian = Aliases(PEOPLE, scenario(), "ru")
    assert russian.name_of("p2") == "Участник (Россия) 1"
    assert Aliases(PEOPLE, scenario()).alias == aliases.alias  # stable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("anna ivanova agreed with Anna", "NATO participant 1 agreed with NATO participant 1"),
        (
            "Борис сказал, что Петров прав; БОРИС ПЕТРОВ согласен",
            "Russia participant 1 сказал, что Russia participant 1 прав; Russia participant 1 согласен",
        ),
        (
            "The annual report by Ann. Annotated.",
            "The annual report by NATO participant 2. Annotated.",
        ),
        ("Ask O'Brien (x+y)* now", "Ask Russia participant 2 now"),
        ("x<b>Bo</b>y, and Bob", "xObserver 1y, and Bob"),
        ('Jean "JJ" Dupont and Dupont', "Facilitator 1 and Facilitator 1"),
        ("Anna\n  Ivanova", "NATO participant 1"),
    ],
)
def test_names_are_found_in_free_text_and_nothing_else(aliases, text, expected):
    assert aliases.scrub(text) == expected


def test_nested_values(aliases):
    value = {"text": "Anna said", "list": ["Ann", 3, None], "deep": {"x": "Петров"}}
    assert aliases.scrub_value(value) == {
        "text": "NATO participant 1 said",
        "list": ["NATO participant 2", 3, None],
        "deep": {"x": "Russia participant 1"},
    }
