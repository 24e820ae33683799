"""Shared fixtures. Servers, databases and browsers are real; see tests/support/."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "scenarios" / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def minimal_yaml() -> bytes:
    return (FIXTURES / "minimal.yaml").read_bytes()
