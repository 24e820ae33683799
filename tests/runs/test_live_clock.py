"""The real scheduler in a real server: scheduled injects around pauses and fire-now, and a
server killed with SIGKILL mid-run that comes back with nothing lost and nothing twice."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tests.conftest import FIXTURES
from tests.support.client import Run, create_run
from tests.support.server import Server


def first_report(events: list[dict]) -> list[dict]:
    return [
        e
        for e in events
        if e["kind"] == "inject.fired" and e["payload"]["inject_id"] == "first-report"
    ]


async def test_pause_holds_a_scheduled_inject_and_it_fires_at_its_exercise_time(run: Run):
    alice = await run.join("nato", "Alice")
    stream = await alice.stream()
    await run.control("start")
    await asyncio.sleep(2)
    paused = await run.control("pause")
    await asyncio.sleep(5)  # past the inject's wall-clock due time: the pause holds it
    assert first_report(await run.facilitator.events()) == []
    state = await run.facilitator.state()
    assert state["clock"] == pytest.approx(paused["clock"], abs=0.01)  # the clock stood still
    resumed_at = time.time()
    await run.control("resume")
    event = await stream.until(lambda e: e["kind"] == "inject.fired", timeout=15)
    waited = time.time() - resumed_at
    assert 2.0 < waited < 5.0  # about 3 s of exercise time were left
    assert event["clock"] == pytest.approx(5.0, abs=0.7)
    assert event["payload"]["trigger"] == "scheduled" and event["payload"]["variant"] == "nato"
    await stream.close()


async def test_fire_now_is_never_delayed_and_the_schedule_does_not_repeat_it(run: Run):
    await run.control("start")
    await run.control("pause")
    before = time.time()
    fired = await run.fire("first-report")
    assert fired["payload"]["trigger"] == "facilitator" and fired["clock"] < 1
    await run.control("resume")
    await asyncio.sleep(6.5)  # past the scheduled offset
    events = first_report(await run.facilitator.events())
    assert len(events) == 3 and all(e["payload"]["trigger"] == "facilitator" for e in events)
    assert time.time() - before > 6
    msel = {row["id"]: row for row in (await run.facilitator.state())["msel"]}
    assert (
        msel["first-report"]["status"] == "fired"
        and msel["first-report"]["fired_seq"] == fired["seq"]
    )


async def test_delayed_hotline_message_arrives_after_the_delay(run: Run):
    alice, boris = await run.join("nato", "Alice"), await run.join("russia", "Boris")
    russia = await boris.stream()
    await run.control("start")
    await run.facilitator.hotline("delay", seconds=2)
    await alice.hotline("call")
    await boris.hotline("answer")
    sent = await alice.say("Delayed hello", channel="hotline")
    assert sent["audience"] == ["nato"]
    delivered = await russia.until(lambda e: e["kind"] == "message.delivered", timeout=10)
    assert delivered["payload"]["text"] == "Delayed hello"
    # held back for the delay, never delivered early (that it comes at all: the timeout above)
    assert _seconds(sent["ts"], delivered["ts"]) >= 1.9
    await russia.close()


def _seconds(a: str, b: str) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()


async def test_sigkill_mid_run_loses_nothing_acknowledged_and_fires_schedules_once(
    tmp_path, database_url
):
    server = Server(tmp_path, database_url, FIXTURES).start()
    async with httpx.AsyncClient(base_url=server.url, timeout=5) as http:
        run = await create_run(http, server.ws_url)
        writers = [await run.join("nato" if i % 2 else "russia", f"Writer {i}") for i in range(4)]
        await run.control("start")
        started = time.time()
        await run.control("next_phase")  # the run is in phase 2 when the server dies...
        await run.control("pause")
        await run.control("resume")
        acknowledged: list[dict] = []

        async def write(person) -> None:
            for i in range(10_000):
                try:
                    response = await person.post(
                        "/messages",
                        {"client_id": f"k{i}", "channel": "team", "text": f"{person.name} #{i}"},
                    )
                except httpx.TransportError:
                    return  # the server is gone: this write was never acknowledged
                if response.status_code == 429:
                    await asyncio.sleep(0.05)
                    continue
                assert response.status_code == 201, response.text
                acknowledged.append(response.json())

        tasks = [asyncio.create_task(write(p)) for p in writers]
        await asyncio.sleep(0.8)
        server.kill()
        await asyncio.gather(*tasks)
        assert len(acknowledged) > 20

        await asyncio.sleep(1.5)  # down for a while: the exercise clock keeps running meanwhile
        server.start()
        events = await run.facilitator.events()
        by_seq = {e["seq"]: e for e in events}
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))  # no gap
        for ack in acknowledged:  # every acknowledged event is there, unchanged
            assert by_seq[ack["seq"]] == ack
        state = await run.facilitator.state()
        assert state["status"] == "running" and state["phase"]["id"] == "response"
        assert state["clock"] == pytest.approx(time.time() - started, abs=1.0)

        # phase 3's inject (+3 s) fires once, however often the server restarts
        await run.control("next_phase")
        await asyncio.sleep(1)
        server.kill()
        await asyncio.sleep(3)  # it fell due while the server was down
        server.start()
        await asyncio.sleep(1.5)
        server.stop()
        server.start()
        await asyncio.sleep(1.5)
        late = [
            e
            for e in await run.facilitator.events()
            if e["payload"].get("inject_id") == "late-news"
        ]
        assert len(late) == 1 and late[0]["payload"]["trigger"] == "scheduled"
        # retries after the restart stay idempotent
        last = acknowledged[-1]
        author = next(p for p in writers if p.participant_id == last["actor"])
        client_id = f"k{last['payload']['text'].split('#')[1]}"
        retry = await author.post(
            "/messages",
            {"client_id": client_id, "channel": "team", "text": last["payload"]["text"]},
        )
        assert retry.status_code == 200 and retry.json()["seq"] == last["seq"]
    server.stop()
