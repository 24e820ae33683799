"""The after-action review in a real browser: the facilitator writes and curates it, downloads
the printable report, and the report renders its chart with every user text inert."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.async_api import expect

from tests.support.client import create_run
from tests.support.server import Server

pytestmark = pytest.mark.browser

EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
NAMES = ["Anna <i>Ivanova</i>", "Борис Петров"]


async def play(server: Server) -> tuple[str, str, str]:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "baltic-air-near-miss", title="Review test")
        anna = await run.join("nato", NAMES[0])
        boris = await run.join("russia", NAMES[1])
        await run.control("start")
        await run.fire("near-miss-report")
        await anna.say(f"Anna <i>Ivanova</i> says {EVIL}")
        await anna.hotline("call")
        await boris.hotline("answer")
        await boris.say("Борис Петров на линии", channel="hotline")
        await anna.hotline("hang_up")
        move = await anna.move("hotline-call", f"Call Moscow {EVIL}")
        await run.facilitator.ok(
            "/adjudications",
            {
                "move_seq": move["seq"],
                "decision": "accept",
                "outcome": "Done",
                "escalation_change": 1,
            },
        )
        await anna.ok(
            "/recommendations",
            {
                "client_id": "r",
                "title": f"Drills {EVIL}",
                "text": "Test the line monthly",
                "category": "quality_of_dialogue",
                "tier": "basic",
            },
        )
        await run.control("end")
        return run.id, run.facilitator_token, anna.token


async def test_review_page_and_printable_report(
    chromium, library_server: Server, tmp_path: Path, shots: Path
):
    run_id, facilitator, participant = await play(library_server)
    errors: list[str] = []
    context = await chromium.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{library_server.url}/runs/{run_id}/review#token={facilitator}")

    # the figures are there, the facilitator writes the summary from the key facts
    await expect(page.locator("#facts li").first).to_be_visible()
    await page.click("#use-facts")
    await page.fill("#summary-text", "Both sides used the hotline within minutes.")
    await page.click("#summary-form button[type=submit]")
    await expect(page.locator("#summary-form .form-error")).to_have_text("")
    rec = page.locator("#recommendations li").first
    await expect(rec.locator("strong")).to_have_text(f"Drills {EVIL}")  # shown as text
    await rec.get_by_role("button", name="Accept").click()
    await expect(page.locator("#recommendations li[data-status=accepted]")).to_have_count(1)
    await page.locator("#objectives select").first.select_option("M")
    await expect(page.locator("#objectives tbody tr").first).to_have_class(re.compile("rating-M"))
    await page.select_option("#tl-team", "russia")
    await expect(page.locator("#timeline tbody tr").first).to_contain_text("Russia")
    await page.check("#tl-side")
    await expect(page.locator("#timeline thead th")).to_have_count(3)
    assert await page.evaluate("window.__pwned") is None
    await page.screenshot(path=shots / "review.png", full_page=True)

    # the printable report downloads, renders its chart and runs nothing
    async with page.expect_download() as download:
        await page.click("[data-download=html]:not([data-brief])")
    report = tmp_path / "report.html"
    await (await download.value).save_as(report)
    text = report.read_text(encoding="utf-8")
    for name in NAMES:
        assert name not in text and "Ivanova" not in text and "Петров" not in text
    printed = await context.new_page()
    printed.on("pageerror", lambda error: errors.append(str(error)))
    await printed.goto(report.as_uri())
    chart = printed.locator("#escalation figure svg")
    await expect(chart).to_be_visible()
    box = await chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    assert (
        await chart.locator("g.inject").count() >= 1
        and await chart.locator("g.ruling").count() == 1
    )
    await expect(printed.locator("#summary")).to_contain_text(
        "Both sides used the hotline within minutes."
    )
    await expect(printed.locator("#recommendations")).to_contain_text(f"Drills {EVIL}")
    assert await printed.evaluate("window.__pwned") is None
    assert await printed.locator("script").count() == 0
    pdf = await printed.pdf()  # it prints
    assert pdf[:4] == b"%PDF"

    # a participant reads the review and may only download what names nobody
    reader = await (await chromium.new_context()).new_page()
    reader.on("pageerror", lambda error: errors.append(str(error)))
    await reader.goto(f"{library_server.url}/")
    await reader.evaluate(
        f"localStorage.setItem('ttx.runs', JSON.stringify({{'{run_id}': {{token: '{participant}', team: 'nato'}}}}))"
    )
    await reader.goto(f"{library_server.url}/runs/{run_id}/review")
    await expect(reader.locator("#facts li").first).to_be_visible()
    await expect(reader.locator("#summary-form")).to_be_hidden()
    await expect(reader.locator("#dl-chatham")).to_be_disabled()
    assert errors == []
