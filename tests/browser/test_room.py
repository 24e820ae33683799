"""The team room while a player is busy writing: what arrives must be seen without losing
the place, by keyboard as well as by mouse, and injected markup stays inert and silent."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.helpers import open_console, open_page, open_room
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
        # the panel says Decline while it rings, as the strip does; the strip keeps one line
        await expect(room.locator("#hotline-hangup")).to_have_text("Decline")
        status = await room.locator("#strip #status").bounding_box()
        connection = await room.locator("#strip #connection").bounding_box()
        assert abs(connection["y"] - status["y"]) < 12, (status, connection)
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
        await expect(room.locator("#tab-plenary .tab-unread")).to_have_count(1)
        await expect(room.locator("#tab-plenary")).to_have_accessible_name(
            re.compile("new messages")
        )
        await room.locator("#tab-team").focus()
        await room.keyboard.press("ArrowRight")
        await expect(room.locator("#tab-plenary")).to_be_focused()
        await expect(room.locator("#tab-plenary")).to_have_attribute("aria-selected", "true")
        await expect(room.locator("#chat-plenary")).to_be_visible()
        await expect(room.locator("#tab-plenary .tab-unread")).to_have_count(0)
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
        # what observers can do, and what does not reach them, said once
        await expect(room.locator("#recs-help")).to_contain_text("As an observer you can read")
        await expect(room.locator("#observer-note")).to_contain_text(
            "You do not see the hotline, the teams' own channels, or injects the white cell sends"
            " only to some teams."
        )

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


LONG_TITLE = "Workshop A, day 1 — Geneva, with the retired officers' group and the diplomats' group, December"


async def test_the_strip_on_a_tablet_notes_and_an_incoming_call(chromium, library_server: Server):
    server, errors = library_server, []
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "baltic-air-near-miss", title=LONG_TITLE)
        anna = await run.join("nato", "Anna")
        boris = await run.join("russia", "Boris")
        await run.control("start")
        room = await open_page(chromium, errors, "nato", 768, 1024)
        await open_room(room, server, anna)

        # the title takes one line, the whole of it in a tooltip
        title = room.locator("#strip .title")
        await expect(title).to_have_attribute("title", f"NATO · {LONG_TITLE}")
        assert (await title.bounding_box())["height"] < 30

        # three notes take one line with a count; the rest open on request
        for inject in ("near-miss-report", "passenger-video", "private-facts"):
            await run.fire(inject)
        notes = room.locator("#toasts .toast")
        await expect(notes).to_have_count(3)
        await expect(room.locator("#toasts .toast:visible")).to_have_count(1)
        more = room.locator("#notes-more")
        await expect(more).to_have_text("+2 more")
        assert (await room.locator("#strip").bounding_box())["height"] < 190
        await more.click()
        await expect(more).to_have_attribute("aria-expanded", "true")
        await expect(room.locator("#toasts .toast:visible")).to_have_count(3)

        # each note is a button the keyboard reaches, and leads to what it announces
        latest = room.get_by_role("button", name=re.compile(r"New inject: .* \(show it\)$")).last
        await more.focus()
        await room.keyboard.press("Shift+Tab")
        await expect(latest).to_be_focused()
        await room.keyboard.press("Enter")
        await expect(room.locator("#feed .card").first).to_be_focused()
        await room.locator("#notes-dismiss").click()
        await expect(room.locator("#toasts .toast")).to_have_count(0)
        # the hotline, the messages and the moves are not below the whole feed
        feed = await room.locator("#feed").evaluate("f => getComputedStyle(f).overflowY")
        assert feed == "auto"
        box = await room.locator("#feed").bounding_box()
        assert box["height"] <= 1024 * 0.6 + 1, box  # a long feed scrolls in its own box
        phase = await room.locator("#phase-h").locator("xpath=..").bounding_box()
        hotline = await room.locator("#hotline-h").bounding_box()
        assert hotline["y"] < box["y"] + box["height"] + phase["height"] + 80, (box, hotline)

        # an incoming call: Answer and Decline in the strip; the ring only when switched on
        sound = room.locator("#ring-sound")
        await expect(sound).not_to_be_checked()
        await boris.hotline("call")
        call = room.locator("#strip-call")
        await expect(call).to_contain_text("Russia is calling on the hotline")
        await expect(call).to_be_in_viewport()
        await expect(call).to_have_attribute("data-sound", "off")
        await call.get_by_role("button", name="Decline").click()
        await expect(call).to_be_hidden()
        await expect(room.locator("#hotline-messages")).to_contain_text("NATO declined the call")
        await sound.check()
        await boris.hotline("call")
        await expect(call).to_have_attribute("data-sound", "on")
        await call.get_by_role("button", name="Answer").focus()
        await room.keyboard.press("Enter")
        await expect(room.locator("#hotline-text")).to_be_focused()
        await expect(room.locator("#hotline-text")).to_be_in_viewport()
        await expect(call).to_have_attribute("data-sound", "off")
        await room.reload()
        await expect(room.locator("#ring-sound")).to_be_checked()  # remembered on this device
    assert errors == []


async def test_a_move_a_new_device_and_a_bilingual_inject(chromium, library_server: Server):
    server, errors = library_server, []
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "baltic-air-near-miss", title="Devices")
        anna = await run.join("nato", "Anna")
        boris = await run.join("russia", "Boris")
        await run.control("start")
        room = await open_page(chromium, errors, "nato")
        await open_room(room, server, anna)

        # the briefing's part labels are no smaller than the scenario's headings inside
        sizes = await room.evaluate(
            """() => ['#briefing > h3', '#read-ahead h2, #read-ahead h3'].map((s) =>
                 parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
        )
        assert sizes[0] >= sizes[1], sizes

        # a submitted move says so beside the button and shows up in view
        await room.select_option("#move-type", "share-flight-data")
        await room.fill("#move-action", "Offer the radar data")
        await room.click("#move-form button[type=submit]")
        await expect(room.locator("#move-sent")).to_have_text(
            "Move submitted — awaiting the white cell's ruling"
        )
        await expect(room.locator("#moves li").first).to_be_in_viewport()
        await expect(room.locator("#moves li").first).to_have_class(re.compile("just-submitted"))
        # once ruled, nothing in the Moves panel still says it awaits a ruling, also on reload
        move = [e for e in await anna.events() if e["kind"] == "move.submitted"][-1]
        await run.facilitator.ok(
            "/adjudications", {"move_seq": move["seq"], "decision": "reject", "outcome": "No"}
        )
        await expect(room.locator("#moves li .ruling")).to_have_text("Rejected: No")
        await expect(room.locator("#move-sent")).to_have_text("")
        await room.reload()
        await expect(room.locator("#moves li .ruling")).to_have_text("Rejected: No")
        await expect(room.locator("#moves-panel")).not_to_contain_text("awaiting")

        # on a new device, what came before the player's last own action starts read
        await run.fire("near-miss-report")
        await run.fire("passenger-video")
        await anna.say("We have read both")
        await run.fire("private-facts")
        tablet = await open_page(chromium, errors, "nato tablet")
        await open_room(tablet, server, anna)
        await expect(tablet.locator("#feed .card")).to_have_count(4)  # the ruling, 3 injects
        await expect(tablet.locator("#feed .card.unread")).to_have_count(1)
        await expect(tablet.locator("#unread-count")).to_have_text("1 unread")

        # an ad-hoc inject in both languages: each room reads its own
        white = await open_page(chromium, errors, "facilitator")
        await open_console(white, server, run.id, run.facilitator_token)
        await white.fill("#adhoc-title", "Ceasefire holds")
        await white.fill("#adhoc-body", "Both sides **confirm**.")
        await white.locator("#adhoc-second summary").click()
        await white.fill("#adhoc-title-2", "Перемирие соблюдается")
        await white.fill("#adhoc-body-2", "Обе стороны **подтверждают**.")
        # a bilingual inject takes its sender in both languages, or the white cell's name
        await white.fill("#adhoc-from", "Turkish MFA")
        await white.click("#adhoc-form button[type=submit]")
        await expect(white.locator("#adhoc-form .form-error")).to_contain_text(
            "give “From” in both too"
        )
        await expect(white.locator("#adhoc-from-2")).to_be_focused()
        await white.fill("#adhoc-from-2", "МИД Турции")
        await white.click("#adhoc-form button[type=submit]")
        await expect(white.locator("#adhoc-sent")).to_have_text(
            "Sent to everyone: “Ceasefire holds”"
        )
        russian = await open_page(chromium, errors, "russia")
        await open_room(russian, server, boris, lang="ru")
        card = russian.locator("#feed .card").first
        await expect(card.locator("h3")).to_have_text("Перемирие соблюдается")
        await expect(card.locator(".body strong").first).to_have_text("подтверждают")
        await expect(room.locator("#feed .card h3").first).to_have_text("Ceasefire holds")
    assert errors == []
