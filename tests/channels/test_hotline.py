"""The hotline between the two sides: call, answer, talk, hang up; cut, restore, delay."""

from __future__ import annotations

import pytest

from app.channels.commands import HotlineAction, SendMessage
from app.errors import Conflict, Forbidden, Invalid
from app.injects.commands import FireInject
from app.runs.commands import Control
from app.runs.schedule import Tick
from tests.runs.machine import NATO, OBSERVER, RUSSIA, WHITE, Machine


def running(name: str = "minimal") -> Machine:
    """A running exercise whose scheduled inject is already out of the way."""
    m = Machine(name)
    m.do(Control(action="start"))
    m.do(FireInject(inject="first-report"))
    return m


def say(m: Machine, viewer, text: str, channel: str = "hotline"):
    return m.do(SendMessage(client_id="x", channel=channel, text=text), viewer)


def test_call_answer_talk_hang_up():
    m = running()
    (call,) = m.do(HotlineAction(action="call"), NATO)
    assert call.audience == ("nato", "russia") and m.state.hotline.status == "ringing"
    with pytest.raises(Conflict, match="no incoming call"):
        m.do(HotlineAction(action="answer"), NATO)  # the caller cannot answer itself
    with pytest.raises(Conflict, match="not connected"):
        say(m, NATO, "anyone?")
    m.wait(12)
    (answer,) = m.do(HotlineAction(action="answer"), RUSSIA)
    assert answer.payload == {"call_seq": call.seq, "ring_seconds": 12}
    (message,) = say(m, RUSSIA, "Слушаю")
    assert message.audience == ("russia", "nato") and message.payload["to"] == "nato"
    m.wait(90)
    (hang,) = m.do(HotlineAction(action="hang_up"), NATO)
    assert hang.payload == {"call_seq": call.seq, "was": "connected", "talk_seconds": 90}
    assert m.state.hotline.status == "idle"
    with pytest.raises(Conflict, match="no call to hang up"):
        m.do(HotlineAction(action="hang_up"), RUSSIA)


@pytest.mark.parametrize(("viewer", "error"), [(OBSERVER, Forbidden), (WHITE, Forbidden)])
def test_only_the_two_teams_use_the_line(viewer, error):
    with pytest.raises(error):
        running().do(HotlineAction(action="call"), viewer)


def test_a_call_needs_a_running_exercise():
    m = Machine()  # in the lobby
    with pytest.raises(Conflict, match="has not started"):
        m.do(HotlineAction(action="call"), NATO)


def test_an_unanswered_call_rings_out():
    m = running("secret-moves")  # ring_timeout_seconds: 10
    m.do(HotlineAction(action="call"), RUSSIA)
    m.wait(9.9)
    assert m.do(Tick(), None) == []
    m.wait(0.2)
    (timeout,) = m.do(Tick(), None)
    assert timeout.kind == "hotline.unanswered" and timeout.team == "russia"
    assert m.state.hotline.status == "idle"


def test_a_call_does_not_ring_out_while_the_run_is_paused():
    """Nobody may answer during a pause, so the ring time counts on the exercise clock."""
    m = running("secret-moves")  # ring_timeout_seconds: 10
    m.do(HotlineAction(action="call"), RUSSIA)
    m.wait(6)
    m.do(Control(action="pause"))
    m.wait(600)
    assert m.do(Tick(), None) == []
    m.do(Control(action="resume"))
    m.wait(3.9)
    assert m.do(Tick(), None) == []
    m.wait(0.2)
    (timeout,) = m.do(Tick(), None)
    assert timeout.kind == "hotline.unanswered"


def test_a_cut_line_says_so():
    m = running()
    m.do(HotlineAction(action="cut"))
    with pytest.raises(Conflict) as refused:
        m.do(HotlineAction(action="call"), NATO)
    assert refused.value.code == "hotline_cut"
    with pytest.raises(Conflict) as refused:
        say(m, NATO, "anyone?")
    assert refused.value.code == "hotline_cut"


def test_cut_and_restore_by_the_white_cell():
    m = running()
    (call,) = m.do(HotlineAction(action="call"), NATO)
    m.do(HotlineAction(action="answer"), RUSSIA)
    m.wait(20)
    (cut,) = m.do(HotlineAction(action="cut"))
    assert cut.payload == {"was": "connected", "call_seq": call.seq, "talk_seconds": 20}
    with pytest.raises(Conflict, match="cannot call: the line is cut"):
        m.do(HotlineAction(action="call"), RUSSIA)
    with pytest.raises(Forbidden):
        m.do(HotlineAction(action="restore"), NATO)
    m.wait(30)
    (restored,) = m.do(HotlineAction(action="restore"))
    assert restored.payload == {"cut_seconds": 30}
    m.do(HotlineAction(action="call"), RUSSIA)


def test_a_delay_holds_messages_back_and_the_clock_delivers_them():
    m = running()
    (delay,) = m.do(HotlineAction(action="delay", seconds=30))
    assert delay.audience == ("white_cell",)  # degraded comms are not announced
    with pytest.raises(Invalid, match="'seconds' is required"):
        m.do(HotlineAction(action="delay"))
    m.do(HotlineAction(action="call"), NATO)
    m.do(HotlineAction(action="answer"), RUSSIA)
    sent, held = say(m, NATO, "Do you read?")
    # The sender is not told: their message looks like any other; only the white cell knows.
    assert sent.audience == ("nato",) and "deliver_at" not in sent.payload
    assert held.kind == "hotline.held" and held.audience == ("white_cell",)
    assert held.payload["deliver_at"] == pytest.approx(m.now + 30)
    m.wait(29)
    assert m.do(Tick(), None) == []
    m.wait(1)
    (delivered,) = m.do(Tick(), None)
    assert delivered.kind == "message.delivered" and delivered.audience == ("russia",)
    assert delivered.payload == {
        "message_seq": sent.seq,
        "channel": "hotline",
        "text": "Do you read?",
        "to": "russia",
    }
    assert m.state.hotline.queued == [] and m.do(Tick(), None) == []


def test_team_and_plenary_channels():
    m = running()
    assert say(m, NATO, "ours", "team")[0].audience == ("nato",)
    assert say(m, RUSSIA, "all", "plenary")[0].audience == ("all",)
    with pytest.raises(Forbidden):
        say(m, OBSERVER, "can I?", "plenary")
    (to_team,) = m.do(
        SendMessage(client_id="w", channel="team", text="White cell here", team="russia")
    )
    assert to_team.audience == ("russia",)
    with pytest.raises(Invalid, match="say which team"):
        m.do(SendMessage(client_id="w2", channel="team", text="?"))
    with pytest.raises(Forbidden, match="white cell does not speak on the hotline"):
        m.do(SendMessage(client_id="w3", channel="hotline", text="?"))
    with pytest.raises(Forbidden, match="own team"):
        m.do(SendMessage(client_id="n", channel="team", text="spy", team="russia"), NATO)
    m.do(Control(action="end"))
    with pytest.raises(Conflict, match="has ended"):
        say(m, NATO, "late", "team")


@pytest.mark.parametrize("how", ["cut", "end"])
def test_held_messages_are_lost_when_the_line_is_cut_or_the_run_ends(how):
    m = running()
    m.do(HotlineAction(action="delay", seconds=30))
    m.do(HotlineAction(action="call"), NATO)
    m.do(HotlineAction(action="answer"), RUSSIA)
    sent, _held = say(m, NATO, "Do you read?")
    events = m.do(HotlineAction(action="cut")) if how == "cut" else m.do(Control(action="end"))
    # A cut answers with the cut itself, the loss after it; the run's end stays its last event.
    kinds = [e.kind for e in events]
    assert kinds == (
        ["hotline.cut", "hotline.lost"] if how == "cut" else ["hotline.lost", "run.ended"]
    )
    lost = events[kinds.index("hotline.lost")]
    assert lost.kind == "hotline.lost" and lost.audience == ("white_cell",)
    assert lost.payload == {"message_seqs": [sent.seq], "why": "ended" if how == "end" else "cut"}
    m.wait(60)
    assert m.do(Tick(), None) == []  # nothing arrives through a cut line, or after the end
