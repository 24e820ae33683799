"""The after-action report (Markdown and standalone printable HTML) and the recommendations
brief, in English or Russian.

The review's figures come from one pass over the log (message texts and inject bodies left out,
so the pass stays light); the side-by-side view and the full timeline stream from further
passes while the document is being written.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.aar import notes as aar_notes
from app.aar.chart import escalation_svg
from app.aar.escalation import escalation_series
from app.aar.review import review
from app.events.record import EventRecord
from app.exports.archive import Archive
from app.exports.csv_export import clock_text
from app.recommendations import brief
from app.web import i18n

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "frontend" / "templates" / "report"
CSS = Path(__file__).resolve().parent.parent.parent / "frontend" / "static" / "css" / "report.css"
SIDE_BY_SIDE = {
    "message.sent",
    "message.delivered",
    "move.submitted",
    "move.adjudicated",
    "hotline.call_placed",
    "hotline.answered",
    "hotline.hung_up",
}
HEAVY = {
    "message.sent": "text",
    "message.delivered": "text",
    "inject.fired": "body",
}  # not needed for figures


@dataclass
class Report:
    archive: Archive
    review: dict[str, Any]
    notes: aar_notes.Notes
    recommendations: dict[int, brief.Recommendation]
    chart: str
    lang: str

    def pick(self, value: Any) -> str:
        if isinstance(value, dict):
            return value.get(self.lang) or value.get("en") or ""
        if hasattr(value, "get"):
            return value.get(self.lang)
        return "" if value is None else str(value)

    def team_name(self, team: str | None) -> str:
        if team is None:
            return ""
        found = next((t for t in self.archive.scenario.teams if t.id == team), None)
        if found is not None:
            return found.name.get(self.lang)
        translate = i18n.translations(self.lang).gettext
        return {"white_cell": translate("White cell"), "observers": translate("Observers")}.get(
            team, team
        )

    def level(self, index: int | None) -> str:
        if index is None:
            return ""
        return self.archive.scenario.escalation.levels[index].label.get(self.lang)

    def inject_title(self, inject_id: str | None) -> str:
        found = self.archive.scenario.inject(inject_id or "")
        return found.title.get(self.lang) if found else (inject_id or "")

    def expected(self, inject_id: str | None) -> list[tuple[str | None, str]]:
        found = self.archive.scenario.inject(inject_id or "")
        return (
            [(action.team, action.text.get(self.lang)) for action in found.expected_actions]
            if found
            else []
        )

    def phase_title(self, phase_id: str | None) -> str:
        found = next((p for p in self.archive.scenario.phases if p.id == phase_id), None)
        return found.title.get(self.lang) if found else (phase_id or "")

    @property
    def chart_data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.chart.encode()).decode()

    async def side_by_side(self) -> AsyncIterator[dict[str, Any]]:
        """Moves, rulings, messages and calls of the scenario's teams on one time axis."""
        teams = self.archive.scenario.team_ids[:2]
        async for record in self.archive.records():
            if record.kind not in SIDE_BY_SIDE or (
                record.team not in teams and record.kind != "move.adjudicated"
            ):
                continue
            event = self.archive.event(record)
            column = event["team"] if event["team"] in teams else None
            yield {
                "event": event,
                "column": teams.index(column) if column else 0,
                "summary": self.summary(event),
            }

    async def timeline(self) -> AsyncIterator[dict[str, Any]]:
        async for record in self.archive.records():
            event = self.archive.event(record)
            yield {"event": event, "summary": self.summary(event)}

    def summary(self, event: dict[str, Any]) -> str:
        """One line for an event in the timeline, in the report's language where the data has it."""
        p = event["payload"]
        kind = event["kind"]
        if kind == "inject.fired":
            return self.pick(p.get("title"))
        if kind in ("message.sent", "message.delivered"):
            return f"[{p.get('channel')}] {p.get('text', '')}"
        if kind == "move.submitted":
            return f"{p.get('move_type')}: {p.get('action')}"
        if kind == "move.adjudicated":
            return f"{p.get('decision')} ({p.get('move_type')}): {p.get('outcome')}"
        if kind == "escalation.changed":
            return f"{self.level(p.get('from'))} → {self.level(p.get('to'))}"
        if kind == "phase.advanced":
            return f"{self.phase_title(p.get('from'))} → {self.phase_title(p.get('to'))}"
        if kind == "participant.joined":
            return f"{p.get('name')} ({p.get('role')})"
        if kind.startswith("recommendation."):
            return p.get("title") or f"#{p.get('recommendation')}"
        for key in ("text", "outcome", "action"):
            if p.get(key):
                return str(p[key])
        return ""

    def who(self, event: dict[str, Any]) -> str:
        return self.archive.name(event["actor"]) or self.team_name(event["team"])


def _light(record: EventRecord) -> EventRecord:
    heavy = HEAVY.get(record.kind)
    if heavy is None or heavy not in record.payload:
        return record
    return replace(record, payload={k: v for k, v in record.payload.items() if k != heavy})


async def build(archive: Archive) -> Report:
    analysis: list[EventRecord] = []
    async for record in archive.records():
        scrubbed = (
            EventRecord.from_public(archive.run_id, archive.event(record))
            if archive.chatham
            else record
        )
        analysis.append(_light(scrubbed))
    notes = aar_notes.fold(analysis)
    scenario = archive.scenario
    return Report(
        archive=archive,
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
    env.filters["clock"] = clock_text
    env.globals["css"] = CSS.read_text(encoding="utf-8")
    return env


async def render(archive: Archive, template: str, **extra: Any) -> AsyncIterator[bytes]:
    report = await build(archive)
    env = environment(archive.lang)
    page = env.get_template(template)
    context = {
        "r": report,
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
