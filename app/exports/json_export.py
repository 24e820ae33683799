"""The complete run as one JSON document, written as it is read (never whole in memory).

Shape: {"format": "ttx.run", "version": 1, "exported_at", "complete", "chatham_house",
"include_notes", "run": {…}, "scenario": {…}, "participants": […], "events": […]}.
A complete export (white cell, notes included) can be loaded into another server with
`ttx import`, where its after-action review comes out the same.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from app.events.record import utc_text
from app.exports.archive import Archive

FORMAT, VERSION = "ttx.run", 1


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def render(archive: Archive) -> AsyncIterator[bytes]:
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utc_text(datetime.now(UTC)),
        "complete": archive.complete,
        "chatham_house": archive.chatham,
        "include_notes": archive.include_notes,
        "run": {
            "id": archive.run_id,
            "title": archive.shown_title,
            "created_at": utc_text(archive.created_at),
            "status": archive.state.status.value,
            "last_seq": archive.state.last_seq,
        },
        "scenario": archive.scenario_snapshot(),
        "participants": archive.participants(),
    }
    yield (_dumps(head)[:-1] + ',"events":[').encode()
    first = True
    async for record in archive.records():
        yield (("" if first else ",") + "\n" + _dumps(archive.event(record))).encode()
        first = False
    yield b"\n]}\n"
