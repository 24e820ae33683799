"""The whole review as plain JSON, and every part of it on runs cut short or unusual."""

from __future__ import annotations

import json

from app.aar.common import duration
from app.aar.escalation import InjectMarker, escalation_series
from app.aar.facts import summary_facts
from app.aar.responses import inject_responses
from app.aar.review import review
from tests.aar import HOTLINE, Run, after_report, rated, started, story
from tests.runs.machine import NATO, RUSSIA


def test_the_whole_review_is_plain_json():
    m, _ = story()
    result = review(m.scenario, m.events, {"lessons": "S"})
    assert set(result) == {
        "participants",
        "duration",
        "injects",
        "hotline",
        "escalation",
        "objectives",
        "phases",
        "facts",
    }
    assert json.loads(json.dumps(result)) == result  # no tuples, dataclasses or enums left
    assert result["injects"][0]["teams"]["nato"]["hotline"] == 180
    assert result["objectives"][-1]["rating"] == "S"
    assert result["facts"][-1] == "Objectives: 3 P, 3 S, 1 M, 0 U, 1 not rated."


def test_the_russian_review_differs_only_in_its_sentences():
    m, _ = story()
    english = review(m.scenario, m.events, {"lessons": "S"})
    russian = review(m.scenario, m.events, {"lessons": "S"}, lang="ru")
    assert json.loads(json.dumps(russian)) == russian
    sentences = ("explanation", "computed_explanation")
    for part in english.keys() - {"facts", "objectives"}:
        assert russian[part] == english[part], part
    for ours, theirs in zip(russian["objectives"], english["objectives"], strict=True):
        assert {k: v for k, v in ours.items() if k not in sentences} == {
            k: v for k, v in theirs.items() if k not in sentences
        }
    assert russian["facts"][-1] == "Цели: P — 3, S — 3, M — 1, U — 0, без оценки — 1."
    assert russian["objectives"][-1]["explanation"] == (
        "Оценка S задана ведущим (по расчёту: без оценки)."
    )
    assert review(m.scenario, m.events, {"lessons": "S"}, lang="fr") == english  # no French


# --- partial runs -------------------------------------------------------------------------------


def test_a_run_that_never_started():
    m = Run()
    m.join("nato", "Nina")
    result = review(m.scenario, m.events)
    assert json.loads(json.dumps(result)) == result
    assert result["participants"] == {"nato": 1, "russia": 0}
    assert result["duration"] == {
        "status": "lobby",
        "clock_seconds": 0,
        "wall_start": None,
        "wall_end": None,
        "wall_seconds": None,
    }
    assert result["injects"] == [] and result["hotline"]["placed"] == 0
    assert result["escalation"]["points"] == [
        {
            "seq": 1,
            "clock": 0,
            "level": 1,
            "level_id": "tension",
            "reason": "start",
            "move_seq": None,
        }
    ]
    assert result["escalation"]["phases"] == [] and result["escalation"]["end"] == 0
    assert {o["rating"] for o in result["objectives"]} == {None}
    assert not any(p["reached"] for p in result["phases"])
    assert result["facts"][0] == "The run never started."
    assert "The hotline was not used." in result["facts"]
    russian = review(m.scenario, m.events, lang="ru")
    assert russian["facts"][0] == "Сеанс учения так и не начался."
    assert "Ни одного хода не отправлено." in russian["facts"]
    assert {o["explanation"] for o in russian["objectives"]} == {
        "Сеанс учения так и не начался, оценивать нечего.",
        "Нет ни проверки, ни оценки ведущего.",
    }


def test_a_run_still_going_ends_at_its_last_event():
    m = after_report(at=60)
    m.control("pause", at=100)
    m.wait(50)
    m.control("resume")
    m.say(NATO, "Later", at=130)
    d = duration(m.events)
    assert (d.status, d.clock_seconds, d.wall_end, d.wall_seconds) == ("running", 130, None, None)
    series = escalation_series(m.scenario, m.events)
    assert series.end == 130 and series.phases[-1].end == 130
    assert summary_facts(m.scenario, m.events)[0] == (
        "The run is still running after 2 min 10 s on the exercise clock."
    )
    assert rated(m, **HOTLINE).rating == "U"  # so far


def test_an_ad_hoc_only_run():
    m = started()
    leak = m.adhoc("Leak", at=30)
    m.move(RUSSIA, "talks", at=50)
    m.control("end", at=60)
    series = escalation_series(m.scenario, m.events)
    assert series.injects == (InjectMarker(leak.seq, 30, "ad hoc", "Leak", None),)
    (response,) = inject_responses(m.scenario, m.events)
    assert response.teams["russia"].move == 20
    facts = summary_facts(m.scenario, m.events)
    assert "0 of 3 scripted injects fired, and 1 ad-hoc inject." in facts
    assert rated(m, **HOTLINE).rating is None  # its inject never fired
