"""How the hotline was used: calls and how each ended, ring and talk times, cuts and delays."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.aar.common import Result, Spread, end_event, first_after, of, rounded, spread
from app.aar.responses import hotline_contact
from app.events.record import EventRecord
from app.scenarios.models import Scenario


@dataclass(frozen=True)
class Call(Result):
    seq: int  # hotline.call_placed
    clock: float
    caller: str | None
    # talked, cut_while_connected, rang_out, declined (the other side hung up while it rang),
    # abandoned (the caller hung up while it rang), cut_while_ringing, ringing_at_end or
    # connected_at_end
    outcome: str
    answered_seq: int | None
    ring_seconds: float | None  # wall seconds, for answered calls
    talk_seconds: float | None  # wall seconds, for answered calls
    end_seq: int | None  # the event that ended it (None: still open when the log ends)


UNANSWERED = ("rang_out", "declined", "abandoned", "cut_while_ringing")


@dataclass(frozen=True)
class Unanswered(Result):
    """Why calls went unanswered."""

    rang_out_or_declined: int  # nobody answered before the ring timeout, or the other side refused
    abandoned: int  # the caller hung up while it rang
    cut_while_ringing: int  # the white cell cut the line while it rang


@dataclass(frozen=True)
class Delay(Result):
    seq: int
    clock: float
    seconds: int  # how long the white cell held hotline messages back from then on


@dataclass(frozen=True)
class HotlineStats(Result):
    """How the hotline was used. Fields named *_seconds are WALL seconds: the log measures ring,
    talk and cut times with the wall clock, which keeps running while the exercise is paused.
    `first_inject_to_first_contact` is on the exercise clock, like every other time in the
    review."""

    placed: int
    placed_by_team: dict[str, int]  # by caller
    answered: int
    unanswered: int  # rang out, declined, abandoned or cut while ringing
    unanswered_why: Unanswered
    open_at_end: str | None  # "ringing" or "connected": a call the log leaves unfinished
    ring_seconds: Spread  # time to answer, over answered calls
    talk_seconds: float  # connected time, a call still connected counted up to the end
    cut_seconds: float  # time the white cell held the line cut, an open cut up to the end
    cuts: int
    cut_at_end: bool
    delays: tuple[Delay, ...]
    messages: dict[str, int]  # hotline messages sent, by team
    # exercise seconds from the first inject to the first hotline contact after it (an
    # answered call or a hotline message, as in the response table); None without both
    first_inject_to_first_contact: float | None
    calls: tuple[Call, ...]


def hotline_stats(scenario: Scenario, events: list[EventRecord]) -> HotlineStats:
    """Calls, answers, talk, cuts and delays. Ring, talk and cut times are WALL seconds, as the
    log measures them (a pause does not stop them); an open call or cut counts to the end."""
    end = end_event(events)
    end_epoch = end.epoch if end else 0.0
    on_the_line = [e for e in events if e.kind.startswith("hotline.")]  # calls search only these
    calls = [
        _call(on_the_line, placed, end_epoch) for placed in of(on_the_line, "hotline.call_placed")
    ]
    cut_seconds = sum(e.payload.get("cut_seconds", 0) for e in of(events, "hotline.restored"))
    line = of(events, "hotline.cut", "hotline.restored")
    cut_at_end = bool(line) and line[-1].kind == "hotline.cut"
    if cut_at_end:
        cut_seconds += max(0.0, end_epoch - line[-1].epoch)
    open_calls = [c.outcome for c in calls if c.end_seq is None]
    first_inject = next((e for e in events if e.kind == "inject.fired"), None)
    first_contact = first_inject and first_after(events, first_inject.seq, hotline_contact)
    sent = Counter(
        e.team
        for e in of(events, "message.sent")
        if e.payload.get("channel") == "hotline" and e.team
    )
    teams = [*scenario.hotline_teams, *(t for t in sent if t not in scenario.hotline_teams)]
    return HotlineStats(
        placed=len(calls),
        placed_by_team={team: sum(c.caller == team for c in calls) for team in scenario.team_ids},
        answered=sum(c.answered_seq is not None for c in calls),
        unanswered=sum(c.outcome in UNANSWERED for c in calls),
        unanswered_why=Unanswered(
            rang_out_or_declined=sum(c.outcome in ("rang_out", "declined") for c in calls),
            abandoned=sum(c.outcome == "abandoned" for c in calls),
            cut_while_ringing=sum(c.outcome == "cut_while_ringing" for c in calls),
        ),
        open_at_end=open_calls[-1].removesuffix("_at_end") if open_calls else None,
        ring_seconds=spread([c.ring_seconds for c in calls if c.ring_seconds is not None]),
        talk_seconds=rounded(sum(c.talk_seconds or 0 for c in calls)),
        cut_seconds=rounded(cut_seconds),
        cuts=len(of(events, "hotline.cut")),
        cut_at_end=cut_at_end,
        delays=tuple(
            Delay(e.seq, rounded(e.clock), e.payload["seconds"])
            for e in of(events, "hotline.delay_set")
        ),
        messages={team: sent.get(team, 0) for team in teams},
        first_inject_to_first_contact=(
            rounded(first_contact.clock - first_inject.clock)
            if first_inject and first_contact
            else None
        ),
        calls=tuple(calls),
    )


def _call(events: list[EventRecord], placed: EventRecord, end_epoch: float) -> Call:
    def of_call(*kinds: str) -> EventRecord | None:
        return first_after(
            events,
            placed.seq,
            lambda e: e.kind in kinds and e.payload.get("call_seq") == placed.seq,
        )

    answered = of_call("hotline.answered")
    ended = of_call("hotline.hung_up", "hotline.unanswered", "hotline.cut")
    talk = None
    if ended is None:
        outcome = "connected_at_end" if answered else "ringing_at_end"
        talk = rounded(max(0.0, end_epoch - answered.epoch)) if answered else None
    elif ended.kind == "hotline.unanswered":
        outcome = "rang_out"
    elif ended.payload.get("was") == "ringing" and ended.kind == "hotline.cut":
        outcome = "cut_while_ringing"
    elif ended.payload.get("was") == "ringing":
        outcome = "abandoned" if ended.team == placed.team else "declined"
    else:
        outcome = "talked" if ended.kind == "hotline.hung_up" else "cut_while_connected"
        talk = ended.payload.get("talk_seconds")
    return Call(
        seq=placed.seq,
        clock=rounded(placed.clock),
        caller=placed.team,
        outcome=outcome,
        answered_seq=answered.seq if answered else None,
        ring_seconds=answered.payload.get("ring_seconds") if answered else None,
        talk_seconds=talk,
        end_seq=ended.seq if ended else None,
    )
