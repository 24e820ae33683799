"""The shared resources of one server process, built in the lifespan and kept in `app.state`."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

import structlog
from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from sqlalchemy import Engine

from app.auth import keys
from app.auth.tokens import new_id
from app.config import Settings
from app.db import make_engine
from app.errors import RateLimited
from app.events.store import Store
from app.realtime.bus import make_bus
from app.realtime.hub import Hub
from app.runs.service import TokenResolver
from app.scenarios.library import Library

log = structlog.get_logger(__name__)


class Limiter:
    """Per-participant limits on writes, and on wrong join codes per client address (so codes
    cannot be guessed quickly). Shared across processes through Redis when it is configured."""

    def __init__(self, per_minute: int, redis_url: str) -> None:
        storage = (
            storage_from_string(
                "async+" + redis_url, implementation="redispy"
            )  # the redis client ttx already uses
            if redis_url
            else storage_from_string("async+memory://")
        )
        self.writes = parse(f"{per_minute}/minute")
        self.wrong_codes = parse("60/minute")  # a room behind one NAT makes typos; 25^8 codes
        self.limiter = MovingWindowRateLimiter(storage)

    async def allows(self, who: str) -> bool:
        """Whether `who` may write now (counts nothing)."""
        return await self._ask(self.limiter.test, self.writes, "ttx", who)

    async def count(self, who: str) -> None:
        """One write by `who` that appended something (or was refused by the run)."""
        await self._ask(self.limiter.hit, self.writes, "ttx", who)

    async def refuse(self, who: str) -> None:
        await self._refuse(
            self.writes, who, "messages, moves, hotline actions, recommendations and endorsements"
        )

    async def check_joins(self, address: str) -> None:
        """429 while `address` has used up its wrong join codes."""
        if not await self._ask(self.limiter.test, self.wrong_codes, "ttx-join", address):
            await self._refuse(self.wrong_codes, address, "wrong join codes", "ttx-join")

    async def wrong_code(self, address: str) -> None:
        await self._ask(self.limiter.hit, self.wrong_codes, "ttx-join", address)

    async def _ask(self, call: Callable[..., Awaitable[bool]], *args: Any) -> bool:
        """Fail open: if the limiter's storage (Redis) is away, the exercise goes on unlimited."""
        try:
            return await call(*args)
        except Exception as exc:
            log.warning("rate limiter unavailable; allowing", error=str(exc))
            return True

    async def _refuse(self, item: RateLimitItem, who: str, what: str, scope: str = "ttx") -> None:
        stats = await self.limiter.get_window_stats(item, scope, who)
        retry = max(1, int(stats.reset_time - time.time()) + 1)
        raise RateLimited(
            f"too many {what}: at most {item.amount} a minute; retry in {retry} s",
            retry_after=retry,
        )


@dataclass
class Services:
    settings: Settings
    library: Library
    reader: Engine
    writer: Engine
    store: Store
    hub: Hub
    resolver: TokenResolver
    facilitator_key: str
    limiter: Limiter
    worker: str

    @classmethod
    def build(cls, settings: Settings) -> Services:
        url = settings.resolved_database_url
        reader, writer = make_engine(url), make_engine(url, writer=True)
        worker = f"{socket.gethostname()}:{os.getpid()}:{new_id(length=6)}"
        hub = Hub(partial(make_bus, settings.redis_url), worker)
        store = Store(reader, writer, hub.committed)
        return cls(
            settings=settings,
            library=Library.load(settings.scenario_dir),
            reader=reader,
            writer=writer,
            store=store,
            hub=hub,
            resolver=TokenResolver(store),
            facilitator_key=keys.facilitator_key(settings),
            limiter=Limiter(settings.rate_limit_per_minute, settings.redis_url),
            worker=worker,
        )


async def get_services(request: Request) -> Services:
    """Async on purpose: FastAPI runs a plain `def` dependency in its thread pool."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]
