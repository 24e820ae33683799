"""The team room while a player is busy writing: what arrives must be seen without losing
the place, by keyboard as well as by mouse, and injected markup stays inert and silent."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.helpers import open_page, open_room
from tests.support.client import create_run
from tests.support.server import Server

pytestmark = pytest.mark.browser


async def test_what_arrives_while_a_player_drafts_a_move(chromium, library_server: Server):
    server, errors = library_server, []
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "baltic-air-near-miss", title="Room")
        anna = await run.join("nato", "Anna")
        boris = await run.join("russia", "Boris")
        room = await open_page(chromium, errors, "nato")
        await open_room(room, server, anna)
        await expect(room.locator("#briefing")).to_have_attribute("open", "")
        assert await room.locator("#briefing summary").inner_text() == "Briefing"  # said once
        await expect(room.locator("#escalation")).to_have_attribute("data-tone", "low")

        # Start folds the briefing away: "Incoming" is on screen, the briefing a click away
        await run.control("start")
        await expect(room.locator("#briefing")).not_to_have_attribute("open", "")
        await expect(room.locator("#feed-h")).to_be_in_viewport()
        await expect(room.locator("#toasts")).to_contain_text("The exercise has started")

        # while Anna writes a move far down the page, an inject shows in the sticky strip
        action = room.locator("#move-action")
        await action.fill("Offer the radar data")
        await action.focus()
        await run.fire("near-miss-report")
        toast = room.locator("#toasts .toast", has_text="New inject")
        await expect(toast).to_be_in_viewport()
        await expect(room).to_have_title(re.compile(r"^\(1\) "))
        await expect(action).to_be_focused()
        # what the keyboard reaches next is not hidden under the strip
        await room.keyboard.press("Tab")
        await room.keyboard.press("Shift+Tab")
        strip = await room.locator("#strip").bounding_box()
        box = await action.bounding_box()
        assert box["y"] >= strip["y"] + strip["height"], (box, strip)

        # a pause greys out Submit and says why
        await run.control("pause")
        await expect(room.locator("#toasts")).to_contain_text("The exercise was paused")
        submit = room.locator("#move-form button[type=submit]")
        await expect(submit).to_be_disabled()
        await expect(room.locator("#move-why")).to_have_text(
            "The exercise is paused: moves can be written but not submitted until it resumes."
        )
        await expect(submit).to_have_accessible_description(re.compile("paused"))
        await run.control("resume")
        await expect(submit).to_be_enabled()

        # an incoming call: a toast and the strip; Answer by keyboard leads to the text box
        await boris.hotline("call")
        await expect(room.locator("#toasts")).to_contain_text("Russia is calling")
        await expect(room.locator("#strip-hotline")).to_contain_text("Incoming call")
        await room.locator("#hotline-answer").focus()
        await room.keyboard.press("Enter")
        await expect(room.locator("#hotline-text")).to_be_focused()
        await room.keyboard.type("Line one")
        await room.keyboard.press("Enter")
        await room.keyboard.type("line two")
        await expect(room.locator("#hotline-messages .text")).to_have_count(0)
        await room.keyboard.press("Control+Enter")
        await expect(room.locator("#hotline-messages .text").last).to_have_text(
            "Line one\nline two"
        )

        # a delay the white cell sets is not revealed to the sender
        await run.facilitator.ok("/hotline", {"action": "delay", "seconds": 120})
        await room.fill("#hotline-text", "Can you hear me?")
        await room.locator("#hotline-text").press("Control+Enter")
        await expect(room.locator("#hotline-messages .text").last).to_have_text("Can you hear me?")
        assert "Held back" not in await room.locator("#hotline-panel").inner_text()
        assert "later" not in await room.locator("#hotline-panel").inner_text()

        # submitting a move by keyboard keeps the focus in the form; the help text goes with it
        await room.select_option("#move-type", "hotline-call")
        await expect(room.locator("#move-type-help")).not_to_have_text("")
        await submit.focus()
        await room.keyboard.press("Enter")
        await expect(room.locator("#moves li")).to_have_count(1)
        await expect(room.locator("#move-type")).to_be_focused()
        await expect(room.locator("#move-type-help")).to_have_text("")

        # the comcheck takes the focus without covering the move form, then gives it back
        await room.locator("#move-action").focus()
        await run.facilitator.ok("/comcheck", {})
        await expect(room.locator("#comcheck-ack")).to_be_focused()
        check = await room.locator("#comcheck").bounding_box()
        form = await room.locator("#move-form").bounding_box()
        assert check["y"] + check["height"] <= form["y"] or check["y"] >= form["y"] + form["height"]
        await room.keyboard.press("Enter")
        await expect(room.locator("#comcheck")).to_be_hidden()
        await expect(room.locator("#move-action")).to_be_focused()

        # the ruling arrives as a toast too
        move = [e for e in await anna.events() if e["kind"] == "move.submitted"][-1]
        await run.facilitator.ok(
            "/adjudications", {"move_seq": move["seq"], "decision": "accept", "outcome": "Done"}
        )
        await expect(room.locator("#toasts")).to_contain_text(
            "The white cell ruled on your move: Accepted"
        )

        # the Team / Plenary tabs follow the arrow keys
        await boris.say("Hello, everyone", channel="plenary")
        await room.locator("#tab-team").focus()
        await room.keyboard.press("ArrowRight")
        await expect(room.locator("#tab-plenary")).to_be_focused()
        await expect(room.locator("#tab-plenary")).to_have_attribute("aria-selected", "true")
        await expect(room.locator("#chat-plenary")).to_be_visible()
        await room.keyboard.press("ArrowRight")
        await expect(room.locator("#tab-team")).to_be_focused()

        # after the end, the channels say they are closed
        await run.control("end")
        await expect(room.locator("#chat-form .closed-reason")).to_contain_text("has ended")
        await expect(room.locator("#chat-text")).to_be_disabled()
    assert errors == []


async def test_observers_and_inert_markup(chromium, library_server: Server):
    server, errors = library_server, []
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "baltic-air-near-miss", title="Observers")
        olga = await run.join("observers", "Olga")
        await run.control("start")
        room = await open_page(chromium, errors, "observer")
        await open_room(room, server, olga)
        await expect(room.locator("#tab-team")).to_be_hidden()  # no team traffic to show
        await expect(room.locator("#tab-plenary")).to_have_attribute("aria-selected", "true")

        await run.facilitator.ok(
            "/injects",
            {
                "title": "Markup",
                "audience": "all",
                "body": '"><svg onload=alert(1)> <img src=x onerror=alert(2)> '
                "[x](javascript:alert(3)) [ok](https://example.org) **bold**",
            },
        )
        card = room.locator("#feed .card").first
        await expect(card.locator(".body strong")).to_have_text("bold")
        assert await card.locator("svg, img, a:not([href])").count() == 0
        await expect(card.locator(".body a")).to_have_attribute("href", "https://example.org")
        await expect(card.locator(".body")).to_contain_text("<svg onload=alert(1)>")
        box = await card.locator(".body").bounding_box()
        assert box["height"] < 100  # no empty space where an SVG was

        await run.facilitator.ok("/comcheck", {})
        await expect(room.locator("#comcheck")).to_be_visible()
        await run.control("end")
        await expect(room.locator("#comcheck")).to_be_hidden()
    assert errors == []  # also: no CSP report about an inline handler
