"""HTTP middleware: a cap on request bodies, a last resort for crashes, and the security
headers every answer carries."""

from __future__ import annotations

from typing import Any

import structlog
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import errors

log = structlog.get_logger(__name__)

MAX_BODY = 256 * 1024


class BodyLimit:
    """Refuse request bodies over MAX_BODY with 413. The body is read here, up to the limit,
    before the app sees it: a declared length is refused unread, and a chunked upload is cut off
    as soon as it passes the limit (inside the app, that would surface as a parse error)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: let the app see it
                await self.app(scope, _first(message, receive), send)
                return
            body += message.get("body", b"")
            if len(body) > self.limit:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        whole = {"type": "http.request", "body": bytes(body), "more_body": False}
        await self.app(scope, _first(whole, receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = errors.TooLarge(f"request body over {self.limit // 1024} KiB")
        await JSONResponse(refusal.body(), status_code=refusal.status)(scope, receive, send)


def _first(message: Message, receive: Receive) -> Receive:
    """A receive that gives `message` once, then whatever the client sends next."""
    pending = [message]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


class CatchAll:
    """A crash answers 500 in the one error shape and keeps the connection open. (Starlette's
    own last-resort handler answers and then re-raises, and uvicorn drops the keep-alive
    connection, so the client's next, unrelated request fails too.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            log.exception("unhandled error", path=scope.get("path"))
            if started:
                raise  # half an answer is out: only closing the connection can say it failed
            body = {"error": {"code": "internal", "message": "internal error; it has been logged"}}
            await JSONResponse(body, status_code=500)(scope, receive, send)


SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """CSP without inline script, so injected markup cannot run even if escaping ever failed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
