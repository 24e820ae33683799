"""The after-action report (Markdown and standalone printable HTML) and the recommendations
brief, in English or Russian.

The review's figures come from one pass over the log (message texts and inject bodies left out,
so the pass stays light); the side-by-side view and the full timeline stream from further
passes while the document is being written.
"""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.aar import notes as aar_notes
from app.aar.chart import escalation_svg
from app.aar.common import clock_text
from app.aar.escalation import escalation_series
from app.aar.review import review
from app.events.record import EventRecord
from app.exports import timeline
from app.exports.archive import Archive
from app.exports.labels import Labels
from app.recommendations import brief
from app.web import i18n

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "frontend" / "templates" / "report"
CSS = Path(__file__).resolve().parent.parent.parent / "frontend" / "static" / "css" / "report.css"
HEAVY = {
    "message.sent": "text",
    "message.delivered": "text",
    "inject.fired": "body",
}  # not needed for figures


@dataclass
class Report:
    archive: Archive
    labels: Labels
    review: dict[str, Any]
    notes: aar_notes.Notes
    recommendations: dict[int, brief.Recommendation]
    chart: str
    lang: str

    def expected(self, inject_id: str | None) -> list[tuple[str | None, str]]:
        found = self.archive.scenario.inject(inject_id or "")
        return (
            [(action.team, action.text.get(self.lang)) for action in found.expected_actions]
            if found
            else []
        )

    def accepted(self) -> list[tuple[str, list[tuple[str, list[brief.Recommendation]]]]]:
        """The brief's order: tier, then category, the most endorsed first in each."""
        grouped: dict[str, dict[str, list[brief.Recommendation]]] = {}
        for item in brief.accepted(self.recommendations):
            grouped.setdefault(item.tier, {}).setdefault(item.category, []).append(item)
        return [(tier, list(categories.items())) for tier, categories in grouped.items()]

    @property
    def chart_data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.chart.encode()).decode()

    def side_by_side(self) -> AsyncIterator[timeline.Row]:
        return timeline.side_by_side(self.archive, self.labels)

    def timeline(self) -> AsyncIterator[timeline.Row]:
        return timeline.rows(self.archive, self.labels)


def _light(record: EventRecord) -> EventRecord:
    heavy = HEAVY.get(record.kind)
    if heavy is None or heavy not in record.payload:
        return record
    return replace(record, payload={k: v for k, v in record.payload.items() if k != heavy})


async def build(archive: Archive) -> Report:
    """The figures from one light pass over the log, names scrubbed under the Rule; clocks are
    kept exactly as logged, so the figures are the same with the Rule on or off."""
    analysis = [archive.record(_light(record)) async for record in archive.records()]
    notes = aar_notes.fold(analysis)
    scenario = archive.scenario
    return Report(
        archive=archive,
        labels=Labels(scenario, archive.lang),
        review=review(scenario, analysis, notes.ratings or None, archive.lang),
        notes=notes,
        recommendations=brief.fold(analysis),
        chart=escalation_svg(scenario, escalation_series(scenario, analysis), lang=archive.lang),
        lang=archive.lang,
    )


def _md(value: Any) -> str:
    """User text made inert in Markdown: no HTML, no links, tables stay tables."""
    text = "" if value is None else str(value)
    for char in "\\`*_{}[]()#+!|<>~":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split()) if "\n" in text else text


def _md_paragraphs(value: Any) -> str:
    """Longer user text (the executive summary) inert in Markdown, keeping its paragraphs."""
    paragraphs = re.split(r"\n\s*\n", "" if value is None else str(value))
    return "\n\n".join(_md(p.strip()) for p in paragraphs if p.strip())


def _css_string(value: Any) -> str:
    """Text as a CSS string's content, safe inside a <style> element (for @page margins)."""
    text = "" if value is None else " ".join(str(value).split())
    return "".join(ch if ch.isalnum() or ch in " -—·.,:;()" else f"\\{ord(ch):x} " for ch in text)


def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        enable_async=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["md"] = _md
    env.filters["md_paragraphs"] = _md_paragraphs
    env.filters["css_string"] = _css_string
    env.filters["clock"] = clock_text
    env.globals["css"] = CSS.read_text(encoding="utf-8")
    return env


async def render(archive: Archive, template: str, **extra: Any) -> AsyncIterator[bytes]:
    report = await build(archive)
    env = environment(archive.lang)
    page = env.get_template(template)
    context = {
        "r": report,
        "L": report.labels,
        "a": archive,
        "scenario": archive.scenario,
        "lang": archive.lang,
        **extra,
    }
    buffer: list[str] = []
    size = 0
    async for chunk in page.generate_async(**context):
        buffer.append(chunk)
        size += len(chunk)
        if size > 64 * 1024:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    yield "".join(buffer).encode()
