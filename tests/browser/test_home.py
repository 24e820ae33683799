"""The home page for a facilitator, the pages that need no script of ours, and what every
page shares: a focus ring that shows on light and dark, and labels next to their boxes."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.helpers import open_page
from tests.support.client import create_run
from tests.support.server import FACILITATOR_KEY, Server

pytestmark = pytest.mark.browser

CONTRAST = """(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const style = getComputedStyle(el);
  const ring = [style.outlineColor, style.boxShadow.match(/rgba?\\([^)]*\\)/)[0]];
  return { white: Math.max(...ring.map((c) => ratio(c, "rgb(255,255,255)"))), dark: Math.max(...ring.map((c) => ratio(c, "rgb(23,33,43)"))) };
}"""


async def test_the_facilitator_key_and_the_runs_on_the_server(chromium, library_server: Server):
    server, errors = library_server, []
    page = await open_page(chromium, errors, "facilitator")
    await page.goto(f"{server.url}/#key=wrong-key")
    await expect(page.locator("#key-error")).to_have_text(
        "This facilitator key is not valid for this server."
    )
    await expect(page.locator("#key-status")).not_to_contain_text("you can create runs")
    for hidden in ("#forget-key", "#run-list", "form.create >> nth=0"):
        await expect(page.locator(hidden)).to_be_hidden()

    # the facilitator link pasted into this tab: only the fragment changes, the page reacts
    await page.goto(f"{server.url}/#key={FACILITATOR_KEY}")
    await expect(page.locator("#key-status")).to_contain_text("you can create runs")
    await expect(page.locator("#key-error")).to_have_text("")
    await expect(page.locator("#server-runs-empty")).to_be_visible()
    assert "#key" not in page.url  # the key does not stay in the address bar

    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        elsewhere = await create_run(http, server.ws_url, "snap-exercise", title="Elsewhere")
        await elsewhere.join("nato", "Anna")
    await page.reload()
    item = page.locator("#server-runs li", has_text="Elsewhere")
    await expect(item).to_contain_text("Elsewhere · Not started · 1 participant")
    await expect(item).to_contain_text("created in another browser")
    await expect(item.locator("a")).to_have_count(0)
    await expect(page.locator("#server-runs-help")).to_contain_text("co-facilitator code")

    # forgotten, and typed in by hand
    await page.click("#forget-key")
    await expect(page.locator("#key-status")).not_to_contain_text("you can create runs")
    await page.fill("#facilitator-key", FACILITATOR_KEY)
    await page.click("#key-form button[type=submit]")
    await expect(page.locator("#key-status")).to_contain_text("you can create runs")
    assert errors == []


async def test_focus_ring_labels_docs_and_a_wrong_address(chromium, library_server: Server):
    server, errors = library_server, []
    page = await open_page(chromium, errors, "visitor")
    await page.goto(f"{server.url}/")
    # the focus ring stands out (3:1 or more) on white panels and on the dark top bar
    await page.locator("#home-code").focus()
    await page.keyboard.press("Shift+Tab")  # keyboard focus, so :focus-visible applies
    await page.keyboard.press("Tab")
    ring = await page.locator("#home-code").evaluate(CONTRAST)
    assert ring["white"] >= 3 and ring["dark"] >= 3, ring
    # the "Show both languages" box sits next to its words
    box = await page.locator("#show-both").bounding_box()
    label = await page.locator(".bilingual-toggle").bounding_box()
    assert box["x"] - label["x"] < 10 and label["width"] < 250
    # on the join page the focus ring (3 px outline, 6 px edge) leaves the helper text clear
    await page.goto(f"{server.url}/join")
    name = await page.locator("#name").bounding_box()
    helper = await page.locator("#name-help").bounding_box()
    assert helper["y"] >= name["y"] + name["height"] + 9, (name, helper)
    # the home page's heading for facilitators reads naturally in Russian
    await page.goto(f"{server.url}/?lang=ru")
    await expect(page.locator("#key-h")).to_have_text("Для ведущих")
    await page.goto(f"{server.url}/?lang=en")

    # /docs works with no internet: Swagger UI from this server, no CSP complaint
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None,
    )
    await page.goto(f"{server.url}/docs")
    await expect(page.locator(".opblock").first).to_be_visible()
    await expect(page.locator("#swagger-ui")).to_contain_text("/api/runs")
    assert outside == []

    response = await page.goto(f"{server.url}/runs/abc/consol")
    assert response.status == 404
    await expect(page.locator("h1")).to_have_text("There is no page at this address")
    await page.click("text=Go to the home page")
    await expect(page).to_have_url(re.compile(r"/$"))

    # a run this server does not have: no empty room with working buttons, a way to join again
    for where in ("room", "console"):
        response = await page.goto(f"{server.url}/runs/nosuchrun/{where}")
        assert response.status == 404
        await expect(page.locator("h1")).to_have_text("This exercise was not found")
        await expect(page.locator("#chat-form, #say-form")).to_have_count(0)
        await expect(page.get_by_role("link", name="Join again with your code")).to_have_attribute(
            "href", "/join"
        )
    assert errors == []


async def test_errors_in_the_interface_language(chromium, library_server: Server):
    server, errors = library_server, []
    page = await open_page(chromium, errors, "participant")
    await page.goto(f"{server.url}/join?code=ZZZZ-ZZZZ&lang=ru")
    await page.fill("#name", "Вера")
    await page.click("#join-form button[type=submit]")
    await expect(page.locator("#join-error")).to_have_text(
        "Учения с таким кодом нет. Уточните код у ведущего."
    )
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "snap-exercise", title="Errors")
    await page.fill("#code", run.join_codes["russia"])
    await page.click("#join-form button[type=submit]")
    await page.wait_for_url(re.compile(r"/room"))
    await expect(page.locator("#connection")).to_have_class(re.compile("live"))
    server.stop()  # the Wi-Fi drops
    await expect(page.locator("#offline")).to_contain_text("Нет связи с сервером")
    await page.fill("#chat-text", "Слышно?")
    await page.click("#chat-form button[type=submit]")
    await expect(page.locator("#chat-form .form-error")).to_have_text(
        "Не отправлено: сервер недоступен. Введённый текст сохранён — отправьте его снова, когда связь восстановится."
    )
    await expect(page.locator("#chat-text")).to_have_value("Слышно?")
    server.start()
    await expect(page.locator("#offline")).to_be_hidden(timeout=20_000)  # back: the banner goes
    assert errors == []
