"""Suite `scaleout`: the fan-out with two `ttx` server processes on one PostgreSQL database and
Redis, half of the participants on each; injects go through the first process, so the other
half hears of them over the Redis bus. For reference, the same rounds against the first process
alone (same database and bus) at the largest N.
"""

from __future__ import annotations

from benchmarks import common
from benchmarks.common import TtxServer
from benchmarks.fanout import Measurement, Rounds, measure_ttx, progress


async def suite(sizes: list[int], rounds: Rounds) -> list[Measurement]:
    results: list[Measurement] = []
    with common.scratch_dir("scaleout") as tmp, common.postgres_database() as url:
        servers = [
            TtxServer(tmp / f"ttx{i}", database_url=url, redis_url=common.REDIS_URL)
            for i in range(2)
        ]
        try:
            for server in servers:
                server.start()  # one after the other: the first applies the migrations
            for runs in (10, 1):
                for n in sizes:
                    m, _ = await measure_ttx(servers, n, runs, rounds, "ttx ×2")
                    results.append(m)
                    progress([m])
                alone = "ttx ×1 (PG+Redis)"
                m, _ = await measure_ttx(servers[:1], max(sizes), runs, rounds, alone)
                results.append(m)
                progress([m])
        finally:
            for server in servers:
                server.stop()
    return results
