"""The forms in which a participant's name may turn up in free text, as patterns over folded
text (`folding.py`), for the Chatham House scrubber (`chatham.py`, whose docstring lists what
is matched and why).

Each form knows the words its matches can begin with (`firsts`), so the scrubber tries a form
only on a text that holds one of them: most texts name nobody and cost one set lookup. A name
without letters or digits ("🦊") has no such word and is looked for as written in every text;
run-together spellings and handles ("olgasmirnova", "olga_smirnova", "skuznetsov") are a set
of whole tokens.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from app.exports import inflection
from app.exports.folding import fold, nfc
from app.exports.translit import cyrillic_spellings, latin_spellings

MIN_PART = 2  # letters or digits: a single initial is not hunted for on its own
TITLES = {"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame", "jr", "sr", "phd", "др", "г"}
_COMMON = """
    a an the i me my we us our you your he him his she her it its they them their
    of in on at to by for from with into onto over under about as per via off out up
    and or but nor not no so if is be am are was
    в во на с со к ко у о об обо от до из за по при про под над без для через
    и а но да или ли не ни же что как то я мы ты вы он она оно они его ее их им ему ей
    мне нам вам нас вас это тот кто
    van von der den de del della da di du le la les al el bin ibn bint ter ten zu dos
"""  # English articles, pronouns, prepositions; Russian prepositions, conjunctions, pronouns
# (folded: ё as е); name particles
STOP_WORDS = frozenset(_COMMON.split())  # never hunted for on their own: they would rewrite text
RUSSIAN_LOOKING = ("ov", "ev", "in", "ova", "eva", "ina", "sky", "ski", "skiy", "skaya", "ich")
DECLINED_LETTERS = 6  # a Latin part this long is also looked for with Russian case endings
JOINED_SPELLINGS = 4  # spellings of each part combined into run-together forms and handles
JOINERS = ("", "_", ".", "-")
_LETTER_BEFORE, _LETTER_AFTER = r"(?<![^\W\d_])", r"(?![^\W\d_])"  # not next to a letter
SPACE = r"(?:[.\"'«»“”„]*\s+[\"'«»“”„(]*|[._-])"  # between the words of a name
_WORD = re.compile(r"\w+")
_AROUND = re.compile(r"^[\W_]+|[\W_]+$")
_INSIDE = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


@dataclass(frozen=True)
class Form:
    """One way a name can be written: its pattern over folded text, and the words a match can
    begin with (for a Cyrillic word with case endings: its stems; none: tried everywhere)."""

    pattern: str
    firsts: frozenset[str]


@dataclass
class Hunt:
    """What the scrubber looks for to find one name in free text."""

    forms: list[Form] = field(default_factory=list)
    joined: set[str] = field(default_factory=set)  # whole tokens: run-together and handles
    words: list[str] = field(default_factory=list)  # the parts looked for, as written
    skipped: list[str] = field(default_factory=list)  # not looked for on their own


def _strength(word: str) -> int:
    return sum(ch.isalnum() for ch in word)


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


def _common(part: str) -> bool:
    """A part too short or too common to look for on its own: one letter, a title, a stop
    word (an article, pronoun, preposition or name particle)."""
    folded = fold(part)
    return _strength(folded) < MIN_PART or folded in TITLES or folded in STOP_WORDS


def _first_words(*spellings: str) -> set[str]:
    """The first word of each spelling, with and without its apostrophes."""
    words = set()
    for spelling in spellings:
        for variant in (spelling, spelling.replace("'", "")):
            found = _WORD.search(variant)
            if found:
                words.add(found.group(0))
    return words


def _literal(folded: str) -> str:
    return re.escape(folded).replace("'", "'?")


def _declined(stems: list[inflection.Stem]) -> str:
    """Stems with their endings, one group per set of endings (keeps the pattern short)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for stem in stems:
        groups.setdefault(stem.endings, []).append(_literal(stem.stem))
    return "|".join(
        f"(?:{'|'.join(dict.fromkeys(found))})(?:{'|'.join(endings)})?"
        for endings, found in groups.items()
    )


def _inflected(folded: str) -> tuple[str, list[str]]:
    """A folded Cyrillic word with its Russian case forms: (pattern, stems and the word)."""
    stems = [s for s in inflection.stems(folded) if _strength(s.stem) >= MIN_PART]
    if not stems:
        return _literal(folded), [folded]
    return _declined(stems), [*(s.stem for s in stems), folded]


def _declines(latin: str) -> bool:
    """Whether a Latin part is also looked for with Russian case endings in Cyrillic: a long
    one, or one that looks like a Russian name ("Smirnova": Смирновой). Others ("Mark",
    "Frank") only as a whole word («Марк», not «марки» or «франки»)."""
    return len(latin) >= DECLINED_LETTERS or (len(latin) >= 4 and latin.endswith(RUSSIAN_LOOKING))


def spellings(part: str) -> list[str]:
    """A part, folded, and its spellings in the other script, the most common first."""
    folded = fold(part)
    other = latin_spellings(part) if _cyrillic(folded) else cyrillic_spellings(folded)
    return list(dict.fromkeys([folded, *(s for s in other if _strength(s) >= MIN_PART)]))


def _word(part: str) -> tuple[str, set[str]]:
    """One name part (casefolded, not yet folded) as a pattern and the words (or, for a
    Cyrillic spelling, the stems) a match can begin with: apostrophes optional; a Cyrillic
    part with its case forms and its Latin spellings; a Latin part of three letters or more
    also in its Cyrillic spellings (declined if `_declines`)."""
    folded = fold(part)
    if _cyrillic(folded):
        pattern, firsts = _inflected(folded)
        other = [latin_spellings(word) for word in inflection.counterparts(folded)]
        latin = [s for s in latin_spellings(part) if _strength(s) >= MIN_PART]
        latin += [s for spellings in other for s in spellings[:JOINED_SPELLINGS]]
        return "(?:" + "|".join([pattern, *map(_literal, latin)]) + ")", _first_words(
            *firsts, *latin
        )
    if sum(ch.isalpha() for ch in folded) < 3 or not folded.isalpha():
        return _literal(folded), _first_words(folded)
    cyrillic = [s for s in cyrillic_spellings(folded) if _strength(s) >= MIN_PART]
    latin = [folded, *inflection.counterparts(folded)]
    if not _declines(folded):
        words = [*latin, *cyrillic]
        return "(?:" + "|".join(map(_literal, words)) + ")", set(words)
    stems = [s for spelling in cyrillic for s in inflection.stems(spelling)]
    stems = [s for s in stems if _strength(s.stem) >= MIN_PART]
    pattern = "|".join([*map(_literal, latin), *([_declined(stems)] if stems else [])])
    return f"(?:{pattern})", _first_words(*latin, *(s.stem for s in stems), *cyrillic)


def _bounded(pattern: str, starts: str, ends: str) -> str:
    """Boundaries where the form starts or ends with a word character, in any script: not next
    to a letter (a digit or an underscore may touch a name: "olga_smirnova", "Ann2")."""
    before = _LETTER_BEFORE if re.match(r"\w", starts) else ""
    after = _LETTER_AFTER if re.match(r"\w", ends) else ""
    return before + pattern + after


def _initials(cores: list[str], surname: tuple[str, set[str]]) -> Form | None:
    """'J. R. Smith', 'J.R. Smith', 'J Smith', 'С. И. Кузнецов' for 'John Ronald Smith' or
    'Сергей Иванович Кузнецов': the given names' initials (each after the first optional),
    then the surname in all its forms. Not derived: initials alone ("JRS")."""
    steps = []
    letters: set[str] = set()
    for index, core in enumerate(cores):
        initials = {s[0] for s in spellings(core)[:JOINED_SPELLINGS]}
        letters |= initials if index == 0 else set()
        after = r"\.\s*" if initials & STOP_WORDS else r"(?:\.\s*|\s+)"  # "a Smith" is no name
        step = "(?:" + "|".join(map(re.escape, sorted(initials))) + ")" + after
        steps.append(step if index == 0 else f"(?:{step})?")
    if not steps:
        return None
    return Form(_LETTER_BEFORE + "".join(steps) + surname[0] + _LETTER_AFTER, frozenset(letters))


def _joined(cores: list[str]) -> set[str]:
    """Run-together spellings and handles: the words in order, first and last name either way
    round, and the first initial with the last name, each written together or joined by _ . -
    ("olgasmirnova", "olga_smirnova", "smirnova.olga", "skuznetsov")."""
    if len(cores) < 2:
        return set()
    spelt = [spellings(core)[:JOINED_SPELLINGS] for core in cores]
    runs = [spelt[i:j] for i in range(len(spelt)) for j in range(i + 2, min(len(spelt), i + 3) + 1)]
    runs += [[spelt[0], spelt[-1]], [spelt[-1], spelt[0]], [[s[0] for s in spelt[0]], spelt[-1]]]
    found = set()
    for run in runs:
        for joiner in JOINERS:
            found |= {joiner.join(words) for words in itertools.product(*run)}
    return found


def _initials_joined(given: list[str], surname: str) -> set[str]:
    """The given names' initials run into the surname: "jrsmith", "jr_smith", "skuznetsov"."""
    if not given:
        return set()
    initials = [{s[0] for s in spellings(core)[:JOINED_SPELLINGS]} for core in given]
    last = spellings(surname)[:JOINED_SPELLINGS]
    return {
        "".join(letters) + joiner + word
        for letters in itertools.product(*initials)
        for joiner in JOINERS
        for word in last
    }


def hunt(name: str, vocabulary: frozenset[str] = frozenset()) -> Hunt:
    """Everything to look for to find `name`: the whole name as written; its words without the
    punctuation around them and without what is in brackets, as a sequence (also two or three
    neighbouring words of it); its initials with the surname; each part of at least MIN_PART
    letters or digits that is not a common word (`_common`) on its own (words, their hyphen or
    apostrophe pieces, bracketed affiliation words, an e-mail name's local part) and is not a
    word of the run's own `vocabulary` (folded: team ids and names, roles, channels, the
    aliases' words, the scenario's titles; "Alice NATO" is found as the whole name, never as
    "NATO" alone); run-together spellings. A name made only of common words or single letters ("A", "The") is not looked
    for in free text at all (`skipped`): it would rewrite every sentence."""
    name = nfc(name)
    words = name.split()
    found = Hunt()
    if not words:
        return found
    all_cores = [c for c in (_AROUND.sub("", w) for w in _BRACKETED.sub(" ", name).split()) if c]
    parts: list[str] = []
    for word in words:
        core = _AROUND.sub("", word.split("@", 1)[0] if "@" in word else word)
        parts += [core, *_INSIDE.split(core)] if core else []
    unique: dict[str, str] = {}
    for part in parts:
        unique.setdefault(fold(part), part)
    parts = list(unique.values())
    several = len(parts) > 1  # a one-word name is its whole name, looked for as such
    own = [p for p in parts if several and not _common(p) and fold(p) in vocabulary]
    hunted = [p for p in parts if not _common(p) and p not in own]
    found.skipped = [p for p in parts if p not in hunted and _strength(p)]
    whole = fold(" ".join(words))
    letters = [ch for ch in whole if ch.isalpha()]
    uncased = letters and all(ch.upper() == ch.lower() for ch in letters)  # a CJK name
    if not hunted and not own and letters and not (uncased and len(words) == 1):
        found.skipped = [" ".join(words)]
        return found
    literal = r"\s+".join(_literal(w) for w in whole.split())
    found.forms.append(Form(_bounded(literal, whole[0], whole[-1]), frozenset(_first_words(whole))))
    cores = [c for c in all_cores if not _common(c)]
    if len(all_cores) > 1:
        pieces = [_word(core) for core in all_cores]
        spans = {(0, len(pieces)), *((i, i + n) for n in (2, 3) for i in range(len(pieces)))}
        spans = {(i, j) for i, j in spans if any(not _common(c) for c in all_cores[i:j])}
        runs = [pieces[i:j] for i, j in sorted(spans) if j <= len(pieces) and j - i > 1]
        for run in [*runs, [pieces[0], pieces[-1]]] if len(pieces) > 2 else runs:
            joined = SPACE.join(pattern for pattern, _ in run)
            found.forms.append(Form(_LETTER_BEFORE + joined + _LETTER_AFTER, frozenset(run[0][1])))
        surname = pieces[-1]
        if not _common(all_cores[-1]):
            initials = _initials(all_cores[:-1], surname)
            if initials:
                found.forms.append(initials)
        found.joined = _joined([c for c in cores if _strength(c) >= MIN_PART])
        found.joined |= {fold(c).replace("-", "") for c in all_cores if "-" in c}  # AnneMarie
        if not _common(all_cores[-1]):
            found.joined |= _initials_joined(all_cores[:-1], all_cores[-1])
    for part in hunted:
        pattern, firsts = _word(part)
        found.forms.append(Form(_LETTER_BEFORE + pattern + _LETTER_AFTER, frozenset(firsts)))
    found.words = hunted
    return found
