"""What every suite shares: server processes, scratch databases, the API calls that set up a
run, memory readings from /proc, percentiles and plain-text tables.

Every child process is started in its own process group and killed with its group, so a failed
benchmark never leaves a server behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "scenarios" / "fixtures"
FACILITATOR_KEY = "bench-facilitator-key-0123456789"
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
PROFILE_DIR: Path | None = None  # --profile DIR: py-spy records every ttx server it starts
TEAMS = ("nato", "russia")


# -- processes ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kill_group(process: subprocess.Popen[Any] | None, grace: float = 10.0) -> None:
    """SIGINT the child's process group, then SIGKILL whatever is left after `grace` seconds."""
    if process is None:
        return
    with contextlib.suppress(ProcessLookupError):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(grace)
        os.killpg(process.pid, signal.SIGKILL)  # children that outlived their leader, too
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)


def wait_port(port: int, process: subprocess.Popen[Any], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"port {port}: the process exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def wait_http(url: str, process: subprocess.Popen[Any], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {timeout} s:\n{log.read_text()[-3000:]}")


# Runs `ttx serve` (app.cli.main) after hooking a timer onto the garbage collector's full
# collections: one line "<end wall time> <milliseconds>" per gen-2 collection, so a slow round
# can be laid beside the collector's pauses. Nothing else differs from `ttx serve`.
GC_TIMED_SERVE = """
import gc, sys, time
log = open(sys.argv.pop(1), "a", buffering=1)
began = [0.0]
def timer(phase, info):
    if info["generation"] == 2:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            log.write(f"{time.time():.4f} {(time.perf_counter() - began[0]) * 1000:.2f}\\n")
gc.callbacks.append(timer)
sys.argv[0] = "ttx"
from app.cli import main
main()
"""


def gc_pauses(log: Path, since: float, until: float) -> list[float]:
    """Milliseconds of the full collections that ended in [since, until]."""
    if not log.exists():
        return []
    pauses = []
    for line in log.read_text().splitlines():
        end, ms = (float(x) for x in line.split())
        if since <= end <= until:
            pauses.append(ms)
    return pauses


@dataclass
class TtxServer:
    """`ttx serve` in its own process group, as an operator runs it (uvicorn, uvloop, httptools,
    the websockets sans-I/O protocol; TTX_WS_COMPRESSION decides permessage-deflate), with the
    collector's full collections timed into `gc_log` (GC_TIMED_SERVE)."""

    data_dir: Path
    database_url: str = ""
    redis_url: str = ""
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def gc_log(self) -> Path:
        return self.data_dir / f"gc-{self.port}.log"

    def start(self) -> TtxServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "TTX_DATA_DIR": str(self.data_dir),
            "TTX_DATABASE_URL": self.database_url,
            "TTX_REDIS_URL": self.redis_url,
            "TTX_SCENARIO_DIR": str(FIXTURES),
            "TTX_FACILITATOR_KEY": FACILITATOR_KEY,
            "TTX_LOG_LEVEL": "warning",
            "TTX_RATE_LIMIT_PER_MINUTE": "1000000",
            **self.env,
        }
        log = self.data_dir / f"server-{self.port}.log"
        command = [
            sys.executable,
            "-c",
            GC_TIMED_SERVE,
            str(self.gc_log),
            "serve",
            "--port",
            str(self.port),
        ]
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_http(self.url + "/healthz", self.process, log)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        kill_group(self.process)
        self.process = None
        log = self.data_dir / f"server-{self.port}.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        if "Traceback" in text:  # the temp dir goes away: show what went wrong now
            print(f"  server {self.port} logged errors; its log ends:\n{text[-4000:]}", flush=True)


@contextlib.contextmanager
def profiling(pids: Sequence[int], name: str) -> Iterator[None]:
    """With --profile DIR: py-spy samples these processes (GIL holders only, per thread) while
    the block runs, into DIR/<name>-<pid>.txt (raw stacks: one line per stack and its count)."""
    if PROFILE_DIR is None:
        yield
        return
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    py_spy = Path(sys.executable).with_name("py-spy")
    spies = [
        subprocess.Popen(
            [
                str(py_spy),
                "record",
                "--pid",
                str(pid),
                "--rate",
                "200",
                "--gil",
                "--threads",
                "--format",
                "raw",
                "--output",
                str(PROFILE_DIR / f"{name}-{pid}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for pid in pids
    ]
    try:
        time.sleep(0.5)  # py-spy attaches
        yield
    finally:
        for spy in spies:
            kill_group(spy, grace=30)  # SIGINT: py-spy writes what it has


@contextlib.contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=f"ttx-bench-{prefix}-") as path:
        yield Path(path)


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database `ttx_bench_<random>` for one measurement; dropped afterwards."""
    import psycopg

    name = f"ttx_bench_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- memory ------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds every core of the machine has spent busy since boot (/proc/stat): what is
    left after subtracting ours tells whether someone else was using the machine."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def calibration_ms(rounds: int = 3) -> float:
    """The best of a few runs of a fixed pure-Python loop (JSON in and out, like a server's day).
    The host's speed drifts by a quarter from one second to the next here; a slow calibration
    marks a slow moment for every number measured around it."""
    event = {"seq": 1, "kind": "message.sent", "payload": {"text": "x" * 200}, "audience": ["a"]}
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(20_000):
            json.loads(json.dumps(event))
        best = min(best, time.perf_counter() - started)
    return best * 1000


def proc_status_kib(pid: int, key: str) -> int:
    """A `kB` line of /proc/<pid>/status: VmRSS (resident now) or VmHWM (peak resident)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


# -- the API -----------------------------------------------------------------------------------


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Participant:
    run_id: str
    token: str
    team: str


@dataclass
class BenchRun:
    id: str
    facilitator_token: str
    join_codes: dict[str, str]
    participants: list[Participant] = field(default_factory=list)


async def create_runs(http: httpx.AsyncClient, count: int) -> list[BenchRun]:
    runs = []
    for _ in range(count):
        response = await http.post(
            "/api/runs", json={"scenario": "minimal"}, headers=bearer(FACILITATOR_KEY)
        )
        response.raise_for_status()
        body = response.json()
        runs.append(BenchRun(body["id"], body["facilitator_token"], body["join_codes"]))
    return runs


async def join_all(
    http: httpx.AsyncClient, runs: Sequence[BenchRun], per_run: int, concurrency: int = 24
) -> None:
    """`per_run` participants in each run, teams alternating; bounded concurrency."""
    limit = asyncio.Semaphore(concurrency)

    async def join(run: BenchRun, index: int) -> None:
        team = TEAMS[index % 2]
        async with limit:
            response = await http.post(
                "/api/join", json={"code": run.join_codes[team], "name": f"P{index}"}
            )
        response.raise_for_status()
        run.participants.append(Participant(run.id, response.json()["token"], team))

    await asyncio.gather(*(join(run, i) for run in runs for i in range(per_run)))


async def control(http: httpx.AsyncClient, run: BenchRun, action: str) -> dict[str, Any]:
    response = await http.post(
        f"/api/runs/{run.id}/control",
        json={"action": action},
        headers=bearer(run.facilitator_token),
    )
    if response.status_code != 200:
        raise RuntimeError(f"control {action}: {response.status_code} {response.text[:500]}")
    return response.json()


async def end_runs(http: httpx.AsyncClient, runs: Sequence[BenchRun]) -> None:
    """Tidying up after a measurement: a refusal is reported, not raised over the numbers."""
    for run in runs:
        try:
            await control(http, run, "end")
        except (RuntimeError, httpx.HTTPError) as exc:
            print(f"  note: ending run {run.id} failed: {exc}", flush=True)


async def last_seq(http: httpx.AsyncClient, run: BenchRun) -> int:
    response = await http.get(f"/api/runs/{run.id}", headers=bearer(run.facilitator_token))
    response.raise_for_status()
    return int(response.json()["last_seq"])


class Http11:
    """One keep-alive HTTP/1.1 connection and the least a client can do per request. httpx
    spends around a millisecond of CPU per request under concurrency, which on two cores would
    be taken from the server being measured and added to its latency."""

    def __init__(self, base: str, token: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.head = (
            f"Host: {self.host}:{self.port}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\n"
        )
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        """(status, body); the connection is opened on first use and kept."""
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        data = json.dumps(body).encode()
        self.writer.write(
            f"POST {path} HTTP/1.1\r\n{self.head}Content-Length: {len(data)}\r\n\r\n".encode()
            + data
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        length, close = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and b"close" in value.lower():
                close = True
        answer = await self.reader.readexactly(length)
        if close:
            self.close()
        return int(head[9:12]), answer

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def hello(participant: Participant, after_seq: int) -> str:
    return json.dumps({"type": "hello", "token": participant.token, "after_seq": after_seq})


# -- child processes that speak JSON lines -------------------------------------------------------


class Child:
    """A load-generator process (`python -m benchmarks.loadgen ...`): commands on stdin, one JSON
    object per line on stdout. Its own process group; `close()` kills the group."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def spawn(cls, *args: str) -> Child:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.loadgen",
            *args,
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            start_new_session=True,
            limit=1 << 26,
        )
        return cls(process)

    async def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        await self.process.stdin.drain()

    async def read(self, key: str, timeout: float) -> dict[str, Any]:  # noqa: ASYNC109
        """The next line that has `key` (progress lines such as {"got": k} are skipped)."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            line = await asyncio.wait_for(self.process.stdout.readline(), max(0.001, remaining))
            if not line:
                raise RuntimeError(f"load generator exited with {await self.process.wait()}")
            message = json.loads(line)
            if key in message:
                return message

    async def ask(self, message: dict[str, Any], key: str, timeout: float) -> dict[str, Any]:  # noqa: ASYNC109
        await self.send(message)
        return await self.read(key, timeout)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.ask({"cmd": "close"}, "closed", 10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        await self.process.wait()


@contextlib.asynccontextmanager
async def children(count: int, *args: str) -> AsyncIterator[list[Child]]:
    spawned: list[Child] = []
    try:
        for _ in range(count):
            spawned.append(await Child.spawn(*args))
        yield spawned
    finally:
        await asyncio.gather(*(child.close() for child in spawned))


# -- numbers -----------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); with 20 samples p99 is the maximum."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table, so the output pastes into RESULTS.md as it is."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.rjust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"
    return "\n".join([line(list(headers)), rule, *(line(r) for r in cells)])


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def write_json(path: str | None, suite: str, data: Any) -> None:
    if not path:
        return
    target = Path(path)
    existing = json.loads(target.read_text()) if target.exists() else {}
    existing[suite] = data
    target.write_text(json.dumps(existing, indent=2, default=str) + "\n")
