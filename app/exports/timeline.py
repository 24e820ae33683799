"""The events as a reader follows them: one row per event with a sentence in the report's
language (no raw identifiers), who did it and, for the side-by-side view, which column it sits
in. The printable report, the Markdown report and the review page all show these rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

from app.aar.common import Result, span
from app.events.record import EventRecord
from app.exports.archive import Archive
from app.exports.handout import SYSTEM, Scope, untitled
from app.exports.labels import Labels

LEFT, MIDDLE, RIGHT = 0, 1, 2  # side by side: first team | white cell and shared | second team
TEAM_SIDE = {
    "message.sent",
    "move.submitted",
    "hotline.call_placed",
    "hotline.answered",
    "hotline.hung_up",
    "hotline.unanswered",
}
SHARED_SIDE = {"inject.fired", "move.adjudicated", "hotline.cut", "hotline.restored"}
FULL = Scope()


@dataclass(frozen=True)
class Row(Result):
    seq: int
    clock: float
    phase: str  # the phase's title
    kind: str  # the event's kind, as the API names it
    kind_label: str  # ... and as a reader does
    team: str | None
    team_name: str
    who: str  # the person (an alias under the Chatham House Rule), or the team
    channel: str | None
    channel_label: str  # the channel as a reader names it ("Military report")
    what: str  # one sentence, never empty
    column: int | None  # side by side: LEFT, MIDDLE or RIGHT; None: not shown there
    also: tuple[int, ...] = ()  # the seqs of further events this row stands for


def _what(event: dict[str, Any], labels: Labels) -> str:
    """One line for an event, in the labels' language, from the event as the export shows it
    (already scrubbed under the Rule: never scrub it again)."""
    _ = labels.t._
    p, kind, team = event["payload"], event["kind"], labels.team(event["team"])

    def wall(seconds: float | None) -> str:
        return _("{time} (wall time)", time=span(seconds or 0, labels.t))

    if kind == "run.created":
        return p.get("title") or labels.pick(labels.scenario.metadata.title)
    if kind == "participant.joined":
        return _("{name} joined as {role}", name=p.get("name"), role=labels.role(p.get("role")))
    if kind == "run.started":
        return _("Started in the phase “{phase}”", phase=labels.phase(p.get("phase")))
    if kind in ("run.paused", "run.resumed", "run.ended"):
        return {
            "run.paused": _("The exercise clock stopped"),
            "run.resumed": _("The exercise clock runs again"),
            "run.ended": _("The exercise ended"),
        }[kind]
    if kind == "phase.advanced":
        return f"{labels.phase(p.get('from'))} → {labels.phase(p.get('to'))}"
    if kind == "inject.fired":
        if p.get("versions"):  # the handout's: each team read its own title
            return untitled(labels.t)
        title = labels.pick(p.get("title")) or labels.inject(p.get("inject_id"))
        if p.get("variant"):
            return _(
                "{title} (the version for {team})", title=title, team=labels.team(p["variant"])
            )
        return title
    if kind in ("message.sent", "message.delivered"):
        return f"{labels.channel(p.get('channel'))}: {p.get('text', '')}"
    if kind == "move.submitted":
        return f"{labels.move(p.get('move_type'))}: {p.get('action', '')}"
    if kind == "move.adjudicated":  # with the move's text: the ruling is how others learn it
        move = labels.move(p.get("move_type"))
        move = f"{move}: {p['action']}" if p.get("action") else move
        decided = f"{move} → {labels.decision(p.get('decision'))}"
        return f"{decided}: {p['outcome']}" if p.get("outcome") else decided
    if kind == "escalation.changed":
        return f"{labels.level(p.get('from'))} → {labels.level(p.get('to'))}"
    if kind == "hotline.call_placed":
        return _("{caller} calls {callee}", caller=team, callee=labels.team(p.get("to")))
    if kind == "hotline.answered":
        return _("{team} answers after {time}", team=team, time=wall(p.get("ring_seconds")))
    if kind == "hotline.hung_up":
        if p.get("was") == "connected":
            return _(
                "{team} hangs up after {time} of talk", team=team, time=wall(p.get("talk_seconds"))
            )
        return _("{team} hangs up while it rings", team=team)
    if kind == "hotline.unanswered":
        return _(
            "Nobody answered: the call rang out after {time}", time=wall(p.get("ring_seconds"))
        )
    if kind == "hotline.cut":
        return _("The white cell cuts the line")
    if kind == "hotline.restored":
        return _("The white cell restores the line after {time}", time=wall(p.get("cut_seconds")))
    if kind == "hotline.delay_set":
        if not p.get("seconds"):
            return _("Hotline messages are no longer delayed")
        return _("Hotline messages are delayed by {seconds} s", seconds=p["seconds"])
    if kind == "hotline.held":
        return _("Held back by the delay: {text}", text=p.get("text", ""))
    if kind == "comcheck.acked":
        return _("Communications check acknowledged")
    if kind.startswith("recommendation."):
        return _recommendation(kind, p, labels)
    if kind == "aar.summary_set":
        return _("The executive summary is written")
    if kind == "aar.phase_noted":
        return _("Notes on the phase “{phase}”", phase=labels.phase(p.get("phase")))
    if kind == "objective.rated":
        objective = labels.objective(p.get("objective"))
        if p.get("rating") is None:
            return _("“{objective}” back to its computed rating", objective=objective)
        return _("“{objective}” rated {rating}", objective=objective, rating=p["rating"])
    for key in ("text", "outcome", "action"):
        if p.get(key):
            return str(p[key])
    return labels.kind(kind)


def _recommendation(kind: str, p: dict[str, Any], labels: Labels) -> str:
    _ = labels.t._
    number = p.get("recommendation")
    if kind == "recommendation.drafted" or p.get("title"):
        return p.get("title") or ""
    if kind == "recommendation.merged":
        return _("#{seq} merged into #{into}", seq=number, into=p.get("into"))
    return {
        "recommendation.endorsed": _("Endorses #{seq}", seq=number),
        "recommendation.accepted": _("#{seq} accepted", seq=number),
        "recommendation.declined": _("#{seq} declined", seq=number),
        "recommendation.reopened": _("#{seq} reopened", seq=number),
    }.get(kind, f"#{number}")


def _column(record: EventRecord, teams: list[str], scope: Scope) -> int | None:
    if record.kind in SHARED_SIDE or (scope.handout and record.kind in SYSTEM):
        return MIDDLE  # the handout's side by side is its timeline: the clock in the middle
    if record.kind in TEAM_SIDE and record.team in teams:
        return LEFT if record.team == teams[0] else RIGHT
    return None


def row(archive: Archive, labels: Labels, record: EventRecord, scope: Scope = FULL) -> Row:
    """One event as a reader sees it."""
    event = archive.event(record)
    teams = archive.scenario.team_ids[:2]
    return Row(
        seq=record.seq,
        clock=event["clock"],
        phase=labels.phase(record.phase) if record.phase else "",
        kind=record.kind,
        kind_label=labels.kind(record.kind),
        team=record.team,
        team_name=labels.team(record.team),
        who=archive.name(event["actor"]) or labels.team(record.team),
        channel=record.payload.get("channel"),
        channel_label=labels.channel(record.payload.get("channel")),
        what=_what(event, labels),
        column=_column(record, teams, scope),
    )


async def rows(archive: Archive, labels: Labels, scope: Scope = FULL) -> AsyncIterator[Row]:
    """Every event the report lists (the handout leaves some out: `Scope.show`)."""
    async for record in archive.records():
        shown = scope.show(record)
        if shown is not None and scope.in_timeline(shown):
            yield row(archive, labels, shown, scope)


async def compact(found: AsyncIterator[Row]) -> AsyncIterator[Row]:
    """Consecutive rows of the clock, phases and escalation as one row (the handout's)."""
    group: list[Row] = []
    async for item in found:
        if item.kind in SYSTEM:
            group.append(item)
            continue
        if group:
            yield _merged(group)
            group = []
        yield item
    if group:
        yield _merged(group)


def _merged(group: list[Row]) -> Row:
    if len(group) == 1:
        return group[0]
    labels = " / ".join(dict.fromkeys(item.kind_label for item in group))
    what = "; ".join(item.what for item in group)
    also = tuple(item.seq for item in group[1:])
    return replace(group[0], kind_label=labels, what=what, also=also)


async def side_by_side(archive: Archive, labels: Labels, scope: Scope = FULL) -> AsyncIterator[Row]:
    """The two first teams' moves, messages and calls, with the injects, rulings and cuts
    between them (the handout's: also the clock, phases and escalation), on one time axis; a
    scripted inject once, however many versions it had."""
    teams = archive.scenario.team_ids[:2]
    last_inject: object = None
    async for found in archive.records():
        record = scope.show(found)
        if record is None or _column(record, teams, scope) is None:
            continue
        if record.kind == "inject.fired":
            inject = record.payload.get("inject_id") or record.seq
            if inject == last_inject:
                continue
            last_inject = inject
        yield row(archive, labels, record, scope)
