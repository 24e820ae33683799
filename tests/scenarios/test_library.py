"""The scenario library in exercises/: every file valid and each fit to be played."""

from __future__ import annotations

import pytest

from app.scenarios.library import Library, scenario_files
from app.scenarios.models import Scenario
from tests.conftest import ROOT

EXERCISES = ROOT / "exercises"
REQUIRED = {
    "baltic-air-near-miss",
    "black-sea-incident",
    "baltic-grid-cyber",
    "snap-exercise",
    "missile-test-gps-jamming",
}
library = Library.load(EXERCISES)


def test_every_file_is_valid_and_loaded():
    assert library.problems == [], "\n".join(str(p) for p in library.problems)
    assert set(library.scenarios) >= REQUIRED
    for scenario_id, path in library.files.items():
        assert path.stem == scenario_id, "the file name is the scenario id"
    assert len(scenario_files(EXERCISES)) == len(library.scenarios)


@pytest.mark.parametrize("scenario_id", sorted(REQUIRED))
def test_each_scenario_is_playable(scenario_id: str):
    s: Scenario = library.scenarios[scenario_id]
    assert {t.id for t in s.teams} >= {"nato", "russia"}
    assert len(s.phases) >= 3 and all(p.questions for p in s.phases)
    assert len(s.injects) >= 10
    assert any(i.contingency_for for i in s.injects), "a contingency inject"
    assert any({"nato", "russia"} <= set(i.variants) for i in s.injects), (
        "an inject as each side sees it"
    )
    assert any(i.offset_seconds is not None for i in s.injects), "scheduled injects"
    assert {i.phase for i in s.injects} == {p.id for p in s.phases}, "injects in every phase"
    assert s.objectives and any(o.check for o in s.objectives), "machine-checkable objectives"
    assert s.metadata.title.ru and s.metadata.summary.ru
    assert all(i.title.ru for i in s.injects), "inject titles in Russian"
    assert s.metadata.measures, "the measures it tests, for the home page"
    assert s.background.briefings.keys() >= {"nato", "russia"}
