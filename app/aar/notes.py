"""The white cell's own contributions to the review, folded from the log (latest wins)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.events.record import EventRecord


@dataclass
class Notes:
    summary: str | None = None
    phases: dict[str, dict[str, str]] = field(default_factory=dict)  # phase -> why / next_time
    ratings: dict[str, str] = field(default_factory=dict)  # objective -> P/S/M/U
    rating_notes: dict[str, str] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "phases": self.phases,
            "ratings": self.ratings,
            "rating_notes": self.rating_notes,
        }


def fold(events: Iterable[EventRecord]) -> Notes:
    notes = Notes()
    for event in events:
        p = event.payload
        if event.kind == "aar.summary_set":
            notes.summary = p["text"] or None
        elif event.kind == "aar.phase_noted":
            entry = notes.phases.setdefault(p["phase"], {})
            entry.update({k: p[k] for k in ("why", "next_time") if k in p})
        elif event.kind == "objective.rated":
            if p["rating"] is None:
                notes.ratings.pop(p["objective"], None)
            else:
                notes.ratings[p["objective"]] = p["rating"]
            notes.rating_notes[p["objective"]] = p.get("note", "")
    return notes
