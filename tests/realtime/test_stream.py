"""The live stream: replay, resume without gaps or duplicates, concurrency, bad frames."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from tests.support.client import Run, StalledClient, Stream
from tests.support.server import Server


async def test_reconnect_resumes_with_no_gap_and_no_duplicate(run: Run):
    alice = await run.join("nato", "Alice")
    await run.control("start")
    stream = await alice.stream()
    for i in range(5):
        await alice.say(f"before {i}")
    await stream.until(lambda e: e["payload"].get("text") == "before 4")
    seen_before = list(stream.events)
    await stream.close()
    for i in range(7):  # written while the client is away
        await alice.say(f"away {i}")
    resumed = await alice.stream(after=stream.last_seq)
    for i in range(3):
        await alice.say(f"after {i}")
    await resumed.until(lambda e: e["payload"].get("text") == "after 2")
    combined = seen_before + resumed.events
    seqs = [e["seq"] for e in combined]
    assert seqs == sorted(set(seqs)), "no duplicate, in order"
    assert seqs == [e["seq"] for e in await alice.events()], "nothing missed"
    await resumed.close()


async def test_idempotent_retry_returns_the_first_event_and_appends_nothing(run: Run):
    alice = await run.join("nato", "Alice")
    await run.control("start")
    body = {"client_id": "retry-1", "channel": "team", "text": "only once"}
    first = await alice.post("/messages", body)
    again = await alice.post("/messages", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    move = {"client_id": "m-1", "move_type": "call", "action": "Call"}
    a, b = await asyncio.gather(alice.post("/moves", move), alice.post("/moves", move))
    assert (
        sorted([a.status_code, b.status_code]) == [200, 201] and a.json()["seq"] == b.json()["seq"]
    )
    texts = [e["payload"].get("text") for e in await alice.events()]
    assert texts.count("only once") == 1
    assert sum(1 for e in await alice.events() if e["kind"] == "move.submitted") == 1
    # the same client id from another participant is another write
    bob = await run.join("nato", "Bob")
    assert (await bob.post("/messages", body)).status_code == 201


async def test_seq_stays_gapless_under_concurrent_writers(run: Run):
    people = [await run.join("nato" if i % 2 else "russia", f"Writer {i}") for i in range(10)]
    await run.control("start")
    watcher = await run.facilitator.stream()

    async def write(person, n):
        for i in range(n):
            await person.say(f"{person.name} {i}", channel="plenary" if i % 3 == 0 else "team")

    await asyncio.gather(*(write(p, 15) for p in people), run.fire("nudge"))
    last = (await run.facilitator.state())["last_seq"]
    events = await run.facilitator.events()
    assert [e["seq"] for e in events] == list(range(1, last + 1))
    await watcher.until_seq(last)
    assert [e["seq"] for e in watcher.events] == list(range(1, last + 1))
    await watcher.close()


async def test_websocket_reports_bad_frames_and_stays_open(run: Run, server: Server):
    alice = await run.join("nato", "Alice")
    url = f"{server.ws_url}/ws/runs/{run.id}"
    async with websockets.connect(url) as socket:
        await socket.send("not json")
        error = json.loads(await socket.recv())
        assert error["type"] == "error" and "hello" in error["error"]["message"]
        await socket.send(json.dumps({"type": "hello", "token": alice.token, "after_seq": -1}))
        error = json.loads(await socket.recv())
        assert error["error"]["field"] == "after_seq"
        await socket.send(json.dumps({"type": "hello", "token": alice.token}))
        assert json.loads(await socket.recv())["type"] == "welcome"
        await socket.send(json.dumps({"type": "dance"}))
        frames = [json.loads(await socket.recv()) for _ in range(3)]
        error = next(f for f in frames if f["type"] == "error")
        assert "unknown frame type 'dance'" in error["error"]["message"]
        await socket.send(json.dumps({"type": "ping"}))
        await asyncio.wait_for(_until_type(socket, "pong"), 5)


async def _until_type(socket, kind):
    while True:
        frame = json.loads(await socket.recv())
        if frame["type"] == kind:
            return frame


async def test_a_pong_reports_the_last_seq_the_client_has_received(run: Run, server: Server):
    await run.control("start")
    for batch in range(10):
        await asyncio.gather(
            *(run.facilitator.ok("/notes", {"text": f"note {batch}.{i}"}) for i in range(50))
        )
    async with websockets.connect(f"{server.ws_url}/ws/runs/{run.id}") as socket:
        # the ping goes out while the server is still replaying the history
        hello = {"type": "hello", "token": run.facilitator_token, "after_seq": 0}
        await socket.send(json.dumps(hello))
        await socket.send(json.dumps({"type": "ping"}))
        welcome = json.loads(await socket.recv())
        received = 0
        while (frame := json.loads(await asyncio.wait_for(socket.recv(), 5)))["type"] != "pong":
            if frame["type"] == "event":
                received = frame["event"]["seq"]
        assert frame["last_seq"] == received == welcome["last_seq"]


async def test_oversized_frame_closes_with_1009(run: Run, server: Server):
    alice = await run.join("nato", "Alice")
    stream = await alice.stream()
    await stream.socket.send(json.dumps({"type": "ping", "pad": "x" * 70_000}))
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await _until_type(stream.socket, "never")
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


@pytest.mark.parametrize(
    ("token", "code"),
    [("nonsense", 4401)],
)
async def test_bad_token_closes_with_a_reason(run: Run, server: Server, token, code):
    async with websockets.connect(f"{server.ws_url}/ws/runs/{run.id}") as socket:
        await socket.send(json.dumps({"type": "hello", "token": token}))
        error = json.loads(await socket.recv())
        assert error["type"] == "error" and error["error"]["code"] == "unauthorized"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.recv()
        assert closed.value.rcvd.code == code


async def test_a_hello_past_the_last_event_is_refused(run: Run, server: Server):
    """A client that claims events the run never had would otherwise wait in silence."""
    alice = await run.join("nato", "Alice")
    async with websockets.connect(f"{server.ws_url}/ws/runs/{run.id}") as socket:
        for after_seq in (10**30, 99_999):
            await socket.send(
                json.dumps({"type": "hello", "token": alice.token, "after_seq": after_seq})
            )
            error = json.loads(await socket.recv())
            assert error["type"] == "error" and error["error"]["field"] == "after_seq"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.recv()
        assert closed.value.rcvd.code == 4400


async def test_foreign_token_is_refused(run: Run, http: httpx.AsyncClient, server: Server):
    from tests.support.client import create_run

    other = await create_run(http, server.ws_url)
    stranger = await other.join("nato", "Stranger")
    async with websockets.connect(f"{server.ws_url}/ws/runs/{run.id}") as socket:
        await socket.send(json.dumps({"type": "hello", "token": stranger.token}))
        assert json.loads(await socket.recv())["error"]["code"] == "forbidden"


async def test_cross_site_origin_is_refused(run: Run, server: Server):
    alice = await run.join("nato", "Alice")
    with pytest.raises(websockets.InvalidStatus) as refused:
        await Stream.open(server.ws_url, run.id, alice.token, origin="https://evil.example")
    assert refused.value.response.status_code == 403
    same = await Stream.open(server.ws_url, run.id, alice.token, origin=server.url)
    await same.close()


async def test_a_slow_client_is_told_to_resync_and_the_others_keep_flowing(tmp_path, database_url):
    from tests.conftest import FIXTURES
    from tests.support.client import create_run, flood

    server = Server(
        tmp_path,
        database_url,
        FIXTURES,
        env={"TTX_WS_QUEUE_SIZE": "8", "TTX_WS_RESYNC_GRACE_SECONDS": "600"},
    ).start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=15) as http:
            run = await create_run(http, server.ws_url)
            await run.control("start")
            slow = StalledClient(server.ws_url, run.id, run.facilitator_token)
            fast = await run.facilitator.stream()
            await flood(run.facilitator)
            last = (await run.facilitator.state())["last_seq"]
            await fast.until_seq(last, timeout=60)  # the fast client got everything
            assert [e["seq"] for e in fast.events] == list(range(1, last + 1))
            frames = await asyncio.to_thread(slow.read_all)
            assert slow.closed_with == 4008
            assert frames[-1]["type"] == "resync"
            received = [f["event"]["seq"] for f in frames if f["type"] == "event"]
            assert received == list(range(1, len(received) + 1)) and len(received) < last
            # it reconnects with its last seq and catches up with nothing lost
            again = await Stream.open(
                server.ws_url, run.id, run.facilitator_token, after=received[-1]
            )
            await again.until_seq(last, timeout=30)
            assert [e["seq"] for e in again.events] == list(range(received[-1] + 1, last + 1))
            await again.close()
            await fast.close()
    finally:
        server.stop()
