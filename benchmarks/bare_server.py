"""The physical limit ttx's fan-out is compared with: a broadcast server on the `websockets`
library (asyncio API, on uvloop like ttx under uvicorn) and nothing else: no HTTP, no database,
no authentication, no visibility rule.

    python -m benchmarks.bare_server --port P [--compression] [--mode broadcast|queue]

Participants connect to `/ws/runs/<room>`, send any first frame (the hello) and get
`{"type": "welcome"}`. A control connection on `/control` sends `"<room>\\n<frame>"`; the
server sends `<frame>` to every participant of the room at once.

`--mode broadcast` (the default, and the faster) is `websockets.broadcast`: the frame goes
into every socket's write buffer in one synchronous loop, no task switch per client and no
back-pressure. `--mode queue` is ttx's design: a bounded queue and a sender task per client.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from collections import defaultdict

import uvloop
from websockets.asyncio.server import ServerConnection, broadcast, serve

WELCOME = json.dumps({"type": "welcome", "last_seq": 0})


class Sender:
    """ttx's per-client design: the only writer to its socket, fed through a bounded queue."""

    def __init__(self, ws: ServerConnection, size: int = 512) -> None:
        self.ws = ws
        self.queue: asyncio.Queue[str] = asyncio.Queue(size)
        self.task = asyncio.create_task(self.pump())

    async def pump(self) -> None:
        while True:
            await self.ws.send(await self.queue.get())


class BareServer:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.rooms: dict[str, set[ServerConnection]] = defaultdict(set)
        self.senders: dict[str, set[Sender]] = defaultdict(set)

    def fanout(self, room: str, frame: str) -> None:
        if self.mode == "broadcast":
            broadcast(self.rooms[room], frame)
        else:
            for sender in self.senders[room]:
                with contextlib.suppress(asyncio.QueueFull):
                    sender.queue.put_nowait(frame)

    async def handler(self, ws: ServerConnection) -> None:
        path = ws.request.path if ws.request else ""
        if path == "/control":
            async for message in ws:
                room, frame = str(message).split("\n", 1)
                self.fanout(room, frame)
            return
        room = path.rsplit("/", 1)[-1]
        await ws.recv()  # the hello
        await ws.send(WELCOME)
        sender = Sender(ws) if self.mode == "queue" else None
        self.rooms[room].add(ws)
        if sender:
            self.senders[room].add(sender)
        try:
            await ws.wait_closed()
        finally:
            self.rooms[room].discard(ws)
            if sender:
                self.senders[room].discard(sender)
                sender.task.cancel()


def time_full_collections(path: str) -> None:
    """The same timer as the ttx servers get (common.GC_TIMED_SERVE), for a fair comparison."""
    import gc
    import time

    log = open(path, "a", buffering=1)  # noqa: SIM115 - open for the process's lifetime
    began = [0.0]

    def timer(phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                began[0] = time.perf_counter()
            else:
                log.write(f"{time.time():.4f} {(time.perf_counter() - began[0]) * 1000:.2f}\n")

    gc.callbacks.append(timer)


async def main(port: int, compression: bool, mode: str) -> None:
    server = BareServer(mode)
    async with serve(
        server.handler,
        "127.0.0.1",
        port,
        compression="deflate" if compression else None,
        max_size=64 * 1024,
        ping_interval=20,
        ping_timeout=20,
    ) as running:
        await running.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--compression", action="store_true")
    parser.add_argument("--mode", choices=["broadcast", "queue"], default="broadcast")
    parser.add_argument("--gc-log", help="append the full collections' pauses to this file")
    args = parser.parse_args()
    if args.gc_log:
        time_full_collections(args.gc_log)
    uvloop.run(main(args.port, args.compression, args.mode))
