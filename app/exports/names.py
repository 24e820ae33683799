"""The forms in which a participant's name may turn up in free text, as patterns over folded
text (`folding.py`), for the Chatham House scrubber (`chatham.py`, whose docstring lists what
is matched and why).

Each form knows the words its matches can begin with (`firsts`), so the scrubber tries a form
only on a text that holds one of them: most texts name nobody and cost one set lookup.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.exports.folding import fold, nfc

MIN_PART = 2  # letters or digits: a single initial is not hunted for on its own
TITLES = {"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame", "jr", "sr", "phd", "др", "г"}
CASE_ENDINGS = (  # Russian case endings, folded as text is (ой → ои, ём → ем), longest first
    *("ыми", "ими", "ами", "ями", "ых", "их", "ом", "ем", "ым", "им", "ои", "еи", "ою", "ею"),
    *("ам", "ям", "ах", "ях", "а", "я", "у", "ю", "е", "и", "ы"),
)
CYR_FINAL = set("аеиоуыэюяь")  # dropped from a Cyrillic part to find its stem (й folds to и)
LATIN = {  # common Latin spellings of Russian letters (BGN/PCGN, ISO 9, French, German usage)
    "а": ["a"], "б": ["b"], "в": ["v", "w"], "г": ["g"], "д": ["d"], "е": ["e", "ye"],
    "ё": ["e", "yo", "io", "jo"], "ж": ["zh", "j"], "з": ["z"], "и": ["i", "y"],
    "й": ["y", "i", "j", ""], "к": ["k"], "л": ["l"], "м": ["m"], "н": ["n"], "о": ["o"],
    "п": ["p"], "р": ["r"], "с": ["s"], "т": ["t"], "у": ["u", "ou"], "ф": ["f"],
    "х": ["kh", "h"], "ц": ["ts", "tz", "c"], "ч": ["ch", "tch"], "ш": ["sh", "sch"],
    "щ": ["shch", "sch"], "ъ": [""], "ы": ["y", "i"], "ь": ["", "'"], "э": ["e"],
    "ю": ["yu", "iu", "ju"], "я": ["ya", "ia", "ja"],
}  # fmt: skip
CYRILLIC = {  # how Latin letters and digraphs of a name are commonly written in Russian
    "shch": ["щ"], "sch": ["щ", "ш"], "sh": ["ш"], "ch": ["ч"], "zh": ["ж"], "kh": ["х"],
    "ts": ["ц"], "tz": ["ц"], "ya": ["я"], "ja": ["я"], "yu": ["ю"], "ju": ["ю"], "yo": ["ё"],
    "ye": ["е"], "ey": ["ей"], "ay": ["ай"], "oy": ["ой"], "iy": ["ий"], "ph": ["ф"], "th": ["т"],
    "a": ["а"], "b": ["б"], "c": ["к", "ц"], "d": ["д"], "e": ["е", "э"], "f": ["ф"],
    "g": ["г"], "h": ["х", "г"], "i": ["и", "й"], "j": ["дж", "ж", "й"], "k": ["к"],
    "l": ["л", "ль"], "m": ["м"], "n": ["н"], "o": ["о"], "p": ["п"], "q": ["к"], "r": ["р"],
    "s": ["с"], "t": ["т"], "u": ["у"], "v": ["в"], "w": ["в"], "x": ["кс"],
    "y": ["ы", "й", "и"], "z": ["з"],
}  # fmt: skip
MAX_SPELLINGS = 256
MIN_SPELT = 3  # letters a Latin part needs to be looked for in Cyrillic too
SPACE = r"[.\"'«»“”„]*\s+[\"'«»“”„(]*"  # between the words of a name: spaces, maybe quotes
_WORD = re.compile(r"\w+")
_AROUND = re.compile(r"^[\W_]+|[\W_]+$")
_INSIDE = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


@dataclass(frozen=True)
class Form:
    """One way a name can be written: its pattern over folded text, and the words a match can
    begin with (for a Cyrillic word with case endings: its stem)."""

    pattern: str
    firsts: frozenset[str]


def _strength(word: str) -> int:
    return sum(ch.isalnum() for ch in word)


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


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


def latin_spellings(part: str) -> list[str]:
    """How a Cyrillic name part is commonly written in Latin letters ("Сергей": sergei,
    sergey, …), folded; at most MAX_SPELLINGS of them, the most common first."""
    choices = [LATIN.get(ch, [ch]) for ch in part.casefold()]
    found = itertools.islice(("".join(p) for p in itertools.product(*choices)), MAX_SPELLINGS)
    return list(dict.fromkeys(fold(s) for s in found if s))


def cyrillic_spellings(part: str) -> list[str]:
    """How a Latin name part may be written in Russian ("Smirnova": смирнова, …), folded; at
    most MAX_SPELLINGS of them. Best effort: Russian spelling of foreign names varies."""

    def spell(rest: str) -> Iterator[str]:
        if not rest:
            yield ""
            return
        options = [(k, v) for k, v in CYRILLIC.items() if rest.startswith(k)] or [(rest[0], [""])]
        for latin, letters in options:
            for letter in letters:
                for tail in spell(rest[len(latin) :]):
                    yield letter + tail

    found = itertools.islice(spell(part), MAX_SPELLINGS)
    return list(dict.fromkeys(fold(s) for s in found if _strength(s) >= MIN_PART))


def _inflected(folded: str) -> tuple[str, list[str]]:
    """A folded Cyrillic word with its Russian case endings: (pattern, stems and spellings)."""
    stem = folded[:-1] if folded[-1] in CYR_FINAL else folded
    if _strength(stem) < MIN_PART:
        return _literal(folded), [folded]
    return _literal(stem) + "(?:" + "|".join(CASE_ENDINGS) + ")?", [stem, folded]


def _word(part: str) -> tuple[str, set[str]]:
    """One name part (casefolded, not yet folded) as a pattern and the words (or, for a
    Cyrillic spelling, the stems) a match can begin with: apostrophes optional; a Cyrillic
    part with its case endings and its Latin spellings; a Latin part of MIN_SPELT letters or
    more also in its Cyrillic spellings, with case endings."""
    folded = fold(part)
    if _cyrillic(folded):
        pattern, firsts = _inflected(folded)
        latin = latin_spellings(part)
        return "(?:" + "|".join([pattern, *map(_literal, latin)]) + ")", _first_words(
            *firsts, *latin
        )
    if sum(ch.isalpha() for ch in folded) < MIN_SPELT or not folded.isalpha():
        return _literal(folded), _first_words(folded)
    patterns, firsts = [_literal(folded)], [folded]
    for spelling in cyrillic_spellings(folded):
        pattern, stems = _inflected(spelling)
        patterns.append(pattern)
        firsts += stems
    return "(?:" + "|".join(dict.fromkeys(patterns)) + ")", _first_words(*firsts)


def _bounded(pattern: str, starts: str, ends: str) -> str:
    """Word boundaries where the form starts or ends with a word character, in any script."""
    before = r"(?<!\w)" if re.match(r"\w", starts) else ""
    after = r"(?!\w)" if re.match(r"\w", ends) else ""
    return before + pattern + after


def name_forms(name: str) -> list[Form]:
    """Every form of `name` to look for: the whole name as written; its words without the
    punctuation around them and without what is in brackets, as a sequence; and each part of
    at least MIN_PART letters or digits on its own (words, their hyphen or apostrophe pieces,
    bracketed affiliation words, an e-mail name's local part), titles such as "Dr" aside."""
    name = nfc(name).casefold()
    words = name.split()
    if not words:
        return []
    forms = []
    whole = fold(" ".join(words))
    literal = r"\s+".join(_literal(w) for w in whole.split())
    forms.append(Form(_bounded(literal, whole[0], whole[-1]), frozenset(_first_words(whole))))
    cores = [c for c in (_AROUND.sub("", w) for w in _BRACKETED.sub(" ", name).split()) if c]
    if len(cores) > 1:
        pieces = [_word(core) for core in cores]
        joined = SPACE.join(pattern for pattern, _ in pieces)
        forms.append(Form(rf"(?<!\w){joined}(?!\w)", frozenset(pieces[0][1])))
    parts: list[str] = []
    for word in words:
        core = _AROUND.sub("", word.split("@", 1)[0] if "@" in word else word)
        pieces = [core, *_INSIDE.split(core)] if core else []
        parts += [p for p in pieces if _strength(p) >= MIN_PART and fold(p) not in TITLES]
    for part in dict.fromkeys(parts):
        pattern, firsts = _word(part)
        forms.append(Form(rf"(?<!\w){pattern}(?!\w)", frozenset(firsts)))
    return forms
