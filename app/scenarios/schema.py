"""The JSON Schema of the scenario format, generated from the models for editors to validate with."""

from __future__ import annotations

import json
from typing import Any

from app.scenarios.models import Scenario

SCHEMA_ID = "https://ttx.invalid/exercises/schema.json"


def scenario_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    return {
        **schema,
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ttx scenario",
        "description": "One tabletop exercise for ttx. Documented in docs/scenario-format.md.",
    }


def render() -> str:
    """The schema file's exact text (stable, so a test can tell when it is stale)."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
