"""A real Chromium (Debian's) driven by Playwright, against a real server."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.server import Server
from tests.support.services import IN_CI

CHROMIUM = os.environ.get("TTX_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture
async def chromium() -> AsyncIterator[object]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        await browser.close()


@pytest.fixture
def library_server(tmp_path: Path) -> Iterator[Server]:
    """A server with the real scenario library on a fresh SQLite file."""
    server = Server(
        tmp_path / "data", f"sqlite:///{tmp_path / 'ttx.sqlite3'}", ROOT / "exercises"
    ).start()
    yield server
    server.stop()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: docs/screenshots/ when TTX_SCREENSHOTS=1 (make screenshots)."""
    if os.environ.get("TTX_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path
