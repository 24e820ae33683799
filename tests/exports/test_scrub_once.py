"""The Chatham House Rule rewrites what people wrote, exactly once, and nothing else: names that
are also channels, roles, move types, decisions or team names leave the figures as they are,
and an alias is never rewritten again ("Russia participant 1 participant 1")."""

from __future__ import annotations

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
    # "Nato" is a part of two names ("Nato", "NATO participant"): the neutral word, once
    assert "a participant should NATO participant 4" in report  # "call" is a name too
    assert "a participant and a participant led." in report  # the summary


def test_every_event_kind_says_which_of_its_fields_people_wrote():
    assert set(FREE_TEXT) == set(PAYLOADS)
