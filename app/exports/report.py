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
from app.exports.handout import Scope
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
    scope: Scope

    def expected(self, inject_id: str | None) -> list[tuple[str | None, str]]:
        """An inject's expected actions (the handout's only for injects that went to all)."""
        found = self.archive.scenario.inject(inject_id or "")
        if found is None or not self.scope.expected(inject_id):
            return []
        return [(action.team, action.text.get(self.lang)) for action in found.expected_actions]

    def happened(self, phase: dict[str, Any]) -> list[str]:
        """What happened in a phase, one line each, the same in Markdown and HTML."""
        L, _ = self.labels, self.labels.t._  # messages as literals: `ttx i18n` extracts them
        fired, calls, answered, none = (
            _("Injects fired"),
            _("Hotline calls"),
            _("answered"),
            _("no moves"),
        )
        lines = [f"{fired}: {phase['injects_fired']}"]
        for team, moves in phase["moves"].items():
            done = ", ".join(
                f"{L.move(m['move_type'])} ({L.decision(m['decision'])})" for m in moves
            )
            lines.append(f"{L.team(team)}: {done or none}")
        lines.append(f"{calls}: {phase['hotline_calls']}, {answered}: {phase['hotline_answered']}")
        start, end = phase.get("escalation_start"), phase.get("escalation_end")
        if start and end:
            escalation = _("Escalation")
            lines.append(f"{escalation}: {L.level(start['index'])} → {L.level(end['index'])}")
        return lines

    def accepted(self) -> list[tuple[str, list[tuple[str, list[brief.Recommendation]]]]]:
        """The brief's order: tier, then category, the most endorsed first in each."""
        grouped: dict[str, dict[str, list[brief.Recommendation]]] = {}
        for item in brief.accepted(self.recommendations):
            grouped.setdefault(item.tier, {}).setdefault(item.category, []).append(item)
        return [(tier, list(categories.items())) for tier, categories in grouped.items()]

    def merged(self, item: brief.Recommendation) -> list[brief.Recommendation]:
        """The recommendations merged into `item`, so the brief still names what they said."""
        return [
            self.recommendations[seq] for seq in item.merged_from if seq in self.recommendations
        ]

    @property
    def chart_data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.chart.encode()).decode()

    def side_by_side(self) -> AsyncIterator[timeline.Row]:
        rows = timeline.side_by_side(self.archive, self.labels, self.scope)
        return timeline.compact(rows) if self.scope.handout else rows

    @property
    def with_timeline(self) -> bool:
        """The full report lists every event; the handout's side by side is its timeline
        (unless a third team, which has no column there, needs one)."""
        return not self.scope.handout or len(self.archive.scenario.team_ids) > 2

    def timeline(self) -> AsyncIterator[timeline.Row]:
        rows = timeline.rows(self.archive, self.labels, self.scope)
        return timeline.compact(rows) if self.scope.handout else rows


def _light(record: EventRecord) -> EventRecord:
    heavy = HEAVY.get(record.kind)
    if heavy is None or heavy not in record.payload:
        return record
    return replace(record, payload={k: v for k, v in record.payload.items() if k != heavy})


async def build(archive: Archive) -> Report:
    """The figures from one light pass over the log, names scrubbed under the Rule; clocks are
    kept exactly as logged, so the figures are the same with the Rule on or off. The handout
    computes them on the full log too, and shows what every participant saw (`Scope`)."""
    analysis = [archive.record(_light(record)) async for record in archive.records()]
    notes = aar_notes.fold(analysis)
    scenario = archive.scenario
    scope = Scope.of(scenario, analysis, archive.handout)
    labels = Labels(scenario, archive.lang)
    figures = review(scenario, analysis, notes.ratings or None, archive.lang, scope.private)
    series = scope.series(escalation_series(scenario, analysis), labels.t)
    return Report(
        archive=archive,
        labels=labels,
        review=scope.review(figures, labels.t),
        notes=notes,
        recommendations=brief.fold(analysis),
        chart=escalation_svg(scenario, series, lang=archive.lang),
        lang=archive.lang,
        scope=scope,
    )


def _md(value: Any) -> str:
    """User text made inert in Markdown: no HTML, no links, tables stay tables."""
    text = "" if value is None else str(value)
    for char in "\\`*_{}[]()#+!|<>~":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split()) if "\n" in text else text


_LINE_MARKER = re.compile(r"^(\s*)([-=]|\d+(?=[.)]))")  # a list item or a heading's underline


def _md_line(line: str) -> str:
    """One line of user text inert in Markdown, also at a line's start ("- ", "1. ", "===")."""
    return _LINE_MARKER.sub(
        lambda m: m[1] + "\\" + m[2] if m[2] in "-=" else m[0] + "\\", _md(line)
    )


def _md_paragraphs(value: Any) -> str:
    """Longer user text (the summary, phase notes) inert in Markdown, keeping its paragraphs and
    line breaks (a line break becomes a hard break: two spaces at the end of the line)."""
    paragraphs = re.split(r"\n\s*\n", "" if value is None else str(value))
    return "\n\n".join(
        "  \n".join(_md_line(line.strip()) for line in p.strip().splitlines() if line.strip())
        for p in paragraphs
        if p.strip()
    )


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
