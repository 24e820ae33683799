"""The live stream: `WS /ws/runs/{run_id}`.

The client's first frame is `{"type": "hello", "token", "after_seq"}`; the server answers
`welcome` with the run's state, replays every visible event after `after_seq` from the
database and then streams new ones in seq order. Writes are HTTP; the socket only reads
(plus `ping`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any
from urllib.parse import urlsplit

import structlog
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.auth.tokens import new_id
from app.errors import Problem
from app.events.record import dumps
from app.fields import AfterSeq
from app.realtime import presence
from app.realtime.hub import Client
from app.runs.present import run_view
from app.services import Services

log = structlog.get_logger(__name__)
router = APIRouter()

HELLO_TIMEOUT = 15.0
CLOSE_AUTH = {401: 4401, 403: 4403, 404: 4404}


class Hello(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(pattern="^hello$")
    token: str = Field(min_length=1, max_length=200)
    after_seq: AfterSeq = 0


def origin_allowed(origin: str | None, host: str | None, allowed: list[str]) -> bool:
    """Browsers send Origin; a page from another site must not ride on a user's token."""
    if origin is None:
        return True  # not a browser: cross-site hijacking needs one
    if origin in allowed or "*" in allowed:
        return True
    return urlsplit(origin).netloc == (host or "")


def _error(code: str, message: str, field: str | None = None) -> str:
    error: dict[str, Any] = {"code": code, "message": message}
    if field:
        error["field"] = field
    return dumps({"type": "error", "error": error})


async def _hello(websocket: WebSocket) -> Hello | None:
    """Wait for a valid hello; malformed frames get an error frame and the socket stays."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + HELLO_TIMEOUT
    while True:
        try:
            text = await asyncio.wait_for(
                websocket.receive_text(), max(0.1, deadline - loop.time())
            )
        except TimeoutError:
            await websocket.close(4408, "no hello")
            return None
        try:
            return Hello.model_validate_json(text)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"]) or None
            message = 'send {"type": "hello", "token": …, "after_seq": N} first'
            if error["type"] != "json_invalid":
                message = f"{field}: {error['msg']}" if field else error["msg"]
            await websocket.send_text(_error("invalid", message, field))


@router.websocket("/ws/runs/{run_id}")
async def stream(websocket: WebSocket, run_id: str) -> None:
    services: Services = websocket.app.state.services
    if not origin_allowed(
        websocket.headers.get("origin"),
        websocket.headers.get("host"),
        services.settings.allowed_origins,
    ):
        await websocket.close(1008, "origin not allowed")  # before accept: the handshake gets 403
        return
    await websocket.accept()
    try:
        hello = await _hello(websocket)
        if hello is None:
            return
        try:
            viewer = await services.resolver.viewer(run_id, hello.token)
            snapshot = await services.store.snapshot(run_id)
        except Problem as problem:
            await websocket.send_text(_error(problem.code, problem.message))
            await websocket.close(CLOSE_AUTH.get(problem.status, 4400), problem.code)
            return
        if hello.after_seq > snapshot.state.last_seq:
            message = (
                f"after_seq {hello.after_seq} is past this run's last event "
                f"({snapshot.state.last_seq}); resume from the last seq you received"
            )
            await websocket.send_text(_error("invalid", message, "after_seq"))
            await websocket.close(4400, "after_seq")
            return
        await websocket.send_text(
            dumps(
                {
                    "type": "welcome",
                    "last_seq": snapshot.state.last_seq,
                    "state": run_view(snapshot, viewer),
                }
            )
        )
        client = Client(
            websocket,
            viewer,
            snapshot.scenario.rules.observers,
            services.store,
            hello.after_seq,
            services.settings.ws_queue_size,
            services.settings.ws_resync_grace_seconds,
        )
        await _serve(services, websocket, client)
    except WebSocketDisconnect:
        return


async def _serve(services: Services, websocket: WebSocket, client: Client) -> None:
    hub, viewer = services.hub, client.viewer
    connection_id = new_id("c", 12)
    await hub.join(client)
    pump = client.pump_task = asyncio.create_task(client.pump(), name=f"ttx-ws-{connection_id}")
    await services.store.submit(
        presence.Opened(connection_id, viewer.run_id, viewer.participant_id, services.worker)
    )
    if viewer.participant_id:
        hub.presence(
            viewer.run_id,
            {"participant_id": viewer.participant_id, "team": viewer.team, "connected": True},
        )
    try:
        reader = asyncio.create_task(_read(websocket, client))
        done, _ = await asyncio.wait({pump, reader}, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if (
                not task.cancelled()
                and (exc := task.exception())
                and not isinstance(exc, WebSocketDisconnect)
            ):
                log.warning("websocket ended with an error", error=repr(exc))
    finally:
        for task in (pump, reader):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        await hub.leave(client)
        with contextlib.suppress(Exception):
            await services.store.submit(presence.Closed(connection_id))
        if viewer.participant_id:
            hub.presence(
                viewer.run_id,
                {"participant_id": viewer.participant_id, "team": viewer.team, "connected": False},
            )


async def _read(websocket: WebSocket, client: Client) -> None:
    """Frames from the client: `ping`; anything else gets an error frame."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text is None:
            client.send(_error("invalid", "frames must be JSON text"))
            continue
        try:
            data = json.loads(text)
        except ValueError:
            client.send(_error("invalid", "frames must be JSON objects"))
            continue
        kind = data.get("type") if isinstance(data, dict) else None
        if kind == "ping":
            client.pong()
        elif kind == "hello":
            client.send(_error("invalid", "already said hello; reconnect to start over", "type"))
        else:
            client.send(
                _error(
                    "invalid", f"unknown frame type {kind!r}; the socket only takes 'ping'", "type"
                )
            )
