"""What the clock makes happen, and nothing twice: scheduled injects, timeboxes, unanswered
calls and delayed hotline messages (pure: the clock is the test's)."""

from __future__ import annotations

import pytest

from app.errors import Conflict
from app.injects.commands import FireInject
from app.runs.commands import Control
from app.runs.schedule import Tick, next_due
from tests.runs.machine import Machine


def fired(m: Machine, inject_id: str) -> list:
    return [e for e in m.events if e.kind == "inject.fired" and e.payload["inject_id"] == inject_id]


def test_scheduled_inject_fires_at_its_offset_once_in_each_version():
    m = Machine()
    m.do(Control(action="start"))
    assert next_due(m.state, m.scenario) == pytest.approx(m.now + 5)
    m.wait(4.9)
    assert m.do(Tick(), None) == []
    m.wait(0.2)
    events = m.do(Tick(), None)
    assert {e.payload["variant"] for e in events} == {"nato", "russia", None}
    assert {e.audience for e in events} == {("nato",), ("russia",), ("observers",)}
    assert all(e.payload["trigger"] == "scheduled" for e in events)
    m.wait(30)
    assert m.do(Tick(), None) == []  # never twice
    assert len(fired(m, "first-report")) == 3


def test_a_pause_holds_the_schedule_however_long():
    m = Machine()
    m.do(Control(action="start"))
    m.wait(2)
    m.do(Control(action="pause"))
    m.wait(86_400)
    assert m.do(Tick(), None) == []
    assert next_due(m.state, m.scenario) is None
    m.do(Control(action="resume"))
    assert next_due(m.state, m.scenario) == pytest.approx(m.now + 3)
    m.wait(3.01)
    events = m.do(Tick(), None)
    assert events and events[0].clock == pytest.approx(5.01)


def test_fire_now_is_immediate_even_while_paused_and_the_schedule_then_skips_it():
    m = Machine()
    m.do(Control(action="start"))
    m.wait(1)
    m.do(Control(action="pause"))
    events = m.do(FireInject(inject="first-report"))
    assert events[0].payload["trigger"] == "facilitator" and events[0].clock == pytest.approx(1)
    with pytest.raises(Conflict, match="already fired"):
        m.do(FireInject(inject="first-report"))
    m.do(Control(action="resume"))
    m.wait(60)
    assert m.do(Tick(), None) == []
    assert len(fired(m, "first-report")) == 3


def test_offsets_count_from_the_start_of_the_injects_phase():
    m = Machine()
    m.do(Control(action="start"))
    m.do(FireInject(inject="first-report"))
    m.do(Control(action="next_phase"))
    m.wait(100)
    m.do(Control(action="next_phase"))  # 'resolution' begins at clock 100
    m.wait(2.9)
    assert m.do(Tick(), None) == []
    m.wait(0.2)
    (event,) = m.do(Tick(), None)
    assert event.payload["inject_id"] == "late-news" and event.audience == ("all",)
    assert event.clock == pytest.approx(103.1)


def test_phase_injects_wait_for_their_phase():
    m = Machine()
    m.do(Control(action="start"))
    m.do(FireInject(inject="first-report"))
    m.wait(600)
    assert fired(m, "late-news") == [] and m.do(Tick(), None) == []


def test_auto_advance_at_the_end_of_the_timebox():
    m = Machine()
    m.state = m.state.model_copy(update={"auto_advance": True})
    m.do(Control(action="start"))
    m.do(FireInject(inject="first-report"))
    m.wait(599)
    assert m.do(Tick(), None) == []
    m.wait(1)
    (event,) = m.do(Tick(), None)
    assert event.kind == "phase.advanced" and event.payload["reason"] == "timebox"
    assert m.state.phase == 1


def test_without_auto_advance_the_facilitator_decides():
    m = Machine()
    m.do(Control(action="start"))
    m.do(FireInject(inject="first-report"))
    m.wait(10_000)
    assert m.do(Tick(), None) == [] and m.state.phase == 0
