"""The bus between server processes: in memory by default, Redis pub/sub when configured.

It carries notifications only (a committed event, a presence change); the database stays the
source, so a lost notification is healed by replay. A backend is a handful of async methods,
chosen by URL scheme, and the same contract tests run against each.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Protocol

import structlog

log = structlog.get_logger(__name__)

Handler = Callable[[str, str], None]  # (channel, message): called on the event loop, must not block
GapHandler = Callable[[], Awaitable[None] | None]  # called after a reconnect: messages may be lost


class Bus(Protocol):
    async def connect(self) -> None: ...

    async def disconnect(self) -> None: ...

    async def subscribe(self, channel: str) -> None: ...

    async def unsubscribe(self, channel: str) -> None: ...

    async def publish(self, channel: str, message: str) -> None: ...


class MemoryBus:
    """One process: publishing calls the handler directly, in order."""

    def __init__(self, handler: Handler, on_gap: GapHandler | None = None) -> None:
        self.handler = handler
        self.channels: set[str] = set()

    async def connect(self) -> None:
        return None

    async def disconnect(self) -> None:
        self.channels.clear()

    async def subscribe(self, channel: str) -> None:
        self.channels.add(channel)

    async def unsubscribe(self, channel: str) -> None:
        self.channels.discard(channel)

    async def publish(self, channel: str, message: str) -> None:
        if channel in self.channels:
            self.handler(channel, message)


class RedisBus:
    """Redis pub/sub with reconnection. After a reconnect `on_gap` runs, so every stream
    re-reads the log from its last seq: nothing lost while Redis was away, nothing twice."""

    def __init__(self, url: str, handler: Handler, on_gap: GapHandler | None = None) -> None:
        self.url = url
        self.handler = handler
        self.on_gap = on_gap
        self.channels: set[str] = set()
        self._client = None
        self._pubsub = None
        self._reader: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._closing = False

    async def connect(self) -> None:
        import redis.asyncio as redis

        self._client = redis.Redis.from_url(
            self.url, decode_responses=True, socket_connect_timeout=5, health_check_interval=10
        )
        await self._client.ping()
        self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.subscribe("ttx:control")  # keeps the reader alive with no runs open
        self._connected.set()
        self._reader = asyncio.create_task(self._read(), name="ttx-redis-reader")

    async def disconnect(self) -> None:
        self._closing = True
        if self._reader:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()

    async def subscribe(self, channel: str) -> None:
        self.channels.add(channel)
        if self._connected.is_set() and self._pubsub is not None:
            with contextlib.suppress(Exception):  # a dead connection resubscribes on reconnect
                await self._pubsub.subscribe(channel)

    async def unsubscribe(self, channel: str) -> None:
        self.channels.discard(channel)
        if self._connected.is_set() and self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.unsubscribe(channel)

    async def publish(self, channel: str, message: str) -> None:
        if self._client is None:
            return
        try:
            await self._client.publish(channel, message)
        except Exception as exc:  # subscribers heal from the database once Redis is back
            log.warning("redis publish failed", error=str(exc))

    async def _read(self) -> None:
        delay = 0.1
        while not self._closing:
            try:
                assert self._pubsub is not None
                message = await self._pubsub.get_message(timeout=1.0)
                if message is not None and message["type"] == "message":
                    self.handler(message["channel"], message["data"])
                delay = 0.1
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._connected.clear()
                log.warning("redis connection lost; reconnecting", error=str(exc), retry_in=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                await self._resubscribe()

    async def _resubscribe(self) -> None:
        """A fresh pub/sub connection with every channel this process listens to."""
        assert self._client is not None
        old, self._pubsub = self._pubsub, self._client.pubsub(ignore_subscribe_messages=True)
        if old is not None:
            with contextlib.suppress(Exception):
                await old.aclose()
        try:
            await self._pubsub.subscribe("ttx:control", *self.channels)
        except Exception as exc:
            log.warning("redis still unavailable", error=str(exc))
            return
        self._connected.set()
        log.info("redis reconnected", channels=len(self.channels))
        if self.on_gap is not None:
            result = self.on_gap()
            if asyncio.iscoroutine(result):
                await result


def make_bus(url: str, handler: Handler, on_gap: GapHandler | None = None) -> Bus:
    if not url or url.startswith("memory://"):
        return MemoryBus(handler, on_gap)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBus(url, handler, on_gap)
    raise ValueError(f"unsupported bus URL {url!r}: use memory:// or redis://")
