"""The visibility matrix: every kind of event against every kind of viewer, over REST and the
websocket. A participant never sees another team's private traffic by any route."""

from __future__ import annotations

import httpx
import pytest

from tests.support.client import Person, Run, create_run
from tests.support.server import Server

VIEWERS = ("white", "nato", "russia", "observer")


async def play(run: Run) -> tuple[dict[str, Person], dict[str, int]]:
    """One event of each kind; returns the viewers and the seq of each labelled event."""
    people = {
        "white": run.facilitator,
        "nato": await run.join("nato", "Nina NATO"),
        "russia": await run.join("russia", "Roman Russia"),
        "observer": await run.join("observers", "Oskar Observer"),
    }
    nato, russia = people["nato"], people["russia"]
    seq: dict[str, int] = {}
    await run.control("start")
    fired = await run.fire("first-report")
    events = [fired, *fired.get("also", [])]
    seq["inject.nato_variant"] = next(e["seq"] for e in events if e["payload"]["variant"] == "nato")
    seq["inject.russia_variant"] = next(
        e["seq"] for e in events if e["payload"]["variant"] == "russia"
    )
    seq["inject.base"] = next(e["seq"] for e in events if e["payload"]["variant"] is None)
    seq["team_chat.nato"] = (await nato.say("NATO private"))["seq"]
    seq["team_chat.russia"] = (await russia.say("Russia private"))["seq"]
    seq["plenary"] = (await nato.say("hello all", channel="plenary"))["seq"]
    seq["white_to_nato"] = (await run.facilitator.say("white cell to NATO", team="nato"))["seq"]
    seq["hotline.call"] = (await nato.hotline("call"))["seq"]
    await russia.hotline("answer")
    seq["hotline.message"] = (await russia.say("on the line", channel="hotline"))["seq"]
    seq["hotline.delay"] = (await run.facilitator.hotline("delay", seconds=0))["seq"]
    seq["move.nato"] = (await nato.move("deploy", "Sail"))["seq"]
    ruling = await run.facilitator.ok(
        "/adjudications", {"move_seq": seq["move.nato"], "decision": "accept", "outcome": "Sailed"}
    )
    seq["ruling"] = ruling["seq"]
    seq["note"] = (await run.facilitator.ok("/notes", {"text": "controller only"}))["seq"]
    comcheck = await run.facilitator.ok("/comcheck", {})
    seq["comcheck"] = comcheck["seq"]
    seq["comcheck.ack.nato"] = (await nato.ok("/comcheck/ack", {}))["seq"]
    seq["adhoc.russia"] = (
        await run.facilitator.ok(
            "/injects",
            {
                "title": "Only Russia",
                "body": "x",
                "audience": ["russia"],
                "channel": "diplomatic_cable",
            },
        )
    )["seq"]
    seq["escalation"] = (await run.facilitator.ok("/escalation", {"change": 1}))["seq"]
    return people, seq


# label -> viewers who may see it, under the default rules (observers: public, moves on ruling)
DEFAULT = {
    "inject.nato_variant": {"white", "nato"},
    "inject.russia_variant": {"white", "russia"},
    "inject.base": {"white", "observer"},
    "team_chat.nato": {"white", "nato"},
    "team_chat.russia": {"white", "russia"},
    "plenary": set(VIEWERS),
    "white_to_nato": {"white", "nato"},
    "hotline.call": {"white", "nato", "russia"},
    "hotline.message": {"white", "nato", "russia"},
    "hotline.delay": {"white"},
    "move.nato": {"white", "nato"},
    "ruling": set(VIEWERS),
    "note": {"white"},
    "comcheck": set(VIEWERS),
    "comcheck.ack.nato": {"white", "nato"},
    "adhoc.russia": {"white", "russia"},
    "escalation": set(VIEWERS),
}


async def seen_by(people: dict[str, Person], run: Run) -> dict[str, tuple[set[int], set[int]]]:
    """For each viewer: (seqs over REST, seqs over the websocket)."""
    last = (await run.facilitator.state())["last_seq"]
    result = {}
    for name, person in people.items():
        rest = {e["seq"] for e in await person.events()}
        stream = await person.stream()
        await stream.until_seq(max(rest))
        await stream.drain(0.3)
        await stream.close()
        result[name] = (rest, {e["seq"] for e in stream.events})
        assert max(rest) <= last
    return result


async def test_default_rules(run: Run):
    people, seq = await play(run)
    seen = await seen_by(people, run)
    for label, allowed in DEFAULT.items():
        for viewer in VIEWERS:
            rest, stream = seen[viewer]
            expected = viewer in allowed
            assert (seq[label] in rest) is expected, (
                f"REST: {viewer} {'should' if expected else 'must not'} see {label}"
            )
            assert (seq[label] in stream) is expected, (
                f"WS: {viewer} {'should' if expected else 'must not'} see {label}"
            )
    assert seen["white"][0] == set(range(1, max(seen["white"][0]) + 1))


async def test_open_rules_let_observers_see_team_traffic_and_moves_at_once(
    http: httpx.AsyncClient, server: Server
):
    run = await create_run(http, server.ws_url, "open-rules")
    people, seq = await play(run)
    seen = await seen_by(people, run)
    assert seq["move.nato"] in seen["russia"][0]  # moves_visible: immediately
    assert (
        seq["team_chat.nato"] in seen["observer"][1]
        and seq["hotline.message"] in seen["observer"][1]
    )
    assert (
        seq["note"] not in seen["observer"][0] and seq["hotline.delay"] not in seen["observer"][1]
    )
    assert seq["team_chat.nato"] not in seen["russia"][0]


async def test_secret_rulings_stay_with_the_moving_team(http: httpx.AsyncClient, server: Server):
    run = await create_run(http, server.ws_url, "secret-moves")
    people, seq = await play(run)
    seen = await seen_by(people, run)
    assert seq["ruling"] in seen["nato"][0]
    for viewer in ("russia", "observer"):
        assert seq["ruling"] not in seen[viewer][0] and seq["ruling"] not in seen[viewer][1]


@pytest.mark.parametrize("path", ["/events", "", "/participants", "/scenario"])
async def test_reads_need_a_token_of_this_run(
    run: Run, http: httpx.AsyncClient, server: Server, path: str
):
    other = await create_run(http, server.ws_url)
    stranger = await other.join("nato", "Stranger")
    assert (await http.get(f"/api/runs/{run.id}{path}")).status_code == 401
    response = await http.get(
        f"/api/runs/{run.id}{path}", headers={"Authorization": f"Bearer {stranger.token}"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "this token belongs to another run"
    response = await http.get(
        f"/api/runs/{run.id}{path}", headers={"Authorization": "Bearer not-a-token"}
    )
    assert response.status_code == 401


async def test_teams_read_their_own_briefing_and_never_the_msel(run: Run):
    nato = await run.join("nato", "Nina")
    scenario = (await nato.get("/scenario")).json()
    assert "injects" not in scenario
    assert set(scenario["background"]["briefings"]) == {"nato"}
    full = (await run.facilitator.get("/scenario")).json()
    assert full["injects"][0]["controller_notes"]["en"] == "Watch whether they call."
    state = await nato.state()
    assert "msel" not in state and "join_codes" not in state and "pending_moves" not in state


async def test_a_writes_answer_lists_only_what_the_writer_may_see(run: Run):
    """The answer to a held hotline message must not carry the white cell's companion event,
    which would tell the sender that the line is delayed."""
    nato, russia = await run.join("nato", "Nina"), await run.join("russia", "Roman")
    await run.control("start")
    await run.facilitator.hotline("delay", seconds=30)
    await nato.hotline("call")
    await russia.hotline("answer")
    answer = await nato.say("do you read?", channel="hotline")
    assert "also" not in answer
    kinds = [e["kind"] for e in await run.facilitator.events()]
    assert "hotline.held" in kinds  # it is there, for the white cell
