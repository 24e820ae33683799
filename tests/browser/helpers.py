"""What the browser tests share: a page per person, joining, opening a room or the console."""

from __future__ import annotations

import json
import re

from playwright.async_api import Page, expect

from tests.support.client import Person
from tests.support.server import Server


async def open_page(
    browser, errors: list[str], label: str, width: int = 1280, height: int = 800
) -> Page:
    """A fresh browser context; page errors and console errors (a CSP violation is one) land
    in `errors`; confirm() dialogs are accepted."""
    context = await browser.new_context(viewport={"width": width, "height": height})
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(f"{label}: {error}"))
    page.on("console", lambda message: _console(errors, label, message))
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _console(errors: list[str], label: str, message) -> None:
    # the browser logs an API refusal as a failed load and a restarting server as a failed
    # websocket: the page handles both
    handled = message.text.startswith(("Failed to load resource", "WebSocket connection to"))
    if message.type == "error" and not handled:
        errors.append(f"{label}: {message.text}")


async def live(page: Page) -> None:
    await expect(page.locator("#connection")).to_have_class(re.compile("live"))


async def join(page: Page, server: Server, code: str, name: str) -> None:
    """Join through the join page, as a participant does."""
    await page.goto(f"{server.url}/join?code={code}")
    await page.fill("#name", name)
    await page.click("#join-form button[type=submit]")
    await page.wait_for_url(re.compile(r"/runs/\w+/(room|console)"))
    await live(page)


async def open_room(page: Page, server: Server, person: Person, lang: str = "en") -> None:
    """`person`'s room, as on the device they joined from."""
    entry = {"token": person.token, "team": person.team, "participant_id": person.participant_id}
    await page.goto(f"{server.url}/?lang={lang}")
    await page.evaluate(
        f"localStorage.setItem('ttx.runs', JSON.stringify({{'{person.run.id}': {json.dumps(entry)}}}))"
    )
    await page.goto(f"{server.url}/runs/{person.run.id}/room?lang={lang}")
    await live(page)


async def open_console(page: Page, server: Server, run_id: str, token: str, lang: str = "en"):
    await page.goto(f"{server.url}/runs/{run_id}/console?lang={lang}#token={token}")
    await live(page)
