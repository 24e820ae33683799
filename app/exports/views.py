"""Exports and the review over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, StreamingResponse

from app.aar import notes as aar_notes
from app.aar.commands import NotePhase, RateObjective, SetSummary
from app.auth.deps import RunFacilitator, RunViewer
from app.errors import Forbidden
from app.exports import formats
from app.exports.archive import WHITE_CELL_MATERIAL, Edition, Options, open_archive
from app.exports.review_view import review_view
from app.runs.views import execute
from app.services import ServicesDep

router = APIRouter(prefix="/api/runs/{run_id}", tags=["review and exports"])


@router.get(
    "/export",
    summary="The run as JSON or CSV; the after-action report (md, html: white cell); the brief",
)
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
    edition: Annotated[
        Edition, Query(description="handout: the report as participants may be given it.")
    ] = "full",
) -> StreamingResponse:
    handout = edition == "handout" and not brief
    chosen = formats.choose(format, brief, handout)
    options = Options(chatham, include_notes, lang, "handout" if handout else "full", chosen.review)
    archive = await open_archive(services.store, viewer.run_id, viewer, options)
    name = formats.filename(viewer.run_id, chosen, brief, handout)
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


@router.get("/review", summary="The after-action review: figures, notes, timeline (white cell)")
async def review(
    viewer: RunViewer,
    services: ServicesDep,
    chatham: bool | None = None,
    lang: Annotated[Literal["en", "ru"], Query()] = "en",
) -> dict[str, Any]:
    options = Options(chatham, True, lang, review=True)
    archive = await open_archive(services.store, viewer.run_id, viewer, options)
    return await review_view(archive)


@router.get("/review/chatham", summary="What the Chatham House scrubber looks for (white cell)")
async def chatham(viewer: RunViewer, services: ServicesDep) -> dict[str, list[str]]:
    """The words the scrubber replaces in free text, and the names or parts it does not look
    for (single letters, common words), so the facilitator sees what the Rule rewrites."""
    options = Options(True, True, review=True)
    archive = await open_archive(services.store, viewer.run_id, viewer, options)
    return archive.aliases.hunted()


@router.get("/review/notes", summary="The white cell's review notes as written, to edit them")
async def notes(viewer: RunViewer, services: ServicesDep) -> dict[str, Any]:
    """What the editors write, never scrubbed: the Rule applies to what is shown and exported,
    and saving a scrubbed text back would lose the original."""
    if not viewer.is_white_cell:
        raise Forbidden(WHITE_CELL_MATERIAL)
    store = services.store
    written = [
        *await store.events_of_kind(viewer.run_id, "aar."),
        *await store.events_of_kind(viewer.run_id, "objective.rated"),
    ]
    return aar_notes.fold(sorted(written, key=lambda e: e.seq)).public()


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
