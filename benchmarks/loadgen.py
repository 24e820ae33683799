"""The load generator's child processes, so the client side runs beside the server on the other
core. Commands arrive as JSON lines on stdin; answers leave as JSON lines on stdout.

    python -m benchmarks.loadgen ws        websocket participants (receivers)
    python -m benchmarks.loadgen writers   HTTP writers (moves and team messages)

The websocket participants sit on websockets' sans-I/O protocol behind a bare asyncio.Protocol:
no task and no queue per socket, so one process keeps up with what a server sends to a
thousand sockets and the measurement is of the server, not of the client. Receive times are
`time.time()` (one wall clock for every process on the machine), taken once per read.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import sys
import time
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import uvloop
from websockets.client import ClientProtocol
from websockets.extensions.permessage_deflate import enable_client_permessage_deflate
from websockets.frames import Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

from benchmarks.common import Http11


def emit(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


# -- websocket participants ----------------------------------------------------------------------


class Tally:
    """What every socket of this process received; announces each inject all sockets have."""

    def __init__(self, sockets: int) -> None:
        self.sockets = sockets
        self.seqs: list[list[int]] = [[] for _ in range(sockets)]
        self.times: list[list[float]] = [[] for _ in range(sockets)]
        self.reached: Counter[int] = Counter()
        self.events = 0  # every event frame, injects or not
        self.other = Counter[str]()  # frames that are not events (heartbeat, ...)
        self.closed = 0

    def inject(self, index: int, seq: int, now: float) -> None:
        self.seqs[index].append(seq)
        self.times[index].append(now)
        count = len(self.seqs[index])
        self.reached[count] += 1
        if self.reached[count] == self.sockets:
            emit({"got": count})


class Participant(asyncio.Protocol):
    """One websocket: handshake, hello, welcome, then event frames counted into the tally."""

    def __init__(self, index: int, url: str, hello: str, compression: bool, tally: Tally) -> None:
        extensions = enable_client_permessage_deflate(None) if compression else None
        self.ws = ClientProtocol(parse_uri(url), extensions=extensions, max_size=None)
        self.index, self.hello, self.tally = index, hello, tally
        self.welcomed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.ws.send_request(self.ws.connect())
        self.flush()

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.ws.receive_data(data)
        for item in self.ws.events_received():
            if isinstance(item, Response):
                if self.ws.handshake_exc is not None:
                    self._fail(self.ws.handshake_exc)
                else:
                    self.ws.send_text(self.hello.encode())
            elif item.opcode is Opcode.TEXT:
                self.frame(json.loads(bytes(item.data)), now)
        self.flush()  # pongs and close frames the protocol wants out

    def frame(self, frame: dict[str, Any], now: float) -> None:
        kind = frame.get("type")
        if kind == "event":
            self.tally.events += 1
            event = frame["event"]
            if event["kind"] == "inject.fired":
                self.tally.inject(self.index, event["seq"], now)
        elif kind == "welcome" and not self.welcomed.done():
            self.welcomed.set_result(None)
        else:
            self.tally.other[str(kind)] += 1

    def flush(self) -> None:
        assert self.transport is not None
        for data in self.ws.data_to_send():
            if data:
                self.transport.write(data)
            elif self.transport.can_write_eof():
                self.transport.write_eof()

    def connection_lost(self, exc: Exception | None) -> None:
        with contextlib.suppress(Exception):
            self.ws.receive_eof()
        self.tally.closed += 1
        self._fail(ConnectionError(f"closed: {exc or self.ws.close_rcvd}"))

    def _fail(self, exc: BaseException) -> None:
        if not self.welcomed.done():
            self.welcomed.set_exception(exc)

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            with contextlib.suppress(Exception):
                self.ws.send_close(1000)
                self.flush()
            self.transport.close()


async def connect_all(
    targets: list[list[str]], compression: bool, tally: Tally, concurrency: int = 64
) -> list[Participant]:
    """targets: [url, hello] per socket. Bounded concurrency; every socket must get welcome."""
    loop = asyncio.get_running_loop()
    limit = asyncio.Semaphore(concurrency)
    sockets: list[Participant] = []

    async def one(index: int, url: str, hello: str) -> None:
        parts = urlsplit(url)
        async with limit:
            _, participant = await loop.create_connection(
                lambda: Participant(index, url, hello, compression, tally),
                parts.hostname,
                parts.port,
            )
            sockets.append(participant)
            await asyncio.wait_for(participant.welcomed, 30)

    await asyncio.gather(*(one(i, url, hello) for i, (url, hello) in enumerate(targets)))
    return sockets


async def serve_ws(commands: asyncio.StreamReader) -> None:
    sockets: list[Participant] = []
    tally = Tally(0)
    cpu = time.process_time()
    try:
        while line := await commands.readline():
            command = json.loads(line)
            if command["cmd"] == "connect":
                tally = Tally(len(command["targets"]))
                sockets = await connect_all(command["targets"], command["compression"], tally)
                cpu = time.process_time()
                emit({"connected": len(sockets)})
            elif command["cmd"] == "report":
                emit(
                    {
                        "seqs": tally.seqs,
                        "times": tally.times,
                        "events": tally.events,
                        "other": tally.other,
                        "closed": tally.closed,
                        "cpu_seconds": time.process_time() - cpu,
                    }
                )
            elif command["cmd"] == "close":
                break
    finally:
        for participant in sockets:
            participant.close()
        await asyncio.sleep(0.2)
        emit({"closed": True})


# -- HTTP writers --------------------------------------------------------------------------------


async def write_loop(
    base: str, writer: dict[str, str], index: int, until: float, results: list[Any]
) -> None:
    """One participant writing as fast as the answers come: a move, then a team message, ...
    (only team messages when the writer says `"moves": false`)."""
    http = Http11(base, writer["token"])
    path = f"/api/runs/{writer['run']}"
    try:
        for n in itertools.count():
            if time.time() >= until:
                return
            client_id = f"w{index}-{n}"
            if n % 2 == 0 and writer.get("moves", True):
                url = path + "/moves"
                body = {"client_id": client_id, "move_type": "call", "action": f"Call them ({n})"}
            else:
                url = path + "/messages"
                body = {"client_id": client_id, "channel": "team", "text": f"Message {n} ({index})"}
            start = time.time()
            try:
                status: int | str = (await asyncio.wait_for(http.post(url, body), 30))[0]
            except Exception as exc:  # a refused, reset or timed-out request is a result
                status = type(exc).__name__
                http.close()
                http = Http11(base, writer["token"])
            results.append((start, time.time() - start, status, index))
    finally:
        http.close()


async def run_writers(command: dict[str, Any]) -> None:
    results: list[Any] = []
    cpu = time.process_time()
    until = time.time() + command["seconds"]
    await asyncio.gather(
        *(
            write_loop(command["base"], w, i, until, results)
            for i, w in enumerate(command["writers"])
        )
    )
    emit({"results": results, "cpu_seconds": time.process_time() - cpu})


async def serve_writers(commands: asyncio.StreamReader) -> None:
    while line := await commands.readline():
        command = json.loads(line)
        if command["cmd"] == "write":
            await run_writers(command)
        elif command["cmd"] == "close":
            break
    emit({"closed": True})


async def main(role: str) -> None:
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader(limit=1 << 26)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    await (serve_ws if role == "ws" else serve_writers)(commands)


if __name__ == "__main__":
    uvloop.run(main(sys.argv[1]))
