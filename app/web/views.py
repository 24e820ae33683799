"""The pages: server-rendered shells (translated labels, the library) whose scripts then talk
to the API and the stream. No inline script: data reaches scripts through data- attributes.
Also the offline API explorer at /docs, QR codes of join links, and the page for unknown
addresses."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from app import __version__, errors
from app.scenarios.views import summary
from app.services import Services, ServicesDep
from app.web import i18n, qr

FRONTEND = Path(__file__).resolve().parent.parent.parent / "frontend"
router = APIRouter(include_in_schema=False)


def _templates(lang: str) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(FRONTEND / "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return Jinja2Templates(env=env)


TEMPLATES = {lang: _templates(lang) for lang in i18n.LANGUAGES}


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = i18n.pick_language(request)
    other = "ru" if lang == "en" else "en"
    response = TEMPLATES[lang].TemplateResponse(
        request,
        template,
        {"lang": lang, "other_lang": other, "version": __version__, **context},
        status_code=status_code,
    )
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, services: ServicesDep) -> HTMLResponse:
    scenarios = [summary(s) for s in services.library.scenarios.values()]
    return page(request, "home.html", scenarios=scenarios, page_name="home")


@router.get("/join", response_class=HTMLResponse)
async def join(request: Request) -> HTMLResponse:
    return page(
        request, "join.html", code=request.query_params.get("code", "")[:32], page_name="join"
    )


async def run_page(
    request: Request, services: Services, run_id: str, template: str, name: str
) -> HTMLResponse:
    """A run's page, or, for a run this server does not have (a mistyped or old address, a
    database reset), a page that says so and leads to the join page."""
    try:
        await services.store.snapshot(run_id)
    except errors.NotFound:
        return page(request, "not-found.html", status_code=404, run_missing=True)
    return page(request, template, run_id=run_id[:32], page_name=name)


@router.get("/runs/{run_id}/console", response_class=HTMLResponse)
async def console(request: Request, run_id: str, services: ServicesDep) -> HTMLResponse:
    return await run_page(request, services, run_id, "console.html", "console")


@router.get("/runs/{run_id}/room", response_class=HTMLResponse)
async def room(request: Request, run_id: str, services: ServicesDep) -> HTMLResponse:
    return await run_page(request, services, run_id, "room.html", "room")


@router.get("/runs/{run_id}/review", response_class=HTMLResponse)
async def review(request: Request, run_id: str, services: ServicesDep) -> HTMLResponse:
    return await run_page(request, services, run_id, "review.html", "review")


@router.get("/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI schema in Swagger UI, served from frontend/static/vendor (no CDN)."""
    return page(request, "api-docs.html")


@router.get("/qr.svg")
async def qr_code(text: Annotated[str, Query(min_length=1, max_length=qr.MAX_TEXT)]) -> Response:
    """`text` (a join link) as a QR code."""
    return Response(
        qr.svg(text), media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
    )


async def not_found(request: Request, exc: Exception) -> Response:
    """A person who mistypes a page address gets a page; the API keeps its JSON error."""
    wants_page = "text/html" in request.headers.get("accept", "")
    if not wants_page or request.url.path.startswith(("/api/", "/ws/", "/static/")):
        problem = errors.NotFound(str(getattr(exc, "detail", "Not Found")))
        return JSONResponse(problem.body(), status_code=problem.status)
    return page(request, "not-found.html", status_code=404)


@router.get("/favicon.ico")
async def favicon() -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/i18n/{lang}.json")
async def script_catalog(lang: str) -> JSONResponse:
    if lang not in i18n.LANGUAGES:
        return JSONResponse(
            {"error": {"code": "not_found", "message": f"no language '{lang}'"}}, status_code=404
        )
    return JSONResponse(i18n.script_catalog(lang), headers={"Cache-Control": "no-cache"})
