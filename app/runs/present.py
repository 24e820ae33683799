"""What a viewer is shown of a run and of its scenario. Teams never see the MSEL (upcoming
injects would spoil the exercise), another team's briefing, controller notes or join codes."""

from __future__ import annotations

import time
from typing import Any

from app.auth.viewer import Viewer
from app.events.store import RunSnapshot
from app.runs.schedule import next_due
from app.runs.state import RunState, RunStatus
from app.scenarios.models import OBSERVERS, WHITE_CELL, Scenario


def _text(value: Any) -> Any:
    return value.model_dump(exclude_none=True) if value is not None else None


def run_view(snapshot: RunSnapshot, viewer: Viewer, now: float | None = None) -> dict[str, Any]:
    now = time.time() if now is None else now
    state, scenario = snapshot.state, snapshot.scenario
    phase = scenario.phases[state.phase]
    level = scenario.escalation.levels[state.escalation]
    on_hotline = viewer.is_white_cell or viewer.team in scenario.hotline_teams
    view: dict[str, Any] = {
        "id": snapshot.id,
        "title": snapshot.title,
        "scenario": {
            "id": scenario.id,
            "version": scenario.metadata.version,
            "title": _text(scenario.metadata.title),
        },
        "status": state.status.value,
        "clock": round(state.clock(now), 3),
        "server_time": round(now, 3),
        "last_seq": state.last_seq,
        "phase": {
            "index": state.phase,
            "id": phase.id,
            "title": _text(phase.title),
            "timebox_minutes": phase.timebox_minutes,
            "started_clock": round(state.phase_started, 3),
            "remaining_seconds": round(phase.timebox_minutes * 60 - state.phase_clock(now), 3)
            if state.status is not RunStatus.lobby
            else phase.timebox_minutes * 60,
            "questions": [_text(q) for q in phase.questions],
            "count": len(scenario.phases),
        },
        "escalation": {
            "level": state.escalation,
            "id": level.id,
            "label": _text(level.label),
            "levels": len(scenario.escalation.levels),
        },
        "hotline": (
            {
                "status": state.hotline.status,
                "caller": state.hotline.caller,
                "since": state.hotline.since,
            }
            if on_hotline
            else None
        ),
        "marking": _text(scenario.metadata.marking),
        "you": {
            "participant_id": viewer.participant_id,
            "team": viewer.team,
            "role": viewer.role.value,
            "name": viewer.name,
        },
    }
    if viewer.is_white_cell:
        view["join_codes"] = snapshot.join_codes
        view["hotline"]["delay_seconds"] = state.hotline.delay_seconds
        view["auto_advance"] = state.auto_advance
        view["pending_moves"] = [
            {
                "seq": move.seq,
                "team": move.team,
                "move_type": move.payload["move_type"],
                "action": move.payload["action"],
            }
            for move in snapshot.pending_moves
        ]
        view["msel"] = msel(state, scenario)
        due = next_due(state, scenario)
        view["next_due"] = round(due, 3) if due else None
    return view


def msel(state: RunState, scenario: Scenario) -> list[dict[str, Any]]:
    """Each scripted inject's status: fired, due (scheduled in the current phase) or pending."""
    current = scenario.phases[state.phase].id
    rows = []
    for inject in scenario.injects:
        offset = inject.offset_seconds
        if inject.id in state.fired:
            status = "fired"
        elif offset is not None and inject.phase == current and state.status is not RunStatus.lobby:
            status = "due"
        else:
            status = "pending"
        rows.append(
            {
                "id": inject.id,
                "phase": inject.phase,
                "trigger": inject.trigger,
                "status": status,
                "due_clock": state.phase_started + offset
                if status == "due" and offset is not None
                else None,
                "fired_seq": state.fired.get(inject.id),
                "audience": "all" if "all" in inject.audience else inject.audience,
                "variants": sorted(inject.variants),
            }
        )
    return rows


def scenario_view(scenario: Scenario, viewer: Viewer) -> dict[str, Any]:
    """The scenario as `viewer` may read it: everything for the white cell; for a team the
    read-ahead, its own briefing, phases, the move menu, the ladder and the objectives."""
    if viewer.is_white_cell:
        return scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"injects"})
    briefings = data["background"].get("briefings", {})
    own = viewer.team if viewer.team != WHITE_CELL else None
    data["background"]["briefings"] = {own: briefings[own]} if own in briefings else {}
    if viewer.team != OBSERVERS:
        data["moves"] = [
            m for m in data["moves"] if not m.get("teams") or viewer.team in m["teams"]
        ]
    return data
