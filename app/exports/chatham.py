"""The Chatham House Rule: every participant's name replaced with a stable role alias ("NATO
participant 2"), wherever it appears, also inside free text; participant ids replaced with
alias keys ("nato-2"), so that nothing in an export maps back to a person.

Privacy comes first: replacing a common word that happens to be a name ("Will", "Rand") is
better than leaving a name in. What is matched (docs/review-and-exports.md):

- names and texts compared folded (`folding.py`): any letter case, accents or none
  (José ~ Jose, Müller ~ Muller ~ Mueller, ё ~ е), any apostrophe or none (O'Brien ~ O’Brien
  ~ OBrien), decomposed Unicode composed first;
- the whole name, the name without its parenthesised affiliation, and then each part of two
  or more letters or digits, stripped of surrounding punctuation: words, hyphen and apostrophe
  sub-parts, affiliation words ("RAND" of "Jane Doe (RAND)"), an e-mail name's local part;
  whole words only (Unicode word boundaries: "Ann" is not found in "Annex" or "planned");
- Cyrillic parts also with Russian case endings ("Ивану Петрову", "Петрова", "Иваном");
- longest first, so "Ivan Petrov" becomes one alias; a part that people with different
  aliases share becomes a neutral "a participant";
- every e-mail address, and every phone number written with a leading + and at least 9
  digits, whoever it belongs to; participant ids as alias keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.exports.folding import fold, fold_mapped, nfc
from app.exports.names import Form, name_forms
from app.scenarios.models import OBSERVERS, WHITE_CELL, Scenario

ALIAS = {
    "en": {
        "team": "{team} participant {n}",
        OBSERVERS: "Observer {n}",
        WHITE_CELL: "Facilitator {n}",
        "shared": "a participant",
        "email": "[e-mail]",
        "phone": "[phone]",
    },
    "ru": {
        "team": "Участник ({team}) {n}",
        OBSERVERS: "Наблюдатель {n}",
        WHITE_CELL: "Ведущий {n}",
        "shared": "участник",
        "email": "[эл. почта]",
        "phone": "[телефон]",
    },
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+\d(?:[\s().-]*\d){8,}")
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Person:
    id: str
    team: str
    role: str
    name: str


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    replacement: str


class Aliases:
    """Aliases numbered by order of joining within each team, alias keys for participant ids,
    and the scrubber for free text (see the module's docstring for what it matches)."""

    def __init__(self, people: Iterable[Person], scenario: Scenario, lang: str = "en") -> None:
        self.people = list(people)
        self.words = ALIAS.get(lang, ALIAS["en"])
        counters: dict[str, int] = {}
        self.alias: dict[str, str] = {}
        self.key: dict[str, str] = {}
        for person in self.people:
            counters[person.team] = counters.get(person.team, 0) + 1
            n = counters[person.team]
            template = self.words.get(person.team, self.words["team"])
            team = next(
                (t.name.get(lang) for t in scenario.teams if t.id == person.team), person.team
            )
            self.alias[person.id] = template.format(team=team, n=n)
            self.key[person.id] = f"{person.team or 'unknown'}-{n}"
        self._emails = {fold(nfc(p.name).strip()): self.alias[p.id] for p in self.people}
        self._forms = self._compile()

    def _compile(self) -> dict[str, list[tuple[re.Pattern[str], str]]]:
        """first word -> the forms a match may start with it, as (pattern, replacement).
        A form that people with different aliases share is replaced with the neutral word."""
        forms: dict[str, tuple[Form, set[str]]] = {}
        for person in self.people:
            key = self.key[person.id]
            folded_id = fold(person.id)  # folded as the text it is looked for in
            id_form = Form(rf"(?<!\w){re.escape(folded_id)}(?!\w)", frozenset([folded_id]))
            forms.setdefault(id_form.pattern, (id_form, set()))[1].add(key)
            for form in name_forms(person.name):
                forms.setdefault(form.pattern, (form, set()))[1].add(self.alias[person.id])
        by_first: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        for form, replacements in forms.values():
            shared = len(replacements) > 1
            entry = (
                re.compile(form.pattern),
                self.words["shared"] if shared else replacements.pop(),
            )
            for first in form.firsts:
                by_first.setdefault(first, []).append(entry)
        return by_first

    def name_of(self, participant_id: str | None) -> str | None:
        """The alias of a participant (None: not a participant of this run)."""
        return self.alias.get(participant_id or "")

    def key_of(self, participant_id: str | None) -> str | None:
        """The alias key that stands for a participant id in Chatham exports ("nato-2")."""
        return self.key.get(participant_id) if participant_id else None

    def _found(self, folded: str) -> list[_Found]:
        """Every match of a form, e-mail address or phone number in the folded text."""
        found = []
        if "@" in folded:
            for m in EMAIL.finditer(folded):
                alias = self._emails.get(m.group(0), self.words["email"])
                found.append(_Found(m.start(), m.end(), alias))
        if "+" in folded:
            found += [
                _Found(m.start(), m.end(), self.words["phone"]) for m in PHONE.finditer(folded)
            ]
        tried = set()
        words = set(_WORDS.findall(folded))
        stems = {w[:-cut] for w in words for cut in (1, 2, 3) if len(w) > cut}  # case endings
        for word in (words | stems) & self._forms.keys():
            for pattern, replacement in self._forms[word]:
                if pattern not in tried:
                    tried.add(pattern)
                    found += [
                        _Found(m.start(), m.end(), replacement) for m in pattern.finditer(folded)
                    ]
        return found

    def _chosen(self, found: list[_Found]) -> list[_Found]:
        """Leftmost, then longest, matches that do not overlap; where different replacements
        match the very same stretch, the neutral word."""
        chosen: list[_Found] = []
        for item in sorted(found, key=lambda f: (f.start, -f.end)):
            if chosen and item.start < chosen[-1].end:
                last = chosen[-1]
                if (item.start, item.end) == (
                    last.start,
                    last.end,
                ) and item.replacement != last.replacement:
                    chosen[-1] = _Found(last.start, last.end, self.words["shared"])
                continue
            chosen.append(item)
        return chosen

    def scrub(self, text: str) -> str:
        """`text` with every name, e-mail address, phone number and participant id replaced."""
        if not text:
            return text
        text = nfc(text)
        found = self._found(fold(text))
        if not found:
            return text  # the common case, without mapping characters one by one
        _, origin = fold_mapped(text)
        out: list[str] = []
        done = 0
        for item in self._chosen(found):  # fold_mapped folds exactly as fold() does
            out += [text[done : origin[item.start]], item.replacement]
            done = origin[item.end]
        out.append(text[done:])
        return "".join(out)

    def scrub_value(self, value: Any) -> Any:
        """Every string inside a JSON-like value (keys are the format's own, left as they are)."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, list):
            return [self.scrub_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub_value(v) for k, v in value.items()}
        return value
