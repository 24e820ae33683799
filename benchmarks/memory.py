"""Suite `memory`: resident memory of the server process per connected, idle participant.

The participants join first (their rows and tokens are not what is measured), a handful of
sockets connect and leave (so lazily imported code is loaded before the baseline), then RSS is
read from /proc with none and with all of them connected and idle. The bare broadcast server
gets the same treatment, for scale: what a websocket costs with nothing around it.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from benchmarks import common
from benchmarks.common import TtxServer
from benchmarks.fanout import BareProcess

RUNS = 10
WARMUP = 10


@dataclass
class MemoryResult:
    server: str
    participants: int
    idle_kib: int  # VmRSS with none connected
    connected_kib: int  # VmRSS with all connected and idle
    peak_kib: int  # VmHWM at the end

    @property
    def per_participant_kib(self) -> float:
        return (self.connected_kib - self.idle_kib) / self.participants

    def row(self) -> list[Any]:
        return [
            self.server,
            self.participants,
            self.idle_kib / 1024,
            self.connected_kib / 1024,
            self.peak_kib / 1024,
            self.per_participant_kib,
        ]


HEADERS = [
    "server",
    "connected",
    "RSS idle MiB",
    "RSS connected MiB",
    "VmHWM MiB",
    "KiB/participant",
]


async def settled_rss(pid: int, seconds: float = 3.0) -> int:
    """RSS once the process has been quiet for a moment (collection, presence writes)."""
    await asyncio.sleep(seconds)
    return common.proc_status_kib(pid, "VmRSS")


async def connected_rss(targets: list[list[str]], pid: int) -> tuple[int, int]:
    """(RSS before, RSS with every target connected); a warm-up set connects and leaves first."""
    async with common.children(1, "ws") as [warm]:
        await warm.ask(
            {"cmd": "connect", "targets": targets[:WARMUP], "compression": False}, "connected", 60
        )
    idle = await settled_rss(pid)
    async with common.children(1, "ws") as [kid]:
        await kid.ask(
            {"cmd": "connect", "targets": targets, "compression": False}, "connected", 180
        )
        connected = await settled_rss(pid)
    return idle, connected


async def measure_ttx(server: TtxServer, n: int) -> MemoryResult:
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        runs = await common.create_runs(http, RUNS)
        await common.join_all(http, runs, n // RUNS)
        targets = []
        for run in runs:
            after = await common.last_seq(http, run)
            url = f"{server.ws_url}/ws/runs/{run.id}"
            targets += [[url, common.hello(p, after)] for p in run.participants]
    idle, connected = await connected_rss(targets, server.pid)
    return MemoryResult(
        "ttx", len(targets), idle, connected, common.proc_status_kib(server.pid, "VmHWM")
    )


async def measure_bare(bare: BareProcess, n: int) -> MemoryResult:
    assert bare.process is not None
    url = f"ws://127.0.0.1:{bare.port}/ws/runs/room"
    targets = [[f"{url}{i % RUNS}", '{"type":"hello"}'] for i in range(n)]
    idle, connected = await connected_rss(targets, bare.process.pid)
    return MemoryResult(
        "bare", n, idle, connected, common.proc_status_kib(bare.process.pid, "VmHWM")
    )


async def suite(participants: int) -> list[MemoryResult]:
    with common.scratch_dir("memory") as tmp:
        server, bare = TtxServer(tmp / "ttx"), None
        try:
            server.start()
            results = [await measure_ttx(server, participants)]
            bare = BareProcess(tmp, compression=False)
            results.append(await measure_bare(bare, participants))
        finally:
            server.stop()
            if bare:
                bare.stop()
    for r in results:
        print(f"  {r.server}: {r.per_participant_kib:.1f} KiB per participant", flush=True)
    return results


def report(results: list[MemoryResult]) -> dict[str, Any]:
    print("\n## memory: resident memory per connected participant (idle)\n")
    print(common.table(HEADERS, [r.row() for r in results]))
    return {
        "results": [{**asdict(r), "per_participant_kib": r.per_participant_kib} for r in results]
    }
