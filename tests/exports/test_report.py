"""The printed report reads as prose for people: no identifiers, times a reader can read,
every row says what happened, the marking on it, its paragraphs kept; in both languages."""

from __future__ import annotations

import json
import re

import pytest

from tests.exports.test_exports import fetch, play
from tests.support.client import Run

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
RAW = [
    "(player)",
    "(observer)",
    "[team]",
    "[hotline]",
    "[plenary]",
    "(accept)",
    "inject first-report",
]


@pytest.fixture
async def reports(run: Run) -> dict[str, str]:
    await play(run)
    kinds = {e["kind"] for e in json.loads(await fetch(run.facilitator, format="json"))["events"]}
    found = {"kinds": " ".join(sorted(kinds))}
    for lang in ("en", "ru"):
        for fmt in ("md", "html"):
            found[f"{fmt}-{lang}"] = (await fetch(run.facilitator, format=fmt, lang=lang)).decode()
    found["review"] = (await fetch(run.facilitator, "/review")).decode()
    return found


async def test_no_identifier_reaches_a_reader(reports):
    kinds = reports["kinds"].split()
    for name in ("md-en", "md-ru", "html-en", "html-ru"):
        text = reports[name]
        for kind in kinds:
            assert kind not in text, (name, kind)
        for raw in RAW:
            assert raw not in text, (name, raw)
        assert not ISO.search(text), name  # wall times as a date and time with their zone
        assert "UTC" in text
    assert "Call the other side" in reports["md-en"]  # the move's label, not its id "call"
    assert "Позвонить другой стороне (Accepted)" not in reports["md-ru"]
    assert "The incident" in reports["html-en"]  # the phase's title, not "incident"


async def test_every_row_says_what_happened(reports):
    rows = json.loads(reports["review"])["timeline"]
    assert rows and all(row["what"].strip() for row in rows)
    side = reports["md-en"].split("## Side by side")[1].split("## Timeline")[0]
    assert ": |" not in side and ":  |" not in side  # no dangling "NATO participant 1:"
    assert "Inject" in side and "Ruling" in side  # the shared time axis


async def test_marking_paragraphs_and_wording(reports):
    md, ru = reports["md-en"], reports["html-ru"]
    assert md.startswith("**EXERCISE")  # the marking first, with the date
    assert "NATO participant 1 led NATO.\n\nRussia participant 1 answered at once." in md
    assert "@bottom-right" in reports["html-en"] and "counter(pages)" in reports["html-en"]
    assert "В две колонки" in ru and "Учение длилось" in ru
    assert "Линия отключена ведущим" in ru and "оборвана" not in ru
    assert "Стороны рядом" not in ru and "Проведение длилось" not in ru


async def test_markdown_and_html_say_the_same_of_each_phase(reports):
    said = {
        "en": ["Injects fired: 1", "Hotline calls: 1, answered: 1", "Escalation: Tension → Calm"],
        "ru": ["Выдано вводных: 1", "Звонков по горячей линии: 1, отвечено: 1"],
    }
    for lang, lines in said.items():
        sections = reports[f"md-{lang}"].split("\n## ")
        phases = next(part for part in sections if part.startswith(("Phases", "Этапы")))
        for line in lines:
            assert f"- {line}" in phases and f"<li>{line}</li>" in reports[f"html-{lang}"], line


async def test_the_rating_codes_have_their_key_in_both_languages(reports):
    for name in ("md-en", "html-en"):
        assert "P: performed without challenges; S: performed with some challenges" in reports[name]
    for name in ("md-ru", "html-ru"):
        assert "P: выполнено без трудностей; S: выполнено с некоторыми трудностями" in reports[name]


async def test_russian_log_lines_are_past_and_neutral(reports):
    ru = reports["html-ru"]
    assert "Ответ стороны «Россия» через" in ru and "Разговор завершён стороной «НАТО»" in ru
    assert "Звонок стороны «НАТО» стороне «Россия»" in ru
    assert "роль — игрок" in ru and "роль — участник" not in ru
    assert "отвечает на вызов" not in ru and "Изменение уровня эскалации" in ru


async def test_what_the_facilitator_wrote_keeps_its_line_breaks(run: Run):
    await run.control("start")
    summary = "Three points:\n- talk early\n1. then act\n===\n\nSecond paragraph."
    await run.facilitator.ok("/review/summary", {"text": summary})
    await run.facilitator.ok(
        "/review/phases", {"phase": "incident", "why": "Late call.\nNo agenda.", "next_time": "x"}
    )
    md = (await fetch(run.facilitator, format="md")).decode()
    # a line break is a hard break; a line that starts like a list or an underline stays text
    assert "Three points:  \n\\- talk early  \n1\\. then act  \n\\===\n\nSecond paragraph." in md
    assert "Late call.  \nNo agenda." in md
    html = (await fetch(run.facilitator, format="html")).decode()
    assert '<p class="written">Three points:\n- talk early\n1. then act\n===</p>' in html
    assert '<p class="written">Late call.\nNo agenda.</p>' in html
    assert ".written { white-space: pre-line; }" in html
