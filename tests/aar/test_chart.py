"""The escalation chart: one self-contained SVG that a browser shows and a printer keeps, with
scenario text escaped however hostile it is."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from app.aar.chart import escalation_svg
from app.aar.escalation import escalation_series
from app.scenarios.models import Scenario
from tests.aar import Run, story
from tests.runs.machine import NATO

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert(1)</script>" onload="x'


def draw(m: Run, scenario: Scenario | None = None, **options) -> tuple[str, ET.Element]:
    scenario = scenario or m.scenario
    svg = escalation_svg(scenario, escalation_series(scenario, m.events), **options)
    return svg, ET.fromstring(svg)


def of_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in root.iter() if element.get("class") == name]


def tooltip(group: ET.Element) -> str:
    return group.find(f"{SVG}title").text or ""


def test_one_accessible_svg_with_a_title_and_a_description():
    _, root = draw(story()[0])
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("viewBox") == "0 0 800 320" and root.get("width") == "800"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and desc.tag == f"{SVG}desc"
    assert title.text == "Escalation over exercise time: Review exercise"
    assert "It starts at Tension, peaks at Crisis and ends at Tension." in desc.text
    assert "2 injects fired" in desc.text and "3 rulings" in desc.text


def test_one_triangle_per_inject_firing_with_a_tooltip_naming_it():
    _, root = draw(story()[0])
    injects = of_class(root, "inject")
    assert [tooltip(g) for g in injects] == [
        "1 min: Something happened",  # one marker for its three versions, by title (no id)
        "11 min 40 s: Press leak",  # whole seconds, not "11.7 min"
    ]
    assert all(g.find(f"{SVG}polygon") is not None for g in injects)


def test_one_circle_per_ruling_filled_by_decision():
    _, root = draw(story()[0])
    rulings = of_class(root, "ruling")
    assert [tooltip(g) for g in rulings] == [
        "7 min: Russia: move accepted, escalation -1",
        "8 min: NATO: move modified, escalation +2",
        "12 min 40 s: Russia: move rejected",
    ]
    fills = [g.find(f"{SVG}circle").get("fill") for g in rulings]
    assert fills == ["#000000", "#8c8c8c", "#ffffff"]  # filled, grey, open: readable in print


def test_a_label_per_level_lowest_at_the_bottom():
    _, root = draw(story()[0])
    labels = of_class(root, "level")
    assert [t.text for t in labels] == ["Calm", "Tension", "Crisis", "Conflict"]
    heights = [float(t.get("y")) for t in labels]
    assert heights == sorted(heights, reverse=True)


def test_russian_labels_fall_back_to_english():
    _, root = draw(story()[0], lang="ru")
    assert [t.text for t in of_class(root, "level")] == [
        "Спокойствие",
        "Tension",
        "Crisis",
        "Conflict",
    ]
    assert [tooltip(g) for g in of_class(root, "phase")] == ["Инцидент", "The response"]
    assert tooltip(of_class(root, "inject")[0]) == "1 мин: Что-то случилось"
    assert tooltip(of_class(root, "ruling")[0]) == "7 мин: Россия: ход принят, эскалация -1"
    assert tooltip(of_class(root, "ruling")[2]) == "12 мин 40 с: Россия: ход отклонён"
    assert not re.search(r"\d\.\d", root.find(f"{SVG}desc").text)  # no decimal point


def test_phases_are_alternating_bands_with_their_titles():
    _, root = draw(story()[0])
    phases = of_class(root, "phase")
    assert [tooltip(g) for g in phases] == ["The incident", "The response"]
    assert [g.find(f"{SVG}text").text for g in phases] == ["The incident", "The response"]
    fills = [g.find(f"{SVG}rect").get("fill") for g in phases]
    assert fills[0] != fills[1]
    widths = [float(g.find(f"{SVG}rect").get("width")) for g in phases]
    assert widths[0] == pytest.approx(2 * widths[1])  # 10 and 5 minutes


def test_the_level_is_a_step_line_and_the_time_axis_is_in_minutes():
    _, root = draw(story()[0])
    (line,) = of_class(root, "level-line")
    assert line.get("d").count("V") == 3  # three changes after the start
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Exercise time (minutes)" in texts
    assert all(str(minute) in texts for minute in range(0, 15, 2))  # 15 minutes, every 2


def test_nothing_that_could_run_or_load():
    svg, root = draw(story()[0])
    assert "<script" not in svg
    for element in root.iter():
        assert element.tag != f"{SVG}script"
        assert not [name for name in element.attrib if name.lower().startswith("on")]
        assert "style" not in element.attrib
        assert not [name for name in element.attrib if name.endswith("href")]


def hostile(scenario: Scenario) -> Scenario:
    """The same scenario with every text the chart shows replaced by markup."""
    data = scenario.model_dump(by_alias=True, exclude_none=True)
    data["metadata"]["title"] = {"en": EVIL, "ru": EVIL}
    for section, key in [("teams", "name"), ("phases", "title"), ("injects", "title")]:
        for item in data[section]:
            item[key] = {"en": EVIL, "ru": EVIL}
    for level in data["escalation"]["levels"]:
        level["label"] = {"en": EVIL}
    return Scenario.model_validate(data)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_scenario_text_appears_only_escaped(lang):
    m = Run()
    m.control("start")
    m.fire("first-report", at=60)
    m.rule(m.move(NATO, "deploy", at=90), "accept", 1, at=120)
    m.adhoc(EVIL, at=150)  # an ad-hoc inject's title comes from the log, not the scenario
    svg, root = draw(m, hostile(m.scenario), lang=lang)
    assert "<script" not in svg and '" onload="x' not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x" in svg
    assert root.find(f"{SVG}title").text.endswith(EVIL)  # the reader still sees the text
    assert [tooltip(g) for g in of_class(root, "inject")][-1].endswith(EVIL)
    assert all(EVIL in tooltip(g) for g in of_class(root, "ruling"))
    for element in root.iter():
        assert not [name for name in element.attrib if name.lower().startswith("on")]


def test_a_run_in_the_lobby_draws_its_ladder_and_a_flat_line():
    _, root = draw(Run())
    assert len(of_class(root, "level")) == 4
    assert of_class(root, "inject") == [] and of_class(root, "ruling") == []
    assert of_class(root, "phase") == []
    (line,) = of_class(root, "level-line")
    assert "V" not in line.get("d")


def test_long_labels_are_shortened_to_fit():
    m = Run()
    m.control("start")
    m.adhoc("x" * 300, at=30)
    m.say(NATO, "bye", at=60)
    data = m.scenario.model_dump(by_alias=True, exclude_none=True)
    data["escalation"]["levels"][0]["label"] = {"en": "A very long level name " * 10}
    _, root = draw(m, Scenario.model_validate(data), width=600, height=240)
    assert of_class(root, "level")[0].text.endswith("…")
    assert root.get("width") == "600"
