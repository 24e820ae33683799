"""Exports in every format: complete, streaming, and under the Chatham House Rule naming nobody."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.exports.csv_export import COLUMNS
from tests.conftest import FIXTURES
from tests.support.client import Run
from tests.support.server import Server

NAMES = ["Anna Ivanova", "Борис Петров", "O'Brien (x+y)*", "<b>Bo</b>", "Ann", 'Jean "JJ" Dupont']


async def play(run: Run) -> dict[str, object]:
    """A short run in which names turn up everywhere a user can type."""
    anna = await run.join("nato", "Anna Ivanova")
    boris = await run.join("russia", "Борис Петров", language="ru")
    obrien = await run.join("nato", "O'Brien (x+y)*")
    await run.join("observers", "<b>Bo</b>")
    ann = await run.join("russia", "Ann")
    await run.join("white_cell", 'Jean "JJ" Dupont')
    await run.control("start")
    await run.fire("first-report")
    await anna.say("I agree with Борис Петров, but O'Brien (x+y)* does not")
    await boris.say("Петров: согласен с Anna Ivanova. Ann тоже", channel="plenary")
    await ann.say('The annual plan, "quoted", with a comma\nand a new line')
    await obrien.hotline("call")
    await boris.hotline("answer")
    await boris.say("Это Борис на линии", channel="hotline")
    await anna.hotline("hang_up")
    move = await anna.move("call", "Anna Ivanova calls Moscow")
    await run.facilitator.ok(
        "/adjudications",
        {
            "move_seq": move["seq"],
            "decision": "accept",
            "outcome": "Ann picks up",
            "escalation_change": -1,
        },
    )
    await run.facilitator.ok("/notes", {"text": 'SECRET NOTE about Jean "JJ" Dupont'})
    rec = await anna.ok(
        "/recommendations",
        {
            "client_id": "r1",
            "title": "Anna Ivanova's idea",
            "text": "Hotline drills, says Борис Петров",
            "category": "quality_of_dialogue",
            "tier": "basic",
        },
    )
    await boris.post(f"/recommendations/{rec['seq']}/endorse", {})
    await run.facilitator.ok(f"/recommendations/{rec['seq']}", {"action": "accept"})
    await run.facilitator.ok(
        "/review/summary", {"text": "Anna Ivanova and <b>Bo</b> watched the hotline work."}
    )
    await run.facilitator.ok(
        "/review/phases", {"phase": "incident", "why": "Ann was quick", "next_time": "Drill more"}
    )
    await run.facilitator.ok(
        "/review/objectives",
        {"objective": "hotline", "rating": "S", "note": "late, per O'Brien (x+y)*"},
    )
    await run.control("end")
    return {"anna": anna, "boris": boris}


async def fetch(person, **params) -> bytes:
    response = await person.get("/export", **params)
    assert response.status_code == 200, response.text
    return response.content


def leaks(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    forms = {
        form
        for name in NAMES
        for form in (
            name,
            html.escape(name),
            html.escape(name, quote=False),
            json.dumps(name)[1:-1],
        )
    }
    return sorted(form for form in forms if form in text)


@pytest.fixture
async def played(run: Run) -> tuple[Run, dict]:
    return run, await play(run)


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html"])
async def test_chatham_exports_name_nobody(played, fmt):
    run, people = played
    for who in (run.facilitator, people["anna"]):
        data = await fetch(who, format=fmt)
        assert leaks(data) == [], f"{fmt} export for {who.name} leaks names"
        text = data.decode("utf-8-sig")
        assert "NATO participant 1" in text
        if who is run.facilitator:
            assert "annual" in text  # a word that merely contains a name survives
        else:
            assert "annual" not in text  # Russia's team channel is not NATO's to export
    for lang in ("en", "ru"):
        brief = await fetch(
            run.facilitator, format="html" if fmt == "html" else "md", brief="true", lang=lang
        )
        assert leaks(brief) == []


async def test_the_attributed_archive_is_for_the_facilitator_only(played):
    run, people = played
    full = await fetch(run.facilitator, format="json", chatham="false", include_notes="true")
    assert "Anna Ivanova" in full.decode() and "SECRET NOTE" in full.decode()
    assert (
        "SECRET NOTE" not in (await fetch(run.facilitator, format="json")).decode()
    )  # notes stay out by default
    refused = await people["anna"].get("/export", format="json", chatham="false")
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "chatham"
    assert (
        await people["anna"].get("/export", format="json", include_notes="true")
    ).status_code == 403


async def test_csv_is_rfc4180_utf8_with_stable_columns(played):
    run, _ = played
    data = await fetch(run.facilitator, format="csv", chatham="false")
    assert data.startswith("\ufeff".encode())  # spreadsheets then read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == COLUMNS
    events = (await run.facilitator.get("/events")).json()["events"]
    shown = [e for e in events if e["kind"] != "note.added"]
    assert [int(row[0]) for row in rows[1:]] == [e["seq"] for e in shown]
    texts = {row[12] for row in rows[1:]}
    assert 'The annual plan, "quoted", with a comma\nand a new line' in texts
    assert "Петров: согласен с Anna Ivanova. Ann тоже" in texts
    assert b"\r\n" in data


async def test_json_export_imports_into_another_server_with_the_same_review(played, tmp_path):
    run, _ = played
    exported = await fetch(run.facilitator, format="json", include_notes="true")
    document = json.loads(exported)
    assert document["complete"] is True and document["chatham_house"] is True
    assert [e["seq"] for e in document["events"]] == list(range(1, document["run"]["last_seq"] + 1))
    original = (await run.facilitator.get("/review")).json()

    path = tmp_path / "run.json"
    path.write_bytes(exported)
    database = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    env = {
        **os.environ,
        "TTX_DATA_DIR": str(tmp_path),
        "TTX_DATABASE_URL": database,
        "TTX_SCENARIO_DIR": str(FIXTURES),
    }
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    token = re.search(r"#token=(\S+)", done.stdout).group(1)
    again = subprocess.run(
        [sys.executable, "-m", "app.cli", "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 1 and "already exists" in again.stderr
    partial = tmp_path / "partial.json"
    partial.write_bytes(await fetch(run.facilitator, format="json"))
    refused = subprocess.run(
        [sys.executable, "-m", "app.cli", "import", str(partial)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1 and "not complete" in refused.stderr

    other = Server(tmp_path / "data2", database, FIXTURES).start()
    try:
        async with httpx.AsyncClient(base_url=other.url) as http:
            imported = (
                await http.get(
                    f"/api/runs/{run.id}/review", headers={"Authorization": f"Bearer {token}"}
                )
            ).json()
    finally:
        other.stop()
    assert imported == original


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
    out = tmp_path / "report.html"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "export",
            run.id,
            "--format",
            "html",
            "--lang",
            "ru",
            "-o",
            str(out),
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    page = out.read_text(encoding="utf-8")
    assert "Разбор итогов" in page and "<svg" in page and leaks(page.encode()) == []
    assert "<link" not in page and 'src="http' not in page  # standalone: no external assets
    missing = subprocess.run(
        [sys.executable, "-m", "app.cli", "export", "nope"], env=env, capture_output=True, text=True
    )
    assert missing.returncode == 1 and "no run 'nope'" in missing.stderr


async def test_review_endpoint(played):
    run, people = played
    review = (await run.facilitator.get("/review")).json()
    assert review["notes"]["summary"].startswith("NATO participant 1")
    hotline = next(o for o in review["objectives"] if o["objective"] == "hotline")
    assert hotline["rating"] == "S" and hotline["source"] == "facilitator"
    assert review["hotline"]["placed"] == 1 and review["hotline"]["answered"] == 1
    assert review["recommendations"][0]["status"] == "accepted"
    assert review["recommendations"][0]["endorsements"] == {"nato": 1, "russia": 1}
    team_view = (await people["anna"].get("/review")).json()
    assert team_view["notes"]["summary"] is None  # the white cell's drafts stay with it
