"""exercises/schema.json is generated from the models and must never go stale."""

import json

import jsonschema
import yaml

from app.scenarios.schema import render
from tests.conftest import FIXTURES, ROOT


def test_committed_schema_is_up_to_date():
    committed = (ROOT / "exercises" / "schema.json").read_text(encoding="utf-8")
    assert committed == render(), "exercises/schema.json is stale: run `ttx schema`"


def test_editors_accept_a_valid_scenario_and_flag_a_typo():
    schema = json.loads(render())
    data = yaml.safe_load((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)  # plain strings are allowed where text is expected
    data["metadata"]["titel"] = "typo"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert any("titel" in error.message for error in errors)


def test_editors_are_told_what_ttx_refuses_beyond_types():
    """Rules that are not cross-references are in the schema too: built-in team ids, and the
    fields each kind of objective check needs."""
    schema = json.loads(render())
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"))
    data["teams"][0]["id"] = "observers"
    data["objectives"][0]["check"] = {"kind": "escalation_max"}
    errors = [".".join(map(str, e.absolute_path)) for e in validator.iter_errors(data)]
    assert "teams.0.id" in errors and "objectives.0.check" in errors
