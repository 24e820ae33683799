"""QR codes for the join links the console shows, drawn here as SVG (segno), so a room with no
internet can scan them from the projector or a laptop screen."""

from __future__ import annotations

import io
from functools import lru_cache

import segno

MAX_TEXT = 500


@lru_cache(maxsize=256)
def svg(text: str) -> bytes:
    """`text` as a QR code: black on white (it must scan from a dark screen too), with the
    quiet zone of four modules the standard asks for."""
    code = segno.make(text, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=6, border=4, dark="#000", light="#fff", xmldecl=False)
    return out.getvalue()
