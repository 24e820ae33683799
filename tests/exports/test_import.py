"""`ttx import`: a complete export comes back with the same review; anything damaged or
tampered with is refused with one line that names the event and field, and nothing is written."""

from __future__ import annotations

import copy
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.errors import Invalid
from app.exports.importer import parse
from tests.conftest import FIXTURES
from tests.exports import fetch, play
from tests.support.client import Run
from tests.support.server import Server


@pytest.fixture
async def exported(run: Run) -> tuple[Run, bytes]:
    await play(run)
    return run, await fetch(run.facilitator, format="json", chatham="false", include_notes="true")


def _first(document: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(e for e in document["events"] if e["kind"] == kind)


def _other_channel(event: dict[str, Any]) -> None:
    """The message moved into the other team's channel, its actor unchanged."""
    other = "russia" if event["team"] == "nato" else "nato"
    event.update(team=other, audience=[other])


def _message(document: dict[str, Any], channel: str) -> dict[str, Any]:
    """The first message a team member sent on `channel`."""
    return next(
        e
        for e in document["events"]
        if e["kind"] == "message.sent"
        and e["payload"]["channel"] == channel
        and e["team"] in ("nato", "russia")
    )


TAMPERED: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "no created_at": (lambda d: d["run"].pop("created_at"), "field run.created_at"),
    "bad created_at": (lambda d: d["run"].update(created_at="yesterday"), "run.created_at"),
    "no title": (lambda d: d["run"].pop("title"), "field run.title"),
    "run id with a path": (lambda d: d["run"].update(id="../../etc"), "run.id"),
    "run id of 5000 characters": (lambda d: d["run"].update(id="x" * 5000), "run.id"),
    "joined without participant_id": (
        lambda d: _first(d, "participant.joined")["payload"].pop("participant_id"),
        "payload.participant_id is missing",
    ),
    "joined without role": (
        lambda d: _first(d, "participant.joined")["payload"].pop("role"),
        "payload.role is missing",
    ),
    "payload not an object": (lambda d: d["events"][3].update(payload=[1]), "field payload"),
    "clock a string": (lambda d: d["events"][3].update(clock="soon"), "field clock"),
    "clock a numeric string": (lambda d: d["events"][3].update(clock="12.5"), "field clock"),
    "unknown kind": (lambda d: d["events"][3].update(kind="bogus.kind"), "unknown event kind"),
    "escalation to 99": (
        lambda d: _first(d, "escalation.changed")["payload"].update(to=99),
        "payload.to is no level",
    ),
    "ruling without move_seq": (
        lambda d: _first(d, "move.adjudicated")["payload"].pop("move_seq"),
        "payload.move_seq is missing",
    ),
    "ruling of no move": (
        lambda d: _first(d, "move.adjudicated")["payload"].update(move_seq=1),
        "payload.move_seq names no earlier move.submitted",
    ),
    "answer without call_seq": (
        lambda d: _first(d, "hotline.answered")["payload"].pop("call_seq"),
        "payload.call_seq is missing",
    ),
    "a gap in the seqs": (lambda d: d["events"].pop(5), "seq should be 6"),
    "an actor who never joined": (
        lambda d: d["events"][-2].update(actor="pnobody"),
        "has not joined",
    ),
    "events not a list": (lambda d: d.update(events={"a": 1}), "field events"),
    "not complete": (lambda d: d.update(complete=False), "not complete"),
    "a team's message to all": (
        lambda d: _message(d, "team").update(audience="all"),
        "is not who sees message.sent",
    ),
    "a note to all": (lambda d: _first(d, "note.added").update(audience="all"), "not who sees"),
    "a phase note to a team": (
        lambda d: _first(d, "aar.phase_noted").update(audience=["nato"]),
        "not who sees aar.phase_noted",
    ),
    "an inject version to the other team": (
        lambda d: _first(d, "inject.fired").update(audience=["russia"]),
        "not who sees inject.fired",
    ),
    "an unknown inject": (
        lambda d: _first(d, "inject.fired")["payload"].update(inject_id="nope"),
        "payload.inject_id 'nope' is not in the scenario",
    ),
    "an unknown move type": (
        lambda d: _first(d, "move.submitted")["payload"].update(move_type="fly"),
        "payload.move_type 'fly' is not in the scenario",
    ),
    "an unknown phase": (lambda d: d["events"][-2].update(phase="nowhere"), "no phase"),
    "an unknown objective": (
        lambda d: _first(d, "objective.rated")["payload"].update(objective="nope"),
        "payload.objective 'nope' is not in the scenario",
    ),
    "notes on an unknown phase": (
        lambda d: _first(d, "aar.phase_noted")["payload"].update(phase="nope"),
        "payload.phase 'nope' is not in the scenario",
    ),
    "joined without a team": (lambda d: _first(d, "participant.joined").update(team=None), "team"),
    "joined a team that does not exist": (
        lambda d: _first(d, "participant.joined").update(team="china"),
        "team 'china'",
    ),
    "a player moved to the white cell": (
        lambda d: _first(d, "participant.joined").update(team="white_cell"),
        "payload.role 'player' is not a role of team 'white_cell'",
    ),
    "a facilitator on a team": (
        lambda d: _first(d, "participant.joined")["payload"].update(role="facilitator"),
        "is not a role of team",
    ),
    "an admin": (
        lambda d: _first(d, "participant.joined")["payload"].update(role="admin"),
        "payload.role 'admin'",
    ),
    "a message in another team's channel": (
        lambda d: _other_channel(_message(d, "team")),
        "is not the team of actor",
    ),
    "a name of 81 characters": (
        lambda d: _first(d, "participant.joined")["payload"].update(name="x" * 81),
        "payload.name",
    ),
    "a name with a control character": (
        lambda d: _first(d, "participant.joined")["payload"].update(name="Ann\x07"),
        "payload.name: a name cannot contain control characters",
    ),
    "a scenario with a dangling reference": (
        lambda d: d["scenario"]["escalation"].update(start="nowhere"),
        "scenario.escalation.start: unknown escalation level 'nowhere'",
    ),
}


ONLY_FIELD = {
    "no created_at",
    "bad created_at",
    "no title",
    "run id with a path",
    "run id of 5000 characters",
    "events not a list",
    "not complete",
    "a scenario with a dangling reference",
}


@pytest.mark.parametrize("case", list(TAMPERED))
async def test_a_tampered_export_is_refused_naming_what_is_wrong(exported, case):
    _, data = exported
    document = json.loads(data)
    parse(copy.deepcopy(document))  # the untouched export is fine
    change, expected = TAMPERED[case]
    change(document)
    with pytest.raises(Invalid) as refused:
        parse(document)
    message = refused.value.message
    assert expected in message and "\n" not in message, message
    if case not in ONLY_FIELD:
        assert re.search(r"event seq \d+", message), message  # which event it is


def _env(tmp_path: Path, database: str) -> dict[str, str]:
    return {
        **os.environ,
        "TTX_DATA_DIR": str(tmp_path),
        "TTX_DATABASE_URL": database,
        "TTX_SCENARIO_DIR": str(FIXTURES),
    }


def _import(env: dict[str, str], path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "import", str(path), *args],
        env=env,
        capture_output=True,
        text=True,
    )


async def test_the_cli_answers_one_line_and_writes_nothing(exported, tmp_path):
    _, data = exported
    document = json.loads(data)
    _first(document, "hotline.answered")["payload"].pop("call_seq")
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    database = tmp_path / "other.sqlite3"
    done = _import(_env(tmp_path, f"sqlite:///{database}"), path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "payload.call_seq is missing" in done.stderr
    counts = [
        sqlite3.connect(database).execute(f"select count(*) from {t}").fetchone()[0]
        for t in ("run", "event", "participant")
    ]
    assert counts == [0, 0, 0]


async def test_a_chatham_export_is_refused_as_not_complete(exported, tmp_path):
    run, _ = exported
    path = tmp_path / "chatham.json"
    path.write_bytes(await fetch(run.facilitator, format="json", include_notes="true"))
    done = _import(_env(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}"), path)
    assert done.returncode == 1 and "not complete" in done.stderr and "--no-chatham" in done.stderr


async def test_an_import_has_the_same_review_and_imports_again_under_a_new_id(
    exported, server: Server, database_url: str, tmp_path
):
    run, data = exported
    original = (await run.facilitator.get("/review", chatham="false")).json()
    path = tmp_path / "run.json"
    path.write_bytes(data)

    # into the server it came from: the id is taken, so it comes in under new ids
    env = _env(tmp_path, database_url)
    again = _import(env, path)
    assert again.returncode == 1 and "already exists" in again.stderr and "--new-id" in again.stderr
    copied = _import(env, path, "--new-id")
    assert copied.returncode == 0, copied.stderr
    new_id = re.search(r"imported run (\S+)", copied.stdout).group(1)
    token = re.search(r"#token=(\S+)", copied.stdout).group(1)
    assert new_id != run.id
    async with httpx.AsyncClient(base_url=server.url) as http:
        headers = {"Authorization": f"Bearer {token}"}
        review = (
            await http.get(f"/api/runs/{new_id}/review?chatham=false", headers=headers)
        ).json()
        people = (await http.get(f"/api/runs/{new_id}/participants", headers=headers)).json()
    old_ids = {p["id"] for p in (await run.facilitator.get("/participants")).json()["participants"]}
    new_ids = {p["id"] for p in people["participants"]}
    assert len(new_ids) == len(old_ids) and not new_ids & old_ids
    figures = ("duration", "injects", "hotline", "escalation", "objectives", "phases", "facts")
    assert {k: review[k] for k in figures} == {k: original[k] for k in figures}
    assert set(review["people"]) == new_ids  # the log names the new ids throughout
    assert {r["who"] for r in review["timeline"]} == {r["who"] for r in original["timeline"]}

    # into a fresh server under its own id: the very same review
    other_database = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    other = Server(tmp_path / "data2", other_database, FIXTURES)
    fresh = _import(_env(tmp_path, other_database), path)
    assert fresh.returncode == 0, fresh.stderr
    token = re.search(r"#token=(\S+)", fresh.stdout).group(1)
    other.start()
    try:
        async with httpx.AsyncClient(base_url=other.url) as http:
            imported = (
                await http.get(
                    f"/api/runs/{run.id}/review?chatham=false",
                    headers={"Authorization": f"Bearer {token}"},
                )
            ).json()
    finally:
        other.stop()
    assert imported == original
