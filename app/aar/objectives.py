"""Objectives rated P/S/M/U by their checks against the log; a facilitator's rating wins, with
the computed one kept alongside so the two can be compared."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from app.aar.common import Result, count, first_after, of, rulings_by_move, span, team_names
from app.aar.escalation import escalation_series
from app.events.record import EventRecord
from app.scenarios.models import Check, CheckKind, Objective, Scenario

Rating = Literal["P", "S", "M", "U"]
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
    explanation: str  # how `rating` came about, in one sentence
    computed_explanation: str | None  # how `computed_rating` came about (None without a check)


@dataclass(frozen=True)
class _Verdict:
    rating: Rating | None
    evidence: tuple[int, ...]
    explanation: str


@dataclass(frozen=True)
class _Window:
    """Where a check looks: after its inject (by seq), up to t0 + W or the end of the log."""

    after_seq: int
    t0: float
    limit: float | None  # W, seconds
    since: str  # "inject first-report" or "the start"

    @property
    def until(self) -> float | None:
        return None if self.limit is None else self.t0 + self.limit

    def target(self) -> str:
        return f" (target {span(self.limit)})" if self.limit is not None else ""


def rate_objectives(
    scenario: Scenario, events: list[EventRecord], overrides: dict[str, Rating] | None = None
) -> list[ObjectiveRating]:
    """Every objective of the scenario, rated P/S/M/U by its check; a facilitator's rating in
    `overrides` (objective id -> rating) wins, with the computed one kept alongside."""
    overrides = overrides or {}
    for objective_id, given in overrides.items():
        if given not in RATINGS:
            raise ValueError(f"rating of '{objective_id}' must be one of P, S, M, U, not {given!r}")
    results = []
    for objective in scenario.objectives:
        verdict = _computed(scenario, events, objective)
        override = overrides.get(objective.id)
        if override is not None:
            rating, source = override, "facilitator"
            computed = verdict.rating or "not rated"
            explanation = f"Rated {override} by the facilitator (computed: {computed})."
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


def _computed(scenario: Scenario, events: list[EventRecord], objective: Objective) -> _Verdict:
    check = objective.check
    if check is None:
        return _Verdict(None, (), "No check and no facilitator rating.")
    if not any(e.kind == "run.started" for e in events):
        return _Verdict(None, (), "The run never started, so there is nothing to rate.")
    limit = check.within_minutes * 60 if check.within_minutes else None
    window = _Window(0, 0.0, limit, "the start")
    if check.after_inject:
        fired = next(
            (
                e
                for e in events
                if e.kind == "inject.fired" and e.payload.get("inject_id") == check.after_inject
            ),
            None,
        )
        if fired is None:
            return _Verdict(
                None, (), f"Inject {check.after_inject} never fired, so nothing to rate."
            )
        window = _Window(fired.seq, fired.clock, limit, f"inject {check.after_inject}")
    rule = {
        CheckKind.hotline_contact: _hotline_contact,
        CheckKind.message: _message,
        CheckKind.move: _move,
        CheckKind.no_move: _no_move,
        CheckKind.escalation_max: _escalation_max,
    }[check.kind]
    verdict = rule(scenario, events, check, window)
    anchor = (window.after_seq,) if window.after_seq else ()
    return _Verdict(verdict.rating, anchor + verdict.evidence, verdict.explanation)


def _graded(delta: float, limit: float | None) -> Rating:
    if limit is None or delta <= limit:
        return "P"
    return "S" if delta <= 2 * limit else "M"


def _hotline_contact(
    scenario: Scenario, events: list[EventRecord], check: Check, w: _Window
) -> _Verdict:
    callers = {e.seq: e.team for e in of(events, "hotline.call_placed")}

    def counts(event: EventRecord) -> bool:
        ends = {event.team, callers.get(event.payload.get("call_seq"))}
        return event.kind == "hotline.answered" and (
            not check.teams or bool(ends & set(check.teams))
        )

    answered = first_after(events, w.after_seq, counts)
    involving = f" involving {team_names(scenario, check.teams)}" if check.teams else ""
    if answered is None:
        return _Verdict("U", (), f"No hotline call{involving} was answered after {w.since}.")
    delta = answered.clock - w.t0
    call = answered.payload.get("call_seq")
    evidence = (call, answered.seq) if call else (answered.seq,)
    return _Verdict(
        _graded(delta, w.limit),
        evidence,
        f"Hotline answered {span(delta)} after {w.since}{w.target()}.",
    )


@dataclass(frozen=True)
class _Deed:
    """What a `message` or `move` check asks a team to do, and how to say it."""

    match: Callable[[EventRecord], bool]
    past: str  # "wrote on the team channel"
    infinitive: str  # "write on the team channel"
    evidence: Callable[[EventRecord], tuple[int, ...]] = lambda e: (e.seq,)
    caveat: str = ""


def _by_required(
    scenario: Scenario, events: list[EventRecord], check: Check, w: _Window, deed: _Deed
) -> _Verdict:
    """Each required team (or, with none given, any one team) did it after t0; graded by when
    the last required team first did."""
    firsts = {
        team: first_after(events, w.after_seq, lambda e, t=team: e.team == t and deed.match(e))
        for team in check.teams or scenario.team_ids
    }
    found = [event for event in firsts.values() if event is not None]
    missing = [team for team, event in firsts.items() if event is None]
    evidence = tuple(seq for e in sorted(found, key=lambda e: e.seq) for seq in deed.evidence(e))
    if check.teams and missing:
        who = team_names(scenario, missing)
        return _Verdict(
            "U", evidence, f"{who} did not {deed.infinitive} after {w.since}{deed.caveat}."
        )
    if not found:
        return _Verdict("U", (), f"No team {deed.past} after {w.since}{deed.caveat}.")
    if not check.teams:  # any one team suffices: the first to do it
        found = [min(found, key=lambda e: e.seq)]
        evidence = deed.evidence(found[0])
    last = max(found, key=lambda e: e.seq)
    delta = last.clock - w.t0
    when = f"{', the last' if len(found) > 1 else ''} {span(delta)} after {w.since}"
    who = team_names(scenario, [e.team or "" for e in sorted(found, key=lambda e: e.seq)])
    return _Verdict(_graded(delta, w.limit), evidence, f"{who} {deed.past}{when}{w.target()}.")


def _message(scenario: Scenario, events: list[EventRecord], check: Check, w: _Window) -> _Verdict:
    def match(e: EventRecord) -> bool:
        return e.kind == "message.sent" and e.payload.get("channel") == check.channel

    where = f"on the {check.channel} channel"
    deed = _Deed(match, f"wrote {where}", f"write {where}")
    return _by_required(scenario, events, check, w, deed)


def _matches_move(check: Check) -> Callable[[EventRecord], bool]:
    def match(e: EventRecord) -> bool:
        return e.kind == "move.submitted" and (
            e.payload.get("move_type") in (check.move_types or [])
            or e.payload.get("category") in (check.categories or [])
        )

    return match


def _rejected(rulings: dict[int, EventRecord], move: EventRecord) -> bool:
    ruling = rulings.get(move.seq)
    return ruling is not None and ruling.payload["decision"] == "reject"


def _with_ruling(rulings: dict[int, EventRecord], move: EventRecord) -> tuple[int, ...]:
    return (move.seq, rulings[move.seq].seq) if move.seq in rulings else (move.seq,)


def _move(scenario: Scenario, events: list[EventRecord], check: Check, w: _Window) -> _Verdict:
    rulings = rulings_by_move(events)
    matching = _matches_move(check)
    deed = _Deed(
        match=lambda e: matching(e) and not _rejected(rulings, e),
        past="made a matching move",
        infinitive="make a matching move",
        evidence=lambda e: _with_ruling(rulings, e),
        caveat=" (rejected moves do not count)",
    )
    return _by_required(scenario, events, check, w, deed)


def _no_move(scenario: Scenario, events: list[EventRecord], check: Check, w: _Window) -> _Verdict:
    rulings = rulings_by_move(events)
    matching = _matches_move(check)
    teams = set(check.teams or scenario.team_ids)
    moves = [
        e
        for e in events
        if e.seq > w.after_seq
        and (w.until is None or e.clock <= w.until)
        and e.team in teams
        and matching(e)
    ]
    kept = [e for e in moves if not _rejected(rulings, e)]
    evidence = tuple(seq for e in moves for seq in _with_ruling(rulings, e))
    where = f"within {span(w.limit)} of {w.since}" if w.limit is not None else f"after {w.since}"
    if not moves:
        return _Verdict("P", (), f"No matching move was submitted {where}.")
    submitted = f"{count(len(moves), 'matching move')} submitted {where}"
    if not kept:
        return _Verdict("S", evidence, f"{submitted}, all rejected by the white cell.")
    if len(kept) == 1:
        return _Verdict("M", evidence, f"{submitted}, 1 not rejected.")
    return _Verdict("U", evidence, f"{submitted}, {len(kept)} not rejected.")


def _escalation_max(
    scenario: Scenario, events: list[EventRecord], check: Check, w: _Window
) -> _Verdict:
    levels = scenario.escalation.levels
    limit = scenario.level_index(check.level or "")
    series = escalation_series(scenario, events)
    in_force = [p for p in series.points if p.seq is None or p.seq <= w.after_seq][-1:]
    later = [
        p
        for p in series.points
        if p.seq is not None and p.seq > w.after_seq and (w.until is None or p.clock <= w.until)
    ]
    window = in_force + later
    above = [p for p in window if p.level > limit]
    peak = max(p.level for p in window)
    final = window[-1].level
    name = levels[limit].label.en
    evidence = tuple(p.seq for p in above if p.seq is not None)
    if not above:
        return _Verdict(
            "P", (), f"Escalation stayed at or below {name} (peak {levels[peak].label.en})."
        )
    if final <= limit:
        return _Verdict(
            "S",
            evidence,
            f"Escalation rose to {levels[peak].label.en} but ended at {levels[final].label.en} (limit {name}).",
        )
    steps = final - limit
    return _Verdict(
        "M" if steps == 1 else "U",
        evidence,
        f"Escalation ended at {levels[final].label.en}, {steps} level{'s' if steps > 1 else ''} above {name}.",
    )
