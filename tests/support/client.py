"""Test clients that speak the public API exactly as docs/api.md describes it."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets

from tests.support.server import FACILITATOR_KEY

_ids = itertools.count(1)


def client_id() -> str:
    return f"c{next(_ids)}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Person:
    run: Run
    token: str
    participant_id: str | None
    team: str
    name: str

    async def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return await self.run.http.post(
            f"/api/runs/{self.run.id}{path}", json=body, headers=bearer(self.token)
        )

    async def get(self, path: str = "", **params: Any) -> httpx.Response:
        return await self.run.http.get(
            f"/api/runs/{self.run.id}{path}", params=params, headers=bearer(self.token)
        )

    async def ok(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.post(path, body)
        assert response.status_code in (200, 201), (path, body, response.status_code, response.text)
        return response.json()

    async def say(self, text: str, channel: str = "team", **extra: Any) -> dict[str, Any]:
        return await self.ok(
            "/messages", {"client_id": client_id(), "channel": channel, "text": text, **extra}
        )

    async def move(
        self, move_type: str = "call", action: str = "Call the other side", **extra: Any
    ) -> dict[str, Any]:
        return await self.ok(
            "/moves", {"client_id": client_id(), "move_type": move_type, "action": action, **extra}
        )

    async def hotline(self, action: str, **extra: Any) -> dict[str, Any]:
        return await self.ok("/hotline", {"action": action, **extra})

    async def events(self, after: int = 0) -> list[dict[str, Any]]:
        response = await self.get("/events", after=after)
        assert response.status_code == 200, response.text
        return response.json()["events"]

    async def state(self) -> dict[str, Any]:
        response = await self.get()
        assert response.status_code == 200, response.text
        return response.json()

    async def stream(self, after: int = 0) -> Stream:
        return await Stream.open(self.run.ws_url, self.run.id, self.token, after)


@dataclass
class Run:
    http: httpx.AsyncClient
    ws_url: str
    id: str
    facilitator_token: str
    join_codes: dict[str, str]
    facilitator: Person = field(init=False)

    def __post_init__(self) -> None:
        self.facilitator = Person(self, self.facilitator_token, None, "white_cell", "Facilitator")

    async def join(self, team: str, name: str, **extra: Any) -> Person:
        response = await self.http.post(
            f"/api/runs/{self.id}/join", json={"code": self.join_codes[team], "name": name, **extra}
        )
        assert response.status_code in (200, 201), response.text
        body = response.json()
        return Person(self, body["token"], body["participant_id"], body["team"], name)

    async def control(self, action: str) -> dict[str, Any]:
        response = await self.facilitator.post("/control", {"action": action})
        assert response.status_code == 200, response.text
        return response.json()

    async def fire(self, inject: str) -> dict[str, Any]:
        return await self.facilitator.ok("/injects", {"inject": inject})


async def create_run(
    http: httpx.AsyncClient, ws_url: str, scenario: str = "minimal", **extra: Any
) -> Run:
    response = await http.post(
        "/api/runs", json={"scenario": scenario, **extra}, headers=bearer(FACILITATOR_KEY)
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Run(http, ws_url, body["id"], body["facilitator_token"], body["join_codes"])


async def flood(white: Person) -> None:
    """About 6 MB of plenary messages, more than the kernel's socket buffers hold, so a client
    that reads nothing falls behind (the white cell is not rate-limited)."""
    for _ in range(1500):
        await white.say("y" * 3900, channel="plenary")


class Stream:
    """One websocket client: hello, welcome, then event frames in order."""

    def __init__(self, socket: websockets.ClientConnection, welcome: dict[str, Any]) -> None:
        self.socket = socket
        self.welcome = welcome
        self.events: list[dict[str, Any]] = []
        self.frames: list[dict[str, Any]] = []

    @classmethod
    async def open(
        cls, ws_url: str, run_id: str, token: str, after: int = 0, **connect: Any
    ) -> Stream:
        socket = await websockets.connect(f"{ws_url}/ws/runs/{run_id}", max_size=None, **connect)
        await socket.send(json.dumps({"type": "hello", "token": token, "after_seq": after}))
        welcome = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert welcome["type"] == "welcome", welcome
        return cls(socket, welcome)

    @property
    def last_seq(self) -> int:
        return self.events[-1]["seq"] if self.events else 0

    async def frame(self, timeout: float = 10) -> dict[str, Any]:
        frame = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        self.frames.append(frame)
        if frame["type"] == "event":
            self.events.append(frame["event"])
        return frame

    async def until(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 10
    ) -> dict[str, Any]:
        """Read frames until an event matching `predicate` arrives; returns it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        for event in self.events:
            if predicate(event):
                return event
        while True:
            frame = await self.frame(max(0.01, deadline - loop.time()))
            if frame["type"] == "event" and predicate(frame["event"]):
                return frame["event"]

    async def until_seq(self, seq: int, timeout: float = 10) -> list[dict[str, Any]]:
        if self.last_seq < seq:
            await self.until(lambda e: e["seq"] >= seq, timeout)
        return self.events

    async def drain(self, quiet: float = 0.5) -> list[dict[str, Any]]:
        """Read until nothing arrives for `quiet` seconds."""
        try:
            while True:
                await self.frame(quiet)
        except TimeoutError:
            return self.events

    async def close(self) -> None:
        await self.socket.close()


class StalledClient:
    """A websocket client that stops reading, down to the TCP level (the `websockets` client
    keeps reading into memory, so a slow consumer has to be built on its sans-I/O protocol)."""

    def __init__(self, ws_url: str, run_id: str, token: str) -> None:
        import socket

        from websockets.client import ClientProtocol
        from websockets.uri import parse_uri

        self.protocol = ClientProtocol(parse_uri(f"{ws_url}/ws/runs/{run_id}"), max_size=None)
        host, port = ws_url.removeprefix("ws://").split(":")
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect((host, int(port)))
        self.protocol.send_request(self.protocol.connect())
        self._flush()
        while self.protocol.handshake_exc is None and self.protocol.state.name == "CONNECTING":
            self.protocol.receive_data(self.sock.recv(65536))
        self.protocol.send_text(json.dumps({"type": "hello", "token": token}).encode())
        self._flush()
        self.closed_with: int | None = None

    def _flush(self) -> None:
        for data in self.protocol.data_to_send():
            if data:
                self.sock.sendall(data)

    def read_all(self, timeout: float = 15) -> list[dict[str, Any]]:
        """Now read everything until the server closes; returns the JSON frames."""
        from websockets.frames import Frame, Opcode

        self.sock.settimeout(timeout)
        frames: list[dict[str, Any]] = []
        while True:
            data = self.sock.recv(1 << 20)
            if not data:
                self.protocol.receive_eof()
            else:
                self.protocol.receive_data(data)
            for frame in self.protocol.events_received():
                if not isinstance(frame, Frame):  # the handshake response
                    continue
                if frame.opcode is Opcode.TEXT:
                    frames.append(json.loads(frame.data))
                elif frame.opcode is Opcode.CLOSE:
                    self.closed_with = (
                        self.protocol.close_rcvd.code if self.protocol.close_rcvd else None
                    )
            self._flush()
            if not data or self.closed_with is not None:
                self.sock.close()
                return frames
