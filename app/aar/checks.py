"""The rules of the scenario format's check kinds: how the log rates one objective P/S/M/U, with
the events that decided it and one sentence that says how (see docs/review-and-exports.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from app.aar.common import Words, first_after, rulings_by_move, span, team_names, whole
from app.aar.escalation import escalation_series
from app.aar.responses import callers_of, contact_teams, hotline_contact
from app.events.record import EventRecord
from app.scenarios.models import Check, CheckKind, Scenario

Rating = Literal["P", "S", "M", "U"]
HIDDEN = "\x00hidden"  # Window.inject of an inject whose title the handout leaves out


@dataclass(frozen=True)
class Verdict:
    rating: Rating | None
    evidence: tuple[int, ...]
    explanation: str


@dataclass(frozen=True)
class Window:
    """Where a check looks: after its inject (by seq), up to t0 + W or the end of the log."""

    after_seq: int
    t0: float
    limit: float | None  # W, seconds
    # the title of the inject whose firing starts the clock; None: the start; HIDDEN: an inject
    # the handout leaves out (not every team received it), named without its title
    inject: str | None

    def contains(self, clock: float) -> bool:
        """Whether an event at `clock` (and later in the log than t0) falls within W, compared
        in whole seconds as the review shows times."""
        return self.limit is None or whole(clock - self.t0) <= self.limit

    # The window's moments as whole phrases (preposition and all), for the sentences below.

    def after(self, t: Words) -> str:
        """'after the inject “First report”', 'after the start'."""
        if self.inject is None:
            # Translators: a whole phrase, put as {after} or {where} into the explanations
            return t._("after the start")
        if self.inject == HIDDEN:
            # Translators: a whole phrase, put as {after} or {where} into the explanations of
            # the handout, which leaves out injects not every team received
            return t._("after an inject the handout does not name")
        # Translators: a whole phrase, put as {after} or {where} into the explanations;
        # {inject} is the inject's title
        return t._("after the inject “{inject}”", inject=self.inject)

    def later(self, seconds: float, t: Words) -> str:
        """'3 min after the inject “First report”', '45 s after the start'."""
        time = span(seconds, t)
        if self.inject is None:
            # Translators: a whole phrase, put as {when} into the explanations
            return t._("{time} after the start", time=time)
        if self.inject == HIDDEN:
            # Translators: a whole phrase, put as {when} into the explanations of the handout
            return t._("{time} after an inject the handout does not name", time=time)
        # Translators: a whole phrase, put as {when} into the explanations; {inject} is its title
        return t._("{time} after the inject “{inject}”", time=time, inject=self.inject)

    def within(self, t: Words) -> str:
        """'within 10 min of the inject “First report”'; without a limit, 'after …'."""
        if self.limit is None:
            return self.after(t)
        time = span(self.limit, t)
        if self.inject is None:
            # Translators: a whole phrase, put as {where} into the explanations
            return t._("within {time} of the start", time=time)
        if self.inject == HIDDEN:
            # Translators: a whole phrase, put as {where} into the explanations of the handout
            return t._("within {time} of an inject the handout does not name", time=time)
        # Translators: a whole phrase, put as {where} into the explanations; {inject} is its title
        return t._("within {time} of the inject “{inject}”", time=time, inject=self.inject)


def _graded(delta: float, limit: float | None) -> Rating:
    """P within W, S within 2W, M later; in whole seconds, as the explanation states it."""
    if limit is None or whole(delta) <= limit:
        return "P"
    return "S" if whole(delta) <= 2 * limit else "M"


def _hotline_contact(
    scenario: Scenario, events: list[EventRecord], check: Check, w: Window, t: Words
) -> Verdict:
    """The first hotline contact after t0 (an answered call or a hotline message, as in the
    response table) that involves one of the check's teams, if it names any."""
    callers = callers_of(events)

    def counts(event: EventRecord) -> bool:
        return hotline_contact(event) and (
            not check.teams or bool(contact_teams(event, callers) & set(check.teams))
        )

    contact = first_after(events, w.after_seq, counts)
    if contact is None:
        after = w.after(t)
        if not check.teams:
            text = t._("No hotline contact (an answered call or a message) {after}.", after=after)
        elif len(check.teams) == 1:
            text = t._(
                "No hotline contact involving {team} (an answered call or a message) {after}.",
                team=team_names(scenario, check.teams, t),
                after=after,
            )
        else:
            text = t._(
                "No hotline contact involving {teams} (an answered call or a message) {after}.",
                teams=team_names(scenario, check.teams, t),
                after=after,
            )
        return Verdict("U", (), text)
    delta = contact.clock - w.t0
    call = contact.payload.get("call_seq") if contact.kind == "hotline.answered" else None
    evidence = (call, contact.seq) if call else (contact.seq,)
    when = w.later(delta, t)
    answered = contact.kind == "hotline.answered"
    if w.limit is None:
        text = (
            t._("A hotline call was answered {when}.", when=when)
            if answered
            else t._("A message went over the hotline {when}.", when=when)
        )
    else:
        limit = span(w.limit, t)
        text = (
            t._("A hotline call was answered {when} (target {limit}).", when=when, limit=limit)
            if answered
            else t._(
                "A message went over the hotline {when} (target {limit}).", when=when, limit=limit
            )
        )
    return Verdict(_graded(delta, w.limit), evidence, text)


@dataclass(frozen=True)
class _Outcome:
    """What the required teams did: `done` with `teams` the teams that did it (in the order
    they first did) and `delta` how long after t0 the last of them did; else `teams` the
    required teams that did not (empty: no team did)."""

    rating: Rating
    evidence: tuple[int, ...]
    teams: tuple[str, ...]
    delta: float | None  # None: not done

    @property
    def done(self) -> bool:
        return self.delta is not None


def _by_required(
    scenario: Scenario,
    events: list[EventRecord],
    check: Check,
    w: Window,
    match: Callable[[EventRecord], bool],
    evidence_of: Callable[[EventRecord], tuple[int, ...]] = lambda e: (e.seq,),
) -> _Outcome:
    """Each required team (or, with none given, any one team) did it after t0; graded by when
    the last required team first did."""
    firsts = {
        team: first_after(events, w.after_seq, lambda e, t=team: e.team == t and match(e))
        for team in check.teams or scenario.team_ids
    }
    found = [event for event in firsts.values() if event is not None]
    missing = tuple(team for team, event in firsts.items() if event is None)
    evidence = tuple(seq for e in sorted(found, key=lambda e: e.seq) for seq in evidence_of(e))
    if check.teams and missing:
        return _Outcome("U", evidence, missing, None)
    if not found:
        return _Outcome("U", (), (), None)
    if not check.teams:  # any one team suffices: the first to do it
        found = [min(found, key=lambda e: e.seq)]
        evidence = evidence_of(found[0])
    last = max(found, key=lambda e: e.seq)
    delta = last.clock - w.t0
    teams = tuple(e.team or "" for e in sorted(found, key=lambda e: e.seq))
    return _Outcome(_graded(delta, w.limit), evidence, teams, delta)


def _message(
    scenario: Scenario, events: list[EventRecord], check: Check, w: Window, t: Words
) -> Verdict:
    def match(e: EventRecord) -> bool:
        return e.kind == "message.sent" and e.payload.get("channel") == check.channel

    o = _by_required(scenario, events, check, w, match)
    channel = {
        # Translators: a whole phrase, put as {channel} into the explanations (so are the next two)
        "team": t._("on the team channel"),
        "plenary": t._("on the plenary channel"),
        "hotline": t._("on the hotline channel"),
    }[str(check.channel)]
    names = team_names(scenario, o.teams, t) if o.teams else ""
    if not o.done:
        after = w.after(t)
        if not o.teams:
            text = t._("No team wrote {channel} {after}.", channel=channel, after=after)
        elif len(o.teams) == 1:
            text = t._(
                "{team} did not write {channel} {after}.", team=names, channel=channel, after=after
            )
        else:
            text = t._(
                "{teams} did not write {channel} {after}.",
                teams=names,
                channel=channel,
                after=after,
            )
        return Verdict(o.rating, o.evidence, text)
    when = w.later(o.delta or 0.0, t)
    limit = span(w.limit, t) if w.limit is not None else None
    if len(o.teams) == 1 and limit is None:
        text = t._("{team} wrote {channel} {when}.", team=names, channel=channel, when=when)
    elif len(o.teams) == 1:
        text = t._(
            "{team} wrote {channel} {when} (target {limit}).",
            team=names,
            channel=channel,
            when=when,
            limit=limit,
        )
    elif limit is None:
        text = t._(
            "{teams} wrote {channel}, the last {when}.", teams=names, channel=channel, when=when
        )
    else:
        text = t._(
            "{teams} wrote {channel}, the last {when} (target {limit}).",
            teams=names,
            channel=channel,
            when=when,
            limit=limit,
        )
    return Verdict(o.rating, o.evidence, text)


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


def _move(
    scenario: Scenario, events: list[EventRecord], check: Check, w: Window, t: Words
) -> Verdict:
    rulings = rulings_by_move(events)
    matching = _matches_move(check)
    o = _by_required(
        scenario,
        events,
        check,
        w,
        match=lambda e: matching(e) and not _rejected(rulings, e),
        evidence_of=lambda e: _with_ruling(rulings, e),
    )
    names = team_names(scenario, o.teams, t) if o.teams else ""
    if not o.done:
        after = w.after(t)
        if not o.teams:
            text = t._(
                "No team made a matching move {after} (rejected moves do not count).",
                after=after,
            )
        elif len(o.teams) == 1:
            text = t._(
                "{team} did not make a matching move {after} (rejected moves do not count).",
                team=names,
                after=after,
            )
        else:
            text = t._(
                "{teams} did not make a matching move {after} (rejected moves do not count).",
                teams=names,
                after=after,
            )
        return Verdict(o.rating, o.evidence, text)
    when = w.later(o.delta or 0.0, t)
    limit = span(w.limit, t) if w.limit is not None else None
    if len(o.teams) == 1 and limit is None:
        text = t._("{team} made a matching move {when}.", team=names, when=when)
    elif len(o.teams) == 1:
        text = t._(
            "{team} made a matching move {when} (target {limit}).",
            team=names,
            when=when,
            limit=limit,
        )
    elif limit is None:
        text = t._("{teams} made a matching move, the last {when}.", teams=names, when=when)
    else:
        text = t._(
            "{teams} made a matching move, the last {when} (target {limit}).",
            teams=names,
            when=when,
            limit=limit,
        )
    return Verdict(o.rating, o.evidence, text)


def _no_move(
    scenario: Scenario, events: list[EventRecord], check: Check, w: Window, t: Words
) -> Verdict:
    rulings = rulings_by_move(events)
    matching = _matches_move(check)
    teams = set(check.teams or scenario.team_ids)
    moves = [
        e
        for e in events
        if e.seq > w.after_seq and w.contains(e.clock) and e.team in teams and matching(e)
    ]
    kept = [e for e in moves if not _rejected(rulings, e)]
    evidence = tuple(seq for e in moves for seq in _with_ruling(rulings, e))
    where = w.within(t)
    if not moves:
        return Verdict("P", (), t._("No matching move was submitted {where}.", where=where))
    if not kept:
        return Verdict(
            "S",
            evidence,
            # Translators: plural forms separated by | (Russian: one|few|many), chosen by {count}
            t._(
                "{count} matching move submitted {where}, all rejected by the white cell.|"
                "{count} matching moves submitted {where}, all rejected by the white cell.",
                len(moves),
                count=len(moves),
                where=where,
            ),
        )
    return Verdict(
        "M" if len(kept) == 1 else "U",
        evidence,
        # Translators: plural forms separated by | (Russian: one|few|many), chosen by {count}
        t._(
            "{count} matching move submitted {where}, {kept} not rejected.|"
            "{count} matching moves submitted {where}, {kept} not rejected.",
            len(moves),
            count=len(moves),
            where=where,
            kept=len(kept),
        ),
    )


def _escalation_max(
    scenario: Scenario, events: list[EventRecord], check: Check, w: Window, t: Words
) -> Verdict:
    label = [level.label.get(t.lang) for level in scenario.escalation.levels]
    limit = scenario.level_index(check.level or "")
    series = escalation_series(scenario, events)
    in_force = [p for p in series.points if p.seq is None or p.seq <= w.after_seq][-1:]
    later = [
        p
        for p in series.points
        if p.seq is not None and p.seq > w.after_seq and w.contains(p.clock)
    ]
    window = in_force + later
    above = [p for p in window if p.level > limit]
    peak = max(p.level for p in window)
    final = window[-1].level
    evidence = tuple(p.seq for p in above if p.seq is not None)
    if not above:
        return Verdict(
            "P",
            (),
            t._(
                "Escalation stayed at or below {limit} (peak {peak}).",
                limit=label[limit],
                peak=label[peak],
            ),
        )
    if final <= limit:
        return Verdict(
            "S",
            evidence,
            t._(
                "Escalation rose to {peak} but ended at {final} (limit {limit}).",
                peak=label[peak],
                final=label[final],
                limit=label[limit],
            ),
        )
    steps = final - limit
    return Verdict(
        "M" if steps == 1 else "U",
        evidence,
        # Translators: plural forms separated by | (Russian: one|few|many), chosen by {count}
        t._(
            "Escalation ended at {final}, {count} level above {limit}.|"
            "Escalation ended at {final}, {count} levels above {limit}.",
            steps,
            count=steps,
            final=label[final],
            limit=label[limit],
        ),
    )


RULES: dict[CheckKind, Callable[..., Verdict]] = {
    CheckKind.hotline_contact: _hotline_contact,
    CheckKind.message: _message,
    CheckKind.move: _move,
    CheckKind.no_move: _no_move,
    CheckKind.escalation_max: _escalation_max,
}
