"""The Chatham House Rule rewrites what people wrote, exactly once, and nothing else: names that
are also channels, roles, move types, decisions or team names leave the figures as they are,
and an alias is never rewritten again ("Russia participant 1 participant 1")."""

from __future__ import annotations

import csv
import difflib
import html
import io
import json
import re

import pytest

from app.exports.free_text import FREE_TEXT
from app.exports.import_format import PAYLOADS
from tests.exports import fetch
from tests.support.client import Run

# display names equal to the words and ids the log uses for itself
NAMES = {
    "nato": ["Team", "Plenary", "player", "call", "Russia"],
    "russia": ["Nato", "Hotline", "accept", "NATO participant", "team_lead"],
    "observers": ["Observer Person", "Observers", "White cell"],
}
FIGURES = ("participants", "duration", "injects", "hotline", "escalation", "objectives", "phases")


@pytest.fixture
async def played(run: Run) -> Run:
    people = {name: await run.join(team, name) for team, names in NAMES.items() for name in names}
    nato, russia = people["Team"], people["Nato"]
    await run.control("start")
    await run.fire("first-report")
    await nato.say("Nato agrees; call the hotline, Team", channel="team")
    await russia.say("Team and Plenary: accept?", channel="team")
    await nato.say("Plenary: NATO participant view", channel="plenary")
    await nato.hotline("call")
    await russia.hotline("answer")
    await russia.say("Hotline works, Nato", channel="hotline")
    await nato.hotline("hang_up")
    move = await nato.move("call", "call Hotline now")
    await run.facilitator.ok(
        "/adjudications",
        {"move_seq": move["seq"], "decision": "accept", "outcome": "accept: Team called"},
    )
    rec = await russia.ok(
        "/recommendations",
        {
            "client_id": "r1",
            "title": "Nato should call",
            "text": "Nato agrees with Team",
            "category": "quality_of_dialogue",
            "tier": "basic",
        },
    )
    await run.facilitator.ok(f"/recommendations/{rec['seq']}", {"action": "accept"})
    await run.facilitator.ok("/review/summary", {"text": "Nato and Team led."})
    await run.control("end")
    return run


async def test_the_figures_are_the_same_with_the_rule_on_or_off(played):
    f = played.facilitator
    on = (await f.get("/review")).json()
    off = (await f.get("/review", chatham="false")).json()
    assert on["chatham_house"] and not off["chatham_house"]
    assert {k: on[k] for k in FIGURES} == {k: off[k] for k in FIGURES}
    assert on["facts"] == off["facts"]
    assert on["injects"][0]["teams"]["nato"]["message"] is not None  # the team channel counted
    assert on["hotline"]["answered"] == 1 and on["hotline"]["messages"]["russia"] == 1
    events = await f.events()
    channels = {e["payload"]["channel"] for e in events if e["kind"] == "message.sent"}
    exported = await fetch(f, format="json")
    for channel in channels:
        assert f'"channel":"{channel}"' in exported.decode()  # machine fields untouched
    assert '"decision":"accept"' in exported.decode() and '"move_type":"call"' in exported.decode()
    assert '"role":"player"' in exported.decode()


async def test_an_alias_is_never_scrubbed_again(played):
    f = played.facilitator
    doubled = re.compile(r"participant \d+ participant|(Observer|Наблюдатель) \d+ participant")
    for lang in ("en", "ru"):
        for params in ({"format": "md"}, {"format": "html"}, {"format": "html", "brief": "true"}):
            for edition in ("full", "handout"):
                text = (await fetch(f, lang=lang, edition=edition, **params)).decode()
                assert not doubled.search(text), (lang, params, edition, doubled.search(text))
    report = (await fetch(f, format="md")).decode()
    # "Nato" is a name and a part of "NATO participant", the run's own words (the team, the
    # alias): only the whole names are looked for, so "Nato" is the one called so
    assert "Russia participant 1 should NATO participant 4" in report  # "call" is a name too
    assert "Russia participant 1 and NATO participant 1 led." in report  # the summary


def test_every_event_kind_says_which_of_its_fields_people_wrote():
    assert set(FREE_TEXT) == set(PAYLOADS)


# names with a part that is one of the run's own words: a team, a language code, an alias
# word, a role (only the whole name is looked for)
OWN_WORDS = {
    "Alice NATO": "nato",
    "Boris RU": "russia",
    "Team Lead": "nato",
    "Olga Observer": "observers",
    "Наблюдатель Иван": "observers",
}
OWN_TEXTS = [
    "Participants: NATO 1, Russia 1, observers 2.",
    "PLENARY from NATO: we agree, NATO-PRIVATE.",
    "Наблюдатель отметил: участник от НАТО согласен; Observer notes, RU position.",
]


@pytest.fixture
async def own_words(run: Run) -> tuple[Run, dict[str, str]]:
    people = {name: await run.join(team, name) for name, team in OWN_WORDS.items()}
    alice, boris = people["Alice NATO"], people["Boris RU"]
    await run.control("start")
    await run.fire("first-report")
    for text in OWN_TEXTS:
        await alice.say(text, channel="plenary")
        await boris.say(text, channel="team")
    await alice.say("Alice NATO and Boris RU spoke; Olga Observer and Наблюдатель Иван watched.")
    await run.facilitator.ok("/review/summary", {"text": "\n".join(OWN_TEXTS)})
    await run.control("end")
    return run, {name: team for name, team in OWN_WORDS.items()}


async def test_a_part_that_is_one_of_the_runs_words_is_not_looked_for_alone(own_words):
    run, _ = own_words
    f = run.facilitator
    hunted = (await f.get("/review/chatham")).json()
    assert {"NATO", "RU", "Observer", "Наблюдатель", "Team", "Lead"} <= set(hunted["skipped"])
    assert not {"NATO", "RU", "Observer", "Наблюдатель"} & set(hunted["words"])
    assert {"Alice", "Boris", "Olga", "Иван"} <= set(hunted["words"])
    for lang in ("en", "ru"):
        for params in ({"format": "md"}, {"format": "html"}, {"format": "csv"}, {"format": "json"}):
            text = (await fetch(f, lang=lang, **params)).decode("utf-8-sig")
            for written in OWN_TEXTS:  # the run's words kept, in every message and the summary
                assert html.escape(written, quote=False) in text or written in text, (lang, params)
            assert "participant 1 1" not in text and "participant 1-PRIVATE" not in text
            for name in OWN_WORDS:
                assert name not in text, (lang, params, name)  # the whole names are replaced
    review = (await f.get("/review")).json()
    said = [r["what"] for r in review["timeline"] if "spoke" in r["what"]]
    assert said and "NATO participant 1 and Russia participant 1 spoke" in said[0]
    assert "Observer 1 and Observer 2 watched" in said[0]


async def test_the_reports_are_the_same_with_the_rule_on_but_for_the_names(own_words):
    run, _ = own_words
    f = run.facilitator
    aliases = {
        p["name"]: p["alias"]
        for p in json.loads(await fetch(f, format="json", chatham="false"))["participants"]
    }
    on_review = (await f.get("/review")).json()
    off_review = (await f.get("/review", chatham="false")).json()
    assert {k: on_review[k] for k in FIGURES} == {k: off_review[k] for k in FIGURES}
    for params in ({"format": "md"}, {"format": "csv"}, {"format": "html"}):
        on = (await fetch(f, **params)).decode("utf-8-sig")
        off = (await fetch(f, chatham="false", **params)).decode("utf-8-sig")
        for name in sorted(aliases, key=len, reverse=True):
            off = off.replace(name, aliases[name])
        if params["format"] == "csv":  # ids become alias keys: every other column the same
            on, off = (_without(text, "actor", "payload") for text in (on, off))
        on_lines = [
            line
            for line in on.splitlines()
            if line.strip() not in ("", "</p>") and "Chatham" not in line
        ]
        off_lines = [
            line
            for line in off.splitlines()
            if line.strip() not in ("", "</p>") and "Chatham" not in line
        ]
        diff = [d for d in difflib.ndiff(off_lines, on_lines) if d[0] in "+-"]
        assert not diff, (params, diff)


def _without(text: str, *columns: str) -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    return "\n".join(repr({k: v for k, v in row.items() if k not in columns}) for row in rows)
