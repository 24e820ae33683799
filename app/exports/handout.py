"""What a report lists: everything (the white cell's report), or, for the handout, only what
every participant saw, so the handout can go to all of them.

The handout shows (docs/review-and-exports.md, "The handout edition"):
- injects that every team received, once, under the title all their versions share, or as
  "an inject in a version for each team" where their titles differ (an inject sent to some
  teams only is left out);
- events whose audience is everyone or every team: the plenary, moves once ruled on (or at
  once, where the scenario shows them at once), rulings, escalation changes, the hotline
  between the two teams, the clock;
- expected actions only for injects that went to everyone with one text, and no unfired
  injects;
- evidence only where it points at an event the handout lists.
Its figures are still computed on the full log. Its timeline is compact: no joins, no
communications checks, no recommendation events (the recommendations have their section).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from app.aar.common import Words
from app.aar.escalation import EscalationSeries
from app.aar.responses import AD_HOC, Firing, firings
from app.events.record import ALL, EventRecord
from app.scenarios.models import Scenario

COMPACTED = {"participant.joined", "comcheck.sent", "comcheck.acked"}  # not in its timeline
SYSTEM = {  # consecutive rows of these kinds share one row in the handout's timeline
    "run.created",
    "run.started",
    "run.paused",
    "run.resumed",
    "run.ended",
    "phase.advanced",
    "escalation.changed",
}


@dataclass(frozen=True)
class Scope:
    handout: bool = False
    teams: frozenset[str] = frozenset()
    shown_injects: frozenset[int] = frozenset()  # first seqs of the firings the handout shows
    untitled: frozenset[int] = frozenset()  # ... of those whose versions' titles differ
    same_for_all: frozenset[str] = frozenset()  # scripted injects that went to all, one text
    private: frozenset[str | int] = frozenset()  # inject ids and ad-hoc seqs it never names
    listed: frozenset[int] = field(default_factory=frozenset)  # seqs of the events it lists

    @classmethod
    def of(cls, scenario: Scenario, records: list[EventRecord], handout: bool) -> Scope:
        """The full report's scope, or the handout's, from the log's light records."""
        if not handout:
            return cls()
        teams = frozenset(scenario.team_ids)
        payloads = {r.seq: r.payload for r in records if r.kind == "inject.fired"}
        fired = firings(scenario, records)
        shown = [f for f in fired if _everyone(f.audience, teams)]
        named = [f for f in shown if _one_title(f, payloads)]
        private: set[str | int] = {inject.id for inject in scenario.injects}
        private -= {f.inject_id for f in named if f.inject_id}
        private |= {f.seq for f in fired if f not in named}
        scope = cls(
            handout=True,
            teams=teams,
            shown_injects=frozenset(f.seq for f in shown),
            untitled=frozenset(f.seq for f in shown if f not in named),
            same_for_all=frozenset(
                f.inject_id
                for f in named
                if f.inject_id and all(payloads[s].get("variant") is None for s in f.seqs)
            ),
            private=frozenset(private),
        )
        return replace(scope, listed=frozenset(r.seq for r in records if scope.show(r)))

    def show(self, record: EventRecord) -> EventRecord | None:
        """The event as the report lists it, or None: the handout leaves it out. An inject
        every team received is shown once, as one inject (not as "the version for NATO")."""
        if not self.handout:
            return record
        if record.kind == "inject.fired":
            if record.seq not in self.shown_injects:
                return None
            payload = {**record.payload, "variant": None}
            if record.seq in self.untitled:  # each team read its own title: name none of them
                payload |= {"title": None, "versions": True}
            return replace(record, payload=payload)
        if record.kind.startswith("recommendation."):
            return None
        return record if _everyone(record.audience, self.teams) else None

    def in_timeline(self, record: EventRecord) -> bool:
        """Whether the timeline lists an event the report shows (the handout's is compact)."""
        return not (self.handout and record.kind in COMPACTED)

    def evidence(self, seqs: list[int]) -> list[int]:
        """The seqs a report may link to: the handout's only to events it lists."""
        return seqs if not self.handout else [seq for seq in seqs if seq in self.listed]

    def expected(self, inject_id: str | None) -> bool:
        """Whether the report prints an inject's expected actions."""
        return not self.handout or inject_id in self.same_for_all

    def review(self, figures: dict[str, Any], t: Words) -> dict[str, Any]:
        """The review as the handout shows it: responses to the injects it shows (under a
        neutral title where the teams' titles differ), evidence it lists, planned injects it
        names, moves it lists; the figures themselves unchanged."""
        if not self.handout:
            return figures
        named = self.shown_injects - self.untitled
        shown_ids = {f["inject_id"] for f in figures["injects"] if f["seq"] in named}
        versions = untitled(t)
        injects = [
            f | {"title": versions, "title_ru": versions} if f["seq"] in self.untitled else f
            for f in figures["injects"]
            if f["seq"] in self.shown_injects
        ]
        phases = [
            {
                **phase,
                "planned": [p for p in phase["planned"] if p["inject_id"] in shown_ids],
                "moves": {
                    team: [m for m in moves if {m["seq"], m["ruling_seq"]} & self.listed]
                    for team, moves in phase["moves"].items()
                },
            }
            for phase in figures["phases"]
        ]
        return {
            **figures,
            "injects": injects,
            "objectives": [
                {**o, "evidence": self.evidence(o["evidence"])} for o in figures["objectives"]
            ],
            "phases": phases,
        }

    def series(self, series: EscalationSeries, t: Words) -> EscalationSeries:
        """The chart's marks: the injects and rulings the report shows."""
        if not self.handout:
            return series
        versions = untitled(t)
        injects = tuple(
            replace(m, inject=AD_HOC, title=versions, title_ru=versions)
            if m.seq in self.untitled
            else m
            for m in series.injects
            if m.seq in self.shown_injects
        )
        rulings = tuple(m for m in series.rulings if m.seq in self.listed)
        return replace(series, injects=injects, rulings=rulings)


def untitled(t: Words) -> str:
    """What the handout calls an inject whose versions' titles differ."""
    # Translators: the handout's name for an inject each team received in its own version,
    # with its own title (it names none of them)
    return t._("An inject in a version for each team")


def _everyone(audience: tuple[str, ...], teams: frozenset[str]) -> bool:
    """Seen by every team: sent to all, or to each of the scenario's teams."""
    return ALL in audience or teams <= set(audience)


def _one_title(firing: Firing, payloads: dict[int, dict[str, Any]]) -> bool:
    """Whether every version of an inject carries the same title."""
    titles = {repr(sorted((payloads[s].get("title") or {}).items())) for s in firing.seqs}
    return len(titles) == 1
