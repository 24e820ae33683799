"""Settings: one object, TTX_ variables, fail fast on bad values, all documented."""

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from app.config import Settings
from tests.conftest import ROOT


def test_defaults_are_the_laptop_shape(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'data' / 'ttx.sqlite3'}"
    assert settings.is_sqlite and settings.redis_url == "" and settings.port == 8000


def test_environment_variables(monkeypatch):
    monkeypatch.setenv("TTX_ALLOWED_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("TTX_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("TTX_PORT", "9000")
    settings = Settings()
    assert settings.allowed_origins == ["https://a.example", "https://b.example"]
    assert (
        settings.resolved_database_url == "postgresql+psycopg://u@h/db" and not settings.is_sqlite
    )
    assert settings.port == 9000


@pytest.mark.parametrize(
    ("name", "value"), [("TTX_PORT", "0"), ("TTX_PORT", "http"), ("TTX_FACILITATOR_KEY", "short")]
)
def test_bad_values_stop_the_server_with_the_reason(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert name.removeprefix("TTX_").lower() in str(refused.value)


def test_the_command_names_each_bad_setting_without_a_traceback(tmp_path):
    env = {**os.environ, "TTX_PORT": "http", "TTX_FACILITATOR_KEY": "short"}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines() == [
        "ttx: setting TTX_PORT: Input should be a valid integer, unable to parse string as an"
        " integer",
        "ttx: setting TTX_FACILITATOR_KEY: TTX_FACILITATOR_KEY must be at least 16 characters"
        " (or empty: generated)",
    ]


def test_every_setting_is_documented():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [
        f"TTX_{name.upper()}"
        for name in Settings.model_fields
        if f"`TTX_{name.upper()}`" not in doc
    ]
    assert not missing, f"document these in docs/configuration.md: {missing}"
