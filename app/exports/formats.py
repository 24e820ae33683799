"""The export formats by name: what renders each, its media type and file extension."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial

from app.errors import Invalid
from app.exports import csv_export, json_export, report
from app.exports.archive import Archive


@dataclass(frozen=True)
class Format:
    render: Callable[[Archive], AsyncIterator[bytes]]
    media_type: str
    extension: str


FORMATS = {
    "json": Format(json_export.render, "application/json", "json"),
    "csv": Format(csv_export.render, "text/csv; charset=utf-8", "csv"),
    "md": Format(
        partial(report.render, template="report.md"), "text/markdown; charset=utf-8", "md"
    ),
    "html": Format(
        partial(report.render, template="report.html", standalone=True),
        "text/html; charset=utf-8",
        "html",
    ),
}
BRIEFS = {
    "md": Format(partial(report.render, template="brief.md"), "text/markdown; charset=utf-8", "md"),
    "html": Format(
        partial(report.render, template="brief.html"), "text/html; charset=utf-8", "html"
    ),
}


def choose(name: str, brief: bool = False) -> Format:
    table = BRIEFS if brief else FORMATS
    if name not in table:
        what = "the recommendations brief" if brief else "an export"
        raise Invalid(f"{what} comes as {' or '.join(table)}, not {name!r}", field="format")
    return table[name]


def filename(run_id: str, fmt: Format, brief: bool) -> str:
    return f"ttx-{run_id}-{'brief' if brief else 'review' if fmt.extension in ('md', 'html') else 'run'}.{fmt.extension}"
