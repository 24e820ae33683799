"""The Chatham House Rule: replace every participant's name with a stable role alias
("NATO participant 2"), wherever it appears, also inside free text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.scenarios.models import OBSERVERS, WHITE_CELL, Scenario

ALIAS = {
    "en": {
        "team": "{team} participant {n}",
        OBSERVERS: "Observer {n}",
        WHITE_CELL: "Facilitator {n}",
    },
    "ru": {
        "team": "Участник ({team}) {n}",
        OBSERVERS: "Наблюдатель {n}",
        WHITE_CELL: "Ведущий {n}",
    },
}
MIN_PART = 3  # name parts shorter than this are too common to hunt for on their own


@dataclass(frozen=True)
class Person:
    id: str
    team: str
    role: str
    name: str


def _longest_first(names: Iterable[str]) -> list[str]:
    return sorted(names, key=len, reverse=True)


def _bounded(name: str, pattern: str) -> str:
    """Word boundaries where the name starts or ends with a letter or digit, in any script
    (a name like "<b>Bo</b>" needs none: its ends are not word characters)."""
    before = r"(?<!\w)" if re.match(r"\w", name[0]) else ""
    after = r"(?!\w)" if re.match(r"\w", name[-1]) else ""
    return before + pattern + after


class Aliases:
    """Aliases numbered by order of joining within each team, and a scrubber for free text.

    A full name is matched without regard to case; each part of a name (a first or last name
    of at least three letters) is matched as a capitalised word. Matches respect word
    boundaries in any script, so "Ann" is found in "Ann said" but not in "Annual".
    """

    def __init__(self, people: Iterable[Person], scenario: Scenario, lang: str = "en") -> None:
        self.people = list(people)
        words = ALIAS.get(lang, ALIAS["en"])
        counters: dict[str, int] = {}
        self.alias: dict[str, str] = {}
        for person in self.people:
            counters[person.team] = counters.get(person.team, 0) + 1
            template = words.get(person.team, words["team"])
            team = next(
                (t.name.get(lang) for t in scenario.teams if t.id == person.team), person.team
            )
            self.alias[person.id] = template.format(team=team, n=counters[person.team])
        self._fulls: dict[str, str] = {}
        self._parts: dict[str, str] = {}
        self._pattern = self._compile()

    def _compile(self) -> re.Pattern[str] | None:
        fulls: dict[str, str] = {}  # casefolded full name -> alias
        parts: dict[str, str] = {}  # a name part exactly as written -> alias
        for person in self.people:
            alias = self.alias[person.id]
            words = person.name.split()
            fulls.setdefault(" ".join(words).casefold(), alias)
            for part in words:
                if sum(ch.isalpha() for ch in part) >= MIN_PART:
                    parts.setdefault(part, alias)
        self._fulls, self._parts = fulls, parts
        if not fulls:
            return None
        full = [
            _bounded(name, r"\s+".join(map(re.escape, name.split())))
            for name in _longest_first(fulls)
        ]
        exact = [_bounded(part, re.escape(part)) for part in _longest_first(parts)]
        return re.compile("|".join(["(?i:" + "|".join(full) + ")", *exact]))

    def name_of(self, participant_id: str | None) -> str | None:
        return self.alias.get(participant_id or "")

    def scrub(self, text: str) -> str:
        if self._pattern is None or not text:
            return text

        def swap(match: re.Match[str]) -> str:
            found = match.group(0)
            return self._fulls.get(" ".join(found.split()).casefold()) or self._parts.get(
                found, found
            )

        return self._pattern.sub(swap, text)

    def scrub_value(self, value: Any) -> Any:
        """Every string inside a JSON-like value."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, list):
            return [self.scrub_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub_value(v) for k, v in value.items()}
        return value
