"""The after-action review in a real browser: the facilitator writes and curates it under the
Chatham House Rule without losing a name, downloads the printable report and the handout, and
the report prints with its marking on every page; participants get only what is theirs."""

from __future__ import annotations

import io
import re
from pathlib import Path

import httpx
import pytest
from playwright.async_api import expect
from pypdf import PdfReader

from tests.support.client import create_run
from tests.support.server import Server

pytestmark = pytest.mark.browser

EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
NAMES = ["Anna <i>Ivanova</i>", "Борис Петров"]
MARKING = "EXERCISE"


async def play(server: Server) -> tuple[str, str, str]:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        run = await create_run(http, server.ws_url, "baltic-air-near-miss", title="Review test")
        anna = await run.join("nato", NAMES[0])
        boris = await run.join("russia", NAMES[1])
        await run.control("start")
        await run.fire("near-miss-report")
        await anna.say(f"Anna <i>Ivanova</i> says {EVIL}")
        await boris.say("Только для России: Борис Петров думает", channel="team")
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
        for _ in range(40):  # enough of a timeline for the report to run over several pages
            await anna.say("Situation report: the track continues west.", channel="plenary")
        await run.control("end")
        return run.id, run.facilitator_token, anna.token


async def download(page, selector: str, path: Path) -> str:
    async with page.expect_download() as done:
        await page.click(selector)
    await (await done.value).save_as(path)
    return path.read_text(encoding="utf-8")


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

    # the summary keeps the names it was written with; readers see the Rule applied
    await expect(page.locator("#facts li").first).to_be_visible()
    await expect(page.locator("#status")).to_have_text("Ended")  # a word, not the status id
    await page.fill("#summary-text", "Anna Ivanova led NATO; Борис Петров answered.")
    await page.click("#summary-form button[type=submit]")
    await expect(page.locator("#summary-form .form-error")).to_have_text("")
    await page.reload()
    await expect(page.locator("#summary-text")).to_have_value(
        "Anna Ivanova led NATO; Борис Петров answered."
    )
    timeline = page.locator("#timeline tbody")
    await expect(timeline).to_contain_text("NATO participant 1 says")
    assert "Ivanova" not in await timeline.inner_text()  # texts scrubbed, not only "Who"
    await page.check("#show-names")  # the facilitator's attributed view
    await expect(timeline).to_contain_text("Anna <i>Ivanova</i> says")
    await page.uncheck("#show-names")
    await expect(timeline).not_to_contain_text("Ivanova")

    # curation, ratings (the drop-down shows its words whole), filters, side by side
    rec = page.locator("#recommendations li").first
    await expect(rec.locator("strong")).to_have_text(f"Drills {EVIL}")  # shown as text
    await rec.get_by_role("button", name="Accept").click()
    await expect(page.locator("#recommendations li[data-status=accepted]")).to_have_count(1)
    select = page.locator("#objectives select").first
    assert await select.evaluate("s => s.scrollWidth <= s.clientWidth + 1 && s.offsetWidth > 200")
    await select.select_option("M")
    await expect(page.locator("#objectives tbody tr").first).to_have_class(re.compile("rating-M"))
    await page.select_option("#tl-team", "russia")
    await expect(page.locator("#timeline tbody tr").first).to_contain_text("Russia")
    await page.check("#tl-side")
    await expect(page.locator("#timeline thead th")).to_have_count(4)
    assert await page.evaluate("window.__pwned") is None
    await page.screenshot(path=shots / "review.png", full_page=True)

    # the printable report: names scrubbed, chart drawn, nothing runs, marking on every page
    text = await download(
        page, "[data-download=html]:not([data-brief]):not([data-handout])", tmp_path / "report.html"
    )
    for name in NAMES:
        assert name not in text and "Ivanova" not in text and "Петров" not in text
    printed = await context.new_page()
    printed.on("pageerror", lambda error: errors.append(str(error)))
    await printed.goto((tmp_path / "report.html").as_uri())
    chart = printed.locator("#escalation figure svg")
    await expect(chart).to_be_visible()
    box = await chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    assert (
        await chart.locator("g.inject").count() >= 1
        and await chart.locator("g.ruling").count() == 1
    )
    await expect(printed.locator("#summary")).to_contain_text("NATO participant 1 led NATO")
    await expect(printed.locator("#recommendations")).to_contain_text(f"Drills {EVIL}")
    await expect(printed.locator("#side-by-side")).to_contain_text("Inject")  # on the time axis
    assert await printed.evaluate("window.__pwned") is None
    assert await printed.locator("script").count() == 0
    pdf = PdfReader(io.BytesIO(await printed.pdf(prefer_css_page_size=True)))
    assert len(pdf.pages) >= 3
    for number, sheet in enumerate(pdf.pages, 1):
        words = sheet.extract_text()
        assert MARKING in words, f"page {number} has no marking"
        assert f"{number} / {len(pdf.pages)}" in words, f"page {number} has no page number"

    # the handout: no team-private texts, said so on the page
    handout = await download(page, "[data-download=html][data-handout]", tmp_path / "handout.html")
    assert "Handout edition" in handout and "Только для России" not in handout
    assert "Situation report" in handout

    # a participant gets the brief and their own record, and is told where the review is
    reader = await (await chromium.new_context(accept_downloads=True)).new_page()
    reader.on("pageerror", lambda error: errors.append(str(error)))
    await reader.goto(f"{library_server.url}/")
    await reader.evaluate(
        f"localStorage.setItem('ttx.runs', JSON.stringify({{'{run_id}': {{token: '{participant}', team: 'nato'}}}}))"
    )
    await reader.goto(f"{library_server.url}/runs/{run_id}/review")
    await expect(reader.locator("#refused")).to_be_visible()
    await expect(reader.locator("#review-body")).to_be_hidden()
    await expect(reader.locator("[data-download=html]:not([data-brief])").first).to_be_hidden()
    brief = await download(reader, "[data-download=html][data-brief]", tmp_path / "brief.html")
    assert "Drills" in brief and "Ivanova" not in brief

    # without a token: a clear way in, not a broken page
    stranger = await (await chromium.new_context()).new_page()
    stranger.on("pageerror", lambda error: errors.append(str(error)))
    await stranger.goto(f"{library_server.url}/runs/{run_id}/review")
    await expect(stranger.locator("#no-token")).to_be_visible()
    await expect(stranger.locator("#downloads")).to_be_hidden()
    assert errors == []


async def test_the_russian_interface_downloads_in_russian(chromium, library_server: Server):
    run_id, facilitator, _ = await play(library_server)
    page = await (await chromium.new_context(locale="ru-RU")).new_page()
    await page.goto(f"{library_server.url}/runs/{run_id}/review?lang=ru#token={facilitator}")
    await expect(page.locator("#dl-lang")).to_have_value("ru")
    await expect(page.locator("#status")).to_have_text("Завершено")
    await expect(page.locator("#facts li").first).to_be_visible()


async def test_the_review_page_fits_saves_visibly_edits_inline_and_prints_whole(
    chromium, library_server: Server
):
    run_id, facilitator, anna = await play(library_server)
    errors: list[str] = []
    context = await chromium.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"a {dialog.type} box opened"))
    await page.goto(f"{library_server.url}/runs/{run_id}/review#token={facilitator}")
    await expect(page.locator("#responses tbody tr").first).to_be_visible()

    # at 1280 px every column of the response table shows, and the rating reads whole
    wrap = page.locator("#responses").locator("xpath=..")
    assert await wrap.evaluate("w => w.scrollWidth <= w.clientWidth + 1")
    select = page.locator("#objectives select").first
    assert await select.evaluate("s => s.scrollWidth <= s.clientWidth + 1")
    await expect(
        page.locator("#objectives").locator("xpath=../..").locator(".legend")
    ).to_contain_text("P: performed without challenges; S:")

    # the channel filter names channels as readers do
    options = await page.locator("#tl-channel option").all_inner_texts()
    assert "Military report" in options and not [o for o in options if "_" in o or o == "news"]

    # saving says so, where the screen reader hears it
    await page.fill("#summary-text", "Anna Ivanova led.")
    await page.click("#summary-form button[type=submit]")
    saved = page.locator("#summary-form .saved")
    await expect(saved).to_have_text("Saved")
    assert await saved.get_attribute("aria-live") == "polite"
    phase = page.locator("#phases form").first
    await phase.locator("textarea").first.fill("The call came early.")
    await phase.locator("button[type=submit]").click()
    await expect(page.locator("#phases form").first.locator(".saved")).to_have_text("Saved")

    # the Rule's words are shown to the facilitator
    await expect(page.locator("#hunted-words")).to_contain_text("Ivanova")

    # a recommendation is edited in place: title, text, category, tier, from the text as written
    rec = page.locator("#recommendations li").first
    await rec.get_by_role("button", name="Edit").click()
    form = rec.locator("form.edit-recommendation")
    await expect(form.locator("input[name=title]")).to_have_value(f"Drills {EVIL}")
    await form.locator("input[name=title]").fill("Monthly drills")
    await form.locator("select[name=category]").select_option("positive_agenda")
    await form.locator("select[name=tier]").select_option("enhanced")
    await form.get_by_role("button", name="Save").click()
    first = page.locator("#recommendations li").first
    await expect(first.locator("strong")).to_have_text("Monthly drills")
    await expect(first.locator(".tag")).to_contain_text("Positive agenda")
    await expect(first.locator(".tag")).to_contain_text("Enhanced steps")
    await expect(first.get_by_role("button", name="Edit")).to_be_focused()

    # a recommendation drafted in a room shows here as it happens, no reload
    async with httpx.AsyncClient(base_url=library_server.url, timeout=10) as http:
        drafted = await http.post(
            f"/api/runs/{run_id}/recommendations",
            headers={"Authorization": f"Bearer {anna}"},
            json={
                "client_id": "r2",
                "title": "Shared radar picture",
                "text": "Exchange tracks",
                "category": "restraint_on_the_ground",
                "tier": "basic",
            },
        )
        assert drafted.status_code == 201, drafted.text
    await page.locator("#summary-text").focus()  # not in the list: it may be drawn again
    # (by its title: the other's "Merge into" list names it too)
    title = page.locator("strong", has_text="Shared radar picture")
    latest = page.locator("#recommendations > li").filter(has=title)
    await expect(latest).to_contain_text("Endorsed by: NATO 1")
    # merging takes a labelled choice and a button: picking a target alone merges nothing
    await latest.get_by_label("Merge into").select_option(index=1)
    await page.wait_for_timeout(300)
    await expect(page.locator("#recommendations > li")).to_have_count(2)
    await latest.get_by_role("button", name=re.compile(r"^Merge #\d+ into #\d+$")).click()
    await expect(page.locator("#recommendations > li")).to_have_count(1)

    # printed from the browser: the whole timeline, the written texts, no controls
    await page.emulate_media(media="print")
    log = page.locator(".log")
    assert await log.evaluate("l => l.scrollHeight <= l.clientHeight + 1")
    await expect(page.locator("#summary-print")).to_contain_text("NATO participant 1 led.")
    await expect(page.locator("#phases .phase-notes").first).to_contain_text("The call came early.")
    await expect(page.locator("#objectives select").first).to_be_hidden()
    await expect(page.locator("#objectives .print-only").first).to_be_visible()
    await expect(page.locator("#timeline-filters")).to_be_hidden()
    await expect(page.locator("#downloads")).to_be_hidden()
    await expect(page.locator("#recommendations li").first).to_be_visible()
    pdf = PdfReader(io.BytesIO(await page.pdf()))
    printed = " ".join(sheet.extract_text() for sheet in pdf.pages)
    for text in ("NATO participant 1 led.", "The call came early.", "Monthly drills"):
        assert text in printed, text
    assert printed.count("Situation report") == 40  # every row of the timeline
    assert "Save summary" not in printed and "Merge into" not in printed
    assert errors == []


async def test_the_russian_review_does_not_scroll_sideways_on_a_tablet(
    chromium, library_server: Server
):
    run_id, facilitator, _ = await play(library_server)
    context = await chromium.new_context(locale="ru-RU", viewport={"width": 768, "height": 1000})
    page = await context.new_page()
    await page.goto(f"{library_server.url}/runs/{run_id}/review?lang=ru#token={facilitator}")
    await expect(page.locator("#timeline tbody tr").first).to_be_visible()
    width = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, f"the page scrolls {width} px sideways"
    cell = page.locator("#responses tbody td").nth(2)
    assert "сообщение" in (await cell.evaluate("td => getComputedStyle(td, '::before').content"))
    await expect(page.locator(".legend").first).to_contain_text("P: выполнено без трудностей")
