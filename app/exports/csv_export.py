"""One row per event, RFC 4180 quoting, UTF-8 with a byte-order mark so spreadsheets read
Russian text correctly. The columns are stable (docs/review-and-exports.md).

A cell that a spreadsheet would take for a formula (it starts with = + - @, a tab or a carriage
return) is written with a leading apostrophe: a participant's "=HYPERLINK(…)" stays text when
the facilitator opens the file. Numbers the export writes itself (seq, clock) are left alone.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from typing import Any

from app.aar.common import clock_text
from app.exports.archive import Archive

COLUMNS = [
    "seq",
    "time_utc",
    "clock_seconds",
    "clock",
    "phase",
    "kind",
    "team",
    "actor",
    "actor_name",
    "audience",
    "channel",
    "title",
    "text",
    "payload",
]
BOM = "\ufeff"
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: Any) -> Any:
    """A text cell a spreadsheet will not evaluate (OWASP's advice on CSV injection)."""
    if isinstance(cell, str) and cell.startswith(FORMULA):
        return "'" + cell
    return cell


def _pick(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("en") or ""
    return "" if value is None else str(value)


def row(archive: Archive, event: dict[str, Any]) -> list[Any]:
    p = event["payload"]
    title = _pick(p.get("title"), archive.lang) or p.get("move_type", "")
    text = (
        p.get("text")
        or _pick(p.get("body"), archive.lang)
        or p.get("outcome")
        or p.get("action")
        or ""
    )
    if event["kind"] == "participant.joined":
        text = p.get("name", "")
    audience = (
        event["audience"] if isinstance(event["audience"], str) else " ".join(event["audience"])
    )
    texts = [
        event["phase"] or "",
        event["kind"],
        event["team"] or "",
        event["actor"] or "",
        archive.name(event["actor"]) or "",
        audience,
        p.get("channel", ""),
        title,
        text,
        json.dumps(p, ensure_ascii=False, sort_keys=True),
    ]
    return [
        event["seq"],
        event["ts"],
        event["clock"],
        clock_text(event["clock"]),
        *map(inert, texts),
    ]


async def render(archive: Archive) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(COLUMNS)
    async for record in archive.records():
        writer.writerow(row(archive, archive.event(record)))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
