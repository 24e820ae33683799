"""docs/scenario-format.md stays true: its example validates and every field is documented."""

from __future__ import annotations

import re

from pydantic import BaseModel

from app.scenarios import models
from app.scenarios.validate import parse
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")


def test_the_example_scenario_is_valid():
    blocks = re.findall(r"```yaml\n(.*?)```", DOC, flags=re.S)
    example = next(
        block
        for block in blocks
        if block.lstrip().startswith(("metadata:", "#")) and "injects:" in block
    )
    scenario = parse(example.encode(), "docs example")
    assert scenario.injects and scenario.objectives


def test_every_field_of_every_model_is_documented():
    undocumented = [
        f"{model.__name__}.{field.alias or name}"
        for model in vars(models).values()
        if isinstance(model, type)
        and issubclass(model, BaseModel)
        and model.__module__ == models.__name__
        for name, field in model.model_fields.items()
        if f"`{field.alias or name}`" not in DOC
    ]
    assert not undocumented, f"document in docs/scenario-format.md: {undocumented}"
