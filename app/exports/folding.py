"""Text folded for finding names: lower case, no accents, one apostrophe, German digraphs as
their vowel, so that "JOSÉ MÜLLER", "Jose Mueller" and "josé müller" read the same.

The Chatham House scrubber (`chatham.py`) matches names against the folded text and replaces
the matching stretch of the original, so `fold_mapped` also says where each folded character
came from. Folding never joins or splits words: word boundaries stay where they were.
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "'\u2019\u2018\u02bc\u02b9\u2032`\u00b4"  # ' ’ ‘ ʼ ʹ ′ ` ´
_DIGRAPH = re.compile(r"(?<=[aou])e")  # ae, oe, ue: how ä, ö, ü are written without umlauts


class _Table(dict[int, str]):
    """str.translate's table, filled on demand: each character's folded form, cached."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


def fold_char(ch: str) -> str:
    """One character folded: lower case, accents and other combining marks dropped (é→e,
    ё→е, й→и), ß→ss, every apostrophe as ', and invisible format characters (zero-width
    spaces, soft hyphens) dropped, so they cannot hide a name."""
    if ch in APOSTROPHES:
        return "'"
    category = unicodedata.category(ch)
    if category == "Cf" or category.startswith("M"):
        return ""
    decomposed = unicodedata.normalize("NFD", ch.casefold())
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


_TABLE = _Table()


def nfc(text: str) -> str:
    """Composed Unicode (a decomposed "é" is two code points until it is composed)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """The folded text (fast: one translate and one substitution, both in C)."""
    return _DIGRAPH.sub("", text.translate(_TABLE))


def fold_mapped(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index in `text` it came from
    (plus one last entry, `len(text)`), so a match [a, b) in the folded text is
    [origin[a], origin[b]) in the original."""
    chars: list[str] = []
    origin: list[int] = []
    previous = ""
    for index, ch in enumerate(text):
        for folded in _TABLE[ord(ch)]:
            digraph = folded == "e" and previous in ("a", "o", "u")
            previous = folded
            if not digraph:  # a digraph's e is dropped, as in fold()
                chars.append(folded)
                origin.append(index)
    origin.append(len(text))
    return "".join(chars), origin
