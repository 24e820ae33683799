"""The Chatham House Rule: every participant's name replaced with a stable role alias ("NATO
participant 2"), wherever it appears, also inside free text; participant ids replaced with
alias keys ("nato-2"), so that nothing in an export maps back to a person.

Privacy comes first: replacing a common word that happens to be a name ("Will", "Rand") is
better than leaving a name in. What is matched (docs/review-and-exports.md):

- names and texts compared folded (`folding.py`): any letter case, accents or none
  (José ~ Jose, Müller ~ Muller ~ Mueller, ё ~ е), any apostrophe or none (O'Brien ~ O’Brien
  ~ OBrien), decomposed Unicode composed first;
- the forms `names.hunt` derives: the whole name, its words as a sequence, initials with the
  surname, each part that is not a single letter or a common word, Russian case forms, the
  other script's spellings, run-together spellings and handles; a name without letters as
  written; never inside a word ("Ann" is not found in "Annex" or "planned");
- longest first, so "Ivan Petrov" becomes one alias; a form that people with different
  aliases share becomes a neutral "a participant";
- every e-mail address, every phone number written with a leading + and at least 9 digits
  and every link (a URL, or a domain with a path), whoever it belongs to; participant ids as
  alias keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.exports.folding import fold, fold_mapped, nfc
from app.exports.labels import Labels
from app.exports.names import Form, hunt
from app.scenarios.models import OBSERVERS, WHITE_CELL, Scenario, Text

ALIAS = {
    "en": {
        "team": "{team} participant {n}",
        OBSERVERS: "Observer {n}",
        WHITE_CELL: "Facilitator {n}",
        "shared": "a participant",
        "email": "[e-mail]",
        "phone": "[phone]",
        "link": "[link]",
    },
    "ru": {
        "team": "Участник ({team}) {n}",
        OBSERVERS: "Наблюдатель {n}",
        WHITE_CELL: "Ведущий {n}",
        "shared": "участник",
        "email": "[эл. почта]",
        "phone": "[телефон]",
        "link": "[ссылка]",
    },
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+\d(?:[\s().-]*\d){8,}")
LINK = re.compile(  # over folded (lower-case) text
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»“”]+"
    r"|(?<![\w@.-])(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>\"«»“”]*"
)
LINK_END = ".,;:!?)]'’"  # punctuation after a link, not part of it
PERCENT = re.compile(r"(?:%[0-9a-f]{2}){2,}")  # percent-encoded text outside a link
HANDLE = re.compile(r"[^\W\d_][\w.'-]*[^\W\d_]")  # a run of letters, maybe with _ . - '
_WORDS = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")
_PIECES = re.compile(r"[^\W_]+")
ROLES = ("player", "team_lead", "observer", "facilitator")
CHANNELS = (
    "team",
    "plenary",
    "hotline",
    "news",
    "intelligence_report",
    "diplomatic_cable",
    "military_report",
    "hotline_call",
    "social_media",
    "email",
)
MARKINGS = ("en", "ru", "private", "public", "exercise")  # language codes, markings


def vocabulary(scenario: Scenario) -> frozenset[str]:
    """The run's own words, folded: a part of a display name that is one of them is not
    identifying on its own ("Alice NATO" is looked for as the whole name, never as "NATO"),
    so that text about the exercise keeps its words. They are the team ids and names, the
    words of roles, channels, decisions and event kinds as the reports name them, the aliases'
    words ("participant", «участник», "observer", «наблюдатель», "white cell"), and the
    words of the scenario's names and titles (its title and marking, phases, injects' titles
    and senders, moves, escalation levels, objectives) in English and Russian."""
    texts: list[str] = [*MARKINGS, *scenario.team_ids, *ROLES, *CHANNELS, OBSERVERS, WHITE_CELL]
    for words in ALIAS.values():
        texts += [w.format(team="", n="") for w in words.values()]
    for lang in ("en", "ru"):
        labels = Labels(scenario, lang)
        texts += [labels.role(r) for r in ROLES] + [labels.channel(c) for c in CHANNELS]
        texts += [labels.team(t) for t in (*scenario.team_ids, OBSERVERS, WHITE_CELL)]
        texts += [labels.decision(d) for d in ("accept", "modify", "reject", None)]
        texts += [labels.kind(k) for k in labels._kinds]
    named: list[Text | None] = [scenario.metadata.title, scenario.metadata.marking]
    named += [t.name for t in scenario.teams] + [p.title for p in scenario.phases]
    for inject in scenario.injects:
        named += [inject.title, inject.from_]
        named += [v.title for v in inject.variants.values()]
        named += [v.from_ for v in inject.variants.values()]
    named += [m.label for m in scenario.moves] + [lv.label for lv in scenario.escalation.levels]
    named += [o.title for o in scenario.objectives]
    texts += [text for t in named if t is not None for text in (t.en, t.ru) if text]
    return frozenset(w for text in texts for w in _PIECES.findall(fold(text)))


def _alias_pattern(scenario: Scenario) -> re.Pattern[str]:
    """Every alias the Rule writes, in either language, over folded text: never rewritten
    again, nor any name inside one ("NATO participant 1" stays whole, whoever is "NATO")."""
    forms = []
    for lang, words in ALIAS.items():
        teams = [t.name.get(lang) for t in scenario.teams]
        for key in ("team", OBSERVERS, WHITE_CELL):
            for team in teams if key == "team" else [""]:
                alias = fold(words[key].format(team=team, n="\x00"))
                forms.append(re.escape(alias).replace("\x00", r"\d+"))
    return re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")(?!\d)")


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
        self._own = vocabulary(scenario)
        self._aliases = _alias_pattern(scenario)
        self._hunts = {person.id: hunt(person.name, self._own) for person in self.people}
        self._forms, self._everywhere = self._compile()
        self._joined = self._one_each(
            (token, self.alias[pid]) for pid, h in self._hunts.items() for token in h.joined
        )

    def _one_each(self, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        """key -> replacement; a key that people with different aliases share: the neutral word."""
        found: dict[str, set[str]] = {}
        for key, replacement in pairs:
            found.setdefault(key, set()).add(replacement)
        return {k: self.words["shared"] if len(v) > 1 else next(iter(v)) for k, v in found.items()}

    def _compile(
        self,
    ) -> tuple[dict[str, list[tuple[re.Pattern[str], str]]], list[tuple[re.Pattern[str], str]]]:
        """(first word -> the forms a match may start with it, forms tried in every text), as
        (pattern, replacement)."""
        forms: dict[str, Form] = {}
        pairs = []
        for person in self.people:
            folded_id = fold(person.id)  # folded as the text it is looked for in
            id_form = Form(rf"(?<!\w){re.escape(folded_id)}(?!\w)", frozenset([folded_id]))
            forms[id_form.pattern] = id_form
            pairs.append((id_form.pattern, self.key[person.id]))
            for form in self._hunts[person.id].forms:
                forms[form.pattern] = form
                pairs.append((form.pattern, self.alias[person.id]))
        replacements = self._one_each(pairs)
        by_first: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        everywhere = []
        for pattern, form in forms.items():
            entry = (re.compile(pattern), replacements[pattern])
            if not form.firsts:
                everywhere.append(entry)
            for first in form.firsts:
                by_first.setdefault(first, []).append(entry)
        return by_first, everywhere

    def name_of(self, participant_id: str | None) -> str | None:
        """The alias of a participant (None: not a participant of this run)."""
        return self.alias.get(participant_id or "")

    def key_of(self, participant_id: str | None) -> str | None:
        """The alias key that stands for a participant id in Chatham exports ("nato-2")."""
        return self.key.get(participant_id) if participant_id else None

    def hunted(self) -> dict[str, list[str]]:
        """What the scrubber looks for in free text ("words") and what it does not ("skipped":
        single letters, common words, names made only of them), for the facilitator to see."""
        words = {w for h in self._hunts.values() for w in h.words}
        skipped = {w for h in self._hunts.values() for w in h.skipped}
        return {"words": sorted(words, key=str.casefold), "skipped": sorted(skipped, key=fold)}

    def _contacts(self, folded: str) -> list[_Found]:
        """E-mail addresses, phone numbers and links, whoever they belong to."""
        found = []
        if "@" in folded:
            for m in EMAIL.finditer(folded):
                alias = self._emails.get(m.group(0), self.words["email"])
                found.append(_Found(m.start(), m.end(), alias))
        if "+" in folded:
            found += [
                _Found(m.start(), m.end(), self.words["phone"]) for m in PHONE.finditer(folded)
            ]
        if "/" in folded or "www." in folded:
            for m in LINK.finditer(folded):
                end = m.end()
                while end > m.start() + 1 and folded[end - 1] in LINK_END:
                    end -= 1
                found.append(_Found(m.start(), end, self.words["link"]))
        return found

    def _found(self, folded: str) -> list[_Found]:
        """Every match of a form, contact or run-together spelling in the folded text."""
        found = self._contacts(folded)
        tried = set()
        words = set(_WORDS.findall(folded)) | set(_LETTERS.findall(folded))
        stems = {w[:-cut] for w in words for cut in (1, 2, 3) if len(w) > cut}  # case endings
        for word in (words | stems) & self._forms.keys():
            for pattern, replacement in self._forms[word]:
                if pattern not in tried:
                    tried.add(pattern)
                    found += [
                        _Found(m.start(), m.end(), replacement) for m in pattern.finditer(folded)
                    ]
        for pattern, replacement in self._everywhere:
            found += [_Found(m.start(), m.end(), replacement) for m in pattern.finditer(folded)]
        if self._joined and set(HANDLE.findall(folded)) & self._joined.keys():
            for m in HANDLE.finditer(folded):
                if m.group(0) in self._joined:
                    found.append(_Found(m.start(), m.end(), self._joined[m.group(0)]))
        if "%" in folded:
            found += self._percent_encoded(folded)
        return found

    def _percent_encoded(self, folded: str) -> list[_Found]:
        """Percent-encoded text ("%d0%a8%d0%b5…") that decodes to a name."""
        found = []
        for m in PERCENT.finditer(folded):
            decoded = bytes.fromhex(m.group(0).replace("%", "")).decode("utf-8", "ignore")
            inside = self._found(fold(decoded)) if "%" not in decoded else []
            if inside:
                found.append(_Found(m.start(), m.end(), inside[0].replacement))
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
        """`text` with every name, contact and participant id replaced."""
        if not text:
            return text
        text = nfc(text)
        folded = fold(text)
        found = self._found(folded)
        if found and self._aliases.search(folded):  # an alias already there stays as it is
            kept = [(m.start(), m.end()) for m in self._aliases.finditer(folded)]
            found = [f for f in found if not any(f.start < e and s < f.end for s, e in kept)]
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
