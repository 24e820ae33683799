"""The handout shows only what every participant saw: injects every team received (once, as
one inject), the plenary, rulings and the moves they rule on, the hotline between the teams,
the clock and the figures; expected actions only for injects that went to all; no link to a
row it leaves out; and a timeline without joins."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from app.aar.common import words
from app.events.record import EventRecord
from app.exports.handout import Scope, untitled
from app.scenarios.validate import load_file
from tests.exports import fetch
from tests.support.client import create_run
from tests.support.server import Server

SCENARIOS = Path(__file__).resolve().parent.parent / "aar" / "fixtures"  # review.yaml
PRIVATE = [
    "For NATO only",  # an ad-hoc inject's title, to one team
    "NATO-PRIVATE-TEAM",
    "RUSSIA-PRIVATE-TEAM",
    "NATO-PENDING-MOVE",  # a move never ruled on
    "HELD-MESSAGE",  # a hotline message held back by the delay
    "NOTE-SECRET",
    "the version for",  # per-team versions
    "Call the hotline",  # an expected action of an inject with per-team versions
    "Late news",  # never fired
]
SHARED = [
    "Something happened",  # every team got a version, all with this title
    "A nudge",  # to all
    "Talk to the other side",  # its expected action
    "PLENARY-WORD",
    "HOTLINE-WORD",
    "RUSSIA-RULED-MOVE",
    "RULING-OUTCOME",
]


@pytest.fixture(scope="module")
def review_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("data"), database_url, SCENARIOS).start()
    yield server
    server.stop()


@pytest.fixture
async def exports(review_server: Server) -> AsyncIterator[dict[str, str]]:
    async with httpx.AsyncClient(base_url=review_server.url, timeout=15) as http:
        run = await create_run(http, review_server.ws_url, "review")
        f = run.facilitator
        nato, russia = await run.join("nato", "Anna Lee"), await run.join("russia", "Boris Orlov")
        await run.join("observers", "Olga")
        await run.control("start")
        await run.fire("first-report")
        await f.ok("/injects", {"title": "For NATO only", "body": "Memo.", "audience": ["nato"]})
        await nato.say("NATO-PRIVATE-TEAM words")
        await russia.say("RUSSIA-PRIVATE-TEAM words")
        await nato.say("PLENARY-WORD to all", channel="plenary")
        await nato.hotline("call")
        await russia.hotline("answer")
        await russia.say("HOTLINE-WORD back", channel="hotline")
        await f.ok("/hotline", {"action": "delay", "seconds": 60})
        await nato.say("HELD-MESSAGE later", channel="hotline")
        await nato.move("call", "NATO-PENDING-MOVE")
        move = await russia.move("talks", "RUSSIA-RULED-MOVE")
        await f.ok(
            "/adjudications",
            {"move_seq": move["seq"], "decision": "accept", "outcome": "RULING-OUTCOME"},
        )
        await f.ok("/notes", {"text": "NOTE-SECRET"})
        await run.fire("nudge")
        await run.control("end")
        found = {}
        for fmt in ("md", "html"):
            for lang in ("en", "ru"):
                for edition in ("full", "handout"):
                    notes = {"include_notes": "true"} if edition == "full" else {}
                    data = await fetch(f, format=fmt, lang=lang, edition=edition, **notes)
                    found[f"{edition}-{fmt}-{lang}"] = data.decode()
        yield found


async def test_the_handout_shows_only_what_every_participant_saw(exports):
    for fmt in ("md", "html"):
        handout, full = exports[f"handout-{fmt}-en"], exports[f"full-{fmt}-en"]
        for text in PRIVATE:
            assert text in full, (fmt, text)  # the white cell's report has it all
            assert text not in handout, (fmt, text)
        for text in SHARED:
            assert text in handout, (fmt, text)
        assert handout.count("Something happened") <= full.count("Something happened")
    assert "Поздние" not in exports["handout-html-ru"]


async def test_every_link_of_the_handout_has_its_row(exports):
    for edition in ("full", "handout"):
        page = exports[f"{edition}-html-en"]
        targets = set(re.findall(r'id="(e\d+)"', page))
        links = set(re.findall(r'href="#(e\d+)"', page))
        assert links and links <= targets, (edition, links - targets)


async def test_the_handout_tells_the_course_of_the_exercise_once(exports):
    full, handout = exports["full-md-en"], exports["handout-md-en"]
    assert "## Timeline" in full and "## Timeline" not in handout  # side by side is enough
    side = handout.split("## Side by side")[1]
    assert "joined as" in full and "joined as" not in handout
    assert "Run created / Started" in side  # the clock's events share a row
    assert "The exercise ended" in side
    assert side.count("\n|") < full.split("## Timeline")[1].count("\n|")


def test_an_inject_each_team_read_under_its_own_title_is_shown_once_untitled():
    scenario = load_file(SCENARIOS / "review.yaml")

    def fired(seq: int, team: str, title: str) -> EventRecord:
        payload = {"inject_id": "first-report", "variant": team, "title": {"en": title}}
        at = datetime(2026, 12, 2, tzinfo=UTC)
        return EventRecord(
            "r", seq, "inject.fired", at, 60.0, "incident", None, None, (team,), payload
        )

    records = [fired(1, "nato", "Radar track"), fired(2, "russia", "MoD statement")]
    scope = Scope.of(scenario, records, handout=True)
    first, second = (scope.show(record) for record in records)
    assert second is None and first.payload["versions"] and first.payload["title"] is None
    assert "first-report" in scope.private  # objectives and facts do not name it either
    assert untitled(words("ru")) == "Вводная в отдельной версии для каждой стороны"
    only_nato = Scope.of(scenario, records[:1], handout=True)
    assert only_nato.show(records[0]) is None  # one team's inject: not in the handout at all
