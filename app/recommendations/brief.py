"""The recommendations as they stand, folded from their events: text after every edit, status,
what was merged into what, and who endorsed them (by team)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.events.record import EventRecord

CATEGORIES = (
    "quality_of_dialogue",
    "substance_of_dialogue",
    "restraint_on_the_ground",
    "positive_agenda",
)
TIERS = ("basic", "enhanced")


@dataclass
class Recommendation:
    seq: int
    title: str
    text: str
    category: str
    tier: str
    team: str | None
    author: str | None
    status: str = "draft"
    merged_into: int | None = None
    merged_from: list[int] = field(default_factory=list)
    endorsers: dict[str, str] = field(default_factory=dict)  # participant id -> team

    def endorsements(self) -> dict[str, int]:
        """Participants of each team who endorsed it (its author counts once)."""
        counts: dict[str, int] = {}
        for team in self.endorsers.values():
            counts[team] = counts.get(team, 0) + 1
        return counts

    def public(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "title": self.title,
            "text": self.text,
            "category": self.category,
            "tier": self.tier,
            "team": self.team,
            "author": self.author,
            "status": self.status,
            "merged_into": self.merged_into,
            "merged_from": self.merged_from,
            "endorsements": self.endorsements(),
            "endorsers": sorted(self.endorsers),
        }


def fold(events: Iterable[EventRecord]) -> dict[int, Recommendation]:
    items: dict[int, Recommendation] = {}
    for event in events:
        p = event.payload
        if event.kind == "recommendation.drafted":
            item = Recommendation(
                event.seq, p["title"], p["text"], p["category"], p["tier"], event.team, event.actor
            )
            if event.actor and event.team:
                item.endorsers[event.actor] = event.team
            items[event.seq] = item
            continue
        item = (
            items.get(p.get("recommendation", -1))
            if event.kind.startswith("recommendation.")
            else None
        )
        if item is None:
            continue
        match event.kind:
            case "recommendation.endorsed":
                if event.actor and event.team:
                    item.endorsers[event.actor] = event.team
            case "recommendation.edited":
                for key in ("title", "text", "category", "tier"):
                    if key in p:
                        setattr(item, key, p[key])
            case "recommendation.accepted" | "recommendation.declined":
                item.status = event.kind.removeprefix("recommendation.")
            case "recommendation.reopened":
                item.status = "draft"
            case "recommendation.merged":
                target = items.get(p["into"])
                item.status, item.merged_into = "merged", p["into"]
                if target is not None:
                    target.merged_from.append(item.seq)
                    for who, team in item.endorsers.items():
                        target.endorsers.setdefault(who, team)
    return items


def accepted(items: dict[int, Recommendation]) -> list[Recommendation]:
    """The brief: accepted recommendations, basic before enhanced, then by category (in the
    ELN/RIAC report's order), the most endorsed first within a category, then oldest first."""
    chosen = [item for item in items.values() if item.status == "accepted"]
    return sorted(
        chosen,
        key=lambda r: (TIERS.index(r.tier), CATEGORIES.index(r.category), -len(r.endorsers), r.seq),
    )
