"""Bad input gets a clear error naming the field, in one shape, and never a 500."""

from __future__ import annotations

import httpx
import pytest

from tests.support.client import Run, bearer
from tests.support.server import FACILITATOR_KEY


def error_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    return body["error"]


async def test_creating_runs_needs_the_facilitator_key(http: httpx.AsyncClient, run: Run):
    error = error_of(await http.post("/api/runs", json={"scenario": "minimal"}), 401)
    assert "facilitator key" in error["message"]
    error = error_of(
        await http.post("/api/runs", json={"scenario": "minimal"}, headers=bearer("guess")), 401
    )
    assert error["message"] == "wrong facilitator key"
    # the server's key is not a run's token: the answer says which credential a run takes
    error = error_of(await http.get(f"/api/runs/{run.id}", headers=bearer(FACILITATOR_KEY)), 401)
    assert "white-cell code" in error["message"] and "facilitator token" in error["message"]
    error = error_of(
        await http.post(
            "/api/runs", json={"scenario": "minimall"}, headers=bearer(FACILITATOR_KEY)
        ),
        404,
    )
    assert error["field"] == "scenario" and "did you mean 'minimal'?" in error["message"]
    error = error_of(
        await http.post(
            "/api/runs", json={"scenarios": "minimal"}, headers=bearer(FACILITATOR_KEY)
        ),
        422,
    )
    assert error["field"] in ("scenario", "scenarios")
    error_of(await http.get("/api/runs"), 401)
    listed = await http.get("/api/runs", headers=bearer(FACILITATOR_KEY))
    assert listed.status_code == 200
    (mine,) = [r for r in listed.json()["runs"] if r["id"] == run.id]
    assert mine["created_at"].endswith("Z")  # in UTC, like every event's ts


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        ({"code": "ZZZZZZZZ", "name": "Eve"}, 404, "code", "does not belong to this run"),
        ({"code": "ZZZZZZZZ"}, 422, "name", "required"),
        ({"code": "ZZZZZZZZ", "name": ""}, 422, "name", ""),
        ({"code": "ZZZZZZZZ", "name": "x" * 81}, 422, "name", ""),
        ({"code": "ZZZZZZZZ", "name": "bell\u0007"}, 422, "name", "control characters"),
        ({"code": "ZZZZZZZZ", "name": "\u3164\u0301"}, 422, "name", "something visible"),
        ({"code": "ZZZZZZZZ", "name": "Eve", "language": "fr"}, 422, "language", ""),
        ({"code": "ZZZZZZZZ", "name": "Eve", "role": "king"}, 422, "role", ""),
    ],
)
async def test_join_errors(run: Run, body, status, field, words):
    error = error_of(await run.http.post(f"/api/runs/{run.id}/join", json=body), status)
    assert error["field"] == field and words in error["message"]


async def test_rejoin_keeps_the_person_and_codes_ignore_case_and_dashes(run: Run):
    code = run.join_codes["nato"]
    first = await run.http.post(
        f"/api/runs/{run.id}/join", json={"code": code, "name": "Анна Иванова"}
    )
    again = await run.http.post(
        f"/api/runs/{run.id}/join",
        json={"code": f"{code[:4].lower()}-{code[4:]}", "name": "  анна   ИВАНОВА "},
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert (
        again.json()["participant_id"] == first.json()["participant_id"]
        and again.json()["rejoined"]
    )
    for token in (first.json()["token"], again.json()["token"]):  # both devices work
        assert (await run.http.get(f"/api/runs/{run.id}", headers=bearer(token))).status_code == 200
    joined = [e for e in await run.facilitator.events() if e["kind"] == "participant.joined"]
    assert len(joined) == 1
    error = error_of(
        await run.http.post(
            f"/api/runs/{run.id}/join",
            json={"code": run.join_codes["observers"], "name": "Obs", "role": "team_lead"},
        ),
        422,
    )
    assert error["field"] == "role"


async def test_facilitator_powers_need_the_facilitator_token(run: Run):
    alice = await run.join("nato", "Alice")
    for path, body in [
        ("/control", {"action": "start"}),
        ("/injects", {"inject": "nudge"}),
        ("/adjudications", {"move_seq": 1, "decision": "accept", "outcome": "x"}),
        ("/notes", {"text": "x"}),
        ("/escalation", {"change": 1}),
        ("/comcheck", {}),
    ]:
        error = error_of(await alice.post(path, body), 403)
        assert "white cell" in error["message"]
    white = await run.join("white_cell", "Co-facilitator")
    assert (
        await white.post("/control", {"action": "start"})
    ).status_code == 200  # co-facilitators may


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("/control", {"action": "restart"}, 422, "action"),
        ("/injects", {"inject": "nudge", "title": "x"}, 422, None),
        ("/injects", {"title": "Only a title", "audience": "all"}, 422, "body"),
        (
            "/injects",
            {"title": "t", "body": "b", "audience": ["nato", "ukraine"]},
            422,
            "audience[1]",
        ),
        ("/injects", {"inject": "nudg"}, 404, "inject"),
        (
            "/adjudications",
            {"move_seq": 999, "decision": "accept", "outcome": "x"},
            404,
            "move_seq",
        ),
        ("/adjudications", {"move_seq": 1, "decision": "maybe", "outcome": "x"}, 422, "decision"),
        (
            "/adjudications",
            {"move_seq": "1", "decision": "accept", "outcome": "x"},
            422,
            "move_seq",
        ),
        (
            "/adjudications",
            {"move_seq": 1, "decision": "accept", "outcome": "x", "escalation_change": "2"},
            422,
            "escalation_change",
        ),
        ("/hotline", {"action": "delay", "seconds": True}, 422, "seconds"),
        ("/escalation", {"change": 1, "level": "calm"}, 422, None),
        ("/escalation", {"level": "wat"}, 422, "level"),
        ("/notes", {"text": ""}, 422, "text"),
    ],
)
async def test_facilitator_input_errors(run: Run, path, body, status, field):
    await run.control("start")
    error = error_of(await run.facilitator.post(path, body), status)
    if field:
        assert error.get("field") == field, error


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("/moves", {"move_type": "call", "action": "x"}, 422, "client_id"),
        ("/moves", {"client_id": "a", "move_type": "call", "action": "x" * 2001}, 422, "action"),
        (
            "/moves",
            {"client_id": "a", "move_type": "call", "action": "x", "confidence": 6},
            422,
            "confidence",
        ),
        # the wrong type is refused, not converted: true is not a 1, "3" is not a 3
        *[
            (
                "/moves",
                {"client_id": "a", "move_type": "call", "action": "x", "confidence": v},
                422,
                "confidence",
            )
            for v in (True, "3", 2.0)
        ],
        ("/moves", {"client_id": "a", "move_type": "call", "action": 7}, 422, "action"),
        ("/moves", {"client_id": "a b", "move_type": "call", "action": "x"}, 422, "client_id"),
        ("/moves", {"client_id": "a", "move_type": "sing", "action": "x"}, 422, "move_type"),
        ("/messages", {"client_id": "a", "channel": "radio", "text": "x"}, 422, "channel"),
        ("/messages", {"client_id": "a", "channel": "team", "text": "x" * 4001}, 422, "text"),
        ("/messages", {"client_id": "a", "channel": "hotline", "text": "x"}, 409, "channel"),
        ("/hotline", {"action": "answer"}, 409, None),
        ("/hotline", {"action": "dial"}, 422, "action"),
        ("/comcheck/ack", {}, 404, "comcheck_seq"),
    ],
)
async def test_participant_input_errors(run: Run, path, body, status, field):
    alice = await run.join("nato", "Alice")
    await run.control("start")
    error = error_of(await alice.post(path, body), status)
    if field:
        assert error.get("field") == field, error


async def test_ended_runs_refuse_writes(run: Run):
    alice = await run.join("nato", "Alice")
    await run.control("start")
    await run.control("end")
    error = error_of(
        await alice.post("/messages", {"client_id": "z", "channel": "team", "text": "late"}), 409
    )
    assert error["message"] == "cannot send a message: the run has ended"
    error_of(
        await run.http.post(
            f"/api/runs/{run.id}/join", json={"code": run.join_codes["nato"], "name": "New"}
        ),
        409,
    )


async def test_malformed_bodies(run: Run, http: httpx.AsyncClient):
    headers = bearer(run.facilitator_token) | {"content-type": "application/json"}
    error = error_of(
        await http.post(f"/api/runs/{run.id}/control", content=b"{not json", headers=headers), 422
    )
    assert "JSON" in error["message"] or "json" in error["message"].lower()
    error_of(
        await http.post(f"/api/runs/{run.id}/control", content=b"[1, 2]", headers=headers), 422
    )
    big = b'{"text": "' + b"x" * 300_000 + b'"}'
    error = error_of(
        await http.post(f"/api/runs/{run.id}/notes", content=big, headers=headers), 413
    )
    assert "KiB" in error["message"]
    error_of(
        await http.get(
            f"/api/runs/{run.id}/events",
            params={"after": -1},
            headers=bearer(run.facilitator_token),
        ),
        422,
    )
    error_of(await http.get("/api/nothing-here"), 404)


async def test_chat_and_moves_are_rate_limited(run: Run):
    alice = await run.join("nato", "Alice")
    await run.control("start")
    statuses = []
    for i in range(65):
        response = await alice.post(
            "/messages", {"client_id": f"r{i}", "channel": "team", "text": "spam"}
        )
        statuses.append(response.status_code)
    assert statuses[:60] == [201] * 60 and statuses[60:] == [429] * 5
    assert int(response.headers["Retry-After"]) >= 1
    assert "a minute" in response.json()["error"]["message"]
    bob = await run.join("nato", "Bob")  # limits are per participant
    assert (
        await bob.post("/messages", {"client_id": "b", "channel": "team", "text": "hi"})
    ).status_code == 201


async def test_healthz(http: httpx.AsyncClient):
    body = (await http.get("/healthz")).json()
    assert body["status"] == "ok" and body["database"] is True and body["version"]


async def test_security_headers(http: httpx.AsyncClient):
    response = await http.get("/healthz")
    csp = response.headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_code_alone_finds_its_run(run: Run, http: httpx.AsyncClient):
    code = run.join_codes["russia"]
    response = await http.post(
        "/api/join", json={"code": code.lower(), "name": "Вера", "language": "ru"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["run_id"] == run.id and body["team"] == "russia" and body["role"] == "player"
    error = error_of(await http.post("/api/join", json={"code": "ACDEFGHJ", "name": "Eve"}), 404)
    assert error["field"] == "code" and "any run on this server" in error["message"]
    other = await http.post(f"/api/runs/{run.id}/join", json={"code": code, "name": "Вера"})
    assert other.status_code == 200 and other.json()["participant_id"] == body["participant_id"]


async def test_wrong_join_codes_are_rate_limited_per_address(tmp_path, database_url):
    from tests.conftest import FIXTURES
    from tests.support.client import create_run
    from tests.support.server import Server

    server = Server(tmp_path, database_url, FIXTURES).start()
    try:
        async with httpx.AsyncClient(base_url=server.url) as http:
            run = await create_run(http, server.ws_url)
            for i in range(25):  # right codes do not count
                await run.join("nato", f"Player {i}")
            guesses = [
                (
                    await http.post("/api/join", json={"code": f"ACDEFG{a}{b}", "name": "Eve"})
                ).status_code
                for a in "HJKMNP"
                for b in "KMNPQRTUVWXY"
            ]
            assert guesses[:60] == [404] * 60 and set(guesses[60:]) == {429}
            refused = await http.post(
                "/api/join", json={"code": run.join_codes["nato"], "name": "Late"}
            )
            assert (
                refused.status_code == 429
                and "wrong join codes" in refused.json()["error"]["message"]
            )
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/adjudications", {"move_seq": 2**63, "decision": "accept", "outcome": "x"}, "move_seq"),
        ("/adjudications", {"move_seq": 2**31, "decision": "accept", "outcome": "x"}, "move_seq"),
        ("/notes", {"text": "a\u0000b"}, "text"),
        ("/notes", {"text": "\u200b\ufeff\u202e"}, "text"),
        ("/injects", {"title": "t\u0007", "body": "b", "audience": "all"}, "title.en"),
        ("/injects", {"title": "t", "body": "b", "audience": []}, "audience"),
        ("/injects", {"inject": "x" * 5000}, "inject"),
        ("/injects", {"title": "t", "body": "a\u0000", "audience": "all"}, "body.en"),
        ("/injects", {"title": "t", "body": {"en": "a\u0000"}, "audience": "all"}, "body.en"),
        ("/injects", {"title": "t", "body": 5, "audience": "all"}, "body"),
    ],
)
async def test_numbers_and_text_a_database_would_choke_on(run: Run, path, body, field):
    """Out-of-range integers and control characters are refused at the edge, naming the field,
    on SQLite and PostgreSQL alike (they used to fail inside the database as a 500)."""
    await run.control("start")
    error = error_of(await run.facilitator.post(path, body), 422)
    assert error.get("field") == field, error
    assert len(error["message"]) < 300  # never echoes pages of input back


async def test_participant_numbers_and_text_are_bounded(run: Run):
    alice = await run.join("nato", "Alice")
    await run.control("start")
    for body, field in [
        ({"comcheck_seq": 10**30}, "comcheck_seq"),
        ({"comcheck_seq": -1}, "comcheck_seq"),
    ]:
        assert error_of(await alice.post("/comcheck/ack", body), 422)["field"] == field
    error = error_of(
        await alice.post(
            "/messages", {"client_id": "n", "channel": "team", "text": "\u00a0\u200b"}
        ),
        422,
    )
    assert error["field"] == "text" and "visible" in error["message"]
    error = error_of(
        await alice.post(
            "/messages", {"client_id": "o", "channel": "team", "text": "abc\u202edef"}
        ),
        422,
    )
    assert error["field"] == "text" and "U+202E (RIGHT-TO-LEFT OVERRIDE)" in error["message"]
    error_of(await alice.get("/events", after=2**31), 422)
    error_of(await alice.post("/recommendations/99999999999999/endorse", {}), 422)
    # A comcheck ack must name a comcheck that was sent
    joined = next(e for e in await run.facilitator.events() if e["kind"] == "participant.joined")
    error = error_of(await alice.post("/comcheck/ack", {"comcheck_seq": joined["seq"]}), 404)
    assert error["field"] == "comcheck_seq"
    # no body at all acknowledges the latest comcheck, like an empty one
    sent = await run.facilitator.ok("/comcheck", {})
    url, auth = f"/api/runs/{run.id}/comcheck/ack", bearer(alice.token)
    acked = await run.http.post(url, headers=auth)
    assert acked.status_code == 201 and acked.json()["payload"]["comcheck_seq"] == sent["seq"]
    assert (await run.http.post(url, headers=auth)).json()["seq"] == acked.json()["seq"]


async def test_a_client_id_is_for_one_write(run: Run):
    alice = await run.join("nato", "Alice")
    await run.control("start")
    first = await alice.post("/moves", {"client_id": "o3", "move_type": "call", "action": "Call"})
    again = await alice.post("/moves", {"client_id": "o3", "move_type": "call", "action": "Call"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["seq"] == first.json()["seq"]
    for path, body in [
        ("/messages", {"client_id": "o3", "channel": "team", "text": "hi"}),  # another endpoint
        ("/moves", {"client_id": "o3", "move_type": "call", "action": "Something else"}),
    ]:
        error = error_of(await alice.post(path, body), 409)
        assert error["code"] == "client_id_reused" and error["field"] == "client_id"
    texts = [e["payload"].get("text") for e in await run.facilitator.events()]
    assert "hi" not in texts  # nothing was appended


async def test_a_committed_write_is_retried_past_the_rate_limit(run: Run):
    alice = await run.join("nato", "Alice")
    await run.control("start")
    first = await alice.post("/messages", {"client_id": "keep", "channel": "team", "text": "0"})
    for i in range(1, 65):
        await alice.post("/messages", {"client_id": f"f{i}", "channel": "team", "text": "spam"})
    retry = await alice.post("/messages", {"client_id": "keep", "channel": "team", "text": "0"})
    assert retry.status_code == 200 and retry.json()["seq"] == first.json()["seq"]
    fresh = await alice.post("/messages", {"client_id": "new", "channel": "team", "text": "1"})
    assert fresh.status_code == 429


async def test_bodies_that_are_not_json_objects(run: Run, http: httpx.AsyncClient):
    url, token = f"/api/runs/{run.id}/control", bearer(run.facilitator_token)
    error = error_of(
        await http.post(
            url, content=b'{"action": "start"}', headers=token | {"content-type": "text/plain"}
        ),
        415,
    )
    assert error["code"] == "unsupported_media_type"
    bare = await http.post(url, content=b'{"action": "start"}', headers=token)
    assert error_of(bare, 415)["code"] == "unsupported_media_type"  # no Content-Type at all
    error = error_of(
        await http.post(url, headers=token | {"content-type": "application/json"}), 422
    )
    assert error["message"] == "a JSON request body is required" and "field" not in error
    error = error_of(
        await http.post(
            url, content=b'{"action": ', headers=token | {"content-type": "application/json"}
        ),
        422,
    )
    assert "not valid JSON" in error["message"] and "field" not in error

    async def chunks():
        for _ in range(40):
            yield b"x" * 10_000

    error = error_of(
        await http.post(
            f"/api/runs/{run.id}/notes",
            content=chunks(),
            headers=token | {"content-type": "application/json"},
        ),
        413,
    )
    assert "KiB" in error["message"]
    assert (await http.get("/healthz")).status_code == 200  # the connection is still good


async def test_retries_do_not_use_up_the_rate_limit(run: Run):
    alice = await run.join("nato", "Alice")
    await run.control("start")
    for _ in range(65):
        answer = await alice.post(
            "/messages", {"client_id": "same", "channel": "team", "text": "x"}
        )
        assert answer.status_code in (200, 201)
    fresh = await alice.post("/messages", {"client_id": "next", "channel": "team", "text": "y"})
    assert fresh.status_code == 201
