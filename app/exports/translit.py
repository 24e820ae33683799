"""How a name part is commonly spelt in the other script, for the Chatham House scrubber: a
Cyrillic part in Latin letters ("Сергей": sergei, sergey) and a Latin part in Cyrillic
("Smirnova": смирнова). Best effort: a name spelt by sound ("Jane" as «Джейн») is not found.

Both directions are bounded (at most MAX_SPELLINGS spellings, at most STEPS steps, parts of at
most MAX_LETTERS letters) and iterative, so no display name can exhaust memory or the stack.
"""

from __future__ import annotations

import itertools

from app.exports.folding import fold

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
MAX_LETTERS = 40  # a longer "part" is not a name: looked for as written only
STEPS = 20_000  # partial spellings tried, at most, for one part


def latin_spellings(part: str) -> list[str]:
    """How a Cyrillic name part is commonly written in Latin letters, folded, the most common
    first; at most MAX_SPELLINGS of them."""
    if len(part) > MAX_LETTERS:
        return []
    choices = [LATIN.get(ch, [ch]) for ch in part.casefold()]
    found = itertools.islice(("".join(p) for p in itertools.product(*choices)), MAX_SPELLINGS)
    return list(dict.fromkeys(fold(s) for s in found if s))


def cyrillic_spellings(part: str) -> list[str]:
    """How a Latin name part may be written in Russian ("Smirnova": смирнова, …), folded, the
    most common first; at most MAX_SPELLINGS of them, found depth first with an explicit
    stack (a recursion one level per letter overflowed on long names)."""
    if len(part) > MAX_LETTERS:
        return []
    found: list[str] = []
    stack: list[tuple[str, int]] = [("", 0)]
    steps = 0
    while stack and len(found) < MAX_SPELLINGS and steps < STEPS:
        steps += 1
        spelt, at = stack.pop()
        if at == len(part):
            found.append(spelt)
            continue
        rest = part[at:]
        options = [(k, v) for k, v in CYRILLIC.items() if rest.startswith(k)] or [(rest[0], [""])]
        branches = [
            (spelt + letter, at + len(latin)) for latin, letters in options for letter in letters
        ]
        stack.extend(reversed(branches))  # the first option is tried first
    return list(dict.fromkeys(fold(s) for s in found if s))
