"""docker-compose.yml describes the workshop-server shape correctly (no Docker engine runs
here: the same topology is exercised with processes in tests/topology)."""

from __future__ import annotations

import re

import yaml

from app.config import Settings
from tests.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]


def test_the_services_and_their_order():
    assert set(SERVICES) == {"postgres", "redis", "migrate", "app"}
    assert SERVICES["postgres"]["healthcheck"]["test"]
    assert any(
        volume.endswith(":/var/lib/postgresql/data") for volume in SERVICES["postgres"]["volumes"]
    )
    assert "pgdata" in COMPOSE["volumes"]
    assert SERVICES["redis"]["healthcheck"]["test"]
    assert SERVICES["migrate"]["command"] == ["ttx", "db", "upgrade"]
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    app = SERVICES["app"]
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert app["depends_on"]["redis"]["condition"] == "service_healthy"
    assert app["command"][:2] == ["ttx", "serve"]


def test_the_app_runs_several_workers_on_postgres_and_redis():
    env = SERVICES["app"]["environment"]
    assert (
        env["TTX_DATABASE_URL"].startswith("postgresql+psycopg://")
        and "@postgres:5432/" in env["TTX_DATABASE_URL"]
    )
    assert env["TTX_REDIS_URL"].startswith("redis://redis:6379")
    assert int(re.sub(r"\$\{TTX_WORKERS:-(\d+)\}", r"\1", str(env["TTX_WORKERS"]))) > 1
    assert env["TTX_MIGRATE_ON_START"] == "false"  # the migrate step does it, once


def test_every_variable_is_a_real_setting():
    settings = {f"TTX_{name.upper()}" for name in Settings.model_fields}
    for name in ("migrate", "app"):
        unknown = set(SERVICES[name]["environment"]) - settings
        assert not unknown, f"{name} sets variables ttx does not read: {unknown}"


def test_the_deployment_guide_names_every_service():
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    for service in SERVICES:
        assert f"`{service}`" in guide


def test_the_image_installs_ttx_with_its_postgres_and_redis_extras():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install -e '.[postgres,redis]'" in dockerfile
    for folder in ("app", "migrations", "frontend", "exercises"):
        assert f"COPY {folder} ./{folder}" in dockerfile
