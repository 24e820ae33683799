"""The one settings object: every knob comes from a `TTX_` environment variable (or `.env`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TTX_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        Path("data"), description="Where the SQLite file and generated keys live."
    )
    database_url: str = Field(
        "", description="SQLAlchemy URL; empty means an SQLite file (WAL) in the data directory."
    )
    redis_url: str = Field(
        "", description="redis://… to share events between processes; empty: in-memory bus."
    )
    host: str = Field("127.0.0.1", description="Interface `ttx serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `ttx serve` listens on.")
    workers: int = Field(1, ge=1, le=64, description="uvicorn worker processes for `ttx serve`.")
    scenario_dir: Path = Field(Path("exercises"), description="The scenario library (YAML files).")
    facilitator_key: str = Field(
        "", description="Key that lets a facilitator create runs; generated when empty."
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to open websockets (besides the server's own host).",
    )
    public_url: str = Field("", description="Base URL printed in links, e.g. https://ttx.example.")
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="Proxies whose X-Forwarded-For names the client (comma-separated, or *).",
    )
    migrate_on_start: bool = Field(
        True, description="Apply pending migrations when the server starts."
    )
    auto_advance_phases: bool = Field(
        False, description="Default for new runs: advance the phase when its timebox ends."
    )
    ws_queue_size: int = Field(512, ge=8, description="Frames buffered per websocket client.")
    ws_resync_grace_seconds: float = Field(
        10.0,
        gt=0,
        description="Seconds a client that fell behind gets to take its resync frame before"
        " its connection is dropped.",
    )
    ws_heartbeat_seconds: float = Field(
        25.0, gt=0, description="Idle seconds before the server sends a heartbeat frame."
    )
    ws_compression: bool = Field(False, description="permessage-deflate on websockets.")
    rate_limit_per_minute: int = Field(
        60,
        ge=1,
        description="Messages, moves, hotline actions, recommendations and endorsements one"
        " participant may send per minute.",
    )
    log_level: str = Field("info", description="debug, info, warning or error.")
    log_json: bool = Field(False, description="One JSON object per log line (for collectors).")

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip().startswith("["):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("facilitator_key")
    @classmethod
    def _strong_key(cls, value: str) -> str:
        if value and len(value) < 16:
            raise ValueError(
                "TTX_FACILITATOR_KEY must be at least 16 characters (or empty: generated)"
            )
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ttx.sqlite3').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
