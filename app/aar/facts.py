"""Plain statements of what happened, for a facilitator to start an executive summary from."""

from __future__ import annotations

from collections import Counter

from app.aar.common import (
    Duration,
    count,
    duration,
    of,
    participants_per_team,
    rulings_by_move,
    span,
    team_name,
)
from app.aar.escalation import escalation_series
from app.aar.hotline import hotline_stats
from app.aar.objectives import RATINGS, Rating, rate_objectives
from app.aar.responses import firings, inject_responses
from app.events.record import EventRecord
from app.scenarios.models import Scenario

DECISIONS = ("accept", "modify", "reject")
DECIDED = {"accept": "accepted", "modify": "modified", "reject": "rejected"}


def summary_facts(
    scenario: Scenario, events: list[EventRecord], overrides: dict[str, Rating] | None = None
) -> list[str]:
    """Plain statements a facilitator can start an executive summary from; no judgement."""
    facts = [_duration_fact(duration(events))]
    counts = participants_per_team(events)
    people = [f"{team_name(scenario, t)} {counts.get(t, 0)}" for t in scenario.team_ids]
    people += [
        f"{team.replace('_', ' ')} {n}"
        for team, n in counts.items()
        if team not in scenario.team_ids
    ]
    facts.append(f"Participants: {', '.join(people)}.")
    fired = firings(scenario, events)
    scripted = sum(f.inject_id is not None for f in fired)
    adhoc = len(fired) - scripted
    facts.append(
        f"{scripted} of {count(len(scenario.injects), 'scripted inject')} fired"
        + (f", and {count(adhoc, 'ad-hoc inject')}." if adhoc else ".")
    )
    facts.append(_moves_fact(scenario, events))
    facts.extend(_hotline_facts(scenario, events))
    series = escalation_series(scenario, events)
    label = [level.label.en for level in scenario.escalation.levels]
    if len(series.points) == 1:
        facts.append(f"Escalation stayed at {label[series.start_level]} throughout.")
    else:
        facts.append(
            f"Escalation started at {label[series.start_level]}, peaked at "
            f"{label[series.peak_level]} and ended at {label[series.final_level]}."
        )
    if scenario.objectives:
        ratings = Counter(r.rating for r in rate_objectives(scenario, events, overrides))
        tally = ", ".join(f"{ratings.get(r, 0)} {r}" for r in RATINGS)
        facts.append(f"Objectives: {tally}, {ratings.get(None, 0)} not rated.")
    return facts


def _duration_fact(d: Duration) -> str:
    if d.wall_start is None:
        return "The run never started."
    if d.status != "ended":
        return f"The run is still {d.status} after {span(d.clock_seconds)} on the exercise clock."
    wall = f" ({span(d.wall_seconds)} of wall time, pauses included)" if d.wall_seconds else ""
    return f"The run lasted {span(d.clock_seconds)} on the exercise clock{wall}."


def _moves_fact(scenario: Scenario, events: list[EventRecord]) -> str:
    moves = of(events, "move.submitted")
    if not moves:
        return "No moves were submitted."
    rulings = rulings_by_move(events)
    by_team = ", ".join(
        f"{team_name(scenario, t)} {sum(m.team == t for m in moves)}" for t in scenario.team_ids
    )
    decided = Counter(rulings[m.seq].payload["decision"] for m in moves if m.seq in rulings)
    outcome = ", ".join(f"{decided.get(d, 0)} {DECIDED[d]}" for d in DECISIONS)
    pending = sum(m.seq not in rulings for m in moves)
    return f"{count(len(moves), 'move')} submitted ({by_team}): {outcome}, {pending} awaiting a ruling."


def _hotline_facts(scenario: Scenario, events: list[EventRecord]) -> list[str]:
    h = hotline_stats(scenario, events)
    if not h.placed:
        facts = ["The hotline was not used."]
    else:
        callers = ", ".join(
            f"{team_name(scenario, t)} {n}" for t, n in h.placed_by_team.items() if n
        )
        facts = [
            f"{count(h.placed, 'hotline call')} placed ({callers}): {h.answered} answered, "
            f"{h.unanswered} unanswered, {span(h.talk_seconds)} of talk."
        ]
        contacts = [
            (t.hotline, r.firing.title)
            for r in inject_responses(scenario, events)
            for t in r.teams.values()
            if t.hotline is not None
        ]
        if contacts:
            seconds, title = min(contacts, key=lambda c: c[0])
            facts.append(
                f"The quickest hotline contact after an inject came {span(seconds)} after “{title}”."
            )
    if h.cuts:
        facts.append(
            f"The white cell cut the line {count(h.cuts, 'time')}, for {span(h.cut_seconds)} in total."
        )
    return facts
