"""The `ttx` command line, as an author or operator uses it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from tests.conftest import FIXTURES

runner = CliRunner()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_validate_accepts_a_good_file():
    result = runner.invoke(cli, ["validate", str(FIXTURES / "minimal.yaml")])
    assert result.exit_code == 0, result.output
    assert "ok (minimal 1.0: 3 phases, 3 injects)" in result.output


def test_validate_reports_every_problem_of_every_file_and_fails(tmp_path, minimal_yaml):
    bad = minimal_yaml.replace(b"phase: response\n", b"phase: respons\n").replace(
        b"from: Embassy", b"form: Embassy"
    )
    one = write(tmp_path, "one.yaml", bad)
    two = write(tmp_path, "two.yaml", b"- not a mapping\n")
    result = runner.invoke(cli, ["validate", str(one), str(two)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.startswith(f"{one}:") and "injects[1].phase: unknown phase 'respons'" in line
        for line in lines
    )
    assert any(
        line.startswith(f"{one}:")
        and "injects[1].form: unknown key 'form' (did you mean 'from'?)" in line
        for line in lines
    )
    assert any(
        line.startswith(f"{two}:1:1:") and "top level must be a mapping" in line for line in lines
    )


def test_validate_takes_directories_and_speaks_json(tmp_path, minimal_yaml):
    write(tmp_path, "good.yaml", minimal_yaml)
    write(
        tmp_path, "bad.yml", minimal_yaml.replace(b"duration_minutes: 30", b"duration_minutes: x")
    )
    result = runner.invoke(cli, ["validate", "--json", str(tmp_path)])
    assert result.exit_code == 1
    (problem,) = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert (
        problem["path"] == "metadata.duration_minutes"
        and problem["line"] == 7
        and problem["column"] == 21
    )


def test_validate_refuses_oversized_files(tmp_path):
    big = write(tmp_path, "big.yaml", b"a: " + b"x" * (1024 * 1024 + 10))
    result = runner.invoke(cli, ["validate", str(big)])
    assert result.exit_code == 1 and "at most 1 MiB" in result.output


def test_validate_with_nothing_to_check(tmp_path):
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 2


def test_schema_check_detects_a_stale_file(tmp_path):
    target = tmp_path / "schema.json"
    assert runner.invoke(cli, ["schema", "--output", str(target)]).exit_code == 0
    assert runner.invoke(cli, ["schema", "--output", str(target), "--check"]).exit_code == 0
    target.write_text("{}")
    result = runner.invoke(cli, ["schema", "--output", str(target), "--check"])
    assert result.exit_code == 1 and "stale" in result.output


def test_run_create_prints_a_working_token_and_codes(tmp_path):
    import os
    import re
    import subprocess
    import sys

    import httpx

    from tests.support.server import Server

    database = f"sqlite:///{tmp_path / 'ttx.sqlite3'}"
    env = {
        **os.environ,
        "TTX_DATA_DIR": str(tmp_path),
        "TTX_DATABASE_URL": database,
        "TTX_SCENARIO_DIR": str(FIXTURES),
    }
    ttx = [sys.executable, "-m", "app.cli"]
    done = subprocess.run(
        [*ttx, "run", "create", "minimal", "--title", "Workshop A"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    run_id = re.search(r"run (\w+) of minimal", done.stdout).group(1)
    token = re.search(r"#token=(\S+)", done.stdout).group(1)
    codes = dict(re.findall(r"join code\s+(\w+): (\w+)", done.stdout))
    assert set(codes) == {"nato", "russia", "observers", "white_cell"}
    missing = subprocess.run(
        [*ttx, "run", "create", "minimall"], env=env, capture_output=True, text=True
    )
    assert missing.returncode == 1 and "did you mean 'minimal'" in missing.stderr
    current = subprocess.run(
        [*ttx, "db", "current"], env=env, capture_output=True, text=True, check=True
    )
    assert current.stdout.strip()  # migrated

    server = Server(tmp_path, database, FIXTURES).start()
    try:
        state = httpx.get(
            f"{server.url}/api/runs/{run_id}", headers={"Authorization": f"Bearer {token}"}
        ).json()
        assert state["title"] == "Workshop A" and state["join_codes"] == codes
    finally:
        server.stop()


def test_validate_reads_only_regular_files(tmp_path, minimal_yaml):
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # reading it would block for ever
    (tmp_path / "folder.yaml").mkdir()  # not a scenario file, though its name says so
    write(tmp_path, "good.yaml", minimal_yaml)
    result = runner.invoke(cli, ["validate", str(fifo), "/dev/zero"])
    assert result.exit_code == 1
    assert f"{fifo}:1:1: cannot read file: not a regular file" in result.output
    assert "/dev/zero:1:1: cannot read file: not a regular file" in result.output
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert "folder.yaml" not in result.output and "good.yaml: ok" in result.output


def test_validate_says_when_a_directory_holds_nothing(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(cli, ["validate", str(FIXTURES / "minimal.yaml"), str(empty)])
    assert result.exit_code == 2 and "no scenario files" in result.output


def test_validate_counts_the_files_with_problems(tmp_path, minimal_yaml):
    bad = write(tmp_path, "bad.yaml", b"- a list\n")
    good = write(tmp_path, "good.yaml", minimal_yaml)
    result = runner.invoke(cli, ["validate", str(bad), str(good)])
    assert result.exit_code == 1 and "1 problem(s) in 1 of 2 file(s)" in result.output


def test_validate_without_paths_says_so():
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 2 and "no scenario files given" in result.output
