"""Field types that request bodies share: a seq that fits every database, and user text that is
safe to store and show.

Both exist because an unbounded integer or a NUL byte passes pydantic and then fails deep in
the database driver, as a 500 (or, for a write, inside a group commit). Refusing them at the
edge answers 422 with the field's name instead.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

MAX_SEQ = 2**31 - 1  # PostgreSQL's INTEGER; a run never gets near it

Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]
"""An id the scenario defines (a move type, an inject, a team, an objective): short, so an
error that names an unknown one never echoes pages of input back."""

Seq = Annotated[
    int, Field(ge=1, le=MAX_SEQ, strict=True, description="The seq of an event of this run.")
]  # strict: true or "3" is not a number (an enum still takes its value as a string)
AfterSeq = Annotated[int, Field(ge=0, le=MAX_SEQ, strict=True)]  # true is not a seq

_KEPT_CONTROLS = {"\t", "\n", "\r"}
_INVISIBLE_CATEGORIES = {"Cf", "Mn", "Me", "Zs", "Zl", "Zp"}
# Letters and symbols that show nothing: Hangul fillers, the braille blank, Khmer inherent vowels
_BLANK = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u17b4", "\u17b5", "\u180e"}


def visible(value: str) -> bool:
    """Whether `value` shows anything at all: not only spaces, marks and invisible letters."""
    return any(
        not ch.isspace()
        and ch not in _BLANK
        and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
        for ch in value
    )


# Embeddings, overrides and isolates reorder what follows them: "abc\u202edef" shows as
# "abcfed", so a message could read differently from what was written. Marks (U+200E/F) stay.
_BIDI_CONTROLS = {*"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"}


def _checked(value: str) -> str:
    for ch in value:
        category = unicodedata.category(ch)
        if (category == "Cc" and ch not in _KEPT_CONTROLS) or category == "Cs":
            raise ValueError(f"control character U+{ord(ch):04X} is not allowed in text")
        if ch in _BIDI_CONTROLS:
            raise ValueError(
                f"direction control U+{ord(ch):04X} ({unicodedata.name(ch)}) is not allowed in"
                " text: it would make the text show in another order than it was written"
            )
    if value and not visible(value):
        raise ValueError("text must contain something visible")
    return value


Clean = AfterValidator(_checked)
"""For free text a person writes: no control characters but tab and newlines, no direction
overrides, and, when not empty, something visible (not only spaces, zero-width or direction
marks)."""
