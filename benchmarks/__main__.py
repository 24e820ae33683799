"""`python -m benchmarks <suite> [options]`: see benchmarks/README.md."""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import common

SUITES = ("fanout", "writes", "memory", "scaleout", "export")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("suite", choices=[*SUITES, "all"])
    parser.add_argument(
        "--participants",
        type=lambda text: [int(n) for n in text.split(",")],
        help="fanout/scaleout: N, comma-separated (default 100,500,1000); "
        "writes: receivers (default 500); memory: connected (default 1000)",
    )
    parser.add_argument("--injects", type=int, default=20, help="fanout/scaleout: K rounds")
    parser.add_argument("--pause", type=float, default=0.1, help="fanout: seconds between rounds")
    parser.add_argument("--client-procs", type=int, default=1, help="websocket client processes")
    parser.add_argument(
        "--no-extras",
        action="store_true",
        help="fanout: skip the deflate and queue-mode extra measurements",
    )
    parser.add_argument("--seconds", type=float, default=20, help="writes: duration per database")
    parser.add_argument("--writers", type=int, default=50, help="writes: concurrent writers")
    parser.add_argument("--no-postgres", action="store_true", help="writes: SQLite only")
    parser.add_argument("--events", type=int, default=100_000, help="export: events in the run")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument(
        "--profile", metavar="DIR", help="record every ttx server with py-spy into DIR (raw stacks)"
    )
    return parser.parse_args(argv)


def machine() -> str:
    return (
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, nproc {os.cpu_count()}, "
        f"Python {platform.python_version()}, {platform.machine()}, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
        f"calibration {common.calibration_ms():.0f} ms (lower is faster)"
    )


async def run_suite(name: str, args: argparse.Namespace) -> Any:
    from benchmarks.fanout import Rounds

    rounds = Rounds(args.injects, args.pause, args.client_procs)
    if name == "fanout":
        from benchmarks import fanout

        sizes = args.participants or [100, 500, 1000]
        extras = not args.no_extras
        options = fanout.Options(sizes, rounds, queue_mode=extras, compression=extras)
        return fanout.report(await fanout.suite(options))
    if name == "writes":
        from benchmarks import writes

        receivers = (args.participants or [500])[0]
        return writes.report(
            await writes.suite(receivers, args.writers, args.seconds, not args.no_postgres)
        )
    if name == "memory":
        from benchmarks import memory

        return memory.report(await memory.suite((args.participants or [1000])[0]))
    if name == "scaleout":
        from benchmarks import fanout, scaleout

        sizes = args.participants or [100, 500, 1000]
        results = await scaleout.suite(sizes, rounds)
        return fanout.report(results, "scaleout")
    if name == "export":
        from benchmarks import export

        return export.report(await export.suite(args.events))
    raise ValueError(name)


def main(argv: list[str]) -> int:
    args = parse(argv)
    if args.profile:
        common.PROFILE_DIR = Path(args.profile).resolve()
    names = SUITES if args.suite == "all" else (args.suite,)
    print(f"# ttx benchmarks: {' '.join(names)}\n", flush=True)
    failed = []
    for name in names:
        started, conditions = time.monotonic(), machine()
        print(f"# {name}\n\n{conditions}\n", flush=True)
        try:
            data = asyncio.run(run_suite(name, args))
        except Exception as exc:  # one suite's failure must not hide the others' numbers
            failed.append(name)
            print(f"{name} FAILED: {exc!r}", flush=True)
            data = {"failed": repr(exc)}
        print(f"\n({name}: {time.monotonic() - started:.0f} s)\n", flush=True)
        common.write_json(args.json, name, {"machine": conditions, "results": data})
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
