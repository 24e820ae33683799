"""The ASGI application: `create_app()` wires settings, storage, bus, scheduler and routes."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import __version__, db, errors
from app.config import Settings, get_settings
from app.exports import views as export_views
from app.logs import configure_logging
from app.middleware import BodyLimit, CatchAll, SecurityHeaders
from app.realtime import views as realtime_views
from app.recommendations import views as recommendation_views
from app.runs import views as run_views
from app.runs.scheduler import Scheduler
from app.scenarios import views as scenario_views
from app.services import Services, ServicesDep
from app.web import views as web_views

log = structlog.get_logger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    if settings.migrate_on_start:
        await asyncio.to_thread(db.upgrade, settings.resolved_database_url)
    services = Services.build(settings)
    for problem in services.library.problems:
        log.error("scenario problem", detail=str(problem))
    await services.hub.start(settings.ws_heartbeat_seconds)
    await services.store.start()
    scheduler = Scheduler(services.store)
    scheduler.start()
    app.state.services = services
    app.state.scheduler = scheduler
    tune_gc()
    presence_task = asyncio.create_task(_presence_heartbeat(services))
    log.info(
        "ttx ready",
        version=__version__,
        database=services.reader.url.render_as_string(hide_password=True),
        scenarios=len(services.library.scenarios),
        worker=services.worker,
    )
    try:
        yield
    finally:
        presence_task.cancel()
        await scheduler.stop()
        await services.hub.stop()
        await services.store.stop()
        services.reader.dispose()
        services.writer.dispose()


def tune_gc() -> None:
    """Fewer, cheaper garbage collections. A full collection walks every live object (each open
    websocket owns hundreds) and stalls the event loop for 100-200 ms at 1000 participants;
    with CPython's default thresholds a busy server runs one every second or two. Objects made
    at start-up are frozen out of collection for good; the thresholds let the young
    generations absorb the per-request churn. See benchmarks/RESULTS.md."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 100)


async def _presence_heartbeat(services: Services) -> None:
    from app.realtime.presence import Seen

    while True:
        await asyncio.sleep(30)
        try:
            await services.store.submit(Seen(services.worker))
        except Exception:
            log.exception("presence heartbeat failed")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    app = FastAPI(
        title="ttx",
        version=__version__,
        summary="Tabletop crisis exercises for Track-2 dialogues.",
        description="See docs/api.md for the full contract, examples and the websocket protocol.",
        lifespan=lifespan,
        responses=errors.RESPONSES,
        docs_url=None,  # /docs, /redoc: offline pages of app/web/views.py, not the CDN's
        redoc_url=None,
        exception_handlers={404: web_views.not_found},
    )
    app.state.settings = settings
    errors.install(app)
    app.include_router(scenario_views.router)
    app.include_router(run_views.router)
    app.include_router(run_views.join_router)
    app.include_router(recommendation_views.router)
    app.include_router(export_views.router)
    app.include_router(realtime_views.router)
    app.include_router(web_views.router)
    app.mount("/static", StaticFiles(directory=web_views.FRONTEND / "static"), name="static")

    @app.get("/healthz", tags=["ops"], summary="Version and database reachability")
    async def healthz(services: ServicesDep) -> dict[str, Any]:
        reachable = await asyncio.to_thread(db.ping, services.reader)
        return {
            "status": "ok" if reachable else "degraded",
            "version": __version__,
            "database": reachable,
            "worker": services.worker,
        }

    app.add_middleware(CatchAll)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    return app
