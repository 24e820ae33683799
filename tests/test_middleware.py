"""The last resort for crashes: the one error shape, and a connection that stays usable."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from app.middleware import CatchAll


async def crash(request):
    raise RuntimeError("a bug")


async def fine(request):
    return PlainTextResponse("fine")


async def test_a_crash_answers_500_in_the_error_shape_and_the_next_request_works():
    app = Starlette(  # as in app/main.py: inside Starlette's own last-resort handler
        routes=[Route("/crash", crash), Route("/fine", fine)], middleware=[Middleware(CatchAll)]
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        answer = await http.get("/crash")
        assert answer.status_code == 500
        assert answer.json() == {
            "error": {"code": "internal", "message": "internal error; it has been logged"}
        }
        assert (await http.get("/fine")).text == "fine"
