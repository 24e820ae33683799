"""The facilitator console as a facilitator meets it: the lobby checklist and the join links,
sending injects to the right people, ruling, the MSEL in Russian on a laptop, and the end."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from playwright.async_api import expect

from app.scenarios.validate import load_file
from tests.browser.helpers import open_console, open_page, open_room
from tests.conftest import ROOT
from tests.support.client import create_run
from tests.support.server import Server

pytestmark = pytest.mark.browser

RAW = re.compile(
    r"run\.created|participant\.joined|team_lead|\{\"|\(team\)|near-miss-report|near-miss →"
)


async def test_lobby_codes_and_an_inject_for_chosen_teams(chromium, library_server: Server):
    server, errors = library_server, []
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "baltic-air-near-miss", title="Console")
        white = await open_page(chromium, errors, "facilitator")
        await open_console(white, server, run.id, run.facilitator_token)

        # the lobby: a checklist for the facilitator, not the players' text
        banner = white.locator("#banner")
        await expect(banner).to_contain_text("Teams joined: 0 of 2")
        await expect(banner).not_to_contain_text("Read your briefing")
        await expect(white.locator("#phase-title")).to_have_text("1/3 · The near-miss")
        await expect(white.locator("#countdown")).to_have_text("")

        # each team's code comes with its join link, a copy button and a QR code of the link
        nato = white.locator("[data-code-for=nato]")
        link = f"{server.url}/join?code={run.join_codes['nato']}"
        await expect(white.locator("#join-address")).to_contain_text(server.url)
        await expect(nato.locator("a.join-link")).to_have_attribute("href", link)
        await nato.locator("details.qr summary").click()
        qr = nato.locator("details.qr img")
        await expect(qr).to_be_visible()
        # visible is its box; decode() waits for the image itself, which may still be loading
        assert await qr.evaluate("img => img.decode().then(() => img.naturalWidth)") > 100
        await nato.get_by_role("button", name="Copy the code for NATO").click()
        await expect(nato.get_by_role("button", name="Copy the code for NATO")).to_have_text(
            "Copied"
        )
        cofac = white.locator("[data-code-for=white_cell]")
        await expect(cofac.locator(".warning")).to_contain_text("full control")
        await expect(cofac.locator("details.qr")).to_have_count(0)

        anna = await run.join("nato", "Anna", role="team_lead")
        boris = await run.join("russia", "Boris")
        await expect(banner).to_contain_text("Teams joined: 2 of 2")
        # every team has someone: the codes have been handed out
        await expect(banner.locator(".checklist li").first).to_have_class("done")
        await white.click("#comcheck-form button[type=submit]")
        await expect(banner).to_contain_text("Communications check: 0 of 2 acknowledged")
        await anna.ok("/comcheck/ack", {})
        await expect(banner).to_contain_text("1 of 2 acknowledged")
        await run.control("start")
        await expect(banner).to_be_hidden()

        # Everyone and chosen teams exclude each other; no audience at all is refused
        form = white.locator("#adhoc-form")
        await form.locator("#adhoc-title").fill("For NATO only")
        await form.locator("#adhoc-body").fill("Text")
        await expect(form.locator("input[value=all]")).to_be_checked()
        await form.get_by_label("NATO", exact=True).check()
        await expect(form.locator("input[value=teams]")).to_be_checked()
        await form.locator("button[type=submit]").click()
        await expect(form.locator("#adhoc-sent")).to_have_text("Sent to NATO: “For NATO only”")
        assert [
            e["payload"]["title"] for e in await boris.events() if e["kind"] == "inject.fired"
        ] == []
        assert any(e["kind"] == "inject.fired" for e in await anna.events())
        await form.locator("#adhoc-title").fill("For nobody")
        await form.locator("#adhoc-body").fill("Text")
        await form.locator("input[value=teams]").check()
        await form.locator("button[type=submit]").click()
        await expect(form.locator(".form-error")).to_have_text(
            "Choose at least one team, or send it to everyone."
        )
        await form.get_by_label("Russia", exact=True).check()
        await form.locator("input[value=all]").check()
        await expect(form.get_by_label("Russia", exact=True)).not_to_be_checked()

        # the event log speaks plainly: no kinds, ids, role ids or JSON
        await expect(white.locator("#log tbody")).to_contain_text("Anna joined NATO as team lead")
        await expect(white.locator("#log tbody")).to_contain_text(
            "The exercise started, with the phase “The near-miss”"
        )
        assert not RAW.search(await white.locator("#log").inner_text())
    assert errors == []


async def test_rulings_keyboard_and_the_end(chromium, library_server: Server):
    server, errors = library_server, []
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "baltic-air-near-miss", title="Rulings")
        anna = await run.join("nato", "Anna")
        await run.control("start")
        white = await open_page(chromium, errors, "facilitator", 1280, 900)
        await open_console(white, server, run.id, run.facilitator_token)

        # a Fire button keeps the keyboard focus while the MSEL redraws, and after firing
        fire = white.locator("#msel [data-inject=private-facts] button")
        await fire.focus()
        await anna.move("share-flight-data", "Offer radar data")  # the console redraws
        await expect(white.locator("#queue > li")).to_have_count(1)
        await expect(fire).to_be_focused()
        await white.keyboard.press("Enter")
        await expect(white.locator("#msel [data-inject=private-facts]")).to_have_class(
            re.compile("fired")
        )
        await expect(fire).to_be_focused()

        # the escalation change is preset to the move type's weight, within the ladder
        ruling = white.locator("#queue > li").first
        await expect(ruling.locator("select[name=escalation_change]")).to_have_value("0")
        await expect(ruling).to_contain_text("usually weighs -1")
        await anna.move("reinforce-air-policing", "Double the alert")
        second = white.locator("#queue > li").nth(1)
        change = second.locator("select[name=escalation_change]")
        await expect(change).to_have_value("1")
        # Reject: no change of level (the API refuses one), the field closed; Accept: back
        await second.locator("select[name=decision]").select_option("reject")
        await expect(change).to_have_value("0")
        await expect(change).to_be_disabled()
        await expect(second).to_contain_text("A rejected move does not change the escalation")
        await second.locator("select[name=decision]").select_option("accept")
        await expect(change).to_have_value("1")
        await expect(change).to_be_enabled()
        # the outcome is required for every decision, and says so; who reads the ruling
        outcome = second.locator("textarea[name=outcome]")
        await expect(outcome).to_have_attribute("aria-required", "true")
        await expect(second.locator("label", has_text="Outcome")).to_contain_text("(required)")
        await expect(second).to_contain_text(
            "Every participant will see this ruling, its outcome and rationale: every team and"
            " the observers."
        )

        # a half-written ruling survives a reload
        await ruling.locator("textarea[name=outcome]").fill("Both MoDs agree to talk")
        await ruling.locator("select[name=decision]").select_option("modify")
        await white.reload()
        ruling = white.locator("#queue > li").first
        await expect(ruling.locator("textarea[name=outcome]")).to_have_value(
            "Both MoDs agree to talk"
        )
        await expect(ruling.locator("select[name=decision]")).to_have_value("modify")

        # after ruling, the focus moves on to the next move waiting, not to the top
        await ruling.locator("button[type=submit]").focus()
        await white.keyboard.press("Enter")
        await expect(white.locator("#queue > li")).to_have_count(1)
        await expect(white.locator("#queue select[name=decision]")).to_be_focused()

        # the end: the clock stops, the controls say why they are closed, the review is one click
        await white.locator("[data-action=end]").focus()
        await white.keyboard.press("Enter")  # confirmed: the tests accept every dialog
        await expect(white.locator("#banner")).to_contain_text("The exercise ended at")
        await expect(white.locator("#banner a")).to_be_focused()  # not the top of the page
        await expect(white.locator("#banner a")).to_have_attribute("href", f"/runs/{run.id}/review")
        await expect(white.locator("#countdown")).to_have_text("")
        for form in (
            "#say-form",
            "#comcheck-form",
            "#escalation-form",
            "#delay-form",
            "#adhoc-form",
        ):
            await expect(white.locator(f"{form} .closed-reason")).to_have_text(
                "The exercise has ended."
            )
            await expect(white.locator(f"{form} button").first).to_be_disabled()
        await expect(white.locator("#queue .closed-reason").first).to_contain_text(
            "The exercise has ended"
        )
        await expect(white.locator("#msel-closed")).to_be_visible()
        await expect(white.locator("#banner")).not_to_contain_text("facilitator will share")

        # a player who opens the console: no console, the way to the team's room
        player = await open_page(chromium, errors, "player on the console")
        await open_room(player, server, anna)
        await player.goto(f"{server.url}/runs/{run.id}/console")
        await expect(player.locator("#not-white-cell h1")).to_have_text(
            "This page is for the white cell"
        )
        await expect(player.locator("#console-body")).to_be_hidden()
        await player.get_by_role("link", name="Go to your team's room").click()
        await expect(player).to_have_url(re.compile(rf"/runs/{run.id}/room$"))
    assert errors == []


async def test_the_russian_console_fits_a_laptop_and_a_tablet(chromium, library_server: Server):
    server, errors = library_server, []
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "baltic-air-near-miss", title="Ширина")
        anna = await run.join("nato", "Анна")
        await run.control("start")
        await anna.move("share-flight-data", "Предложить данные радаров")
        white = await open_page(chromium, errors, "facilitator")
        await open_console(white, server, run.id, run.facilitator_token, lang="ru")
        for width in (1280, 1100, 1024, 768):
            await white.set_viewport_size({"width": width, "height": 900})
            panel = await white.locator(".msel-panel").bounding_box()
            for button in await white.locator("#msel button.fire").all():
                box = await button.bounding_box()
                assert box["x"] + box["width"] <= panel["x"] + panel["width"], width
            assert await white.evaluate("document.documentElement.scrollWidth") <= width
            if width == 768:  # running: the live controls first, people and codes below
                top = {}
                for h2 in ("queue-h", "ladder-h", "hotmon-h", "msel-h", "people-h", "codes-h"):
                    top[h2] = (await white.locator(f"#{h2}").bounding_box())["y"]
                assert top["queue-h"] < top["ladder-h"] < top["hotmon-h"] < top["msel-h"], top
                assert top["msel-h"] < top["people-h"] < top["codes-h"], top
                assert top["queue-h"] < 900, top  # no scrolling to reach the queue
                # the event log's last column stays inside its box
                log = white.locator(".log")
                assert await log.evaluate("l => l.scrollWidth <= l.clientWidth + 1")
        # Fire keeps the titles in view (no sideways scrolling inside the panel)
        await white.locator("#msel [data-inject=private-facts] button").click()
        title = white.locator("#msel [data-inject=private-facts] .msel-title")
        await expect(title).to_be_in_viewport()
        # the queue and log are in Russian words, with the move's type and the team's name
        await expect(white.locator("#queue")).to_contain_text("НАТО")
        await expect(white.locator("#log tbody")).to_contain_text(
            "вход в команду «НАТО», роль — игрок"
        )
        assert not RAW.search(await white.locator("#log").inner_text())
        # quotes inside quotes are the inner kind, „…“ inside «…»
        await run.fire("passenger-video")
        await expect(white.locator("#log tbody")).to_contain_text(
            "Вводная «Видео пассажира с „военным самолётом“ набирает популярность» выдана"
        )
        # a player's times follow the interface language: 24-hour
        room = await open_page(chromium, errors, "nato")
        await open_room(room, server, anna, lang="ru")
        await expect(room.locator("#feed .card .when").first).to_have_text(
            re.compile(r"^время учения \d+:\d\d · местное \d\d:\d\d$")
        )
    assert errors == []


@pytest.fixture
def noted_server(tmp_path: Path) -> Iterator[Server]:
    """The near-miss scenario with white-cell text as authors still write it: markdown, and an
    inject named by its id in backticks."""
    data = yaml.safe_load((ROOT / "exercises" / "baltic-air-near-miss.yaml").read_text())
    inject = next(i for i in data["injects"] if i["id"] == "near-miss-report")
    inject["controller_notes"] = {
        "en": "No call by minute 20? Fire `no-contact-pressure`.\n\n**Do not** reveal the distance.",
        "ru": "Звонка нет к 20-й минуте? Выдайте `no-contact-pressure`.\n\n**Не раскрывайте** дистанцию.",
    }
    inject["expected_actions"][0]["text"]["en"] = "Use the **hotline** before going public."
    library = tmp_path / "exercises"
    library.mkdir()
    (library / "baltic-air-near-miss.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    server = Server(tmp_path / "data", f"sqlite:///{tmp_path / 'ttx.sqlite3'}", library).start()
    yield server
    server.stop()


async def test_the_msel_notes_clock_and_what_each_button_says(chromium, noted_server: Server):
    server, errors = noted_server, []
    scenario = load_file(ROOT / "exercises" / "baltic-air-near-miss.yaml")
    fallback = scenario.inject("no-contact-pressure").title
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "baltic-air-near-miss", title="MSEL")
        await run.join("nato", "Anna")
        white = await open_page(chromium, errors, "facilitator", 1280, 900)
        await open_console(white, server, run.id, run.facilitator_token)

        # the notes: markdown, the inject named by its title, the other language on request
        row = white.locator("#msel [data-inject=near-miss-report]")
        await row.locator("summary").click()
        notes = row.locator(".notes")
        await expect(notes).to_contain_text(f"Fire “{fallback.en}”.")
        await expect(notes.locator("strong").first).to_have_text("Do not")
        await expect(row.locator(".expected strong").first).to_have_text("hotline")
        assert (
            "`" not in await row.inner_text()
            and "no-contact-pressure" not in await row.inner_text()
        )
        russian = notes.locator(".other-lang")
        await expect(russian).to_be_hidden()
        await white.locator("#show-both").check()
        await expect(russian).to_contain_text(f"Выдайте «{fallback.ru}».")

        # a scheduled inject counts down; nothing is orange while it is on time
        await run.control("start")
        video = white.locator("#msel [data-inject=passenger-video]")
        await expect(video.locator(".badge")).to_have_text("scheduled")
        await expect(video.locator(".when")).to_have_text(re.compile(r"^in 1[12]:\d\d$"))
        first = await video.locator(".when").inner_text()
        await expect(video.locator(".when")).not_to_have_text(first)
        assert await white.locator("#msel .overdue").count() == 0
        await row.locator("button.fire").click()
        await expect(row.locator(".when")).to_have_text(re.compile(r"^at 0:0\d$"))
        await expect(row.locator(".badge")).to_have_text("sent")

        # the ladder's ends are closed, with the reason
        down, up = white.locator("[data-change='-1']"), white.locator("[data-change='1']")
        await expect(down).to_be_disabled()
        await expect(white.locator("#ladder-why")).to_have_text("Already at the lowest level.")
        await up.click()
        await expect(down).to_be_enabled()
        await expect(white.locator("#ladder-why")).to_have_text("")

        # a disabled button looks disabled, whichever kind it is
        colours = await white.evaluate(
            """() => ['start', 'resume', 'pause'].map((a) =>
                 getComputedStyle(document.querySelector(`[data-action=${a}]`)).backgroundColor)"""
        )
        assert colours[0] == colours[1] != colours[2] == "rgb(255, 255, 255)", colours

        # a white-cell message says whom it went to
        await white.select_option("#say-to", "nato")
        await white.fill("#say-text", "Please check your hotline")
        await white.click("#say-form button[type=submit]")
        await expect(white.locator("#say-sent")).to_have_text(
            "Sent to NATO: “Please check your hotline”"
        )

        # the rating codes of the review come with their meaning in the log
        await run.facilitator.ok("/review/objectives", {"objective": "mil-to-mil", "rating": "S"})
        await expect(white.locator("#log tbody")).to_contain_text(
            "rated S: performed with some challenges"
        )

        # the server goes away: a banner says so; the buttons say nothing was done, not that
        # a text was kept; behind the server's back the clock runs on and the inject is late
        await white.clock.install()
        server.stop()
        banner = white.locator("#offline")
        await expect(banner).to_be_visible()
        await expect(banner).to_contain_text("No connection to the server")
        await video.locator("button.fire").click()
        await expect(white.locator("#banner")).to_have_text(
            "Not done: the server cannot be reached. Try again once the connection is back."
        )
        await white.clock.fast_forward("12:00")
        await expect(video.locator(".badge")).to_have_text("overdue")
        await expect(video).to_have_class(re.compile("overdue"))
        server.start()
        await expect(banner).to_be_hidden(timeout=20_000)
        await expect(video.locator(".badge")).to_have_text("scheduled")

        # Next phase asks first, naming this phase's injects not sent; after it they say they
        # were not sent in their phase and can still be fired
        asked: list[str] = []
        white.on("dialog", lambda dialog: asked.append(dialog.message))
        await white.click("[data-action=next_phase]")
        await expect(white.locator("#phase-title")).to_contain_text("2/3")
        assert asked and "were not sent" in asked[0], asked
        assert scenario.inject("passenger-video").title.en in asked[0], asked
        await expect(video.locator(".badge")).to_have_text("not sent")
        await expect(video.locator(".when")).to_have_text(
            "not sent in its phase; you can still fire it by hand"
        )
    assert errors == []


async def test_server_codes_have_words_in_russian(chromium, library_server: Server):
    server, errors = library_server, []
    page = await open_page(chromium, errors, "visitor")
    await page.goto(f"{server.url}/?lang=ru")
    codes = [
        "no_change",
        "recommendation_merged",
        "recommendation_declined",
        "client_id_reused",
        "hotline_cut",
        "hotline_not_cut",
        "already_fired",
        "last_phase",
    ]
    texts = await page.evaluate(
        """async (codes) => {
             const i18n = await import('/static/js/i18n.js');
             await i18n.loadCatalog();
             const api = await import('/static/js/api.js');
             return codes.map((code) => api.errorText(409, { code, message: 'english' }));
           }""",
        codes,
    )
    for code, text in zip(codes, texts, strict=True):
        assert text != "english" and re.search("[а-я]", text), (code, text)
    assert errors == []
