"""Events as the domain sees them: a draft a command proposes, and the record the log keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

ALL = "all"
WHITE_CELL_ONLY = ("white_cell",)

Audience = tuple[str, ...]  # ("all",), ("white_cell",) or team ids


def dumps(value: Any) -> str:
    """Compact JSON text (orjson: it encodes every event, so it is on the hot path)."""
    return orjson.dumps(value).decode()


def audience_to_db(audience: Audience) -> str:
    return ",".join(audience)


def audience_from_db(text: str) -> Audience:
    return tuple(text.split(","))


def audience_public(audience: Audience) -> str | list[str]:
    return ALL if audience == (ALL,) else list(audience)


def utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, the one way times are written out (SQLite hands datetimes back
    without their zone: those are UTC too)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Draft:
    """An event a command wants appended; the store gives it seq, time, clock and phase."""

    kind: str
    audience: Audience
    payload: dict[str, Any] = field(default_factory=dict)
    team: str | None = None
    actor: str | None = None
    idem_key: str | None = None


@dataclass(frozen=True)
class EventRecord:
    run_id: str
    seq: int
    kind: str
    ts: datetime
    clock: float
    phase: str | None
    team: str | None
    actor: str | None
    audience: Audience
    payload: dict[str, Any]
    idem_key: str | None = None

    @property
    def epoch(self) -> float:
        return self.ts.timestamp()

    def public(self) -> dict[str, Any]:
        """The event as the API documents it."""
        return {
            "seq": self.seq,
            "kind": self.kind,
            "ts": utc_text(self.ts),
            "clock": round(self.clock, 3),
            "phase": self.phase,
            "team": self.team,
            "actor": self.actor,
            "audience": audience_public(self.audience),
            "payload": self.payload,
        }

    def row(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "seq": self.seq,
            "kind": self.kind,
            "ts": self.ts,
            "clock": self.clock,
            "phase": self.phase,
            "team": self.team,
            "actor": self.actor,
            "audience": audience_to_db(self.audience),
            "payload": dumps(self.payload),
            "idem_key": self.idem_key,
        }

    @classmethod
    def from_public(cls, run_id: str, event: dict[str, Any]) -> EventRecord:
        """Inverse of `public()` (what the bus carries between processes)."""
        audience = event["audience"]
        return cls(
            run_id=run_id,
            seq=event["seq"],
            kind=event["kind"],
            ts=datetime.fromisoformat(event["ts"].replace("Z", "+00:00")),
            clock=event["clock"],
            phase=event["phase"],
            team=event["team"],
            actor=event["actor"],
            audience=(ALL,) if audience == ALL else tuple(audience),
            payload=event["payload"],
        )

    @classmethod
    def from_row(cls, row: Any) -> EventRecord:
        ts = row.ts if row.ts.tzinfo else row.ts.replace(tzinfo=UTC)
        return cls(
            run_id=row.run_id,
            seq=row.seq,
            kind=row.kind,
            ts=ts,
            clock=row.clock,
            phase=row.phase,
            team=row.team,
            actor=row.actor,
            audience=audience_from_db(row.audience),
            payload=orjson.loads(row.payload),
            idem_key=row.idem_key,
        )
