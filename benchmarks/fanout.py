"""Suite `fanout`: how long an inject takes to reach the last of N participants, against a bare
broadcast server measured in the same invocation with the same load generator.

Per round the facilitator of every run fires one ad-hoc inject (all runs at once), and the
round's latency runs from just before the first POST to the moment the last participant's
socket delivered the frame. The next round starts once every participant has it, after a short
pause. Every participant must get every inject exactly once and in seq order ("lost" counts the
participants for whom that is not so).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets

from benchmarks import common
from benchmarks.common import BenchRun, TtxServer

BODY = (
    "Radar tracks show an unidentified aircraft closing on the corridor at low altitude. "
    "Both ministries have been asked for comment; the wire services are already calling. "
    "What do you do in the next ten minutes?"
)
Fire = Callable[[int], Awaitable[dict[str, int]]]  # round k -> the seq each group must see


@dataclass(frozen=True)
class Rounds:
    """How the load is driven: K injects, the pause after each, websocket client processes."""

    injects: int = 20
    pause: float = 0.1
    procs: int = 1


@dataclass(frozen=True)
class Watched:
    """The server processes being measured: their CPU time and collector pauses count."""

    pids: list[int]
    gc_logs: list[Path]
    compression: bool


@dataclass
class Socket:
    url: str
    hello: str
    group: str  # run id (ttx) or room (bare): the sockets that get the same injects


@dataclass
class Measurement:
    target: str
    layout: str
    participants: int
    compression: bool
    latencies: list[float]  # seconds, one per inject, to the last receiver
    firsts: list[float]  # seconds, one per inject, to the first receiver
    lost: int  # participants who missed, doubled or reordered an inject
    frame_bytes: int
    server_cpu: float  # seconds of server CPU during the rounds
    client_cpu: float
    gc_pauses: list[float]  # milliseconds of the server's full collections during the rounds
    notes: list[str] = field(default_factory=list)

    def ms(self, p: float) -> float:
        return common.percentile(self.latencies, p) * 1000

    @property
    def per_client_us(self) -> float:
        """The median round spread over its receivers: the marginal cost of one more socket."""
        return self.ms(50) * 1000 / self.participants

    @property
    def cpu_per_client_us(self) -> float:
        rounds = max(1, len(self.latencies))
        return self.server_cpu * 1e6 / (rounds * self.participants)

    def row(self) -> list[Any]:
        return [
            self.target,
            self.layout,
            self.participants,
            "on" if self.compression else "off",
            self.ms(50),
            self.ms(99),
            max(self.latencies, default=float("nan")) * 1000,
            common.percentile(self.firsts, 50) * 1000,
            self.per_client_us,
            self.cpu_per_client_us,
            self.frame_bytes,
            f"{len(self.gc_pauses)} / {max(self.gc_pauses, default=0):.0f}",
            len(self.latencies),
            self.lost,
        ]


HEADERS = [
    "server",
    "layout",
    "N",
    "deflate",
    "p50 ms",
    "p99 ms",
    "max ms",
    "first p50 ms",
    "µs/client (p50/N)",
    "server CPU µs/client",
    "frame B",
    "full GCs / max ms",
    "injects",
    "lost",
]


async def drive(
    sockets: list[Socket], fire: Fire, rounds: Rounds, watched: Watched
) -> dict[str, Any]:
    """Connect the sockets from the client processes, fire the rounds, check them."""
    notes: list[str] = []
    procs = rounds.procs
    async with common.children(procs, "ws") as kids:
        shares = [sockets[i::procs] for i in range(procs)]
        await asyncio.gather(
            *(
                kid.ask(
                    {
                        "cmd": "connect",
                        "targets": [[s.url, s.hello] for s in share],
                        "compression": watched.compression,
                    },
                    "connected",
                    180,
                )
                for kid, share in zip(kids, shares, strict=True)
            )
        )
        await asyncio.sleep(1.0)  # presence writes and welcome traffic settle
        starts: list[float] = []
        expected: dict[str, list[int]] = {}
        cpu0 = sum(common.cpu_seconds(pid) for pid in watched.pids)
        with common.profiling(watched.pids, f"fanout-{len(sockets)}-{time.time():.0f}"):
            await fire_rounds(kids, fire, rounds, starts, expected, notes)
        server_cpu = sum(common.cpu_seconds(pid) for pid in watched.pids) - cpu0
        ended = time.time()
        reports = await asyncio.gather(*(kid.ask({"cmd": "report"}, "seqs", 60) for kid in kids))
    pauses = [ms for log in watched.gc_logs for ms in common.gc_pauses(log, starts[0], ended)]
    return check(shares, reports, starts, expected, notes) | {
        "server_cpu": server_cpu,
        "gc_pauses": pauses,
    }


async def fire_rounds(
    kids: list[common.Child],
    fire: Fire,
    rounds: Rounds,
    starts: list[float],
    expected: dict[str, list[int]],
    notes: list[str],
) -> None:
    """Fire round after round; each waits until every participant has the inject."""
    for k in range(1, rounds.injects + 1):
        start = time.time()
        seqs = await fire(k)
        starts.append(start)
        for group, seq in seqs.items():
            expected.setdefault(group, []).append(seq)
        try:
            await asyncio.gather(*(kid.read("got", 30) for kid in kids))
        except TimeoutError:
            notes.append(f"round {k}: not every participant got the inject within 30 s")
            break
        await asyncio.sleep(rounds.pause)


def check(
    shares: list[list[Socket]],
    reports: list[dict[str, Any]],
    starts: list[float],
    expected: dict[str, list[int]],
    notes: list[str],
) -> dict[str, Any]:
    """Per round, the first and the last receiver; participants whose injects are not exactly
    the expected seqs in order count as lost."""
    last = [0.0] * len(starts)
    first = [float("inf")] * len(starts)
    lost, client_cpu = 0, 0.0
    for share, report in zip(shares, reports, strict=True):
        client_cpu += report["cpu_seconds"]
        for sock, seqs, times in zip(share, report["seqs"], report["times"], strict=True):
            if seqs != expected.get(sock.group, [])[: len(starts)] or len(seqs) != len(starts):
                lost += 1
                continue
            for i, t in enumerate(times):
                last[i] = max(last[i], t - starts[i])
                first[i] = min(first[i], t - starts[i])
        if report["closed"]:
            notes.append(f"{report['closed']} sockets closed during the rounds")
    return {
        "latencies": last,
        "firsts": first,
        "lost": lost,
        "client_cpu": client_cpu,
        "notes": notes,
    }


# -- ttx ---------------------------------------------------------------------------------------


async def measure_ttx(
    servers: list[TtxServer],
    n: int,
    runs: int,
    rounds: Rounds,
    name: str = "ttx",
) -> tuple[Measurement, str]:
    """Participant i connects to server i mod len(servers); injects go through the first.
    Returns the measurement and one inject frame as ttx streamed it (the bare payload)."""
    compression = servers[0].env.get("TTX_WS_COMPRESSION") == "true"
    async with httpx.AsyncClient(base_url=servers[0].url, timeout=60) as http:
        created = await common.create_runs(http, runs)
        await common.join_all(http, created, n // runs)
        sockets = []
        for run in created:
            after = await common.last_seq(http, run)
            for i, p in enumerate(run.participants):
                url = f"{servers[i % len(servers)].ws_url}/ws/runs/{run.id}"
                sockets.append(Socket(url, common.hello(p, after), run.id))
        frames: list[str] = []

        facilitators = [common.Http11(servers[0].url, run.facilitator_token) for run in created]

        async def fire(k: int) -> dict[str, int]:
            answers = await asyncio.gather(
                *(post_inject(f, run, k) for f, run in zip(facilitators, created, strict=True))
            )
            frames.append(frame_of(answers[0]))
            return {run.id: answer["seq"] for run, answer in zip(created, answers, strict=True)}

        watched = Watched([s.pid for s in servers], [s.gc_log for s in servers], compression)
        try:
            result = await drive(sockets, fire, rounds, watched)
        finally:
            for facilitator in facilitators:
                facilitator.close()
            await common.end_runs(http, created)
    layout = f"{runs} runs" if runs > 1 else "1 run"
    frame = frames[-1] if frames else ""
    return Measurement(
        name, layout, n, compression, frame_bytes=len(frame.encode()), **result
    ), frame


async def post_inject(facilitator: common.Http11, run: BenchRun, k: int) -> dict[str, Any]:
    title = f"Inject {k}: an aircraft near the corridor"
    status, body = await facilitator.post(
        f"/api/runs/{run.id}/injects", {"title": title, "body": BODY, "audience": "all"}
    )
    if status != 201:
        raise RuntimeError(f"inject answered {status}: {body[:300]!r}")
    return json.loads(body)


def frame_of(event: dict[str, Any]) -> str:
    """The frame ttx streams for this event (app/realtime/hub.py: event_frame)."""
    return json.dumps({"type": "event", "event": event}, ensure_ascii=False, separators=(",", ":"))


# -- the bare server ---------------------------------------------------------------------------


class BareProcess:
    def __init__(self, data_dir: Path, compression: bool, mode: str = "broadcast") -> None:
        self.port = common.free_port()
        self.compression, self.mode = compression, mode
        command = [
            sys.executable,
            "-m",
            "benchmarks.bare_server",
            "--port",
            str(self.port),
            "--mode",
            mode,
        ] + (["--compression"] if compression else [])
        self.log = data_dir / f"bare-{self.port}.log"
        self.gc_log = data_dir / f"bare-gc-{self.port}.log"
        command += ["--gc-log", str(self.gc_log)]
        with self.log.open("ab") as out:
            self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
                command,
                cwd=common.ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            common.wait_port(self.port, self.process)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        common.kill_group(self.process, grace=3)
        self.process = None


async def measure_bare(
    bare: BareProcess, n: int, rooms: int, template: str, rounds: Rounds
) -> Measurement:
    assert bare.process is not None
    base = f"ws://127.0.0.1:{bare.port}"
    sockets = [
        Socket(f"{base}/ws/runs/room{i % rooms}", '{"type":"hello"}', f"room{i % rooms}")
        for i in range(n)
    ]
    event = json.loads(template)["event"]
    async with websockets.connect(f"{base}/control", compression=None) as control:

        async def fire(k: int) -> dict[str, int]:
            frame = frame_of({**event, "seq": k})
            for room in range(rooms):
                await control.send(f"room{room}\n{frame}")
            return {f"room{room}": k for room in range(rooms)}

        watched = Watched([bare.process.pid], [bare.gc_log], bare.compression)
        result = await drive(sockets, fire, rounds, watched)
    name = "bare" if bare.mode == "broadcast" else "bare (queue+task)"
    layout = f"{rooms} runs" if rooms > 1 else "1 run"
    return Measurement(
        name, layout, n, bare.compression, frame_bytes=len(template.encode()), **result
    )


# -- the suite ---------------------------------------------------------------------------------


@dataclass
class Options:
    participants: list[int]
    rounds: Rounds
    queue_mode: bool = True  # also measure the bare server with ttx's queue + task design
    compression: bool = True  # also measure N=max with permessage-deflate on both


async def suite(options: Options) -> list[Measurement]:
    results: list[Measurement] = []
    largest = max(options.participants)
    rounds = options.rounds
    with common.scratch_dir("fanout") as tmp:
        server, bare = TtxServer(tmp / "ttx"), None
        try:
            server.start()
            bare = BareProcess(tmp, compression=False)
            for runs in (10, 1):
                for n in options.participants:
                    ttx, frame = await measure_ttx([server], n, runs, rounds)
                    results.append(ttx)
                    results.append(await measure_bare(bare, n, runs, frame, rounds))
                    progress(results[-2:])
            if options.queue_mode:
                queue = BareProcess(tmp, compression=False, mode="queue")
                try:
                    results.append(await measure_bare(queue, largest, 1, frame, rounds))
                    progress(results[-1:])
                finally:
                    queue.stop()
        finally:
            server.stop()
            if bare:
                bare.stop()
        if options.compression:
            results += await compressed(tmp, largest, rounds)
    return results


async def compressed(tmp: Path, n: int, rounds: Rounds) -> list[Measurement]:
    """N participants in one run with permessage-deflate on the server and the clients."""
    server = TtxServer(tmp / "ttx-deflate", env={"TTX_WS_COMPRESSION": "true"})
    bare = None
    try:
        server.start()
        bare = BareProcess(tmp, compression=True)
        ttx, frame = await measure_ttx([server], n, 1, rounds)
        results = [ttx, await measure_bare(bare, n, 1, frame, rounds)]
        progress(results)
        return results
    finally:
        server.stop()
        if bare:
            bare.stop()


def progress(measurements: list[Measurement]) -> None:
    for m in measurements:
        print(
            f"  {m.target:>18} {m.layout:>8} N={m.participants:<5} deflate={m.compression!s:<5} "
            f"p50 {m.ms(50):7.1f} ms  p99 {m.ms(99):7.1f} ms  lost {m.lost}"
            + (f"  ({'; '.join(m.notes)})" if m.notes else ""),
            flush=True,
        )


def ratios(results: list[Measurement]) -> list[list[Any]]:
    """ttx against the bare server at the same layout, N and compression: the p99 ratio (the
    target), the p50 ratio and the ratio of server CPU per client (steadier than a p99 of 20)."""
    rows = []
    for ttx in (m for m in results if m.target == "ttx"):
        bare = next(
            (
                m
                for m in results
                if m.target == "bare"
                and (m.layout, m.participants, m.compression)
                == (ttx.layout, ttx.participants, ttx.compression)
            ),
            None,
        )
        if bare is None:
            continue
        ratio = ttx.ms(99) / bare.ms(99)
        target = "met" if ratio <= 1.5 else "NOT met"
        rows.append(
            [
                ttx.layout,
                ttx.participants,
                "on" if ttx.compression else "off",
                ttx.ms(99),
                bare.ms(99),
                ratio,
                ttx.ms(50) / bare.ms(50),
                ttx.per_client_us,
                bare.per_client_us,
                ttx.cpu_per_client_us / max(bare.cpu_per_client_us, 1e-9),
                target if ttx.participants >= 1000 and not ttx.compression else "-",
            ]
        )
    return rows


RATIO_HEADERS = [
    "layout",
    "N",
    "deflate",
    "ttx p99 ms",
    "bare p99 ms",
    "p99 ratio",
    "p50 ratio",
    "ttx µs/client",
    "bare µs/client",
    "CPU/client ratio",
    "target ≤1.5× at 1000",
]


def report(results: list[Measurement], title: str = "fanout") -> dict[str, Any]:
    print(f"\n## {title}: inject to the last participant\n")
    print(common.table(HEADERS, [m.row() for m in results]))
    rows = ratios(results)
    if rows:
        print(f"\n## {title}: ttx against the bare broadcast server\n")
        print(common.table(RATIO_HEADERS, rows))
    for m in results:
        for note in m.notes:
            print(f"note: {m.target} {m.layout} N={m.participants}: {note}")
    return {
        "measurements": [
            {
                **asdict(m),
                "p50_ms": m.ms(50),
                "p99_ms": m.ms(99),
                "per_client_us": m.per_client_us,
                "cpu_per_client_us": m.cpu_per_client_us,
            }
            for m in results
        ],
        "ratios": [dict(zip(RATIO_HEADERS, row, strict=True)) for row in rows],
    }
