"""`parse` reports every mistake of a scenario with its line, column and field path."""

from __future__ import annotations

import pytest

from app.scenarios.validate import Diagnostic, ScenarioInvalid, format_path, parse


def problems(text: str) -> list[Diagnostic]:
    with pytest.raises(ScenarioInvalid) as caught:
        parse(text.encode(), "s.yaml")
    return caught.value.diagnostics


def only(text: str) -> Diagnostic:
    found = problems(text)
    assert len(found) == 1, [str(d) for d in found]
    return found[0]


def edit(source: bytes, old: str, new: str) -> str:
    text = source.decode()
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_minimal_scenario_is_valid(minimal_yaml):
    scenario = parse(minimal_yaml, "minimal.yaml")
    assert scenario.id == "minimal"
    assert scenario.injects[0].offset_seconds == 5
    assert scenario.injects[1].offset_seconds is None
    assert scenario.hotline_teams == ("nato", "russia")
    assert scenario.metadata.chatham_house is True  # the Rule applies unless a scenario says not
    assert scenario.metadata.marking.en.startswith("EXERCISE")


def test_missing_required_field_points_at_its_mapping(minimal_yaml):
    text = edit(minimal_yaml, "    from: Embassy\n", "")
    d = only(text)
    assert d.path == "injects[1].from"
    assert "required field 'from' is missing" in d.message
    assert d.line == line_of(text, "- id: nudge")


def test_wrong_type_names_what_was_expected(minimal_yaml):
    text = edit(minimal_yaml, "duration_minutes: 30", "duration_minutes: half an hour")
    d = only(text)
    assert (d.path, d.line, d.column) == (
        "metadata.duration_minutes",
        line_of(text, "half an hour"),
        21,
    )
    assert "expected a whole number" in d.message and "'half an hour'" in d.message


def test_unknown_key_suggests_the_intended_one(minimal_yaml):
    text = edit(minimal_yaml, "    controller_notes: Watch", "    controler_notes: Watch")
    d = only(text)
    assert d.path == "injects[0].controler_notes"
    assert "unknown key 'controler_notes'" in d.message
    assert "did you mean 'controller_notes'?" in d.message
    assert (d.line, d.column) == (line_of(text, "controler_notes"), 5)  # at the key itself


def test_unknown_top_level_section(minimal_yaml):
    found = problems(
        edit(minimal_yaml, "objectives:\n  - id: hotline", "objectifs:\n  - id: hotline")
    )
    typo = next(d for d in found if d.path == "objectifs")
    assert "unknown key 'objectifs' (did you mean 'objectives'?)" in typo.message
    # the references to the objectives it no longer defines are reported too
    assert {d.path for d in found} == {
        "objectifs",
        "injects[0].objectives[0]",
        "moves[0].objectives[0]",
    }


def test_duplicate_ids(minimal_yaml):
    text = edit(minimal_yaml, "  - id: nudge", "  - id: first-report")
    found = problems(text)
    duplicate = next(d for d in found if "duplicate" in d.message)
    assert duplicate.path == "injects[1].id"
    assert "duplicate inject id 'first-report' (first used by injects[0])" in duplicate.message
    second = [i for i, line in enumerate(text.splitlines(), 1) if line == "  - id: first-report"][1]
    assert (duplicate.line, duplicate.column) == (second, 9)


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "    phase: incident\n",
            "    phase: incidnet\n",
            "injects[0].phase",
            "unknown phase 'incidnet' (did you mean 'incident'?)",
        ),
        (
            "      russia: {body: The MoD",
            "      rusia: {body: The MoD",
            "injects[0].variants.rusia",
            "unknown team 'rusia' (did you mean 'russia'?)",
        ),
        (
            "objectives: [hotline]\n    controller",
            "objectives: [hotlne]\n    controller",
            "injects[0].objectives[0]",
            "unknown objective 'hotlne'",
        ),
        (
            "contingency_for: first-report",
            "contingency_for: first-reprot",
            "injects[1].contingency_for",
            "unknown inject 'first-reprot'",
        ),
        ("start: tension", "start: calmm", "escalation.start", "unknown escalation level 'calmm'"),
        (
            "after_inject: first-report",
            "after_inject: nudgee",
            "objectives[0].check.after_inject",
            "unknown inject 'nudgee'",
        ),
        (
            "    russia: {en: Russia's",
            "    moscow: {en: Russia's",
            "background.briefings.moscow",
            "unknown team 'moscow'",
        ),
        (
            "[{team: nato, text: Call the hotline}]",
            "[{team: otan, text: Call the hotline}]",
            "injects[0].expected_actions[0].team",
            "unknown team 'otan'",
        ),
    ],
)
def test_dangling_references(minimal_yaml, old, new, path, message):
    text = edit(minimal_yaml, old, new)
    d = only(text)
    assert d.path == path
    assert message in d.message
    assert d.line == line_of(text, new.strip().split("\n")[0][:20])


def test_audience_must_name_teams(minimal_yaml):
    text = edit(
        minimal_yaml,
        "    channel: diplomatic_cable",
        "    audience: [nato, ukraine]\n    channel: diplomatic_cable",
    )
    d = only(text)
    assert d.path == "injects[1].audience[1]" and "unknown team 'ukraine'" in d.message


@pytest.mark.parametrize("offset", ["00:05", "+5:00", "+00:61:00", "soon", "+00:00:5"])
def test_malformed_offset(minimal_yaml, offset):
    text = edit(minimal_yaml, 'trigger: "+00:00:05"', f'trigger: "{offset}"')
    d = only(text)
    assert d.path == "injects[0].trigger"
    assert "'+HH:MM:SS'" in d.message and repr(offset) in d.message
    assert d.line == line_of(text, "trigger:")


def test_unknown_enum_value_suggests(minimal_yaml):
    d = only(edit(minimal_yaml, "category: military", "category: militray"))
    assert d.path == "moves[1].category" and "did you mean 'military'?" in d.message


def test_reserved_team_ids(minimal_yaml):
    d = only(
        edit(minimal_yaml, "  - id: russia\n", "  - id: observers\n").replace(
            "russia:", "observers:"
        )
    )
    assert d.path == "teams[1].id" and "built-in team" in d.message


def test_every_error_is_reported_at_once(minimal_yaml):
    text = minimal_yaml.decode()
    for old, new in [
        ("duration_minutes: 30", "duration_minutes: -1"),
        ("    phase: incident\n", "    phase: nowhere\n"),
        ("    from: Embassy\n", "    form: Embassy\n"),
        ("start: tension", "start: war"),
    ]:
        text = text.replace(old, new, 1)
    found = problems(text)
    assert [d.line for d in found] == sorted(d.line for d in found)  # in file order
    assert {d.path for d in found} == {
        "metadata.duration_minutes",
        "injects[0].phase",
        "injects[1].from",
        "injects[1].form",
        "escalation.start",
    }


def test_bilingual_titles_need_russian(minimal_yaml):
    d = only(
        edit(
            minimal_yaml,
            "title: {en: Minimal exercise, ru: Минимальное учение}",
            "title: Minimal exercise",
        )
    )
    assert d.path == "metadata.title.ru" and "required" in d.message


def test_check_needs_its_fields(minimal_yaml):
    d = only(
        edit(
            minimal_yaml,
            "check: {kind: hotline_contact, after_inject: first-report, within_minutes: 5}",
            "check: {kind: hotline_contact}",
        )
    )
    assert d.path == "objectives[0].check" and "needs within_minutes" in d.message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "file is empty"),
        (b"metadata: [", "not valid YAML"),
        (b"- just\n- a list\n", "top level must be a mapping"),
        (b"metadata:\n  id: \xff\n", "not valid UTF-8"),
    ],
)
def test_unreadable_files_get_one_clear_diagnostic(raw, message):
    with pytest.raises(ScenarioInvalid) as caught:
        parse(raw, "bad.yaml")
    (d,) = caught.value.diagnostics
    assert d.file == "bad.yaml" and message in d.message and d.line >= 1 and d.column >= 1


def test_diagnostic_format():
    d = Diagnostic("a.yaml", 3, 5, "injects[2].audience[0]", "unknown team 'x'")
    assert str(d) == "a.yaml:3:5: injects[2].audience[0]: unknown team 'x'"
    assert format_path(("injects", 3, "audience", 0)) == "injects[3].audience[0]"


def test_variants_must_reach_someone(minimal_yaml):
    text = edit(
        minimal_yaml,
        "    channel: news\n    from: Wire service",
        "    audience: [nato]\n    channel: news\n    from: Wire service",
    )
    d = only(text)
    assert d.path == "injects[0].variants.russia" and "never sent" in d.message


def test_audience_lists_a_team_once(minimal_yaml):
    d = only(
        edit(
            minimal_yaml,
            "    channel: diplomatic_cable",
            "    audience: [nato, russia, nato]\n    channel: diplomatic_cable",
        )
    )
    assert d.path == "injects[1].audience[2]" and "listed twice" in d.message


def test_version_message(minimal_yaml):
    d = only(edit(minimal_yaml, 'version: "1.0"', "version: one"))
    assert d.path == "metadata.version" and 'like "1.0"' in d.message


def test_a_single_team_as_audience_is_checked_too(minimal_yaml):
    d = only(edit(minimal_yaml, "    audience: all", "    audience: natoo"))
    assert (
        d.path == "injects[2].audience"
        and "unknown team 'natoo' (did you mean 'nato'?)" in d.message
    )
    d = only(edit(minimal_yaml, "    audience: all", "    audience: white_cell"))
    assert "unknown team 'white_cell'" in d.message


def test_every_mistake_is_reported_with_a_duplicate_key_a_tag_and_a_bad_date(minimal_yaml):
    text = edit(minimal_yaml, "duration_minutes: 30", "duration_minutes: half an hour")
    text = text.replace("    from: Embassy\n", "    from: Embassy\n    from: Consulate\n", 1)
    text = text.replace("    body: Has anyone called?", "    body: !!python/object:os.system ls", 1)
    text = text.replace("    escalation: 1\n", "    escalation: !!int abc\n", 1)
    found = {(d.path, d.message.split(" (")[0].split(";")[0]) for d in problems(text)}
    assert found == {
        ("metadata.duration_minutes", "expected a whole number, got 'half an hour'"),
        ("injects[1].from", "duplicate key 'from'"),
        ("injects[1].body", "the YAML tag !!python/object:os.system is not allowed"),
        ("injects[1].escalation", "the YAML tag !!int is not allowed"),
    }


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("duration_minutes: 30", 'duration_minutes: "30"', "metadata.duration_minutes"),
        ("    escalation: 1\n", '    escalation: "+1"\n', "injects[1].escalation"),
        ("    escalation: 1\n", "    escalation: true\n", "injects[1].escalation"),
        ('trigger: "+00:00:05"', 'trigger: "+00:00:05\\n"', "injects[0].trigger"),
    ],
)
def test_numbers_are_not_quoted_and_offsets_are_exact(minimal_yaml, old, new, path):
    assert only(edit(minimal_yaml, old, new)).path == path


def test_a_misspelt_key_is_pointed_at_where_it_is_written(minimal_yaml):
    text = edit(minimal_yaml, "      russia: {body: The MoD", "      rusia: {body: The MoD")
    d = only(text)
    assert d.path == "injects[0].variants.rusia"
    assert (d.line, d.column) == (line_of(text, "rusia:"), 7)  # the key, not its value
    text = edit(minimal_yaml, "    nato: NATO's private", "    natoo: NATO's private")
    d = only(text)
    assert (d.line, d.column) == (line_of(text, "natoo:"), 5)


def test_long_values_are_quoted_short():
    long = "x" * 50_000
    found = problems(f"metadata: {{id: {long}}}\nteams: [{{id: a, name: {long}}}]\n")
    assert all(len(str(d)) < 2_000 for d in found)


def test_lists_that_repeat_an_item(minimal_yaml):
    d = only(
        edit(
            minimal_yaml,
            "    objectives: [hotline]\n    controller_notes",
            "    objectives: [hotline, hotline]\n    controller_notes",
        )
    )
    assert d.path == "injects[0].objectives[1]" and "listed twice" in d.message


def test_a_bad_merge_key_does_not_hide_the_other_mistakes(minimal_yaml):
    text = edit(
        minimal_yaml, "  - id: nudge\n", "  - id: nudge\n    <<: not-an-alias\n    titel: x\n"
    )
    found = {d.path for d in problems(text)}
    assert {"injects[1].<<", "injects[1].titel"} <= found


def test_look_alike_letters_are_named(minimal_yaml):
    text = edit(minimal_yaml, "    from: Embassy", "    frоm: Embassy")  # a Cyrillic о
    messages = [d.message for d in problems(text)]
    assert any("U+043E CYRILLIC SMALL LETTER O" in m for m in messages), messages


def test_an_emptied_optional_list_means_none(minimal_yaml):
    text = edit(
        minimal_yaml,
        "    objectives: [hotline]\n    controller_notes",
        "    objectives:\n    controller_notes",
    )
    parse(text.encode(), "s.yaml")  # `objectives:` with nothing after it is no objectives


def test_a_malformed_section_is_reported_once(minimal_yaml):
    text = edit(minimal_yaml, "teams:\n", "teams: {nato: 1}\nwas_teams:\n")
    paths = [d.path for d in problems(text)]
    assert not any("unknown team" in d.message for d in problems(text)), paths


def test_a_plain_string_is_not_reported_under_en(minimal_yaml):
    d = only(edit(minimal_yaml, "    title: A nudge", '    title: ""'))
    assert d.path == "injects[1].title"


def test_a_too_long_text_says_how_long(minimal_yaml):
    d = only(edit(minimal_yaml, "    title: A nudge", "    title: " + "x" * 20_001))
    assert "at most 20,000 characters, got 20,001" in d.message


THIRD_TEAM = "  - id: russia\n    name: {en: Russia, ru: Россия}\n"
NORWAY = THIRD_TEAM + "  - id: norway\n    name: {en: Norway, ru: Норвегия}\n"
CHECK = "    check: {kind: hotline_contact, after_inject: first-report, within_minutes: 5}"


@pytest.mark.parametrize(
    ("check", "path", "message"),
    [
        ("{kind: move, move_types: [call, call]}", "move_types[1]", "move type 'call' is listed"),
        ("{kind: move, categories: [cyber, cyber]}", "categories[1]", "category 'cyber' is listed"),
        ("{kind: move, move_types: [call], teams: [nato, nato]}", "teams[1]", "team 'nato' is"),
        ("{kind: move, move_types: [call], teams: []}", "teams", "at least 1 item(s)"),
        # an empty list is said once, not also as a missing field
        ("{kind: no_move, move_types: []}", "move_types", "at least 1 item(s)"),
    ],
)
def test_a_check_lists_each_item_once_and_none_empty(minimal_yaml, check, path, message):
    d = only(edit(minimal_yaml, CHECK, f"    check: {check}"))
    assert d.path == f"objectives[0].check.{path}" and message in d.message


def test_a_hotline_message_check_names_teams_on_the_hotline_only(minimal_yaml):
    text = edit(minimal_yaml, THIRD_TEAM, NORWAY)
    text = edit(
        text.encode(), CHECK, "    check: {kind: message, channel: hotline, teams: [nato, norway]}"
    )
    d = only(text)
    assert d.path == "objectives[0].check.teams[1]"
    assert "'norway' is not on the hotline, which joins 'nato' and 'russia'" in d.message
    assert "can never be met" in d.message
    # a team channel is another matter; so is a hotline that joins norway
    only_team = edit(text.encode(), "channel: hotline", "channel: team")
    parse(only_team.encode(), "s.yaml")
    rules = "rules:\n  hotline: {teams: [nato, norway]}\n"
    text = edit(text.encode(), "teams: [nato, norway]}", "teams: [norway]}") + rules
    parse(text.encode(), "s.yaml")


def test_control_characters_in_keys_and_values_are_shown_as_escapes(minimal_yaml):
    text = edit(minimal_yaml, "    escalation: 1\n", '    "con\\ntingency": x\n')
    d = only(text)
    assert d.path == "injects[1].con\\ntingency" and "\n" not in str(d)
    assert "the control character U+000A at position 4" in d.message
    assert "looks like" not in d.message
    d = only(edit(minimal_yaml, "    audience: all", '    audience: "a\\tb\\u200b"'))
    assert "\t" not in str(d) and "\u200b" not in str(d) and "'a\\tb\\u200b'" in d.message


@pytest.mark.parametrize(
    ("key", "says", "not_said"),
    [
        ('"\\e[31mred"', "the control character U+001B at position 1", "looks like"),
        ("🚀", "U+1F680 ROCKET at position 1 is not allowed in a key", "looks like"),
        ("frоm", "U+043E CYRILLIC SMALL LETTER O at position 3, which only looks like 'o'", "!"),
        ('"fr\\u200bom"', "the invisible U+200B ZERO WIDTH SPACE at position 3", "looks like"),
    ],
)
def test_an_odd_character_in_a_key_is_called_what_it_is(minimal_yaml, key, says, not_said):
    found = problems(edit(minimal_yaml, "    escalation: 1\n", f"    {key}: 1\n"))
    (d,) = [d for d in found if "unknown key" in d.message]
    assert says in d.message and not_said not in d.message


def test_a_look_alike_letter_in_a_reference_is_named(minimal_yaml):
    d = only(edit(minimal_yaml, "    audience: all", "    audience: [nаto]"))
    assert "unknown team 'nаto'; it has U+0430 CYRILLIC SMALL LETTER A at position 2" in d.message
    assert "(did you mean 'nato'?)" in d.message


def test_a_declared_id_with_a_look_alike_letter_is_reported_once(minimal_yaml):
    d = only(edit(minimal_yaml, "  - id: nato\n", "  - id: nаto\n"))  # a Cyrillic а
    assert d.path == "teams[0].id" and "CYRILLIC SMALL LETTER A" in d.message


def test_a_wrong_audience_is_not_also_blamed_on_the_variants(minimal_yaml):
    text = edit(minimal_yaml, "    variants:\n", "    audience: ALL\n    variants:\n")
    d = only(text)
    assert d.path == "injects[0].audience" and "(did you mean 'all'?)" in d.message


def test_a_reference_that_is_not_an_id_is_said_once(minimal_yaml):
    d = only(edit(minimal_yaml, "  start: tension", "  start: Tension"))
    assert "unknown escalation level 'Tension' (did you mean 'tension'?)" in d.message


def test_a_mistake_in_an_anchor_merged_twice_is_said_once(minimal_yaml):
    text = edit(minimal_yaml, "    from: Wire service\n", "    <<: &wire {from: Wire, fro: x}\n")
    text = edit(text.encode(), "    from: Embassy\n", "    <<: *wire\n")
    d = only(text)
    assert "unknown key 'fro'" in d.message and d.line == line_of(text, "&wire")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    variants:\n      nato: {body: Radar shows a track., channel: military_report}\n"
            "      russia: {body: The MoD issues a statement., from: MoD}\n",
            "    variants: [{body: Radar}]\n",
            "expected a mapping of team id → variant, got [{'body': 'Radar'}]",
        ),
        (
            "  - id: nudge\n",
            f"  - id: {'n' * 65}\n",
            "expected an id of at most 64 characters, got 65",
        ),
        ("    escalation: 1\n", "    escalation: 1e3\n", "expected a whole number, got '1e3'"),
        ("    escalation: 1\n", '    escalation: "1"\n', "expected a whole number (unquoted)"),
        (
            "    nato: NATO's",
            "    on: NATO's",
            "'on' was read as true (yes/no/on/off are true/false",
        ),
        ("    nato: NATO's", "    1: NATO's", "'1' was read as a number: quote it, \"1\":"),
        ("ru: Минимальное учение}", "rо: Минимальное учение}", "(did you mean 'ru'?)"),
        ("ru: Минимальное учение}", "ro: Минимальное учение}", "(did you mean 'ru'?)"),
    ],
)
def test_messages_say_what_was_read(minimal_yaml, old, new, message):
    found = problems(edit(minimal_yaml, old, new))
    assert any(message in d.message for d in found), [str(d) for d in found]
