"""The run's life: states, transitions, the exercise clock and phases (pure, no I/O)."""

from __future__ import annotations

import pytest

from app.errors import Conflict, Forbidden
from app.runs.commands import Control, SetEscalation
from app.runs.state import RunStatus
from tests.runs.machine import NATO, Machine

ALLOWED = {
    RunStatus.lobby: {"start", "end"},
    RunStatus.running: {"pause", "end", "next_phase"},
    RunStatus.paused: {"resume", "end", "next_phase"},
    RunStatus.ended: set(),
}


def machine_in(status: RunStatus) -> Machine:
    m = Machine()
    steps = {
        RunStatus.lobby: [],
        RunStatus.running: ["start"],
        RunStatus.paused: ["start", "pause"],
        RunStatus.ended: ["start", "end"],
    }[status]
    for action in steps:
        m.do(Control(action=action))
    assert m.state.status is status
    return m


@pytest.mark.parametrize("status", list(RunStatus))
@pytest.mark.parametrize("action", ["start", "pause", "resume", "end", "next_phase"])
def test_transitions(status, action):
    m = machine_in(status)
    if action in ALLOWED[status]:
        (event,) = m.do(Control(action=action))
        assert event.kind in {
            "run.started",
            "run.paused",
            "run.resumed",
            "run.ended",
            "phase.advanced",
        }
    else:
        with pytest.raises(Conflict) as refused:
            m.do(Control(action=action))
        assert refused.value.status == 409
        assert refused.value.message.startswith("cannot ")


def test_only_the_white_cell_controls_the_run():
    with pytest.raises(Forbidden):
        Machine().do(Control(action="start"), NATO)


def test_clock_runs_only_while_running():
    m = Machine()
    m.wait(50)
    assert m.state.clock(m.now) == 0  # lobby
    m.do(Control(action="start"))
    m.wait(10)
    assert m.state.clock(m.now) == pytest.approx(10)
    m.do(Control(action="pause"))
    m.wait(3600)  # a long pause
    assert m.state.clock(m.now) == pytest.approx(10)
    m.do(Control(action="resume"))
    m.wait(5)
    assert m.state.clock(m.now) == pytest.approx(15)
    m.do(Control(action="end"))
    m.wait(100)
    assert m.state.clock(m.now) == pytest.approx(15)


def test_phases_advance_and_stop_at_the_last():
    m = Machine()
    m.do(Control(action="start"))
    m.wait(30)
    (advanced,) = m.do(Control(action="next_phase"))
    assert advanced.payload == {
        "index": 1,
        "from": "incident",
        "to": "response",
        "reason": "facilitator",
    }
    assert m.state.phase_started == pytest.approx(30)
    m.do(Control(action="next_phase"))
    with pytest.raises(Conflict, match="already in the last phase 'resolution'"):
        m.do(Control(action="next_phase"))


def test_the_state_is_what_the_log_says():
    m = Machine()
    m.do(Control(action="start"))
    m.wait(12)
    m.do(Control(action="pause"))
    m.wait(7)
    m.do(Control(action="resume"))
    m.do(Control(action="next_phase"))
    m.do(SetEscalation(change=1))
    assert m.rebuilt() == m.state


def test_escalation_stays_on_the_ladder():
    m = Machine()  # starts at 'tension', the middle of three levels
    (event,) = m.do(SetEscalation(change=5))
    assert (event.payload["from_id"], event.payload["to_id"]) == ("tension", "crisis")
    with pytest.raises(Conflict, match="would not change"):
        m.do(SetEscalation(change=1))
    (event,) = m.do(SetEscalation(level="calm", reason="talks"))
    assert event.payload["to"] == 0 and event.payload["note"] == "talks"
    with pytest.raises(Exception, match="unknown escalation level 'war'"):
        m.do(SetEscalation(level="war"))


def test_evolve_leaves_the_previous_state_untouched():
    from app.channels.commands import HotlineAction
    from app.injects.commands import FireInject
    from app.moves.commands import SubmitMove
    from tests.runs.machine import RUSSIA

    m = Machine()
    m.do(Control(action="start"))
    before = m.state.model_copy(deep=True)
    snapshot = m.state
    m.do(FireInject(inject="first-report"))
    m.do(SubmitMove(client_id="x", move_type="deploy", action="Sail"), NATO)
    m.do(HotlineAction(action="call"), NATO)
    m.do(HotlineAction(action="answer"), RUSSIA)
    assert snapshot == before  # shallow copies, replaced containers: the old state is as it was
    assert m.state.fired and m.state.hotline.status == "connected"
    assert m.rebuilt() == m.state
