"""Shared fixtures. Servers, databases and browsers are real; see tests/support/.

Tests that take `server` run twice: against SQLite and against the machine's PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.client import Run, create_run
from tests.support.server import Server
from tests.support.services import postgres_database

FIXTURES = Path(__file__).parent / "scenarios" / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def minimal_yaml() -> bytes:
    return (FIXTURES / "minimal.yaml").read_bytes()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'ttx.sqlite3'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    instance = Server(tmp_path_factory.mktemp("data"), database_url, FIXTURES).start()
    yield instance
    instance.stop()


@pytest.fixture
async def http(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=15) as client:
        yield client


@pytest.fixture
async def run(http: httpx.AsyncClient, server: Server) -> Run:
    return await create_run(http, server.ws_url)
