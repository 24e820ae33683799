"""Suite `writes`: durable writes through the whole HTTP path while receivers are connected.

Receivers (two teams in each of 10 started runs) hold websockets from one client process;
writers, each a joined participant with its own token, post moves and team messages with fresh
`client_id`s from another process for a fixed time, each waiting for its answer before the
next. A write counts when it is answered 201 (committed, then acknowledged). Beside it: what
bare SQLite does on this machine when each row is its own commit, which is what group commit is
measured against.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, event, insert
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from benchmarks import common
from benchmarks.common import BenchRun, TtxServer

RUNS = 10
TARGET_RATE, TARGET_P99_MS = 800, 100


@dataclass
class WriteResult:
    database: str
    receivers: int
    writers: int
    seconds: float  # from the first request to the last answer
    first_5s: float  # acknowledged writes/s in the first five seconds
    last_5s: float  # and in the last whole five seconds: does the rate hold?
    acknowledged: int  # 201 answers
    statuses: dict[str, int]
    latencies: list[float] = field(repr=False)  # seconds, of the 201 answers
    delivered: int  # event frames the receivers got from the writes
    expected: int  # what they should have got: each write reaches its team's receivers
    server_cpu: float
    writer_cpu: float
    receiver_cpu: float
    gc_pauses: list[float]  # milliseconds of the server's full collections while writing
    other_cpu: float = 0.0  # machine CPU seconds not ours (PostgreSQL's, or someone else's)

    @property
    def rate(self) -> float:
        return self.acknowledged / self.seconds

    def ms(self, p: float) -> float:
        return common.percentile(self.latencies, p) * 1000

    @property
    def verdict(self) -> str:
        met = self.rate >= TARGET_RATE and self.ms(99) < TARGET_P99_MS
        return "met" if met else "NOT met"

    def row(self) -> list[Any]:
        others = {k: v for k, v in self.statuses.items() if k != "201"}
        return [
            self.database,
            self.receivers,
            self.writers,
            self.seconds,
            self.acknowledged,
            self.rate,
            f"{self.first_5s:.0f} → {self.last_5s:.0f}",
            self.ms(50),
            self.ms(99),
            max(self.latencies, default=0) * 1000,
            ", ".join(f"{k}×{v}" for k, v in others.items()) or "none",
            f"{self.delivered}/{self.expected}",
            self.server_cpu / self.seconds,
            self.writer_cpu / self.seconds,
            f"{len(self.gc_pauses)} / {max(self.gc_pauses, default=0):.0f}",
            max(0.0, self.other_cpu) / self.seconds,
            self.verdict if self.database == "sqlite" else "-",
        ]


HEADERS = [
    "database",
    "receivers",
    "writers",
    "s",
    "201s",
    "writes/s",
    "first → last 5 s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "other answers",
    "frames delivered",
    "server CPU (cores)",
    "writer CPU (cores)",
    "full GCs / max ms",
    "other CPU (cores)",
    "target ≥800/s, p99 <100 ms",
]


async def measure(
    database: str,
    url: str,
    tmp: Path,
    receivers: int,
    writers: int,
    seconds: float,
    moves: bool = True,
) -> WriteResult:
    server = TtxServer(tmp / f"{database}-{'mixed' if moves else 'messages'}", database_url=url)
    try:
        server.start()
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            runs = await common.create_runs(http, RUNS)
            await common.join_all(http, runs, (receivers + writers) // RUNS)
            targets, writing, teams = await cast(http, server, runs, receivers // RUNS, moves)
            async with (
                common.children(1, "ws") as [listener],
                common.children(1, "writers") as [writer],
            ):
                await listener.ask(
                    {"cmd": "connect", "targets": targets, "compression": False}, "connected", 180
                )
                await asyncio.sleep(1)
                cpu0, began = common.cpu_seconds(server.pid), time.time()
                busy0 = common.machine_busy_seconds()
                with common.profiling([server.pid], f"writes-{database}"):
                    command = {
                        "cmd": "write",
                        "base": server.url,
                        "writers": writing,
                        "seconds": seconds,
                    }
                    answer = await writer.ask(command, "results", seconds + 120)
                server_cpu = common.cpu_seconds(server.pid) - cpu0
                busy = common.machine_busy_seconds() - busy0
                pauses = common.gc_pauses(server.gc_log, began, time.time())
                await asyncio.sleep(2)  # the last frames reach the receivers
                heard = await listener.ask({"cmd": "report"}, "seqs", 60)
            await common.end_runs(http, runs)
    finally:
        server.stop()
    name = database if moves else f"{database}, messages only"
    result = summarise(name, answer, heard, writing, teams)
    result.server_cpu, result.gc_pauses = server_cpu, pauses
    # the receivers' CPU is counted from their connection on: a slight overestimate of ours
    result.other_cpu = busy - server_cpu - result.writer_cpu - result.receiver_cpu
    return result


async def cast(
    http: httpx.AsyncClient, server: TtxServer, runs: list[BenchRun], listening: int, moves: bool
) -> tuple[list[list[str]], list[dict[str, Any]], Counter[tuple[str, str]]]:
    """Start every run; its first `listening` participants receive, the others write.
    Also returns how many receivers each (run, team) has."""
    targets: list[list[str]] = []
    writing: list[dict[str, Any]] = []
    teams: Counter[tuple[str, str]] = Counter()
    for run in runs:
        await common.control(http, run, "start")
        after = await common.last_seq(http, run)
        url = f"{server.ws_url}/ws/runs/{run.id}"
        targets += [[url, common.hello(p, after)] for p in run.participants[:listening]]
        teams.update((run.id, p.team) for p in run.participants[:listening])
        writing += [
            {"run": run.id, "token": p.token, "team": p.team, "moves": moves}
            for p in run.participants[listening:]
        ]
    return targets, writing, teams


def summarise(
    name: str,
    answer: dict[str, Any],
    heard: dict[str, Any],
    writing: list[dict[str, Any]],
    teams: Counter[tuple[str, str]],
) -> WriteResult:
    """Rates and latencies of the 201s; each acknowledged write owes its team's receivers one
    frame each (the scheduled inject every receiver also gets is not counted)."""
    results = answer["results"]  # (start, latency, status, writer index)
    acked = [(start, latency, i) for start, latency, status, i in results if status == 201]
    first = min((start for start, _, _, _ in results), default=0.0)
    last = max((start + latency for start, latency, _, _ in results), default=1.0)
    buckets = Counter(int((start - first) // 5) for start, _, _ in acked)
    injects = sum(len(seqs) for seqs in heard["seqs"])
    return WriteResult(
        database=name,
        receivers=len(heard["seqs"]),
        writers=len(writing),
        seconds=round(last - first, 2),
        first_5s=buckets[0] / 5,
        last_5s=buckets[max(0, int((last - first) // 5) - 1)] / 5,
        acknowledged=len(acked),
        statuses=dict(Counter(str(status) for _, _, status, _ in results)),
        latencies=[latency for _, latency, _ in acked],
        delivered=heard["events"] - injects,
        expected=sum(teams[(writing[i]["run"], writing[i]["team"])] for _, _, i in acked),
        server_cpu=0.0,
        writer_cpu=answer["cpu_seconds"],
        receiver_cpu=heard["cpu_seconds"],
        gc_pauses=[],
    )


# -- bare SQLite -------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class Row(Base):
    __tablename__ = "orm_row"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)


def bare_sqlite(seconds: float = 3.0) -> dict[str, float]:
    """Rows per second when every row is its own transaction: (a) an ORM session add + commit,
    (b) a Core insert + commit. A throwaway table in a temp file, WAL, synchronous=NORMAL, as
    ttx configures SQLite (app/db.py)."""
    payload = '{"channel":"team","text":"Should we call Moscow?"}'
    with tempfile.TemporaryDirectory(prefix="ttx-bench-sqlite-") as tmp:
        engine = create_engine(f"sqlite:///{tmp}/bare.sqlite3")

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")

        core = Table(
            "core_row",
            MetaData(),
            Column("id", Integer, primary_key=True),
            Column("run_id", String(16)),
            Column("kind", String(40)),
            Column("payload", Text),
        )
        Base.metadata.create_all(engine)
        core.metadata.create_all(engine)
        rates = {}
        with Session(engine) as session:
            rates["orm"] = _rate(
                seconds,
                lambda: (
                    session.add(Row(run_id="r1", kind="message.sent", payload=payload)),
                    session.commit(),
                ),
            )
        statement = insert(core)
        with engine.connect() as conn:
            rates["core"] = _rate(
                seconds,
                lambda: (
                    conn.execute(
                        statement, {"run_id": "r1", "kind": "message.sent", "payload": payload}
                    ),
                    conn.commit(),
                ),
            )
        engine.dispose()
    return rates


def _rate(seconds: float, write: Any, limit: int = 1_000_000) -> float:
    start = time.perf_counter()
    deadline, count = start + seconds, 0
    while count < limit and time.perf_counter() < deadline:
        write()
        count += 1
    return count / (time.perf_counter() - start)


# -- the suite ---------------------------------------------------------------------------------


async def suite(
    receivers: int, writers: int, seconds: float, postgres: bool
) -> tuple[dict[str, float], list[WriteResult]]:
    bare = await asyncio.to_thread(bare_sqlite)
    print(
        f"  bare SQLite: ORM {bare['orm']:.0f} rows/s, Core {bare['core']:.0f} rows/s", flush=True
    )
    results = []
    with common.scratch_dir("writes") as tmp:
        results.append(await measure("sqlite", "", tmp, receivers, writers, seconds))
        progress(results[-1])
        # the same without moves: what unruled moves piling up in the run state cost
        results.append(await measure("sqlite", "", tmp, receivers, writers, seconds, False))
        progress(results[-1])
        if postgres:
            with common.postgres_database() as url:
                results.append(await measure("postgresql", url, tmp, receivers, writers, seconds))
            progress(results[-1])
    return bare, results


def progress(result: WriteResult) -> None:
    print(
        f"  {result.database}: {result.rate:.0f} writes/s, p99 {result.ms(99):.1f} ms, "
        f"answers {result.statuses}",
        flush=True,
    )


def report(outcome: tuple[dict[str, float], list[WriteResult]]) -> dict[str, Any]:
    bare, results = outcome
    print("\n## writes: acknowledged durable writes\n")
    print(common.table(HEADERS, [r.row() for r in results]))
    print("\n## writes: bare SQLite on this machine (one commit per row)\n")
    rows = [["ORM session add + commit", bare["orm"]], ["Core insert + commit", bare["core"]]]
    for r in results:
        rows.append([f"ttx over HTTP, group commit ({r.database})", r.rate])
    print(common.table(["path", "rows/s"], rows))
    return {
        "bare_sqlite_rows_per_s": bare,
        "results": [
            {
                **{k: v for k, v in asdict(r).items() if k != "latencies"},
                "rate": r.rate,
                "p50_ms": r.ms(50),
                "p99_ms": r.ms(99),
                "verdict": r.verdict if r.database == "sqlite" else None,
            }
            for r in results
        ],
    }
