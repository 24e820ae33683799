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
    review: bool = False  # holds the after-action review: white-cell material


FORMATS = {
    "json": Format(json_export.render, "application/json", "json"),
    "csv": Format(csv_export.render, "text/csv; charset=utf-8", "csv"),
    "md": Format(
        partial(report.render, template="report.md"), "text/markdown; charset=utf-8", "md", True
    ),
    "html": Format(
        partial(report.render, template="report.html", standalone=True),
        "text/html; charset=utf-8",
        "html",
        True,
    ),
}
BRIEFS = {
    "md": Format(partial(report.render, template="brief.md"), "text/markdown; charset=utf-8", "md"),
    "html": Format(
        partial(report.render, template="brief.html"), "text/html; charset=utf-8", "html"
    ),
}


def choose(name: str, brief: bool = False, handout: bool = False) -> Format:
    table = BRIEFS if brief else FORMATS
    if name not in table:
        what = "the recommendations brief" if brief else "an export"
        raise Invalid(f"{what} comes as {' or '.join(table)}, not {name!r}", field="format")
    if handout and not brief and not table[name].review:
        raise Invalid("the handout edition is a report: md or html", field="edition")
    return table[name]


def filename(run_id: str, fmt: Format, brief: bool, handout: bool = False) -> str:
    what = "brief" if brief else "handout" if handout else "review" if fmt.review else "run"
    return f"ttx-{run_id}-{what}.{fmt.extension}"
