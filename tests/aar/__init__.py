"""Runs for the after-action review to read: the in-memory Machine on the scenario in
tests/aar/fixtures, with verbs that take the exercise clock at which they happen, one whole
exercise with known times (`story`), and the small runs and single-objective rating that the
test modules share to isolate one rule each. Times are exercise-clock seconds unless a name
says wall."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from app.aar.objectives import ObjectiveRating, rate_objectives
from app.auth.viewer import Viewer
from app.channels.commands import HotlineAction, SendMessage
from app.events.record import EventRecord
from app.injects.commands import AdhocInject, FireInject
from app.moves.commands import Adjudicate, SubmitMove
from app.runs.commands import Control, SetEscalation
from app.runs.schedule import Tick
from app.runs.state import RunState, RunStatus
from app.scenarios.models import Objective
from app.scenarios.validate import load_file
from tests.runs.machine import NATO, RUSSIA, Machine

FIXTURES = Path(__file__).parent / "fixtures"
START = 1_000_000.0  # wall clock (epoch seconds) when a Run is created


class Run(Machine):
    """The Machine harness on tests/aar/fixtures/<name>.yaml. `at=` is the exercise clock an
    action happens at: the wall clock moves on to it (only a running exercise's clock moves)."""

    def __init__(self, name: str = "review") -> None:
        self.scenario = load_file(FIXTURES / f"{name}.yaml")
        self.now = START
        self.events: list[EventRecord] = []
        self.state = RunState()
        start = self.scenario.level_index(self.scenario.escalation.start)
        self._append("run.created", ("all",), {"escalation": start})

    def until(self, clock: float | None) -> None:
        if clock is None:
            return
        now = self.state.clock(self.now)
        assert clock == now or (clock > now and self.state.status is RunStatus.running)
        self.now += clock - now

    def join(self, team: str, name: str) -> EventRecord:
        who = f"p-{name.lower()}"
        payload = {"participant_id": who, "name": name, "role": "player", "language": "en"}
        return self._append("participant.joined", ("all",), payload, team=team, actor=who)

    def control(self, action: str, at: float | None = None) -> EventRecord:
        self.until(at)
        (event,) = self.do(Control(action=action))
        return event

    def tick(self, at: float | None = None) -> list[EventRecord]:
        self.until(at)
        return self.do(Tick(), None)

    def fire(self, inject: str, at: float | None = None) -> list[EventRecord]:
        self.until(at)
        return self.do(FireInject(inject=inject))

    def adhoc(self, title: str, at: float | None = None, audience: str = "all") -> EventRecord:
        self.until(at)
        (event,) = self.do(AdhocInject(title=title, body="Live.", audience=audience))
        return event

    def say(
        self,
        viewer: Viewer,
        text: str,
        channel: str = "team",
        at: float | None = None,
        to: str | None = None,
    ) -> EventRecord:
        """A message; `to` is the team channel the white cell writes into."""
        self.until(at)
        body = SendMessage(client_id=f"m{len(self.events)}", channel=channel, text=text, team=to)
        (event,) = self.do(body, viewer)
        return event

    def move(self, viewer: Viewer, move_type: str, at: float | None = None) -> EventRecord:
        self.until(at)
        body = SubmitMove(client_id=f"m{len(self.events)}", move_type=move_type, action="Act")
        (event,) = self.do(body, viewer)
        return event

    def rule(
        self, move: EventRecord, decision: str, change: int = 0, at: float | None = None
    ) -> list[EventRecord]:
        """The ruling, then the escalation change it caused, if any."""
        self.until(at)
        return self.do(
            Adjudicate(
                move_seq=move.seq,
                decision=decision,
                outcome="As ruled",
                escalation_change=change,
            )
        )

    def escalate(self, level: str, at: float | None = None) -> EventRecord:
        self.until(at)
        (event,) = self.do(SetEscalation(level=level))
        return event

    def hotline(
        self, action: str, viewer: Viewer | None = None, at: float | None = None, **fields: int
    ) -> EventRecord:
        """call/answer/hang_up by a team; cut/restore/delay by the white cell (no viewer)."""
        self.until(at)
        command = HotlineAction(action=action, **fields)
        (event,) = self.do(command, viewer) if viewer else self.do(command)
        return event


def story() -> tuple[Run, SimpleNamespace]:
    """A whole exercise. `at` is the exercise clock in seconds; the 5-minute pause at 500 s
    leaves it at 500 s but adds 300 s of wall time."""
    m = Run()
    for team, name in [
        ("nato", "Nina"),
        ("nato", "Nick"),
        ("russia", "Roman"),
        ("observers", "Olga"),
        ("white_cell", "Wanda"),
    ]:
        m.join(team, name)
    started = m.control("start", at=0)  # phase 'incident'
    report = m.tick(at=60)  # first-report, scheduled: one event per version
    nato_team = m.say(NATO, "Do we call?", at=90)
    russia_team = m.say(RUSSIA, "Wait for them.", at=120)
    call = m.hotline("call", NATO, at=210)
    answer = m.hotline("answer", RUSSIA, at=240)  # rang 30 s
    m.say(NATO, "We see a track.", "hotline", at=250)
    m.say(RUSSIA, "So do we.", "hotline", at=260)
    hang_up = m.hotline("hang_up", NATO, at=360)  # talked 120 s
    talks = m.move(RUSSIA, "talks", at=400)
    talks_ruling, calmer = m.rule(talks, "accept", -1, at=420)  # tension -> calm
    deploy = m.move(NATO, "deploy", at=450)
    deploy_ruling, crisis = m.rule(deploy, "modify", 2, at=480)  # calm -> crisis
    m.control("pause", at=500)
    m.wait(300)
    m.control("resume")
    response = m.control("next_phase", at=600)
    second_call = m.hotline("call", RUSSIA, at=630)
    cut = m.hotline("cut", at=650)  # while ringing: the call goes unanswered
    restored = m.hotline("restore", at=695)  # cut for 45 s
    delay = m.hotline("delay", at=695, seconds=15)
    leak = m.adhoc("Press leak", at=700)
    plenary = m.say(NATO, "A statement to all.", "plenary", at=720)
    second_deploy = m.move(RUSSIA, "deploy", at=750)
    (rejection,) = m.rule(second_deploy, "reject", at=760)
    eased = m.escalate("tension", at=800)  # crisis -> tension
    ended = m.control("end", at=900)
    return m, SimpleNamespace(
        started=started,
        report=report,
        nato_team=nato_team,
        russia_team=russia_team,
        call=call,
        answer=answer,
        hang_up=hang_up,
        talks=talks,
        talks_ruling=talks_ruling,
        calmer=calmer,
        deploy=deploy,
        deploy_ruling=deploy_ruling,
        crisis=crisis,
        response=response,
        second_call=second_call,
        cut=cut,
        restored=restored,
        delay=delay,
        leak=leak,
        plenary=plenary,
        second_deploy=second_deploy,
        rejection=rejection,
        eased=eased,
        ended=ended,
    )


# --- small runs ----------------------------------------------------------------------------------


def started() -> Run:
    """A running exercise, started at clock 0."""
    m = Run()
    m.control("start", at=0)
    return m


def after_report(at: float = 60) -> Run:
    """A running exercise in which first-report fired at `at` (t0 of most checks)."""
    m = started()
    m.fire("first-report", at=at)
    return m


def rated(m: Run, lang: str = "en", **check) -> ObjectiveRating:
    """The run rated on a single objective with this check, explained in `lang`."""
    objective = Objective.model_validate({"id": "o", "title": "O", "measure": "M", "check": check})
    scenario = m.scenario.model_copy(update={"objectives": [objective]})
    (result,) = rate_objectives(scenario, m.events, lang=lang)
    return result


# the hotline check most objective tests rate against
HOTLINE = {"kind": "hotline_contact", "after_inject": "first-report", "within_minutes": 5}
