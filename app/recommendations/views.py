"""Recommendations over HTTP: draft, endorse, curate, list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from app.auth.deps import RunFacilitator, RunViewer
from app.events.visibility import can_see
from app.fields import MAX_SEQ
from app.recommendations import brief
from app.recommendations.commands import (
    CurateRecommendation,
    Curation,
    DraftRecommendation,
    EndorseRecommendation,
)
from app.runs.views import execute, limited
from app.services import ServicesDep

router = APIRouter(prefix="/api/runs/{run_id}/recommendations", tags=["recommendations"])


@router.get("", summary="The recommendations as they stand")
async def recommendations(viewer: RunViewer, services: ServicesDep) -> dict[str, Any]:
    scenario = await services.store.scenario_of(viewer.run_id)
    events = await services.store.events_of_kind(viewer.run_id, "recommendation.")
    visible = [e for e in events if can_see(e, viewer, scenario.rules.observers)]
    return {"recommendations": [item.public() for item in brief.fold(visible).values()]}


@router.post("", status_code=201, summary="Draft a recommendation (team members, white cell)")
async def draft(
    body: DraftRecommendation, viewer: RunViewer, services: ServicesDep
) -> JSONResponse:
    return await limited(services, viewer, body)


@router.post("/{seq}/endorse", status_code=201, summary="Endorse a recommendation (team members)")
async def endorse(
    viewer: RunViewer, services: ServicesDep, seq: int = Path(ge=1, le=MAX_SEQ)
) -> JSONResponse:
    command = EndorseRecommendation(recommendation=seq)
    return await limited(services, viewer, command)


@router.post(
    "/{seq}", status_code=201, summary="Edit, accept, decline, reopen or merge (facilitator)"
)
async def curate(
    body: CurateRecommendation,
    viewer: RunFacilitator,
    services: ServicesDep,
    seq: int = Path(ge=1, le=MAX_SEQ),
) -> JSONResponse:
    return await execute(services, viewer.run_id, Curation(seq, body), viewer)
