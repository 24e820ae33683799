"""Who is connected: the facilitator's comcheck view, presence frames and heartbeats."""

from __future__ import annotations

import asyncio

import httpx

from tests.conftest import FIXTURES
from tests.support.client import StalledClient, create_run, flood
from tests.support.server import Server


async def test_comcheck_shows_who_is_connected_and_who_acknowledged(tmp_path, database_url):
    server = Server(
        tmp_path, database_url, FIXTURES, env={"TTX_WS_HEARTBEAT_SECONDS": "0.5"}
    ).start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            run = await create_run(http, server.ws_url)
            alice, boris = await run.join("nato", "Alice"), await run.join("russia", "Boris")
            white = await run.facilitator.stream()
            nato = await alice.stream()
            presence = await _frame(white, "presence")
            assert presence == {
                "type": "presence",
                "participant_id": alice.participant_id,
                "team": "nato",
                "connected": True,
            }
            people = {
                p["name"]: p
                for p in (await run.facilitator.get("/participants")).json()["participants"]
            }
            assert people["Alice"]["connected"] is True and people["Boris"]["connected"] is False
            teams_view = (await boris.get("/participants")).json()["participants"]
            assert all("connected" not in p and "language" not in p for p in teams_view)

            comcheck = await run.facilitator.ok("/comcheck", {"text": "Radio check"})
            seen = await nato.until(lambda e: e["kind"] == "comcheck.sent")
            assert seen["payload"]["text"] == "Radio check"
            first = await alice.post("/comcheck/ack", {})
            second = await alice.post("/comcheck/ack", {"client_id": "other"})
            assert (first.status_code, second.status_code) == (201, 200)  # one acknowledgement each
            acked = await white.until(lambda e: e["kind"] == "comcheck.acked")
            assert (
                acked["actor"] == alice.participant_id
                and acked["payload"]["comcheck_seq"] == comcheck["seq"]
            )

            heartbeat = await _frame(nato, "heartbeat")
            assert heartbeat["last_seq"] >= acked["seq"]
            await nato.close()
            gone = await _frame(white, "presence")
            assert gone["connected"] is False and gone["participant_id"] == alice.participant_id
            people = {
                p["name"]: p
                for p in (await run.facilitator.get("/participants")).json()["participants"]
            }
            assert people["Alice"]["connected"] is False
            await white.close()
    finally:
        server.stop()


async def test_a_device_that_reads_nothing_is_dropped_and_shown_disconnected(
    tmp_path, database_url
):
    """A tab frozen in the background keeps its socket open but reads nothing: after the
    resync grace the server lets it go, so the white cell sees the player as gone."""
    env = {"TTX_WS_QUEUE_SIZE": "8", "TTX_WS_RESYNC_GRACE_SECONDS": "1"}
    server = Server(tmp_path, database_url, FIXTURES, env=env).start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=15) as http:
            run = await create_run(http, server.ws_url)
            await run.control("start")
            alice = await run.join("nato", "Alice")
            white = await run.facilitator.stream()
            frozen = StalledClient(server.ws_url, run.id, alice.token)
            assert (await _frame(white, "presence"))["connected"] is True
            await flood(run.facilitator)
            gone = await _frame(white, "presence", timeout=60)
            assert gone == {
                "type": "presence",
                "participant_id": alice.participant_id,
                "team": "nato",
                "connected": False,
            }
            people = (await run.facilitator.get("/participants")).json()["participants"]
            assert [p["connected"] for p in people if p["name"] == "Alice"] == [False]
            frozen.sock.close()
            await white.close()
    finally:
        server.stop()


async def _frame(stream, kind: str, timeout: float = 10) -> dict:
    async def wait() -> dict:
        while True:
            frame = await stream.frame()
            if frame["type"] == kind:
                return frame

    return await asyncio.wait_for(wait(), timeout)
