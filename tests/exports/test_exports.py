"""Exports in every format: who may have which, what each holds, and that they stream."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.exports.csv_export import COLUMNS
from tests.conftest import FIXTURES
from tests.support.client import Run
from tests.support.server import Server

REFUSED = "the after-action review is prepared by the white cell; your facilitator shares it"


async def play(run: Run) -> dict[str, object]:
    """A short run: a private word on each team channel, the hotline, a ruling, a note."""
    anna = await run.join("nato", "Anna Ivanova")
    boris = await run.join("russia", "Борис Петров", language="ru")
    olga = await run.join("observers", "Olga")
    await run.control("start")
    await run.fire("first-report")
    await anna.say("NATO only: Anna Ivanova thinks we should call")
    await boris.say('Russia only: "quoted", with a comma\nand a new line')
    await boris.say("Hello all from Борис", channel="plenary")
    await anna.say('=HYPERLINK("http://evil.example","x")')
    await anna.say("@SUM(A1:A2)", channel="plenary")
    await anna.hotline("call")
    await boris.hotline("answer")
    await boris.say("Это Борис на линии", channel="hotline")
    await anna.hotline("hang_up")
    move = await anna.move("call", "Anna Ivanova calls Moscow")
    await run.facilitator.ok(
        "/adjudications",
        {"move_seq": move["seq"], "decision": "accept", "outcome": "Done", "escalation_change": -1},
    )
    await run.facilitator.ok("/notes", {"text": "SECRET NOTE about Борис"})
    rec = await anna.ok(
        "/recommendations",
        {
            "client_id": "r1",
            "title": "Hotline drills",
            "text": "Test the line monthly",
            "category": "quality_of_dialogue",
            "tier": "basic",
        },
    )
    await boris.post(f"/recommendations/{rec['seq']}/endorse", {})
    await run.facilitator.ok(f"/recommendations/{rec['seq']}", {"action": "accept"})
    await run.facilitator.ok(
        "/review/summary", {"text": "Anna Ivanova led NATO.\n\nБорис Петров answered at once."}
    )
    await run.control("end")
    return {"anna": anna, "boris": boris, "olga": olga}


async def fetch(person, path: str = "/export", **params) -> bytes:
    response = await person.get(path, **params)
    assert response.status_code == 200, (params, response.text)
    return response.content


@pytest.fixture
async def played(run: Run) -> tuple[Run, dict]:
    return run, await play(run)


async def test_the_review_and_reports_are_white_cell_material(played):
    run, people = played
    for person in (people["anna"], people["olga"]):
        for path, params in [
            ("/review", {}),
            ("/review/notes", {}),
            ("/export", {"format": "md"}),
            ("/export", {"format": "html"}),
            ("/export", {"format": "html", "edition": "handout"}),
        ]:
            refused = await person.get(path, **params)
            assert refused.status_code == 403, (person.name, path, params)
            assert refused.json()["error"]["message"] == REFUSED
        brief = (await fetch(person, format="html", brief="true")).decode()
        assert "Hotline drills" in brief and "Anna Ivanova" not in brief  # public, the Rule kept
    assert (await run.facilitator.get("/review")).status_code == 200


async def test_a_team_exports_exactly_what_it_saw(played):
    _, people = played
    mine = json.loads(await fetch(people["anna"], format="json"))
    texts = [e["payload"].get("text", "") for e in mine["events"]]
    assert any(t.startswith("NATO only") for t in texts)
    assert not any(t.startswith("Russia only") for t in texts)  # the other team's channel
    assert not any("SECRET NOTE" in t for t in texts)
    scenario = mine["scenario"]
    assert "injects" not in scenario  # the MSEL, fired or not, is the white cell's
    assert scenario["background"]["briefings"] == {"nato": {"en": "NATO's private briefing."}}
    assert mine["complete"] is False and mine["chatham_house"] is True
    rows = list(
        csv.reader(io.StringIO((await fetch(people["anna"], format="csv")).decode("utf-8-sig")))
    )
    assert [int(r[0]) for r in rows[1:]] == [e["seq"] for e in mine["events"]]


async def test_ids_become_alias_keys_under_the_rule(played):
    run, _ = played
    document = json.loads(await fetch(run.facilitator, format="json"))
    assert [p["id"] for p in document["participants"]] == ["nato-1", "russia-1", "observers-1"]
    actors = {e["actor"] for e in document["events"]} - {None}
    assert actors <= {"nato-1", "russia-1", "observers-1"}
    joined = [
        e["payload"]["participant_id"]
        for e in document["events"]
        if e["kind"] == "participant.joined"
    ]
    assert joined == ["nato-1", "russia-1", "observers-1"]
    review = json.loads(await fetch(run.facilitator, "/review"))
    (rec,) = review["recommendations"]
    assert rec["author"] == "nato-1" and rec["endorsers"] == ["nato-1", "russia-1"]
    assert review["people"] == {
        "nato-1": "NATO participant 1",
        "russia-1": "Russia participant 1",
        "observers-1": "Observer 1",
    }


async def test_review_figures_do_not_depend_on_the_rule(played):
    run, _ = played
    shown = json.loads(await fetch(run.facilitator, "/review"))
    attributed = json.loads(await fetch(run.facilitator, "/review", chatham="false"))
    for key in ("duration", "injects", "hotline", "escalation", "objectives", "phases", "facts"):
        assert shown[key] == attributed[key], key
    assert (
        shown["notes"]["summary"]
        == "NATO participant 1 led NATO.\n\nRussia participant 1 answered at once."
    )
    assert attributed["notes"]["summary"].startswith("Anna Ivanova led NATO.")
    whats = [row["what"] for row in shown["timeline"]]
    assert "Team channel: NATO only: NATO participant 1 thinks we should call" in whats
    assert not any("Anna" in what or "Борис" in what for what in whats)


async def test_editors_get_and_keep_the_text_as_written(played):
    """Saving what the editor was given never loses the names the Rule hides from readers."""
    run, _ = played
    raw = json.loads(await fetch(run.facilitator, "/review/notes"))
    assert raw["summary"] == "Anna Ivanova led NATO.\n\nБорис Петров answered at once."
    await run.facilitator.ok("/review/summary", {"text": raw["summary"]})
    again = json.loads(await fetch(run.facilitator, "/review/notes"))
    assert again["summary"] == raw["summary"]


async def test_the_handout_edition(played):
    run, _ = played
    for fmt in ("md", "html"):
        handout = (await fetch(run.facilitator, format=fmt, edition="handout")).decode()
        assert "NATO only" not in handout and "Russia only" not in handout  # team channels
        assert "SECRET NOTE" not in handout and "Watch whether they call" not in handout
        assert "Anna" not in handout and "Борис" not in handout
        assert "Hello all from Russia participant 1" in handout  # what every team saw
        assert "Handout edition" in handout
        full = (await fetch(run.facilitator, format=fmt)).decode()
        assert "NATO only" in full
    contradictory = await run.facilitator.get(
        "/export", format="html", edition="handout", chatham="false"
    )
    assert contradictory.status_code == 422
    assert (
        await run.facilitator.get("/export", format="csv", edition="handout")
    ).status_code == 422


async def test_csv_is_rfc4180_utf8_with_stable_columns_and_no_formulas(played):
    run, _ = played
    data = await fetch(run.facilitator, format="csv", chatham="false")
    assert data.startswith("\ufeff".encode())  # spreadsheets then read UTF-8
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == COLUMNS and {len(row) for row in rows} == {len(COLUMNS)}
    events = (await run.facilitator.get("/events")).json()["events"]
    assert [int(row[0]) for row in rows[1:]] == [
        e["seq"] for e in events if e["kind"] != "note.added"
    ]
    texts = {row[12] for row in rows[1:]}
    assert 'Russia only: "quoted", with a comma\nand a new line' in texts
    assert '\'=HYPERLINK("http://evil.example","x")' in texts  # inert, and still readable
    assert "'@SUM(A1:A2)" in texts
    for row in rows[1:]:
        for cell in row[4:]:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


async def test_exports_stream_from_the_cli(
    played, server: Server, database_url: str, tmp_path: Path
):
    run, _ = played
    env = {
        **os.environ,
        "TTX_DATA_DIR": str(tmp_path),
        "TTX_DATABASE_URL": database_url,
        "TTX_SCENARIO_DIR": str(FIXTURES),
    }

    def ttx(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app.cli", *args], env=env, capture_output=True, text=True
        )

    out = tmp_path / "report.html"
    assert ttx("export", run.id, "--format", "html", "--lang", "ru", "-o", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert "Разбор итогов" in page and "<svg" in page and "Anna" not in page
    assert "<link" not in page and 'src="http' not in page  # standalone: no external assets
    handout = tmp_path / "handout.md"
    done = ttx("export", run.id, "--format", "md", "--handout", "-o", str(handout))
    assert done.returncode == 0, done.stderr
    assert "NATO only" not in handout.read_text(encoding="utf-8")
    missing = ttx("export", "nope")
    assert missing.returncode == 1 and "no run 'nope'" in missing.stderr
