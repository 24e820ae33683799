"""The workshop-server shape with processes instead of containers: two `ttx` servers on two
ports against the same PostgreSQL and Redis. Events written through either reach everyone
allowed to see them, in order, once; a killed server's clients resume on the other; a Redis
that drops and returns heals every stream from the database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import FIXTURES
from tests.support.client import Person, Run, Stream, create_run
from tests.support.server import Server
from tests.support.services import postgres_database, private_redis, redis_url

pytestmark = pytest.mark.slow


@pytest.fixture
def shared_database() -> Iterator[str]:
    with postgres_database() as url:
        yield url


def two_servers(tmp_path, database: str, redis: str) -> tuple[Server, Server]:
    a = Server(tmp_path / "a", database, FIXTURES, redis_url=redis).start()
    b = Server(
        tmp_path / "b", database, FIXTURES, redis_url=redis, env={"TTX_MIGRATE_ON_START": "false"}
    ).start()
    return a, b


CLIENTS: list[httpx.AsyncClient] = []


def on(person: Person, server: Server) -> Person:
    """The same participant, talking to another server."""
    http = httpx.AsyncClient(base_url=server.url, timeout=10)
    CLIENTS.append(http)
    run = Run(
        http, server.ws_url, person.run.id, person.run.facilitator_token, person.run.join_codes
    )
    return Person(run, person.token, person.participant_id, person.team, person.name)


@pytest.fixture(autouse=True)
async def close_clients():
    yield
    while CLIENTS:
        await CLIENTS.pop().aclose()


async def open_on(person: Person, server: Server, after: int = 0) -> Stream:
    return await Stream.open(server.ws_url, person.run.id, person.token, after)


async def settle(streams: dict[str, Stream], people: dict[str, Person]) -> None:
    """Every stream has caught up with what its viewer may see, no more, no less."""
    for name, stream in streams.items():
        history = await people[name].events()
        if history:
            await stream.until_seq(history[-1]["seq"], timeout=20)
        await stream.drain(0.3)
        assert stream.events == history, f"{name}'s stream differs from its history"


async def test_two_servers_one_run(tmp_path, shared_database):
    a, b = two_servers(tmp_path, shared_database, redis_url())
    try:
        async with httpx.AsyncClient(base_url=a.url, timeout=10) as http_a:
            run = await create_run(http_a, a.ws_url)
            people = {
                "white": run.facilitator,
                "nato_a": await run.join("nato", "Nina"),
                "russia_a": await run.join("russia", "Roman"),
            }
            people["nato_b"] = on(await run.join("nato", "Nils"), b)
            people["russia_b"] = on(await run.join("russia", "Rita"), b)
            people["observer_b"] = on(await run.join("observers", "Olga"), b)
            homes = {
                "white": a,
                "nato_a": a,
                "russia_a": a,
                "nato_b": b,
                "russia_b": b,
                "observer_b": b,
            }
            streams = {name: await open_on(person, homes[name]) for name, person in people.items()}

            await run.control("start")  # through A
            white_b = on(run.facilitator, b)
            await white_b.ok("/injects", {"inject": "first-report"})  # through B
            writers = [people["nato_a"], people["russia_b"], people["nato_b"], people["russia_a"]]

            async def chatter(person: Person, n: int) -> None:
                for i in range(n):
                    await person.say(
                        f"{person.name} {i}", channel="plenary" if i % 4 == 0 else "team"
                    )

            await asyncio.gather(*(chatter(p, 12) for p in writers))
            move = await people["nato_b"].move("deploy", "Sail")
            await run.facilitator.ok(
                "/adjudications",
                {
                    "move_seq": move["seq"],
                    "decision": "accept",
                    "outcome": "Sailed",
                    "escalation_change": 1,
                },
            )
            await settle(streams, people)
            last = (await run.facilitator.state())["last_seq"]
            assert [e["seq"] for e in streams["white"].events] == list(range(1, last + 1))
            assert not any(
                e["payload"].get("text", "").startswith("Roman")
                for e in streams["nato_b"].events
                if e["payload"].get("channel") == "team"
            )

            # the scheduled inject (+5 s) fires once although both servers run a scheduler
            await asyncio.sleep(6)
            fired = [
                e
                for e in await run.facilitator.events()
                if e["kind"] == "inject.fired" and e["payload"]["inject_id"] == "first-report"
            ]
            assert len(fired) == 3 and all(e["payload"]["trigger"] == "facilitator" for e in fired)
            await run.control("next_phase")
            await run.control("next_phase")  # 'resolution' has an inject at +3 s
            await asyncio.sleep(5)
            late = [
                e
                for e in await run.facilitator.events()
                if e["payload"].get("inject_id") == "late-news"
            ]
            assert len(late) == 1

            # SIGKILL A: its clients reconnect to B and resume with nothing lost
            a.kill()
            for name in ("white", "nato_a", "russia_a"):
                person = people[name] if name != "white" else white_b
                people[name] = on(person, b)
            await asyncio.gather(*(chatter(people[n], 5) for n in ("nato_a", "russia_b")))
            for name, home in homes.items():
                if home is a:
                    seen = streams[name]
                    resumed = await open_on(people[name], b, after=seen.last_seq)
                    await resumed.drain(0.3)
                    resumed.events[:0] = seen.events
                    streams[name] = resumed
            await settle(streams, people)
            for stream in streams.values():
                seqs = [e["seq"] for e in stream.events]
                assert seqs == sorted(set(seqs))
                await stream.close()
    finally:
        a.stop()
        b.stop()


async def test_streams_heal_after_redis_drops(tmp_path, shared_database):
    with private_redis(str(tmp_path)) as redis:
        a, b = two_servers(tmp_path, shared_database, redis.url)
        try:
            async with httpx.AsyncClient(base_url=a.url, timeout=10) as http_a:
                run = await create_run(http_a, a.ws_url)
                writer = await run.join("nato", "Nina")
                reader = on(await run.join("nato", "Nils"), b)
                await run.control("start")
                stream = await open_on(reader, b)
                await writer.say("before the drop")
                await stream.until(lambda e: e["payload"].get("text") == "before the drop")
                redis.stop()
                for i in range(5):
                    await writer.say(
                        f"while Redis is down {i}"
                    )  # written through A; B hears nothing
                redis.start()
                await stream.until(
                    lambda e: e["payload"].get("text") == "while Redis is down 4", timeout=30
                )
                await writer.say("after the return")
                await stream.until(
                    lambda e: e["payload"].get("text") == "after the return", timeout=15
                )
                seqs = [e["seq"] for e in stream.events]
                assert seqs == sorted(set(seqs))
                assert stream.events == await reader.events()
                await stream.close()
        finally:
            a.stop()
            b.stop()


async def test_ttx_serve_with_several_workers_as_compose_runs_it(tmp_path, shared_database):
    """The app service's command line: `ttx serve` with workers, PostgreSQL and Redis."""
    import os
    import signal
    import subprocess
    import sys

    from tests.support.server import FACILITATOR_KEY, free_port

    port = free_port()
    env = {
        **os.environ,
        "TTX_DATABASE_URL": shared_database,
        "TTX_REDIS_URL": redis_url(),
        "TTX_FACILITATOR_KEY": FACILITATOR_KEY,
        "TTX_SCENARIO_DIR": str(FIXTURES),
        "TTX_DATA_DIR": str(tmp_path),
        "TTX_WORKERS": "2",
        "TTX_LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            for _ in range(150):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            run = await create_run(http, f"ws://127.0.0.1:{port}")
            people = [await run.join("nato", f"P{i}") for i in range(6)]
            streams = [await person.stream() for person in people]
            await run.control("start")
            for i in range(10):
                await people[i % 6].say(f"hello {i}")
            for stream in streams:
                await stream.until(lambda e: e["payload"].get("text") == "hello 9", timeout=15)
                assert [
                    e["payload"]["text"] for e in stream.events if e["kind"] == "message.sent"
                ] == [f"hello {i}" for i in range(10)]
                await stream.close()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
