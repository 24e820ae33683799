"""The scenario library over HTTP: what anyone may read before a run (no MSEL, no notes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.errors import NotFound
from app.scenarios.models import Scenario
from app.scenarios.references import suggest
from app.services import ServicesDep

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])


def summary(scenario: Scenario) -> dict[str, Any]:
    meta = scenario.metadata
    return {
        "id": scenario.id,
        "version": meta.version,
        "title": meta.title.model_dump(),
        "summary": meta.summary.model_dump(),
        "languages": meta.languages,
        "duration_minutes": meta.duration_minutes,
        "authors": meta.authors,
        "chatham_house": meta.chatham_house,
        "measures": [m.model_dump(exclude_none=True) for m in meta.measures],
        "teams": [{"id": t.id, "name": t.name.model_dump()} for t in scenario.teams],
        "phases": len(scenario.phases),
        "injects": len(scenario.injects),
        "objectives": [
            {"id": o.id, "title": o.title.model_dump(exclude_none=True)}
            for o in scenario.objectives
        ],
    }


@router.get("", summary="The scenario library")
async def library(services: ServicesDep) -> list[dict[str, Any]]:
    return [summary(s) for s in services.library.scenarios.values()]


@router.get("/{scenario_id}", summary="One scenario's summary")
async def one(scenario_id: str, services: ServicesDep) -> dict[str, Any]:
    scenario = services.library.get(scenario_id)
    if scenario is None:
        raise NotFound(
            f"no scenario '{scenario_id}'{suggest(scenario_id, list(services.library.scenarios))}"
        )
    return summary(scenario)
