"""Plain statements of what happened, for a facilitator to start an executive summary from."""

from __future__ import annotations

from collections import Counter

from app.aar.common import (
    Duration,
    Words,
    duration,
    of,
    participants_per_team,
    rulings_by_move,
    span,
    team_name,
    words,
)
from app.aar.escalation import escalation_series
from app.aar.hotline import hotline_stats
from app.aar.objectives import Rating, rate_objectives
from app.aar.responses import firings, inject_responses
from app.events.record import ALL, EventRecord
from app.scenarios.models import Scenario


def summary_facts(
    scenario: Scenario,
    events: list[EventRecord],
    overrides: dict[str, Rating] | None = None,
    lang: str = "en",
    private: frozenset[str | int] = frozenset(),
) -> list[str]:
    """Plain statements a facilitator can start an executive summary from, in `lang`; no
    judgement. The summary is printed in the handout as written, so the facts are handout-safe
    whatever the report: they never name an inject that not every team received, or whose
    versions have different titles (`not_for_all`), nor any in `private` (ids, or first seqs
    of ad-hoc ones)."""
    t = words(lang)
    private = private | not_for_all(scenario, events)
    facts = [_duration_fact(duration(events), t)]
    counts = participants_per_team(events)
    people = [f"{team_name(scenario, team, t)} {counts.get(team, 0)}" for team in scenario.team_ids]
    people += [
        f"{_other_team(team, t)} {n}" for team, n in counts.items() if team not in scenario.team_ids
    ]
    facts.append(t._("Participants: {teams}.", teams=", ".join(people)))
    facts.append(_injects_fact(scenario, events, t))
    facts.append(_moves_fact(scenario, events, t))
    facts.extend(_hotline_facts(scenario, events, t, private))
    facts.append(_escalation_fact(scenario, events, t))
    if scenario.objectives:
        rated = rate_objectives(scenario, events, overrides, lang, private)
        ratings = Counter(r.rating for r in rated)
        facts.append(
            t._(
                "Objectives: {p} P, {s} S, {m} M, {u} U, {unrated} not rated.",
                p=ratings["P"],
                s=ratings["S"],
                m=ratings["M"],
                u=ratings["U"],
                unrated=ratings[None],
            )
        )
    return facts


def not_for_all(scenario: Scenario, events: list[EventRecord]) -> frozenset[str | int]:
    """The injects the handout does not name (ids and first seqs): those not every team
    received, and those whose versions went out under different titles."""
    teams = set(scenario.team_ids)
    titles = {e.seq: _title(e.payload.get("title")) for e in events if e.kind == "inject.fired"}
    hidden: set[str | int] = set()
    for firing in firings(scenario, events):
        to_all = ALL in firing.audience or teams <= set(firing.audience)
        if not to_all or len({titles.get(s) for s in firing.seqs}) > 1:
            hidden.add(firing.seq)
            if firing.inject_id:
                hidden.add(firing.inject_id)
    return frozenset(hidden)


def _title(value: object) -> str:
    return repr(sorted(value.items())) if isinstance(value, dict) else repr(value)


def _other_team(team: str, t: Words) -> str:
    """People outside the scenario's teams, as the participants fact names them."""
    known = {
        "observers": t._("observers"),
        "white_cell": t._("white cell"),
        # Translators: participants who joined without a team
        "unknown": t._("unknown"),
    }
    return known.get(team, team.replace("_", " "))


def _duration_fact(d: Duration, t: Words) -> str:
    if d.wall_start is None:
        return t._("The run never started.")
    clock = span(d.clock_seconds, t)
    if d.status == "paused":
        return t._("The run is still paused after {clock} on the exercise clock.", clock=clock)
    if d.status != "ended":
        return t._("The run is still running after {clock} on the exercise clock.", clock=clock)
    if d.wall_seconds:
        return t._(
            "The run lasted {clock} on the exercise clock ({wall} of wall time, pauses included).",
            clock=clock,
            wall=span(d.wall_seconds, t),
        )
    return t._("The run lasted {clock} on the exercise clock.", clock=clock)


def _injects_fact(scenario: Scenario, events: list[EventRecord], t: Words) -> str:
    fired = firings(scenario, events)
    scripted = sum(f.inject_id is not None for f in fired)
    adhoc = len(fired) - scripted
    total = len(scenario.injects)
    if not adhoc:
        # Translators: plural forms separated by | (Russian: one|few|many), chosen by {total}
        return t._(
            "{scripted} of {total} scripted inject fired.|"
            "{scripted} of {total} scripted injects fired.",
            total,
            scripted=scripted,
            total=total,
        )
    # Translators: plural forms separated by | (Russian: one|few|many); ends the next message's
    # sentence as its {adhoc} (a translation may make it a clause of its own)
    extra = t._("{count} ad-hoc inject|{count} ad-hoc injects", adhoc, count=adhoc)
    # Translators: plural forms separated by | (Russian: one|few|many), chosen by {total};
    # {adhoc} is the message before: "1 ad-hoc inject"
    return t._(
        "{scripted} of {total} scripted inject fired, and {adhoc}.|"
        "{scripted} of {total} scripted injects fired, and {adhoc}.",
        total,
        scripted=scripted,
        total=total,
        adhoc=extra,
    )


def _moves_fact(scenario: Scenario, events: list[EventRecord], t: Words) -> str:
    moves = of(events, "move.submitted")
    if not moves:
        return t._("No moves were submitted.")
    rulings = rulings_by_move(events)
    by_team = ", ".join(
        f"{team_name(scenario, team, t)} {sum(m.team == team for m in moves)}"
        for team in scenario.team_ids
    )
    decided = Counter(rulings[m.seq].payload["decision"] for m in moves if m.seq in rulings)
    # Translators: plural forms separated by | (Russian: one|few|many), chosen by {count};
    # {teams} is "NATO 1, Russia 2"
    return t._(
        "{count} move submitted ({teams}): {accepted} accepted, {modified} modified, "
        "{rejected} rejected, {pending} awaiting a ruling.|"
        "{count} moves submitted ({teams}): {accepted} accepted, {modified} modified, "
        "{rejected} rejected, {pending} awaiting a ruling.",
        len(moves),
        count=len(moves),
        teams=by_team,
        accepted=decided["accept"],
        modified=decided["modify"],
        rejected=decided["reject"],
        pending=sum(m.seq not in rulings for m in moves),
    )


def _hotline_facts(
    scenario: Scenario, events: list[EventRecord], t: Words, private: frozenset[str | int]
) -> list[str]:
    h = hotline_stats(scenario, events)
    if not h.placed:
        facts = [t._("The hotline was not used.")]
    else:
        callers = ", ".join(
            f"{team_name(scenario, team, t)} {n}" for team, n in h.placed_by_team.items() if n
        )
        facts = [
            # Translators: plural forms separated by | (Russian: one|few|many), chosen by {count};
            # {teams} is "NATO 1, Russia 1"; {talk} a duration of wall time
            t._(
                "{count} hotline call placed ({teams}): {answered} answered, "
                "{unanswered} unanswered, {talk} of talk (wall time).|"
                "{count} hotline calls placed ({teams}): {answered} answered, "
                "{unanswered} unanswered, {talk} of talk (wall time).",
                h.placed,
                count=h.placed,
                teams=callers,
                answered=h.answered,
                unanswered=h.unanswered,
                talk=span(h.talk_seconds, t),
            )
        ]
        contacts = [
            (team.hotline, r.firing.title_in(t.lang))
            for r in inject_responses(scenario, events)
            for team in r.teams.values()
            if team.hotline is not None and not {r.firing.seq, r.firing.inject_id} & private
        ]
        if contacts:
            seconds, title = min(contacts, key=lambda c: c[0])
            facts.append(
                t._(
                    "The quickest hotline contact after an inject came {time} after “{title}”.",
                    time=span(seconds, t),
                    title=title,
                )
            )
    if h.cuts:
        facts.append(
            # Translators: plural forms separated by | (Russian: one|few|many), chosen by {count};
            # {time} a duration
            t._(
                "The white cell cut the line {count} time, for {time} of wall time in total.|"
                "The white cell cut the line {count} times, for {time} of wall time in total.",
                h.cuts,
                count=h.cuts,
                time=span(h.cut_seconds, t),
            )
        )
    return facts


def _escalation_fact(scenario: Scenario, events: list[EventRecord], t: Words) -> str:
    series = escalation_series(scenario, events)
    label = [level.label.get(t.lang) for level in scenario.escalation.levels]
    if len(series.points) == 1:
        return t._("Escalation stayed at {level} throughout.", level=label[series.start_level])
    return t._(
        "Escalation started at {start}, peaked at {peak} and ended at {end}.",
        start=label[series.start_level],
        peak=label[series.peak_level],
        end=label[series.final_level],
    )
