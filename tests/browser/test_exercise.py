"""A short exercise played in three browsers (facilitator, NATO, Russia), as people would."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, expect

from app.scenarios.validate import load_file
from tests.browser.helpers import join, open_page
from tests.conftest import ROOT
from tests.support.server import FACILITATOR_KEY, Server

pytestmark = pytest.mark.browser

SCENARIO = load_file(ROOT / "exercises" / "baltic-air-near-miss.yaml")
FIRST = SCENARIO.inject("near-miss-report")
XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


async def not_pwned(*pages: Page) -> None:
    for page in pages:
        assert await page.evaluate("window.__pwned") is None


async def test_a_short_exercise_in_three_browsers(chromium, library_server: Server, shots: Path):
    server, errors = library_server, []
    white = await open_page(chromium, errors, "facilitator")
    nato = await open_page(chromium, errors, "nato")
    russia = await open_page(chromium, errors, "russia")

    # The facilitator opens the facilitator link and creates a run in the UI
    await white.goto(f"{server.url}/#key={FACILITATOR_KEY}")
    await expect(white.locator("h1#library-h")).to_be_visible()
    await white.screenshot(path=shots / "home.png")
    card = white.locator("form.create[data-scenario=baltic-air-near-miss]")
    await card.locator("input[name=title]").fill("Workshop <b>A</b>")
    await card.locator("button[type=submit]").click()
    await white.wait_for_url(re.compile(r"/runs/\w+/console$"))
    await expect(white.locator("#run-title")).to_have_text(
        "Workshop <b>A</b>"
    )  # escaped, not markup
    await expect(white.locator("#codes [data-team=nato]")).to_have_text(re.compile(r"\w{4}-\w{4}"))
    codes = {
        team: await white.locator(f"#codes [data-team={team}]").inner_text()
        for team in ("nato", "russia", "observers")
    }

    # Both teams join with their codes and land in their rooms
    await nato.goto(f"{server.url}/join?code={codes['nato']}")
    await nato.screenshot(path=shots / "join.png")
    await join(nato, server, codes["nato"], "Anna")
    await join(russia, server, codes["russia"], "Борис")
    await expect(nato.locator("#team-name")).to_have_text("NATO")
    await expect(russia.locator("#team-name")).to_have_text("Russia")
    await expect(white.locator("#people [data-participant] .dot.on")).to_have_count(2)

    await white.click("[data-action=start]")
    for page in (white, nato, russia):
        await expect(page.locator("#status")).to_have_text("Running")

    # A fired inject reaches both rooms without a reload, each in its own version
    await white.locator("#msel [data-inject=near-miss-report] button").click()
    await expect(nato.locator("#feed .card h3").first).to_have_text(
        FIRST.version_for("nato").title.en
    )
    await expect(russia.locator("#feed .card h3").first).to_have_text(
        FIRST.version_for("russia").title.en
    )
    await expect(nato.locator("#feed .card.unread")).to_have_count(1)
    for page in (nato, russia):
        await expect(page.locator("#feed .card .sim").first).to_have_text(
            SCENARIO.metadata.marking.en
        )
    assert await nato.locator("#feed").inner_text() != await russia.locator("#feed").inner_text()
    await expect(white.locator("#msel [data-inject=near-miss-report]")).to_have_class(
        re.compile("fired")
    )

    # NATO's team chat never reaches Russia; a <script> in chat is shown as text and never runs
    await nato.fill("#chat-text", "NATO only: we suspect the Il-20")
    await nato.click("#chat-form button[type=submit]")
    await nato.fill("#chat-text", XSS)
    await nato.click("#chat-form button[type=submit]")
    await expect(nato.locator("#chat-team .text").last).to_have_text(XSS)
    await expect(white.locator("#log tbody")).to_contain_text("NATO only")

    # An ad-hoc inject with script, handlers and a javascript: link is sanitised
    await white.fill("#adhoc-title", "Breaking")
    await white.fill(
        "#adhoc-body",
        'Hello <script>window.__pwned = 3</script> <img src=x onerror="window.__pwned = 4"> '
        "[click me](javascript:window.__pwned=5) **bold**",
    )
    await white.click("#adhoc-form button[type=submit]")
    for page in (nato, russia):
        card = page.locator("#feed .card").first
        await expect(card.locator("h3")).to_have_text("Breaking")
        await expect(card.locator(".body strong")).to_have_text("bold")
        assert await card.locator("script, img, svg, a").count() == 0
        await expect(card.locator(".body")).to_contain_text("click me")  # the words, not a link
        await expect(card.locator(".body")).to_contain_text("<script>")  # HTML shows as text
    await not_pwned(white, nato, russia)

    # NATO submits a move; the white cell rules; the escalation indicator changes everywhere
    start_level = SCENARIO.level_index(SCENARIO.escalation.start)
    for page in (nato, russia):
        await expect(page.locator("#escalation")).to_have_attribute("data-level", str(start_level))
    await nato.select_option("#move-type", "reinforce-air-policing")
    await nato.fill("#move-action", "Double the Baltic Air Policing quick-reaction alert")
    await nato.fill("#move-result", "Deter a repeat")
    await nato.select_option("#move-confidence", "3")
    await nato.click("#move-form button[type=submit]")
    await expect(nato.locator("#moves li")).to_have_count(1)
    ruling = white.locator("#queue > li").first
    await expect(ruling).to_contain_text("Double the Baltic Air Policing")
    await ruling.locator("select[name=decision]").select_option("modify")
    await ruling.locator("textarea[name=outcome]").fill("One additional pair of fighters on alert")
    await ruling.locator("select[name=escalation_change]").select_option("1")
    await ruling.locator("button[type=submit]").click()
    await expect(white.locator("#queue > li")).to_have_count(0)
    for page in (white, nato, russia):
        locator = page.locator("#ladder") if page is white else page.locator("#escalation")
        await expect(locator).to_have_attribute("data-level", str(start_level + 1))
    await expect(nato.locator("#moves .decision")).to_have_text("Modified")
    await expect(russia.locator("#feed .card.ruling")).to_contain_text("One additional pair")
    await expect(russia.locator("#feed .card.ruling")).not_to_contain_text(
        "Deter a repeat"
    )  # intent stays with NATO

    # The hotline: called, answered, used, hung up
    await nato.click("#hotline-call")
    await expect(russia.locator("#hotline-state")).to_have_text("Incoming call")
    await expect(nato.locator("#hotline-state")).to_have_text("Calling…")
    await russia.click("#hotline-answer")
    await expect(nato.locator("#hotline-state")).to_have_text("Connected")
    await russia.fill("#hotline-text", "We see the same track. No hostile intent.")
    await russia.click("#hotline-form button[type=submit]")
    await expect(nato.locator("#hotline-messages")).to_contain_text("We see the same track")
    await expect(white.locator("#hotline-messages")).to_contain_text("We see the same track")
    await nato.click("#hotline-hangup")
    for page in (nato, russia):
        await expect(page.locator("#hotline-state")).to_have_text("Idle")
    await nato.evaluate("window.scrollTo(0, 0)")  # the sticky strip at the top of the picture
    await nato.screenshot(path=shots / "team-room.png", full_page=True)
    await white.locator("[data-code-for=nato] details.qr summary").click()  # the QR code shows
    await expect(white.locator("[data-code-for=nato] details.qr img")).to_be_visible()
    await white.screenshot(path=shots / "console.png", full_page=True)

    # Russia's room never showed NATO's team chat
    assert "NATO only" not in await russia.content()

    # The language switch turns the team room into Russian
    await russia.click("#lang-ru")
    await expect(russia.locator("#feed-h")).to_contain_text("Входящие")
    await expect(russia.locator("#team-name")).to_have_text("Россия")
    await expect(
        russia.locator("#feed .card h3", has_text=FIRST.version_for("russia").title.ru)
    ).to_be_visible()
    await expect(russia.locator("#hotline-state")).to_have_text("Линия свободна")
    # the longer Russian strip still takes one line and the page does not scroll sideways
    assert await russia.evaluate("document.documentElement.scrollWidth <= innerWidth")
    status = await russia.locator("#strip #status").bounding_box()
    connection = await russia.locator("#strip #connection").bounding_box()
    assert abs(connection["y"] - status["y"]) < 12 and connection["x"] + connection["width"] <= 1280
    await expect(russia.locator("#phase-name")).to_have_text("Опасное сближение")
    await expect(russia.locator("#strip .escalation .label")).to_have_attribute(
        "title", re.compile(r"^2/7 · Инцидент")
    )
    await russia.evaluate("window.scrollTo(0, 0)")
    await russia.screenshot(path=shots / "team-room-ru.png", full_page=True)

    # The server restarts mid-run: every page reconnects and shows what it missed
    server.stop()
    for page in (white, nato, russia):
        await expect(page.locator("#connection")).to_have_class(re.compile("reconnecting"))
    server.start()
    token = await white.evaluate("JSON.parse(localStorage.getItem('ttx.runs'))")
    run_id = white.url.split("/runs/")[1].split("/")[0]
    facilitator = token[run_id]["token"]
    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.post(
            f"/api/runs/{run_id}/injects",
            json={"inject": "passenger-video"},
            headers={"Authorization": f"Bearer {facilitator}"},
        )
        assert response.status_code == 201
    title = SCENARIO.inject("passenger-video").title
    await expect(nato.locator("#feed .card h3", has_text=title.en)).to_be_visible(timeout=20_000)
    await expect(russia.locator("#feed .card h3", has_text=title.ru)).to_be_visible(timeout=20_000)
    await expect(white.locator("#msel [data-inject=passenger-video]")).to_have_class(
        re.compile("fired"), timeout=20_000
    )
    for page in (white, nato, russia):
        await expect(page.locator("#connection")).to_have_class(re.compile("live"))
    seqs = await nato.locator("#feed .card").evaluate_all("cards => cards.map(c => c.dataset.seq)")
    assert (
        len(seqs) == len(set(seqs)) == 4
    )  # two injects, the ad-hoc one and a ruling: nothing twice

    # An observer follows read-only
    observer = await open_page(chromium, errors, "observer")
    await join(observer, server, codes["observers"], "Olga")
    await expect(observer.locator("#feed .card h3", has_text=title.en)).to_be_visible()
    await expect(observer.locator("#move-form")).to_be_hidden()
    await expect(observer.locator("#chat-form")).to_be_hidden()
    assert "NATO only" not in await observer.content()
    await observer.evaluate("window.scrollTo(0, 0)")
    await observer.screenshot(path=shots / "observer.png", full_page=True)

    await not_pwned(white, nato, russia, observer)
    assert errors == []


async def test_pages_fit_a_tablet_and_every_control_has_a_label(chromium, library_server: Server):
    server, errors = library_server, []
    white = await open_page(chromium, errors, "facilitator", 768, 1024)
    await white.goto(f"{server.url}/#key={FACILITATOR_KEY}")
    await white.locator("form.create[data-scenario=snap-exercise] button[type=submit]").click()
    await white.wait_for_url(re.compile(r"/console$"))
    code = await white.locator("#codes [data-team=russia]").inner_text()
    player = await open_page(chromium, errors, "player", 768, 1024)
    await join(player, server, code, "Vera")
    for page in (white, player):
        await expect(page.locator("#connection")).to_have_class(re.compile("live"))
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 768, f"{page.url} scrolls sideways on a tablet ({width}px)"
        unlabelled = await page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea, button')]
                 .filter(el => el.offsetParent !== null && el.type !== 'hidden')
                 .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                               && !(el.tagName === 'BUTTON' && el.textContent.trim()))
                 .map(el => el.id || el.name || el.outerHTML.slice(0, 60))"""
        )
        assert unlabelled == [], f"controls without a label on {page.url}: {unlabelled}"
    # the keyboard reaches the composer
    await player.focus("#chat-text")
    await player.keyboard.type("typed with the keyboard")
    await player.keyboard.press("Tab")
    await player.keyboard.press("Enter")
    await expect(player.locator("#chat-team .text").last).to_have_text("typed with the keyboard")
    response = await player.goto(f"{server.url}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert errors == []
