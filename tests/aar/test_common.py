"""Participants and duration, the shared measures every other part of the review builds on."""

from __future__ import annotations

import json

from babel.messages.pofile import read_po

from app.aar.common import (
    PLURAL_FORMS,
    duration,
    participants_per_team,
    span,
    team_name,
    team_names,
    words,
)
from app.aar.review import review
from app.web import catalog
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


# --- sentences in English and Russian -----------------------------------------------------------


def test_the_russian_plural_rule_comes_from_the_catalogue():
    ru, en = words("ru"), words("en")
    one, few, many = 0, 1, 2
    expected = {1: one, 2: few, 4: few, 5: many, 0: many, 11: many, 21: one, 22: few, 111: many}
    assert {n: ru.plural(n) for n in expected} == expected
    assert [en.plural(n) for n in (0, 1, 2, 21)] == [1, 0, 1, 1]
    moves = "{count} move|{count} moves"  # not in the catalogue: English forms for every language
    assert [en._(moves, n, count=n) for n in (1, 2)] == ["1 move", "2 moves"]


def test_durations_and_team_lists_in_each_language():
    m, _ = story()
    ru, en = words("ru"), words("en")
    assert [span(s, en) for s in (45, 59.5, 60, 130, 600.4, 600.5, 900)] == [
        "45 s",
        "1 min",  # one rounding rule: to the nearest second, halves up
        "1 min",
        "2 min 10 s",
        "10 min",
        "10 min 1 s",  # just over a 10-minute target reads differently from it
        "15 min",
    ]
    assert [span(s, ru) for s in (45, 60, 130, 900)] == ["45 с", "1 мин", "2 мин 10 с", "15 мин"]
    assert team_names(m.scenario, ["nato", "russia"], en) == "NATO and Russia"
    assert team_names(m.scenario, ["nato", "russia"], ru) == "НАТО и Россия"
    assert team_names(m.scenario, ["russia", "x", "nato"], ru) == "Россия, x и НАТО"
    assert team_name(m.scenario, None, ru) == "система"
    assert words("fr") == words("en")  # a language the interface lacks reads as English


def _placeholders(text: str) -> set[str]:
    return {part.split("}")[0] for part in text.split("{")[1:]}


def test_every_counted_message_has_each_russian_plural_form():
    with catalog.po_path("ru").open("rb") as handle:
        ru = read_po(handle, locale="ru")
    counted = [m for m in ru if m.id and PLURAL_FORMS in m.id]
    assert len(counted) >= 8
    for message in counted:
        english, russian = message.id.split(PLURAL_FORMS), message.string.split(PLURAL_FORMS)
        assert len(english) == 2 and len(russian) == ru.num_plurals == 3, message.id
        wanted = _placeholders(english[0]) | _placeholders(english[1])
        assert all(_placeholders(form) == wanted for form in english + russian), message.id


def test_russian_quotes_inside_quotes_are_low_and_high():
    """A title quoted in a Russian sentence keeps its own quotes as „…“ inside «…»."""
    said = words("ru")._("after the inject “{inject}”", inject="Заявление «Об инциденте»")
    assert said == "после вводной «Заявление „Об инциденте“»"
    assert (
        words("en")._("after the inject “{inject}”", inject="A «b»") == "after the inject “A «b»”"
    )
