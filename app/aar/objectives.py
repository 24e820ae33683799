"""Objectives rated P/S/M/U by their checks against the log; a facilitator's rating wins, with
the computed one kept alongside so the two can be compared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.aar.checks import HIDDEN, RULES, Rating, Verdict, Window
from app.aar.common import Result, Words, words
from app.events.record import EventRecord
from app.scenarios.models import Objective, Scenario

RATINGS: tuple[Rating, ...] = ("P", "S", "M", "U")


@dataclass(frozen=True)
class ObjectiveRating(Result):
    objective: str
    title: str  # English
    check: str | None  # the check's kind
    rating: Rating | None  # None: not rated
    source: Literal["computed", "facilitator"] | None
    computed_rating: Rating | None  # what the check gives, kept when the facilitator overrides
    evidence: tuple[int, ...]  # seqs of the events that decided the computed rating
    explanation: str  # how `rating` came about, in one sentence (in the language asked for)
    computed_explanation: str | None  # how `computed_rating` came about (None without a check)


def rate_objectives(
    scenario: Scenario,
    events: list[EventRecord],
    overrides: dict[str, Rating] | None = None,
    lang: str = "en",
    private: frozenset[str | int] = frozenset(),
) -> list[ObjectiveRating]:
    """Every objective of the scenario, rated P/S/M/U by its check; a facilitator's rating in
    `overrides` (objective id -> rating) wins, with the computed one kept alongside. The
    explanations are in `lang`; an inject whose id is in `private` (the handout leaves it
    out) is named without its title."""
    t = words(lang)
    overrides = overrides or {}
    for objective_id, given in overrides.items():
        if given not in RATINGS:
            raise ValueError(f"rating of '{objective_id}' must be one of P, S, M, U, not {given!r}")
    results = []
    for objective in scenario.objectives:
        verdict = _computed(scenario, events, objective, t, private)
        override = overrides.get(objective.id)
        if override is not None:
            rating, source = override, "facilitator"
            explanation = (
                t._(
                    "Rated {rating} by the facilitator (computed: {computed}).",
                    rating=override,
                    computed=verdict.rating,
                )
                if verdict.rating
                else t._(
                    "Rated {rating} by the facilitator (computed: not rated).", rating=override
                )
            )
        elif verdict.rating is not None:
            rating, source, explanation = verdict.rating, "computed", verdict.explanation
        else:
            rating, source, explanation = None, None, verdict.explanation
        results.append(
            ObjectiveRating(
                objective=objective.id,
                title=objective.title.en,
                check=objective.check.kind.value if objective.check else None,
                rating=rating,
                source=source,
                computed_rating=verdict.rating,
                evidence=verdict.evidence,
                explanation=explanation,
                computed_explanation=verdict.explanation if objective.check else None,
            )
        )
    return results


def _computed(
    scenario: Scenario,
    events: list[EventRecord],
    objective: Objective,
    t: Words,
    private: frozenset[str | int],
) -> Verdict:
    check = objective.check
    if check is None:
        return Verdict(None, (), t._("No check and no facilitator rating."))
    if not any(e.kind == "run.started" for e in events):
        return Verdict(None, (), t._("The run never started, so there is nothing to rate."))
    limit = check.within_minutes * 60 if check.within_minutes else None
    window = Window(0, 0.0, limit, None)
    if check.after_inject:
        fired = next(
            (
                e
                for e in events
                if e.kind == "inject.fired" and e.payload.get("inject_id") == check.after_inject
            ),
            None,
        )
        inject = scenario.inject(check.after_inject)
        title = inject.title.get(t.lang) if inject else check.after_inject
        if check.after_inject in private:
            title = HIDDEN
        if fired is None and title == HIDDEN:
            return Verdict(
                None,
                (),
                t._(
                    "An inject the handout does not name never fired, so there is nothing to rate."
                ),
            )
        if fired is None:
            return Verdict(
                None,
                (),
                # Translators: {inject} is the inject's title
                t._(
                    "The inject “{inject}” never fired, so there is nothing to rate.", inject=title
                ),
            )
        window = Window(fired.seq, fired.clock, limit, title)
    verdict = RULES[check.kind](scenario, events, check, window, t)
    anchor = (window.after_seq,) if window.after_seq else ()
    return Verdict(verdict.rating, anchor + verdict.evidence, verdict.explanation)
