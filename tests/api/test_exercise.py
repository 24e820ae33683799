"""A whole three-phase mini exercise, end to end, through the public API and the stream."""

from __future__ import annotations

from tests.support.client import Run


async def test_three_phase_exercise_end_to_end(run: Run):
    alice = await run.join("nato", "Alice Smith")
    boris = await run.join("russia", "Борис Петров", language="ru", role="team_lead")
    olga = await run.join("observers", "Olga Observer")
    white = await run.facilitator.stream()
    nato = await alice.stream()
    russia = await boris.stream()
    watcher = await olga.stream()
    assert white.welcome["state"]["status"] == "lobby"
    assert "join_codes" in white.welcome["state"] and "join_codes" not in nato.welcome["state"]

    # Phase 1: start; the scheduled inject arrives in each team's own version
    state = await run.control("start")
    assert state["status"] == "running" and state["phase"]["id"] == "incident"
    nato_view = await nato.until(lambda e: e["kind"] == "inject.fired", timeout=15)
    russia_view = await russia.until(lambda e: e["kind"] == "inject.fired")
    observer_view = await watcher.until(lambda e: e["kind"] == "inject.fired")
    assert nato_view["payload"]["body"]["en"] == "Radar shows a track."
    assert nato_view["payload"]["channel"] == "military_report"
    assert russia_view["payload"]["body"]["en"] == "The MoD issues a statement."
    assert russia_view["payload"]["from"] == {"en": "MoD"}
    assert (
        observer_view["payload"]["variant"] is None
        and "happened" in observer_view["payload"]["body"]["en"]
    )

    await alice.say("Should we call?")
    await boris.say("Давайте позвоним", channel="plenary")
    call = await alice.hotline("call")
    answered = await boris.hotline("answer")
    assert answered["payload"]["call_seq"] == call["seq"]
    await boris.say("Это горячая линия", channel="hotline")
    hung = await alice.hotline("hang_up")
    assert hung["payload"]["was"] == "connected" and hung["payload"]["talk_seconds"] >= 0

    # Phase 2: a move, its ruling, and the escalation it brings
    await run.control("next_phase")
    move = await alice.move(
        "deploy", "Send two frigates", intended_result="Deterrence", confidence=3
    )
    assert move["kind"] == "move.submitted" and move["audience"] == ["nato"]
    ruling = await run.facilitator.ok(
        "/adjudications",
        {
            "move_seq": move["seq"],
            "decision": "modify",
            "outcome": "One frigate sails",
            "escalation_change": 1,
        },
    )
    (changed,) = ruling["also"]
    assert changed["kind"] == "escalation.changed" and changed["payload"]["to_id"] == "crisis"
    await run.fire("nudge")
    await run.facilitator.ok("/notes", {"text": "NATO hesitated before calling"})

    # Phase 3: the last scheduled inject; the run ends
    await run.control("next_phase")
    await russia.until(lambda e: e["payload"].get("inject_id") == "late-news", timeout=15)
    final = await run.control("end")
    assert final["status"] == "ended" and final["phase"]["id"] == "resolution"
    assert final["escalation"]["id"] == "crisis"

    last = final["last_seq"]
    for stream in (white, nato, russia, watcher):
        await stream.until(lambda e: e["kind"] == "run.ended")
    # The white cell saw every event, in order, with no gap
    assert [e["seq"] for e in white.events] == list(range(1, last + 1))
    # Each team saw a subset, in order; the stream and the REST history agree
    for person, stream in ((alice, nato), (boris, russia), (olga, watcher)):
        seqs = [e["seq"] for e in stream.events]
        assert seqs == sorted(set(seqs))
        assert await person.events() == stream.events
    kinds_nato = {e["kind"] for e in nato.events}
    assert "note.added" not in kinds_nato
    assert not any(
        e["kind"] == "message.sent" and e["team"] == "nato" and e["payload"]["channel"] == "team"
        for e in russia.events
    )
    assert not any(
        e["kind"].startswith("hotline.") for e in watcher.events
    )  # observers see the public picture
    assert any(
        e["kind"] == "move.adjudicated" for e in russia.events
    )  # rulings are public by default
    assert not any(e["kind"] == "move.submitted" for e in russia.events)  # the move itself was not
    for stream in (white, nato, russia, watcher):
        await stream.close()
