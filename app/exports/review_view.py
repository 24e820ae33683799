"""The after-action review as `GET …/review` answers it: the figures, the white cell's notes,
the recommendations, the chart and the timeline rows, all exactly as the report shows them
(names scrubbed and ids as alias keys under the Chatham House Rule)."""

from __future__ import annotations

from typing import Any

from app.exports import timeline
from app.exports.archive import Archive
from app.exports.report import build


async def review_view(archive: Archive) -> dict[str, Any]:
    report = await build(archive)
    return {
        **report.review,
        "notes": report.notes.public(),
        "recommendations": [item.public() for item in report.recommendations.values()],
        "chatham_house": archive.chatham,
        "chart_svg": report.chart,
        "people": {archive.actor(p.id): archive.name(p.id) for p in archive.people},
        "timeline": [row.to_dict() async for row in timeline.rows(archive, report.labels)],
    }
