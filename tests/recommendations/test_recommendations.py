"""Recommendations: drafted and endorsed by the teams, curated by the white cell, during the
run and after it (pure, then over HTTP)."""

from __future__ import annotations

import pytest

from app.auth.viewer import Role, Viewer
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.recommendations import brief
from app.recommendations.commands import (
    CurateRecommendation,
    Curation,
    DraftRecommendation,
    EndorseRecommendation,
)
from app.runs.commands import Control
from tests.runs.machine import NATO, OBSERVER, RUSSIA, WHITE, Machine
from tests.support.client import Run

NATO_2 = Viewer("r", "nato", Role.player, "p-nato-2", "Nils")


def draft(
    m: Machine,
    viewer,
    title="Keep the hotline staffed",
    category="quality_of_dialogue",
    tier="basic",
):
    (event,) = m.do(
        DraftRecommendation(
            client_id="d", title=title, text="Around the clock.", category=category, tier=tier
        ),
        viewer,
    )
    return event.seq


def endorse(m: Machine, viewer, seq: int):
    return m.do(EndorseRecommendation(recommendation=seq), viewer)


def curate(m: Machine, seq: int, **body):
    return m.do(Curation(seq, CurateRecommendation(**body)))


def test_draft_endorse_accept_after_the_run_has_ended():
    m = Machine()
    m.do(Control(action="start"))
    m.do(Control(action="end"))
    seq = draft(m, NATO)
    endorse(m, RUSSIA, seq)
    endorse(m, NATO_2, seq)
    curate(m, seq, action="edit", text="Staffed around the clock, both ends.")
    curate(m, seq, action="accept")
    (item,) = brief.accepted(brief.fold(m.events))
    assert item.text == "Staffed around the clock, both ends." and item.status == "accepted"
    assert item.endorsements() == {"nato": 2, "russia": 1}  # the author counts once


def test_observers_neither_draft_nor_endorse_and_the_white_cell_does_not_endorse():
    m = Machine()
    with pytest.raises(Forbidden):
        draft(m, OBSERVER)
    seq = draft(m, WHITE)  # the white cell may propose one
    for viewer in (OBSERVER, WHITE):
        with pytest.raises(Forbidden):
            endorse(m, viewer, seq)


def test_merging_carries_the_endorsements_over():
    m = Machine()
    first, second = draft(m, NATO, "Hotline drills"), draft(m, RUSSIA, "Monthly hotline tests")
    endorse(m, NATO_2, second)
    curate(m, second, action="merge", into=first)
    items = brief.fold(m.events)
    assert items[second].status == "merged" and items[second].merged_into == first
    assert items[first].merged_from == [second]
    assert items[first].endorsements() == {"nato": 2, "russia": 1}
    with pytest.raises(Conflict, match="merged"):
        endorse(m, RUSSIA, second)
    with pytest.raises(Conflict, match="merged"):
        curate(m, second, action="accept")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"action": "merge", "into": 99}, NotFound),
        ({"action": "accept"}, None),
    ],
)
def test_curation_errors(body, error):
    m = Machine()
    seq = draft(m, NATO)
    if error is None:
        curate(m, seq, **body)
        with pytest.raises(Conflict, match="already accepted"):
            curate(m, seq, **body)
    else:
        with pytest.raises(error):
            curate(m, seq, **body)
    with pytest.raises(Invalid):
        curate(m, seq, action="merge", into=seq)
    with pytest.raises(NotFound):
        curate(m, 12345, action="accept")
    with pytest.raises(ValueError, match="at least one"):
        CurateRecommendation(action="edit")


def test_the_brief_orders_basic_before_enhanced_then_by_endorsement():
    m = Machine()
    enhanced = draft(m, NATO, "Joint crisis centre", tier="enhanced")
    basic_a = draft(m, NATO, "Transponders on", category="restraint_on_the_ground")
    basic_b = draft(m, RUSSIA, "Hotline for cyber", category="quality_of_dialogue")
    endorse(m, RUSSIA, basic_a)
    for seq in (enhanced, basic_a, basic_b):
        curate(m, seq, action="accept")
    assert [r.seq for r in brief.accepted(brief.fold(m.events))] == [basic_b, basic_a, enhanced]


async def test_over_http(run: Run):
    anna, boris = await run.join("nato", "Anna"), await run.join("russia", "Boris")
    created = await anna.ok(
        "/recommendations",
        {
            "client_id": "r1",
            "title": "Hotline for cyber incidents",
            "text": "CERT to CERT.",
            "category": "quality_of_dialogue",
            "tier": "basic",
        },
    )
    seq = created["seq"]
    first = await boris.post(f"/recommendations/{seq}/endorse", {})
    again = await boris.post(f"/recommendations/{seq}/endorse", {})
    assert (first.status_code, again.status_code) == (201, 200)
    refused = await anna.post(f"/recommendations/{seq}", {"action": "accept"})
    assert refused.status_code == 403
    await run.facilitator.ok(f"/recommendations/{seq}", {"action": "accept"})
    listed = (await boris.get("/recommendations")).json()["recommendations"]
    assert listed == [
        {
            "seq": seq,
            "title": "Hotline for cyber incidents",
            "text": "CERT to CERT.",
            "category": "quality_of_dialogue",
            "tier": "basic",
            "team": "nato",
            "author": anna.participant_id,
            "status": "accepted",
            "merged_into": None,
            "merged_from": [],
            "endorsements": {"nato": 1, "russia": 1},
            "endorsers": sorted([anna.participant_id, boris.participant_id]),
        }
    ]
    bad = await anna.post(
        "/recommendations", {"client_id": "r2", "title": "x", "text": "y", "category": "vibes"}
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "category"


async def test_the_printed_brief_lists_the_most_endorsed_first_within_a_category(run: Run):
    anna, boris = await run.join("nato", "Anna"), await run.join("russia", "Boris")
    nils = await run.join("nato", "Nils")
    seqs = []
    for i, title in enumerate(["Older, one endorsement", "Newer, three endorsements"]):
        body = {"client_id": f"b{i}", "title": title, "text": "T", "category": "positive_agenda"}
        seqs.append((await anna.ok("/recommendations", body))["seq"])
    for person in (boris, nils):
        await person.post(f"/recommendations/{seqs[1]}/endorse", {})
    for seq in seqs:
        await run.facilitator.ok(f"/recommendations/{seq}", {"action": "accept"})
    for fmt in ("md", "html"):
        response = await boris.get("/export", format=fmt, brief="true")  # any token may have it
        page = response.content.decode()
        assert response.status_code == 200
        assert page.index("Newer, three endorsements") < page.index("Older, one endorsement")
        assert "the most endorsed first" in page
        assert "EXERCISE" in page  # the marking, on the brief too


async def test_the_brief_names_what_was_merged_into_a_recommendation(run: Run):
    anna = await run.join("nato", "Anna")
    seqs = []
    for i, title in enumerate(["Hotline within the hour", "Call back within 1 km rule"]):
        body = {"client_id": f"m{i}", "title": title, "text": "T", "category": "positive_agenda"}
        seqs.append((await anna.ok("/recommendations", body))["seq"])
    await run.facilitator.ok(f"/recommendations/{seqs[1]}", {"action": "merge", "into": seqs[0]})
    await run.facilitator.ok(f"/recommendations/{seqs[0]}", {"action": "accept"})
    for fmt, lang, words in [("md", "en", "Brings together"), ("html", "ru", "Объединяет")]:
        page = (await anna.get("/export", format=fmt, brief="true", lang=lang)).content.decode()
        assert f"{words}: Call back within 1 km rule" in page, page
