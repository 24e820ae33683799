"""Suite `export`: `ttx export` of a 100,000-event run in each format, as its own process: wall
time, peak resident memory (the command's VmHWM; see `timed`) and file size.

The big run is built from a small real one: a run played through the API is exported complete
(`--format json --include-notes --no-chatham`); its events serve as templates for a JSON
document of the same shape with 100,000 events (70% team and 22% plenary chat, 3% moves and 3% rulings, 1% notes,
50 injects, phases advancing at a third and two thirds, seq 1..N, the clock rising with
the wall time), which `ttx import` loads into a fresh SQLite database. The import is timed too.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from benchmarks import common
from benchmarks.common import TtxServer

FORMATS = ("json", "csv", "md", "html")
HEAD = ("run.created", "participant.joined", "run.started")
DURATION = 3 * 3600.0  # exercise seconds the big run spans
INJECT_EVERY = 2000  # 50 injects in 100,000 events: a long exercise's MSEL and then some


@dataclass
class Timed:
    what: str
    seconds: float
    peak_kib: int
    bytes: int
    returncode: int

    def row(self) -> list[Any]:
        size = f"{self.bytes / 1e6:.1f} MB" if self.bytes else "-"
        return [self.what, self.seconds, self.peak_kib / 1024, size, self.returncode]


HEADERS = ["command", "wall s", "peak RSS MiB", "file", "exit"]


def timed(
    what: str, args: list[str], env: dict[str, str], output: Path | None, timeout: float = 600
) -> Timed:
    """Run `python -m app.cli ARGS` in its own process group: wall time and peak RSS.

    The peak is GNU time's %M (the command's own ru_maxrss) when /usr/bin/time exists, else the
    command's VmHWM polled from /proc. Not our own wait4's ru_maxrss: a forked child keeps the
    high-water mark of the parent it was forked from, and this parent holds the document."""
    gnu_time = Path("/usr/bin/time")
    with tempfile.TemporaryDirectory(prefix="ttx-bench-time-") as scratch:
        rss, errors = Path(scratch) / "rss", Path(scratch) / "stderr"
        command = [sys.executable, "-m", "app.cli", *args]
        if gnu_time.exists():
            command = [str(gnu_time), "-f", "%M", "-o", str(rss), *command]
        start = time.perf_counter()
        with errors.open("wb") as stderr:
            process = subprocess.Popen(
                command, cwd=common.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
                start_new_session=True,
            )  # fmt: skip
        peak = 0
        try:
            while process.poll() is None and time.perf_counter() - start < timeout:
                if not gnu_time.exists():
                    with contextlib.suppress(OSError, KeyError):
                        peak = max(peak, common.proc_status_kib(process.pid, "VmHWM"))
                time.sleep(0.02)
        finally:
            common.kill_group(process, grace=0)
        seconds = time.perf_counter() - start
        if rss.exists() and rss.read_text().strip():
            peak = int(rss.read_text().split()[-1])
        if process.returncode != 0:
            print(f"  {what} failed: {errors.read_text()[-2000:]}", flush=True)
    size = output.stat().st_size if output and output.exists() else 0
    return Timed(what, round(seconds, 2), peak, size, process.returncode)


async def small_run(server: TtxServer) -> str:
    """A short real exercise through the API: every kind the big run will repeat."""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        [run] = await common.create_runs(http, 1)
        await common.join_all(http, [run], 4)
        await common.control(http, run, "start")
        nato = next(p for p in run.participants if p.team == "nato")
        russia = next(p for p in run.participants if p.team == "russia")

        async def post(path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
            response = await http.post(
                f"/api/runs/{run.id}{path}", json=body, headers=common.bearer(token)
            )
            response.raise_for_status()
            return response.json()

        await post(
            "/messages", {"client_id": "m1", "channel": "team", "text": "Do we call?"}, nato.token
        )
        await post(
            "/messages",
            {"client_id": "m2", "channel": "plenary", "text": "We see it too."},
            russia.token,
        )
        move = await post(
            "/moves",
            {
                "client_id": "v1",
                "move_type": "call",
                "action": "Call Moscow",
                "intended_result": "Talk",
                "confidence": 4,
            },
            nato.token,
        )
        await post(
            "/adjudications",
            {
                "move_seq": move["seq"],
                "decision": "accept",
                "outcome": "They talk",
                "rationale": "Plausible",
            },
            run.facilitator_token,
        )
        await post(
            "/injects",
            {"title": "News", "body": "A report arrives.", "audience": "all"},
            run.facilitator_token,
        )
        await post("/notes", {"text": "Watch the hotline."}, run.facilitator_token)
        for _ in range(2):
            await common.control(http, run, "next_phase")
        await common.control(http, run, "end")
        return run.id


def big_document(small: dict[str, Any], events: int) -> dict[str, Any]:
    """The small export's shape with `events` events built from its own events as templates."""
    templates: dict[str, list[dict[str, Any]]] = {}
    for event in small["events"]:
        templates.setdefault(event["kind"], []).append(event)
    head = [e for e in small["events"] if e["kind"] in HEAD]
    phases = templates["phase.advanced"]
    team = next(e for e in templates["message.sent"] if e["payload"]["channel"] == "team")
    plenary = next(e for e in templates["message.sent"] if e["payload"]["channel"] == "plenary")
    move, ruling = templates["move.submitted"][0], templates["move.adjudicated"][0]
    inject, note = templates["inject.fired"][0], templates["note.added"][0]
    body = events - len(head) - len(phases) - 1
    out = [dict(e) for e in head]
    phase, last_move = head[-1]["phase"], 0

    def add(template: dict[str, Any], **payload: Any) -> None:
        out.append({**template, "phase": phase, "payload": {**template["payload"], **payload}})

    boundaries = {body * (k + 1) // (len(phases) + 1): k for k in range(len(phases))}
    for i in range(body):
        if i in boundaries:  # the phase advances at a third and two thirds
            phase = phases[boundaries[i]]["payload"]["to"]
            add(phases[boundaries[i]])
        r = i % 100
        if i % INJECT_EVERY == 0:
            add(inject, title={"en": f"News {i}"})
        elif r == 0 or r >= 30:
            add(team, text=f"Team {i}: should we call Moscow now?")
        elif r == 1:
            add(note, text=f"Note {i}: watch the hotline.")
        elif r < 8 and r % 2 == 0:
            last_move = len(out) + 1
            add(move, action=f"Call them ({i})")
        elif r < 8:
            add(ruling, move_seq=last_move, outcome=f"Outcome {i}")
        else:
            add(plenary, text=f"Plenary {i}: we see the same track.")
    add(templates["run.ended"][0])
    start = datetime.fromisoformat(head[-1]["ts"].replace("Z", "+00:00"))
    for seq, event in enumerate(out, start=1):
        event["seq"] = seq
        if seq > len(head):
            clock = DURATION * seq / len(out)
            event["clock"] = round(clock, 3)
            event["ts"] = (start + timedelta(seconds=clock)).isoformat().replace("+00:00", "Z")
    return {**small, "run": {**small["run"], "last_seq": len(out)}, "events": out}


# -- the suite ---------------------------------------------------------------------------------


async def suite(events: int) -> list[Timed]:
    with common.scratch_dir("export") as tmp:
        server = TtxServer(tmp / "small")
        try:
            server.start()
            run_id = await small_run(server)
        finally:
            server.stop()
        env = {
            **os.environ,
            "TTX_DATA_DIR": str(tmp / "small"),
            "TTX_DATABASE_URL": "",
            "TTX_SCENARIO_DIR": str(common.FIXTURES),
            "TTX_LOG_LEVEL": "warning",
        }
        small_file = tmp / "small.json"
        args = [
            "export",
            run_id,
            "--format",
            "json",
            "--include-notes",
            "--no-chatham",
            "-o",
            str(small_file),
        ]
        if timed("export small", args, env, small_file).returncode != 0:
            raise RuntimeError("could not export the small run")
        started = time.perf_counter()
        document = big_document(json.loads(small_file.read_text()), events)
        big_file = tmp / "big.json"
        big_file.write_text(json.dumps(document, ensure_ascii=False))
        built = time.perf_counter() - started
        print(
            f"  built {events} events in {built:.1f} s ({big_file.stat().st_size / 1e6:.1f} MB)",
            flush=True,
        )
        env["TTX_DATA_DIR"] = str(tmp / "big")
        results = [timed(f"ttx import ({events} events)", ["import", str(big_file)], env, None)]
        print(f"  import: {results[-1].seconds:.1f} s", flush=True)
        if results[-1].returncode != 0:
            raise RuntimeError("ttx import failed")
        for fmt in FORMATS:
            output = tmp / f"out.{fmt}"
            args = ["export", run_id, "--format", fmt, "-o", str(output)]
            results.append(timed(f"ttx export --format {fmt}", args, env, output))
            print(
                f"  {fmt}: {results[-1].seconds:.1f} s, {results[-1].peak_kib / 1024:.0f} MiB",
                flush=True,
            )
    return results


def report(results: list[Timed]) -> dict[str, Any]:
    print("\n## export: a run of 100,000 events, each command in its own process\n")
    print(common.table(HEADERS, [r.row() for r in results]))
    return {"results": [asdict(r) for r in results]}
