"""Moves and rulings, matrix-game style (pure)."""

from __future__ import annotations

import pytest

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.moves.commands import Adjudicate, SubmitMove
from app.runs.commands import Control
from tests.runs.machine import NATO, OBSERVER, RUSSIA, WHITE, Machine


def running(name: str = "minimal") -> Machine:
    m = Machine(name)
    m.do(Control(action="start"))
    return m


def move(m: Machine, viewer=NATO, **fields):
    body = {"client_id": "m", "move_type": "deploy", "action": "Sail two frigates"} | fields
    return m.do(SubmitMove(**body), viewer)


def test_a_move_stays_with_its_team_until_ruled_on():
    m = running()
    (submitted,) = move(m, intended_result="Deter", reasons="Show resolve", confidence=4)
    assert submitted.audience == ("nato",) and submitted.team == "nato"
    assert (
        submitted.payload["category"] == "military" and submitted.payload["escalation_weight"] == 1
    )
    assert submitted.team == "nato"
    ruling, escalation = m.do(
        Adjudicate(
            move_seq=submitted.seq, decision="modify", outcome="One frigate", escalation_change=1
        )
    )
    assert ruling.audience == ("all",) and ruling.payload["action"] == "Sail two frigates"
    assert (
        escalation.payload["to_id"] == "crisis" and escalation.payload["move_seq"] == submitted.seq
    )
    with pytest.raises(NotFound, match="not awaiting a ruling"):
        m.do(Adjudicate(move_seq=submitted.seq, decision="accept", outcome="again"))


def test_escalation_change_is_kept_within_the_ladder():
    m = running()
    (first,) = move(m)
    ruling, escalation = m.do(
        Adjudicate(move_seq=first.seq, decision="accept", outcome="ok", escalation_change=5)
    )
    assert ruling.payload["escalation_change"] == 1 and escalation.payload["to"] == 2
    (second,) = move(m)
    (ruling,) = m.do(
        Adjudicate(move_seq=second.seq, decision="accept", outcome="ok", escalation_change=1)
    )
    assert ruling.payload["escalation_change"] == 0  # already at the top: no escalation event


def test_a_rejected_move_cannot_escalate():
    m = running()
    (submitted,) = move(m)
    with pytest.raises(Conflict, match="rejected move"):
        m.do(
            Adjudicate(move_seq=submitted.seq, decision="reject", outcome="no", escalation_change=1)
        )


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"move_type": "nuke"}, Invalid, "move_type"),
        ({"move_type": "cal"}, Invalid, "move_type"),
        ({"objectives": ["hotline", "peace"]}, Invalid, "objectives[1]"),
    ],
)
def test_invalid_moves_name_the_field(fields, error, field):
    with pytest.raises(error) as refused:
        move(running(), **fields)
    assert refused.value.field == field


def test_unknown_move_type_suggests():
    with pytest.raises(Invalid, match="did you mean 'call'"):
        move(running(), move_type="cal")


@pytest.mark.parametrize("viewer", [WHITE, OBSERVER])
def test_only_teams_move(viewer):
    with pytest.raises(Forbidden):
        move(running(), viewer)


def test_moves_need_a_running_exercise():
    m = running()
    m.do(Control(action="pause"))
    with pytest.raises(Conflict, match="paused"):
        move(m, RUSSIA)


def test_rulings_only_by_the_white_cell():
    m = running()
    (submitted,) = move(m)
    with pytest.raises(Forbidden):
        m.do(Adjudicate(move_seq=submitted.seq, decision="accept", outcome="mine"), NATO)


def test_visibility_rules_of_the_scenario():
    m = running("open-rules")
    assert move(m)[0].audience == ("all",)
    m = running("secret-moves")
    (submitted,) = move(m)
    (ruling,) = m.do(Adjudicate(move_seq=submitted.seq, decision="accept", outcome="ok"))
    assert ruling.audience == ("nato",)
