"""What every part of the after-action review shares: JSON-able results and reading the log.

The review is pure (no I/O). Every function takes the scenario and the log (ascending seq) and
returns frozen dataclasses whose `to_dict()` is plain JSON. Times are exercise-clock seconds
(`event.clock`, which stops while the run is paused) unless a name says wall. These are measures
of process (how fast a channel was used, whether restraint held), never of the positions a team
took; only the scenario's teams are rated, not the white cell or observers.

Events are ordered by seq, not by clock: several events share a clock (an inject's versions, a
ruling and the escalation change it causes, anything done while paused), and "after an inject"
means "later in the log than its first event".

The review's sentences (summary facts, objective explanations) come in the language asked for,
from the interface's translation catalogue (see `Words`); the figures are the same in every
language.
"""

from __future__ import annotations

import gettext
import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, is_dataclass
from functools import lru_cache
from typing import Any

from app.events.record import EventRecord
from app.scenarios.models import Scenario
from app.web.i18n import DEFAULT, LANGUAGES, translations


def plain(value: Any) -> Any:
    """Dataclasses to dicts and tuples to lists, recursively: what JSON, CSV and templates take."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


class Result:
    """A review result: a frozen dataclass that exports as plain JSON."""

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


# --- sentences in one language -----------------------------------------------------------------


PLURAL_FORMS = "|"
INNER_QUOTES = str.maketrans("«»", "„“")


@dataclass(frozen=True)
class Words:
    """The review's sentences in one language, from the interface catalogue (app/web/i18n.py,
    compiled once and cached), so `ttx i18n` extracts them: always call `t._("…")` with the
    English message as a literal, a whole sentence with named placeholders, filled from `values`.

    A message that states a count holds its plural forms separated by "|" (English: one|other;
    a translation has as many as its Plural-Forms header says, in that order: Russian
    one|few|many) and takes the count as `n`; the catalogue's own plural rule picks the form.
    (The catalogue's extractor only knows `_()`, so gettext's `ngettext` messages would never
    reach the .po.)
    """

    lang: str
    catalogue: gettext.NullTranslations

    def _(self, message: str, n: int | None = None, /, **values: object) -> str:
        text = self.catalogue.gettext(message)
        if n is not None:
            forms = text.split(PLURAL_FORMS)
            text = forms[min(self.plural(n), len(forms) - 1)]
        for name, value in values.items():  # Russian quotes inside quotes: «… „…“ …»
            if isinstance(value, str) and f"«{{{name}}}»" in text:
                values[name] = value.translate(INNER_QUOTES)
        return text.format(**values)

    def plural(self, n: int) -> int:
        """Which of the language's plural forms a count takes (0 for English 1, else 1)."""
        rule = getattr(self.catalogue, "plural", None)
        return int(rule(n)) if rule else int(n != 1)


@lru_cache
def words(lang: str = DEFAULT) -> Words:
    """The review's sentences in `lang` (a language the interface lacks reads as English)."""
    lang = lang if lang in LANGUAGES else DEFAULT
    return Words(lang, translations(lang))


# --- reading the log ----------------------------------------------------------------------------


def rounded(seconds: float) -> float:
    """Seconds as the log keeps them (milliseconds), so exports show 180.0, not 180.0000001."""
    return round(seconds, 3)


def of(events: Iterable[EventRecord], *kinds: str) -> list[EventRecord]:
    """The events of these kinds, in log order."""
    return [event for event in events if event.kind in kinds]


def first_after(
    events: Iterable[EventRecord], after_seq: int, match: Callable[[EventRecord], bool]
) -> EventRecord | None:
    """The first matching event later in the log than `after_seq`: "after" is by seq, not clock."""
    return next((e for e in events if e.seq > after_seq and match(e)), None)


def _ended(events: list[EventRecord]) -> EventRecord | None:
    return next((e for e in events if e.kind == "run.ended"), None)


def end_event(events: list[EventRecord]) -> EventRecord | None:
    """The event that closes the record: run.ended, or the last event of a run still going."""
    return _ended(events) or (events[-1] if events else None)


def end_clock(events: list[EventRecord]) -> float:
    """The exercise clock where the record closes (0 for an empty log)."""
    end = end_event(events)
    return end.clock if end else 0.0


def _iso(event: EventRecord | None) -> str | None:
    return event.public()["ts"] if event else None


def team_name(scenario: Scenario, team: str | None, t: Words) -> str:
    """A team's display name in `t`'s language; an id the scenario lacks is shown as is, none as
    the system."""
    known = {item.id: item.name.get(t.lang) for item in scenario.teams}
    # Translators: who did something, when no team did
    return known.get(team or "", team or t._("the system"))


def team_names(scenario: Scenario, teams: Iterable[str], t: Words) -> str:
    """Teams named in a sentence: 'NATO', 'NATO and Russia', 'A, B and C'."""
    names = [team_name(scenario, team, t) for team in teams]
    if len(names) == 1:
        return names[0]
    # Translators: several teams named in a sentence: {names} is "NATO" or "NATO, Russia"
    return t._("{names} and {last}", names=", ".join(names[:-1]), last=names[-1])


def whole(seconds: float) -> int:
    """Seconds as the review shows and compares them: rounded to the nearest whole second,
    halves up. The one rounding rule of the review, its exports and its ratings, so a time
    shown as "10 min" is never rated as over a 10-minute target."""
    return math.floor(seconds + 0.5)


def clock_text(seconds: float) -> str:
    """An exercise-clock time or a duration as h:mm:ss ("0:07:05"), rounded by `whole`."""
    s = max(0, whole(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def span(seconds: float, t: Words) -> str:
    """A duration as people say it, to the second: '45 s', '7 min', '10 min 1 s' ('45 с',
    '7 мин', '10 мин 1 с'), rounded by `whole`."""
    s = max(0, whole(seconds))
    if s < 60:
        return t._("{seconds} s", seconds=s)
    minutes, rest = divmod(s, 60)
    if rest == 0:
        return t._("{minutes} min", minutes=minutes)
    # Translators: a duration of minutes and seconds, "10 min 1 s"
    return t._("{minutes} min {seconds} s", minutes=minutes, seconds=rest)


def rulings_by_move(events: list[EventRecord]) -> dict[int, EventRecord]:
    """move seq -> its ruling (a move is ruled on at most once)."""
    return {e.payload["move_seq"]: e for e in of(events, "move.adjudicated")}


# --- escalation levels --------------------------------------------------------------------------


@dataclass(frozen=True)
class Level(Result):
    index: int
    id: str
    label: str  # English


def level_of(scenario: Scenario, index: int) -> Level:
    """The level at `index` of the scenario's ladder (lowest first), as the review shows it."""
    level = scenario.escalation.levels[index]
    return Level(index, level.id, level.label.en)


def start_level(scenario: Scenario, events: list[EventRecord]) -> int:
    """The level the run began at: as run.created recorded it, else the scenario's start."""
    created = next((e for e in events if e.kind == "run.created"), None)
    return (
        created.payload["escalation"]
        if created
        else scenario.level_index(scenario.escalation.start)
    )


def level_after(events: list[EventRecord], seq: float, start: int) -> int:
    """The escalation level once every event up to `seq` took effect."""
    level = start
    for event in of(events, "escalation.changed"):
        if event.seq <= seq:
            level = event.payload["to"]
    return level


# --- participants and duration ------------------------------------------------------------------


def participants_per_team(events: list[EventRecord]) -> dict[str, int]:
    """How many people joined each team (white cell and observers included); never who."""
    joined = {
        e.payload.get("participant_id") or e.seq: e.team
        for e in events
        if e.kind == "participant.joined"
    }
    return dict(Counter(team or "unknown" for team in joined.values()))


@dataclass(frozen=True)
class Duration(Result):
    status: str  # lobby, running, paused or ended, as the log leaves the run
    clock_seconds: float  # exercise clock at run.ended, else at the last event
    wall_start: str | None  # ISO 8601 UTC of run.started
    wall_end: str | None  # ISO 8601 UTC of run.ended (None while the run has not ended)
    wall_seconds: float | None  # from run.started to run.ended, pauses included


def duration(events: list[EventRecord]) -> Duration:
    """How long the run lasted; a run still going ends, for now, at its last event."""
    started = next((e for e in events if e.kind == "run.started"), None)
    ended = _ended(events)
    status = "lobby"
    for event in of(events, "run.started", "run.paused", "run.resumed", "run.ended"):
        status = {"run.paused": "paused", "run.ended": "ended"}.get(event.kind, "running")
    wall = rounded(ended.epoch - started.epoch) if started and ended else None
    return Duration(status, rounded(end_clock(events)), _iso(started), _iso(ended), wall)


# --- statistics ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread(Result):
    count: int
    mean: float | None
    median: float | None
    max: float | None


def spread(values: list[float]) -> Spread:
    if not values:
        return Spread(0, None, None, None)
    return Spread(
        len(values),
        rounded(statistics.fmean(values)),
        rounded(statistics.median(values)),
        rounded(max(values)),
    )
