"""Which payload fields of each event kind hold text people wrote: the only fields the Chatham
House scrubber rewrites. Ids and enums (channels, roles, move types, decisions, teams, kinds)
are never touched, so the review's figures are the same with the Rule on or off, whatever the
participants are called ("Team", "Hotline", "Player").

A kind missing here (one added later) has every string of its payload scrubbed: privacy first;
a test keeps the table complete.
"""

from __future__ import annotations

from typing import Any

from app.exports.chatham import Aliases

FREE_TEXT: dict[str, tuple[str, ...]] = {
    "run.created": ("title",),
    "participant.joined": (),  # the name becomes the alias, the id its key (Archive.record)
    "run.started": (),
    "run.paused": (),
    "run.resumed": (),
    "run.ended": (),
    "phase.advanced": (),
    "inject.fired": ("title", "body", "from"),  # an ad-hoc inject's, {en, ru} (`scrubbed`)
    "message.sent": ("text",),
    "message.delivered": ("text",),
    "move.submitted": ("action", "intended_result", "reasons"),
    "move.adjudicated": ("action", "outcome", "rationale"),
    "escalation.changed": ("note",),
    "hotline.call_placed": (),
    "hotline.answered": (),
    "hotline.hung_up": (),
    "hotline.unanswered": (),
    "hotline.cut": (),
    "hotline.restored": (),
    "hotline.delay_set": (),
    "hotline.held": ("text",),
    "hotline.lost": (),
    "note.added": ("text",),
    "comcheck.sent": ("text",),
    "comcheck.acked": (),
    "recommendation.drafted": ("title", "text"),
    "recommendation.endorsed": (),
    "recommendation.edited": ("title", "text"),
    "recommendation.accepted": (),
    "recommendation.declined": (),
    "recommendation.reopened": (),
    "recommendation.merged": (),
    "aar.summary_set": ("text",),
    "aar.phase_noted": ("why", "next_time"),
    "objective.rated": ("note",),
}


def scrubbed(kind: str, payload: dict[str, Any], aliases: Aliases) -> dict[str, Any]:
    """The payload with its free-text fields scrubbed; every other field as it is. A scripted
    inject's texts are the scenario's, as the export's scenario snapshot has them: left as
    they are, so the timeline and the response table name it alike."""
    fields = FREE_TEXT.get(kind)
    if kind == "inject.fired" and payload.get("inject_id"):
        return payload
    if fields is None:
        return aliases.scrub_value(payload)
    return {
        key: aliases.scrub_value(value) if key in fields else value
        for key, value in payload.items()
    }
