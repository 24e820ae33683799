"""A run without I/O: commands decided and folded in memory, on a clock the test sets."""

from __future__ import annotations

from datetime import UTC, datetime

from app.auth.viewer import Role, Viewer
from app.events.record import EventRecord
from app.runs.context import Command, Context
from app.runs.state import RunState, evolve, replay
from app.scenarios.models import Scenario
from app.scenarios.validate import load_file
from tests.conftest import FIXTURES

WHITE = Viewer("r", "white_cell", Role.facilitator)
NATO = Viewer("r", "nato", Role.player, "p-nato", "Nina")
RUSSIA = Viewer("r", "russia", Role.player, "p-russia", "Roman")
OBSERVER = Viewer("r", "observers", Role.observer, "p-obs", "Olga")


def scenario(name: str = "minimal") -> Scenario:
    return load_file(FIXTURES / f"{name}.yaml")


class Machine:
    def __init__(self, name: str = "minimal", now: float = 1_000_000.0) -> None:
        self.scenario = scenario(name)
        self.now = now
        self.events: list[EventRecord] = []
        self.state = RunState()
        start = self.scenario.level_index(self.scenario.escalation.start)
        self._append("run.created", ("all",), {"escalation": start})

    def _append(self, kind, audience, payload, team=None, actor=None, idem_key=None) -> EventRecord:
        record = EventRecord(
            run_id="r",
            seq=self.state.last_seq + 1,
            kind=kind,
            ts=datetime.fromtimestamp(self.now, UTC),
            clock=self.state.clock(self.now),
            phase=None,
            team=team,
            actor=actor,
            audience=audience,
            payload=payload,
            idem_key=idem_key,
        )
        self.state = evolve(self.state, record)
        self.events.append(record)
        return record

    def do(self, command: Command, viewer: Viewer | None = WHITE) -> list[EventRecord]:
        by_seq = {e.seq: e for e in self.events}.get
        by_key = {e.idem_key: e for e in self.events if e.idem_key}.get
        drafts = command.decide(
            self.state, Context(self.scenario, self.now, viewer, by_seq, by_key)
        )
        return [
            self._append(d.kind, d.audience, d.payload, d.team, d.actor, d.idem_key) for d in drafts
        ]

    def wait(self, seconds: float) -> None:
        self.now += seconds

    def rebuilt(self) -> RunState:
        return replay(self.events)
