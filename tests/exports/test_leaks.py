"""Under the Chatham House Rule no name survives, in any spelling, in any format, for anyone:
and no participant id either, since `GET …/participants` maps ids to names."""

from __future__ import annotations

import pytest

from tests.exports import SURVIVORS, fetch, leaks, play
from tests.support.client import Run


@pytest.fixture
async def played(run: Run):
    return run, await play(run)


def _context(data: bytes, needle: str) -> str:
    text = data.decode("utf-8-sig")
    at = text.casefold().find(needle.casefold())
    return text[max(0, at - 60) : at + len(needle) + 20]


async def _ids(run: Run) -> list[str]:
    response = await run.facilitator.get("/participants")
    return [p["id"] for p in response.json()["participants"]]


async def test_no_name_or_id_survives_in_any_export(played):
    run, people = played
    f, nato, observer = run.facilitator, people["Иван Петров"], people["Olga Smirnova"]
    exports: dict[str, bytes] = {}
    for lang in ("en", "ru"):
        for fmt in ("json", "csv", "md", "html"):
            exports[f"{fmt}-{lang}"] = await fetch(f, format=fmt, lang=lang)
        for fmt in ("md", "html"):
            exports[f"handout-{fmt}-{lang}"] = await fetch(
                f, format=fmt, lang=lang, edition="handout"
            )
            exports[f"brief-{fmt}-{lang}"] = await fetch(f, format=fmt, lang=lang, brief="true")
            for who, person in (("team", nato), ("observer", observer)):
                exports[f"{who}-brief-{fmt}-{lang}"] = await fetch(
                    person, format=fmt, lang=lang, brief="true"
                )
        exports[f"review-{lang}"] = await fetch(f, "/review", lang=lang)
    for who, person in (("team", nato), ("observer", observer)):
        for fmt in ("json", "csv"):
            exports[f"{who}-{fmt}"] = await fetch(person, format=fmt)
    ids = await _ids(run)
    for name, data in exports.items():
        found = leaks(data, extra=ids)
        assert found == [], (name, [_context(data, needle) for needle in found])
    report = exports["html-en"].decode()
    assert "NATO participant 1" in report and "Russia participant 1" in report
    for word in SURVIVORS:
        assert word in report  # words that only contain a name are left alone
    assert "nato-1" in exports["json-en"].decode()  # ids became alias keys


async def test_the_attributed_archive_is_complete_and_the_facilitators_only(played):
    run, people = played
    full = (
        await fetch(run.facilitator, format="json", chatham="false", include_notes="true")
    ).decode()
    assert "Иван Петров" in full and "SECRET NOTE" in full and '"complete":true' in full
    chatham = (await fetch(run.facilitator, format="json", include_notes="true")).decode()
    assert '"complete":false' in chatham  # what cannot be imported does not say it can
    assert "SECRET NOTE" not in (await fetch(run.facilitator, format="json")).decode()
    anna = people["Иван Петров"]
    refused = await anna.get("/export", format="json", chatham="false")
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "chatham"
    assert (await anna.get("/export", format="json", include_notes="true")).status_code == 403
