"""What the clock makes happen: scheduled injects, timeboxed phases, unanswered calls and
delayed hotline messages. `Tick` is an ordinary command, so it runs under the run's lock and
the log's unique keys: whichever process ticks first fires an inject, the others find it fired.
"""

from __future__ import annotations

from app.auth.viewer import Viewer
from app.events.record import Draft
from app.injects.commands import inject_drafts
from app.runs.commands import advance_phase
from app.runs.context import Context
from app.runs.state import RunState, RunStatus
from app.scenarios.models import Scenario


def _due_injects(state: RunState, scenario: Scenario) -> list[tuple[float, str]]:
    """(phase-clock offset, inject id) of scheduled injects of the current phase not yet fired."""
    phase = scenario.phases[state.phase].id
    due = [
        (inject.offset_seconds, inject.id)
        for inject in scenario.injects
        if inject.phase == phase
        and inject.offset_seconds is not None
        and inject.id not in state.fired
    ]
    return sorted((float(offset), inject_id) for offset, inject_id in due if offset is not None)


def _rang_since(state: RunState) -> float | None:
    """The exercise clock when the ringing call was placed: a call rings out on the exercise
    clock, so it cannot ring out while the run is paused and nobody may answer."""
    line = state.hotline
    if line.status != "ringing":
        return None
    return line.since_clock if line.since_clock is not None else 0.0


def next_due(state: RunState, scenario: Scenario) -> float | None:
    """Wall time (epoch seconds) of the next thing the clock will do, if any."""
    times: list[float] = [q.deliver_at for q in state.hotline.queued]
    if state.status is RunStatus.running and state.running_since is not None:

        def wall(phase_offset: float) -> float:
            return state.running_since + (state.phase_started + phase_offset - state.clock_base)  # type: ignore[operator]

        if (rang := _rang_since(state)) is not None:
            times.append(
                wall(rang - state.phase_started + scenario.rules.hotline.ring_timeout_seconds)
            )

        injects = _due_injects(state, scenario)
        if injects:
            times.append(wall(injects[0][0]))
        if state.auto_advance and state.phase + 1 < len(scenario.phases):
            times.append(wall(scenario.phases[state.phase].timebox_minutes * 60))
    return min(times) if times else None


class Tick:
    """The scheduler's command: everything that is due now."""

    def idem_key(self, viewer: Viewer | None, state: RunState) -> str | None:
        return None

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        scenario, now = ctx.scenario, ctx.now
        drafts: list[Draft] = []
        line = state.hotline
        for queued in line.queued:
            if queued.deliver_at <= now:
                first, second = scenario.hotline_teams
                there = second if queued.team == first else first
                payload = {
                    "message_seq": queued.seq,
                    "channel": "hotline",
                    "text": queued.text,
                    "to": there,
                }
                drafts.append(
                    Draft(
                        "message.delivered",
                        (there,),
                        payload,
                        team=queued.team,
                        idem_key=f"deliver:{queued.seq}",
                    )
                )
        if state.status is not RunStatus.running:
            return drafts
        rang = _rang_since(state)
        if (
            rang is not None
            and state.clock(now) - rang >= scenario.rules.hotline.ring_timeout_seconds
        ):
            both = tuple(sorted(scenario.hotline_teams))
            payload = {"call_seq": line.call_seq, "ring_seconds": round(now - line.since, 3)}  # type: ignore[operator]
            drafts.append(Draft("hotline.unanswered", both, payload, team=line.caller))
        phase_clock = state.phase_clock(now)
        for offset, inject_id in _due_injects(state, scenario):
            if offset <= phase_clock:
                inject = scenario.inject(inject_id)
                assert inject is not None
                drafts.extend(inject_drafts(inject, scenario, "scheduled"))
        timebox = scenario.phases[state.phase].timebox_minutes * 60
        if state.auto_advance and phase_clock >= timebox and state.phase + 1 < len(scenario.phases):
            drafts.append(advance_phase(state, ctx, "timebox"))
        return drafts
