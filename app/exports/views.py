"""Exports and the review over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, StreamingResponse

from app.aar.commands import NotePhase, RateObjective, SetSummary
from app.auth.deps import RunFacilitator, RunViewer
from app.exports import formats
from app.exports.archive import Options, open_archive
from app.exports.report import build
from app.runs.views import execute
from app.services import ServicesDep

router = APIRouter(prefix="/api/runs/{run_id}", tags=["review and exports"])


@router.get("/export", summary="The run as JSON or CSV, or the after-action report (md, html)")
async def export(
    viewer: RunViewer,
    services: ServicesDep,
    format: Annotated[Literal["json", "csv", "md", "html"], Query()] = "json",
    chatham: Annotated[bool | None, Query(description="Default: what the scenario says.")] = None,
    include_notes: bool = False,
    lang: Annotated[Literal["en", "ru"], Query()] = "en",
    brief: Annotated[
        bool, Query(description="Only the accepted recommendations (md or html).")
    ] = False,
) -> StreamingResponse:
    chosen = formats.choose(format, brief)
    archive = await open_archive(
        services.store, viewer.run_id, viewer, Options(chatham, include_notes, lang)
    )
    name = formats.filename(viewer.run_id, chosen, brief)
    chunks = chosen.render(archive)
    first = await anext(chunks)  # a failure answers as an error, not as a truncated download

    async def body() -> AsyncIterator[bytes]:
        yield first
        async for chunk in chunks:
            yield chunk

    return StreamingResponse(
        body(),
        media_type=chosen.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/review", summary="The after-action review's figures, notes and recommendations")
async def review(
    viewer: RunViewer,
    services: ServicesDep,
    chatham: bool | None = None,
    lang: Annotated[Literal["en", "ru"], Query()] = "en",
) -> dict[str, Any]:
    archive = await open_archive(
        services.store, viewer.run_id, viewer, Options(chatham, viewer.is_white_cell, lang)
    )
    report = await build(archive)
    return {
        **report.review,
        "notes": report.notes.public(),
        "recommendations": [item.public() for item in report.recommendations.values()],
        "chatham_house": archive.chatham,
        "chart_svg": report.chart,
        "aliases": {p.id: archive.aliases.name_of(p.id) for p in archive.people},
    }


@router.post(
    "/review/summary", status_code=201, summary="Write the executive summary (facilitator)"
)
async def summary(body: SetSummary, viewer: RunFacilitator, services: ServicesDep) -> JSONResponse:
    return await execute(services, viewer.run_id, body, viewer)


@router.post(
    "/review/phases",
    status_code=201,
    summary="Why a phase differed, what to do next time (facilitator)",
)
async def phase(body: NotePhase, viewer: RunFacilitator, services: ServicesDep) -> JSONResponse:
    return await execute(services, viewer.run_id, body, viewer)


@router.post("/review/objectives", status_code=201, summary="Rate an objective (facilitator)")
async def objective(
    body: RateObjective, viewer: RunFacilitator, services: ServicesDep
) -> JSONResponse:
    return await execute(services, viewer.run_id, body, viewer)
