"""The bus contract, run against every backend: in memory, and the real Redis. A Redis that
drops and comes back is healed: the bus reconnects, resubscribes and says so."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from app.realtime.bus import Bus, MemoryBus, RedisBus, make_bus
from tests.support.services import private_redis, redis_url


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []
        self.gaps = 0
        self.arrived = asyncio.Event()

    def __call__(self, channel: str, message: str) -> None:
        self.messages.append((channel, message))
        self.arrived.set()

    def gap(self) -> None:
        self.gaps += 1

    async def wait_for(self, count: int, timeout: float = 5) -> list[tuple[str, str]]:
        async def enough() -> None:
            while len(self.messages) < count:
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(enough(), timeout)
        return self.messages


@pytest.fixture(params=["memory", "redis"])
def url(request) -> str:
    return "memory://" if request.param == "memory" else redis_url()


@pytest.fixture
async def pair(url) -> AsyncIterator[tuple[Bus, Inbox, Bus, Inbox]]:
    """Two buses on one backend (two processes, in the Redis case)."""
    first, second = Inbox(), Inbox()
    a = make_bus(url, first, first.gap)
    b = a if isinstance(a, MemoryBus) else make_bus(url, second, second.gap)
    if b is a:
        second = first
    await a.connect()
    if b is not a:
        await b.connect()
    yield a, first, b, second
    await a.disconnect()
    if b is not a:
        await b.disconnect()


async def test_published_messages_arrive_in_order(pair):
    a, _, b, inbox = pair
    await b.subscribe("ttx:run:1")
    await asyncio.sleep(0.05)
    for i in range(50):
        await a.publish("ttx:run:1", f"m{i}")
    got = await inbox.wait_for(50)
    assert got == [("ttx:run:1", f"m{i}") for i in range(50)]


async def test_only_subscribed_channels_are_delivered(pair):
    a, _, b, inbox = pair
    await b.subscribe("ttx:run:yes")
    await b.subscribe("ttx:run:gone")
    await b.unsubscribe("ttx:run:gone")
    await asyncio.sleep(0.05)
    await a.publish("ttx:run:no", "x")
    await a.publish("ttx:run:gone", "y")
    await a.publish("ttx:run:yes", "z")
    assert await inbox.wait_for(1) == [("ttx:run:yes", "z")]
    await asyncio.sleep(0.2)
    assert inbox.messages == [("ttx:run:yes", "z")]


def test_the_backend_is_chosen_by_url():
    assert isinstance(make_bus("", print), MemoryBus)
    assert isinstance(make_bus("redis://localhost:6379/0", print), RedisBus)
    with pytest.raises(ValueError, match="unsupported bus URL"):
        make_bus("kafka://x", print)


async def test_a_redis_that_drops_and_comes_back_is_reconnected_and_reported(tmp_path):
    with private_redis(str(tmp_path)) as server:
        await _drop_and_return(server.url, server.start, server.stop)


async def _drop_and_return(url, start, stop):
    inbox, sender_inbox = Inbox(), Inbox()
    subscriber = RedisBus(url, inbox, inbox.gap)
    publisher = RedisBus(url, sender_inbox, sender_inbox.gap)
    await subscriber.connect()
    await publisher.connect()
    await subscriber.subscribe("ttx:run:r")
    await asyncio.sleep(0.05)
    await publisher.publish("ttx:run:r", "before")
    await inbox.wait_for(1)
    stop()
    await publisher.publish("ttx:run:r", "lost while down")  # logged, never raised
    await asyncio.sleep(0.5)
    start()
    for _ in range(100):  # the subscriber notices, reconnects and resubscribes
        if inbox.gaps:
            break
        await asyncio.sleep(0.1)
    assert inbox.gaps == 1
    await publisher.publish("ttx:run:r", "after")
    got = await inbox.wait_for(2, timeout=10)
    assert [m for _, m in got] == ["before", "after"]
    await subscriber.disconnect()
    await publisher.disconnect()
