"""One row per event, RFC 4180 quoting, UTF-8 with a byte-order mark so spreadsheets read
Russian text correctly. The columns are stable (docs/exports.md)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from typing import Any

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


def clock_text(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


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
    return [
        event["seq"],
        event["ts"],
        event["clock"],
        clock_text(event["clock"]),
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
