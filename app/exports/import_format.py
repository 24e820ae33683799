"""The JSON export's format as `ttx import` accepts it: pydantic models for the document and
its events, and the payload each event kind must carry, so that a damaged or tampered file is
refused with one line naming the event and field, before anything is written.

What is checked: the document's shape and types (no strings for numbers, ids by pattern, a
known event kind, seqs 1, 2, 3 … without gaps), each kind's payload fields, references to
earlier events (a ruling's move, an answer's call, a recommendation), levels and phases within
the scenario, teams and actors the run knows. The events are then folded through the run's
state machine (`app/runs/state.py`) and the review is computed once, so nothing accepted here
can break an export later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")]


class RunIn(BaseModel):
    id: Id
    title: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    created_at: datetime
    status: str | None = None
    last_seq: StrictInt | None = None


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seq: Annotated[StrictInt, Field(ge=1)]
    kind: str
    ts: datetime
    clock: Annotated[float, Field(strict=True, ge=0)]  # a number, never a string
    phase: str | None
    team: str | None
    actor: Id | None
    audience: Literal["all"] | list[str]
    payload: dict[str, Any]


class ExportIn(BaseModel):
    format: Literal["ttx.run"]
    version: Literal[1]
    complete: Literal[True]
    run: RunIn
    scenario: dict[str, Any]
    events: list[dict[str, Any]]  # each checked as an EventIn on its own, to keep memory low


TEXT, WHOLE = str, "int"  # payload field types, with Id and ("ref", kind): the seq of an earlier
# event of that kind
PAYLOADS: dict[str, dict[str, Any]] = {
    "run.created": {"escalation": WHOLE},
    "participant.joined": {"participant_id": Id, "name": TEXT, "role": TEXT},
    "run.started": {},
    "run.paused": {},
    "run.resumed": {},
    "run.ended": {},
    "phase.advanced": {"index": WHOLE, "from": TEXT, "to": TEXT},
    "inject.fired": {},
    "message.sent": {"channel": TEXT, "text": TEXT},
    "message.delivered": {"message_seq": ("ref", "message.sent"), "text": TEXT},
    "move.submitted": {"move_type": TEXT},
    "move.adjudicated": {"move_seq": ("ref", "move.submitted"), "decision": TEXT},
    "escalation.changed": {"from": WHOLE, "to": WHOLE},
    "hotline.call_placed": {},
    "hotline.answered": {"call_seq": ("ref", "hotline.call_placed")},
    "hotline.hung_up": {"call_seq": ("ref", "hotline.call_placed")},
    "hotline.unanswered": {"call_seq": ("ref", "hotline.call_placed")},
    "hotline.cut": {},
    "hotline.restored": {},
    "hotline.delay_set": {"seconds": WHOLE},
    "hotline.held": {"text": TEXT},
    "hotline.lost": {"message_seqs": list},
    "note.added": {"text": TEXT},
    "comcheck.sent": {},
    "comcheck.acked": {"comcheck_seq": ("ref", "comcheck.sent")},
    "recommendation.drafted": {"title": TEXT, "text": TEXT, "category": TEXT, "tier": TEXT},
    "recommendation.endorsed": {"recommendation": ("ref", "recommendation.drafted")},
    "recommendation.edited": {"recommendation": ("ref", "recommendation.drafted")},
    "recommendation.accepted": {"recommendation": ("ref", "recommendation.drafted")},
    "recommendation.declined": {"recommendation": ("ref", "recommendation.drafted")},
    "recommendation.reopened": {"recommendation": ("ref", "recommendation.drafted")},
    "recommendation.merged": {
        "recommendation": ("ref", "recommendation.drafted"),
        "into": ("ref", "recommendation.drafted"),
    },
    "aar.summary_set": {"text": TEXT},
    "aar.phase_noted": {"phase": TEXT},
    "objective.rated": {"objective": TEXT},
}
CHOICES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("message.sent", "channel"): ("team", "plenary", "hotline"),
    ("move.adjudicated", "decision"): ("accept", "modify", "reject"),
    ("objective.rated", "rating"): ("P", "S", "M", "U", None),
    ("recommendation.drafted", "category"): (
        "quality_of_dialogue",
        "substance_of_dialogue",
        "restraint_on_the_ground",
        "positive_agenda",
    ),
    ("recommendation.drafted", "tier"): ("basic", "enhanced"),
}


def type_problem(value: Any, wanted: Any) -> str | None:
    """What is wrong with a payload value of a wanted type, or None."""
    if wanted is TEXT:
        return None if isinstance(value, str) else "should be text"
    if wanted == WHOLE or isinstance(wanted, tuple):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else "should be a whole number"
    if wanted is list:
        ok = isinstance(value, list) and all(type_problem(v, WHOLE) is None for v in value)
        return None if ok else "should be a list of seqs"
    if wanted is Id:
        ok = isinstance(value, str) and bool(value) and len(value) <= 32 and value.isascii()
        return None if ok and value.replace("_", "").replace("-", "").isalnum() else "is no id"
    return None
