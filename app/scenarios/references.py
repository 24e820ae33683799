"""Cross-reference checks: unique ids and references that must name something that exists.

They run on the raw mapping (not the model) so that they still report when other parts of the
file are malformed; anything not shaped as expected is skipped here, the model reports it.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterator
from typing import Any, NamedTuple

from app.scenarios.models import OBSERVERS

Path = tuple[str | int, ...]


class Problem(NamedTuple):
    path: Path
    message: str
    at_key: bool  # about the mapping key at `path`, not its value
    unknown: bool = False  # a reference to something not declared


# Letters of other scripts that look like Latin ones: an id typed on a Russian keyboard layout.
_LOOKALIKES = dict(
    zip(
        "аеорсухіјѕԁһԛԝӏАВЕКМНОРСТХІЈЅУΑΒΕΖΗΙΚΜΝΟΡΤΥΧαονικρυχı",
        "aeopcyxijsdhqwlABEKMHOPCTXIJSYABEZHIKMNOPTYXaovikpuxi",
        strict=True,
    )
)


def _plain(ch: str) -> str:
    """The ASCII character `ch` passes for ('о' -> 'o', 'é' -> 'e'), or ''."""
    if ch.isascii():
        return ch
    if ch in _LOOKALIKES:
        return _LOOKALIKES[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii())
    return base if len(base) == 1 and base.isalnum() else ""


def skeleton(text: str) -> str:
    """`text` as it looks: look-alike letters made ASCII, invisible characters dropped."""
    return "".join(
        _plain(ch) or ch for ch in text if unicodedata.category(ch) not in ("Cf", "Zs") or ch == " "
    )


def foreign(value: object, where: str = "an id") -> str:
    """'; it has U+043E CYRILLIC SMALL LETTER O at position 2, which only looks like 'o'' for an
    id or key that is not plain printable ASCII, else ''. Says what the character is: a
    look-alike letter, an invisible or control character, or another character (`where` is
    where it is not allowed)."""
    if not isinstance(value, str):
        return ""
    odd = next((ch for ch in value if not ch.isascii() or not ch.isprintable()), None)
    if odd is None:
        return ""
    at = f"at position {value.index(odd) + 1}"
    code = f"U+{ord(odd):04X}"
    name = unicodedata.name(odd, "")
    category = unicodedata.category(odd)
    if category == "Cc":
        return f"; it has the control character {code} {at}"
    if not name:
        return f"; it has {code}, an unassigned or private-use character, {at}"
    if not odd.isprintable():
        return f"; it has the invisible {code} {name} {at}"
    if _plain(odd):
        return f"; it has {code} {name} {at}, which only looks like '{_plain(odd)}'"
    return f"; {code} {name} {at} is not allowed in {where}"


def visible(text: str) -> str:
    """`text` with control and invisible characters written as escapes (`\\n`, `\\u200b`), so
    that a message stays on one line and shows what is there."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode()
        for ch in text
    )


def suggest(word: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' when a close choice exists, else ''."""
    folded = {choice.casefold(): choice for choice in choices}
    if word.casefold() in folded:  # EN for en
        return f" (did you mean '{folded[word.casefold()]}'?)"
    looks = skeleton(word).casefold()
    alike = [choice for choice in choices if skeleton(choice).casefold() == looks]
    if alike:  # nоrway (a Cyrillic о) for norway
        return f" (did you mean '{alike[0]}'?)"
    if len(looks) == 2:  # ro (or rу, a Cyrillic у) for ru: too short for the ratio below
        near = [c for c in choices if len(c) == 2 and c[0] == looks[0] and c != looks]
        if near:
            return f" (did you mean '{near[0]}'?)"
    close = [  # close, or fairly close with the same start: tense for tension, not usa for russia
        choice
        for choice in difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
        if difflib.SequenceMatcher(None, word, choice).ratio() >= 0.7 or choice[:3] == word[:3]
    ][:1]
    if not close and len(word) >= 3:  # desc for description
        close = [c for c in choices if c.startswith(word)][:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


def shown(value: object, limit: int = 60) -> str:
    """A value as a message quotes it: never pages of it."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _items(data: dict[str, Any], section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = data.get(section)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _ids(
    data: dict[str, Any], section: str, problems: list[Problem], what: str, prefix: Path = ()
) -> list[str] | None:
    """The section's ids; None when the section is there but not a list (the model reports
    that once: references into it are then not checked, rather than all reported as unknown)."""
    if data.get(section) is not None and not isinstance(data.get(section), list):
        return None
    seen: dict[str, int] = {}
    for index, item in _items(data, section):
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            first = seen[item_id]
            message = f"duplicate {what} id '{shown(item_id)}' (first used by {section}[{first}])"
            problems.append(Problem((*prefix, section, index, "id"), message, False))
        else:
            seen[item_id] = index
    return list(seen)


def _ref(
    problems: list[Problem],
    path: Path,
    value: Any,
    known: list[str] | None,
    what: str,
    at_key: bool = False,
) -> None:
    if known is not None and isinstance(value, str) and value not in known:
        if value in _misspelt(known):
            return  # the declaration has a look-alike letter; reported there, once
        names = list(dict.fromkeys(known))
        listed = ", ".join(f"'{k}'" for k in names[:20]) or "none defined"
        listed += ", …" if len(names) > 20 else ""
        hint = suggest(value, known) if len(value) <= 200 else ""
        odd = foreign(value, "a key" if at_key else "an id")
        message = f"unknown {what} '{shown(value)}'{odd}{hint}; known: {listed}"
        problems.append(Problem(path, message, at_key, unknown=True))


def _misspelt(known: list[str]) -> set[str]:
    """What declared ids with a look-alike or invisible character were meant to be."""
    return {skeleton(k) for k in known if not k.isascii() or not k.isprintable()}


def _refs(
    problems: list[Problem], path: Path, values: Any, known: list[str] | None, what: str
) -> None:
    if isinstance(values, list):
        for index, value in enumerate(values):
            _ref(problems, (*path, index), value, known, what)


def _keys(
    problems: list[Problem], path: Path, mapping: Any, known: list[str] | None, what: str
) -> None:
    if isinstance(mapping, dict):
        for key in mapping:
            _ref(problems, (*path, key), key, known, what, at_key=True)


def _twice(problems: list[Problem], path: Path, values: Any, what: str) -> None:
    """Every item of a list that repeats an earlier one."""
    if not isinstance(values, list):
        return
    seen: set[str] = set()
    for index, value in enumerate(values):
        if isinstance(value, str):
            if value in seen:
                message = f"{what} '{shown(value)}' is listed twice"
                problems.append(Problem((*path, index), message, False))
            seen.add(value)


def _on_hotline(
    problems: list[Problem], path: Path, values: Any, ends: list[Any], teams: list[str] | None
) -> None:
    """A hotline message check names only teams at its two ends: another can never meet it."""
    known = teams or ()
    if not isinstance(values, list) or len(ends) != 2 or ends[0] == ends[1]:
        return
    if not all(isinstance(end, str) and end in known for end in ends):
        return  # the hotline itself is wrong: reported there
    for index, team in enumerate(values):
        if isinstance(team, str) and team in known and team not in ends:
            message = (
                f"'{shown(team)}' is not on the hotline, which joins '{ends[0]}' and '{ends[1]}':"
                " this check can never be met"
            )
            problems.append(Problem((*path, index), message, False))


# What each kind of objective check needs besides `kind` (docs/scenario-format.md).
CHECK_NEEDS = {
    "hotline_contact": ("within_minutes",),
    "message": ("channel",),
    "escalation_max": ("level",),
}


def check(data: dict[str, Any]) -> list[Problem]:
    """Every dangling reference and duplicate id in a scenario mapping, with its path."""
    problems: list[Problem] = []
    teams = _ids(data, "teams", problems, "team")
    phases = _ids(data, "phases", problems, "phase")
    injects = _ids(data, "injects", problems, "inject")
    moves = _ids(data, "moves", problems, "move type")
    objectives = _ids(data, "objectives", problems, "objective")
    escalation = data.get("escalation") if isinstance(data.get("escalation"), dict) else {}
    levels = _ids(escalation, "levels", problems, "escalation level", ("escalation",))
    if data.get("escalation") is not None and not escalation:
        levels = None  # the section itself is malformed: the model says so
    audiences = None if teams is None else [*teams, OBSERVERS]
    anyone = None if audiences is None else [*audiences, "all"]

    background = data.get("background")
    if isinstance(background, dict):
        _keys(
            problems,
            ("background", "briefings"),
            background.get("briefings"),
            audiences,
            "team",
        )

    for index, inject in _items(data, "injects"):
        here: Path = ("injects", index)
        _ref(problems, (*here, "phase"), inject.get("phase"), phases, "phase")
        audience = inject.get("audience", "all")
        if isinstance(audience, str):  # one team, or all
            _ref(problems, (*here, "audience"), audience, anyone, "team")
            audience = [audience]
        else:
            if isinstance(audience, list) and "all" in audience and len(audience) > 1:
                message = "'all' already includes every team; list it alone"
                problems.append(Problem((*here, "audience"), message, False))
            _refs(problems, (*here, "audience"), audience, anyone, "team")
            _twice(problems, (*here, "audience"), audience, "team")
        _keys(problems, (*here, "variants"), inject.get("variants"), audiences, "team")
        variants = inject.get("variants")
        sent_to = isinstance(audience, list) and all(
            isinstance(team, str) and team in (anyone or ()) for team in audience
        )  # an unknown audience is reported as such: no guessing what the variants would miss
        if isinstance(variants, dict) and sent_to and "all" not in audience:
            for team in variants:
                if team in (audiences or ()) and team not in audience:
                    message = f"the variant for '{team}' is never sent: '{team}' is not in this inject's audience"
                    problems.append(Problem((*here, "variants", team), message, True))
        _refs(problems, (*here, "objectives"), inject.get("objectives"), objectives, "objective")
        _twice(problems, (*here, "objectives"), inject.get("objectives"), "objective")
        contingency = inject.get("contingency_for")
        if contingency == inject.get("id") and contingency is not None:
            message = "an inject cannot be a contingency for itself"
            problems.append(Problem((*here, "contingency_for"), message, False))
        else:
            _ref(problems, (*here, "contingency_for"), contingency, injects, "inject")
        actions = inject.get("expected_actions")
        if isinstance(actions, list):
            for number, action in enumerate(actions):
                if isinstance(action, dict):
                    _ref(
                        problems,
                        (*here, "expected_actions", number, "team"),
                        action.get("team"),
                        teams,
                        "team",
                    )

    for index, move in _items(data, "moves"):
        _refs(
            problems,
            ("moves", index, "objectives"),
            move.get("objectives"),
            objectives,
            "objective",
        )
        _refs(problems, ("moves", index, "teams"), move.get("teams"), teams, "team")
        _twice(problems, ("moves", index, "teams"), move.get("teams"), "team")
        _twice(problems, ("moves", index, "objectives"), move.get("objectives"), "objective")

    _ref(problems, ("escalation", "start"), escalation.get("start"), levels, "escalation level")

    rules = data.get("rules")
    hotline = rules.get("hotline") if isinstance(rules, dict) else None
    ends = hotline.get("teams") if isinstance(hotline, dict) else None
    if not isinstance(ends, list):
        ends = (teams or [])[:2]  # the default: the first two teams
    for index, objective in _items(data, "objectives"):
        rule = objective.get("check")
        if not isinstance(rule, dict):
            continue
        here = ("objectives", index, "check")
        _ref(problems, (*here, "after_inject"), rule.get("after_inject"), injects, "inject")
        _refs(problems, (*here, "teams"), rule.get("teams"), teams, "team")
        _twice(problems, (*here, "teams"), rule.get("teams"), "team")
        _refs(problems, (*here, "move_types"), rule.get("move_types"), moves, "move type")
        _twice(problems, (*here, "move_types"), rule.get("move_types"), "move type")
        _twice(problems, (*here, "categories"), rule.get("categories"), "category")
        _ref(problems, (*here, "level"), rule.get("level"), levels, "escalation level")
        kind = rule.get("kind")
        missing = [name for name in CHECK_NEEDS.get(kind, ()) if rule.get(name) is None]
        if isinstance(kind, str) and missing:
            article = "an" if kind[0] in "aeiou" else "a"
            message = f"{article} '{kind}' check needs {', '.join(missing)}"
            problems.append(Problem(here, message, False))
        given = [name for name in ("move_types", "categories") if rule.get(name) is not None]
        if kind in ("move", "no_move") and not given:  # an empty list is reported as such
            problems.append(
                Problem(here, f"a '{kind}' check needs move_types or categories", False)
            )
        if kind == "message" and rule.get("channel") == "hotline":
            _on_hotline(problems, (*here, "teams"), rule.get("teams"), ends, teams)

    if isinstance(hotline, dict):
        _refs(problems, ("rules", "hotline", "teams"), ends, teams, "team")
        if isinstance(ends, list) and len(ends) == 2 and ends[0] == ends[1]:
            message = "the hotline joins two different teams"
            problems.append(Problem(("rules", "hotline", "teams", 1), message, False))
    metadata = data.get("metadata")
    if isinstance(metadata, dict):
        _twice(problems, ("metadata", "languages"), metadata.get("languages"), "language")
    return problems
