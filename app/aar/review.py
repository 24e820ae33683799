"""The whole after-action review in one dict, for the API, exports and templates."""

from __future__ import annotations

from typing import Any

from app.aar.common import duration, participants_per_team
from app.aar.escalation import escalation_series
from app.aar.facts import summary_facts
from app.aar.hotline import hotline_stats
from app.aar.objectives import Rating, rate_objectives
from app.aar.phases import phase_review
from app.aar.responses import inject_responses
from app.events.record import EventRecord
from app.scenarios.models import Scenario


def review(
    scenario: Scenario,
    events: list[EventRecord],
    overrides: dict[str, Rating] | None = None,
    lang: str = "en",
    private: frozenset[str | int] = frozenset(),
) -> dict[str, Any]:
    """The whole after-action review as one JSON-able dict; its sentences (the facts and the
    objectives' explanations) in `lang`, its figures the same in every language. Its
    sentences never name an inject in `private` (inject ids, first seqs of ad-hoc firings)."""
    counts = participants_per_team(events)
    return {
        "participants": {team: counts.get(team, 0) for team in scenario.team_ids} | counts,
        "duration": duration(events).to_dict(),
        "injects": [r.to_dict() for r in inject_responses(scenario, events)],
        "hotline": hotline_stats(scenario, events).to_dict(),
        "escalation": escalation_series(scenario, events).to_dict(),
        "objectives": [
            r.to_dict() for r in rate_objectives(scenario, events, overrides, lang, private)
        ],
        "phases": [p.to_dict() for p in phase_review(scenario, events)],
        "facts": summary_facts(scenario, events, overrides, lang, private),
    }
