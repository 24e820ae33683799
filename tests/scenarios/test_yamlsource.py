"""Reading YAML safely: every malformed input is refused with a position, quickly."""

import time

import pytest

from app.scenarios import yamlsource
from app.scenarios.yamlsource import SourceError, load


def refused(raw: bytes) -> SourceError:
    with pytest.raises(SourceError) as caught:
        load(raw)
    return caught.value


def test_values_and_positions_are_recorded():
    doc = load(b"metadata:\n  id: x\nteams:\n  - id: a\n  - id: b\n")
    assert doc.data == {"metadata": {"id": "x"}, "teams": [{"id": "a"}, {"id": "b"}]}
    assert doc.position(("teams", 1, "id")) == yamlsource.Position(5, 9)
    assert doc.position(("teams", 1, "id"), key=True) == yamlsource.Position(5, 5)
    # a path that does not exist falls back to its nearest ancestor
    assert doc.position(("teams", 1, "name")) == yamlsource.Position(5, 5)


@pytest.mark.parametrize(
    ("raw", "message", "line"),
    [
        (b"", "file is empty", None),
        (b"   \n\n", "file is empty", None),
        (b"- a\n- b\n", "top level must be a mapping", 1),
        (b"just text\n", "not a single value", None),
        (b"a: [1,\n", "not valid YAML", 2),
        (b"a: 1\n  b: 2\n", "not valid YAML", 2),
        (b"a: 1\n---\nb: 2\n", "more than one YAML document", 2),
        (b"a: 1\x00\n", "U+0000 is not allowed", 1),
    ],
)
def test_malformed_documents(raw, message, line):
    error = refused(raw)
    assert message in error.message
    if line is not None:
        assert error.position is not None and error.position.line == line


@pytest.mark.parametrize(
    ("raw", "message", "at", "path"),
    [
        (b"a: 1\na: 2\nb: x\n", "duplicate key 'a' (first at line 1)", (2, 1), ("a",)),
        (b"? [1, 2]\n: x\nb: 1\n", "mapping keys must be plain strings", (1, 3), ()),
        (
            b"x: !!python/object:os.system ls\n",
            "the YAML tag !!python/object:os.system is not allowed",
            (1, 4),
            ("x",),
        ),
        (b"x: !!binary ZHJvbmU=\n", "tag !!binary is not allowed", (1, 4), ("x",)),
        (b"x: !!python/object:builtins.dict {en: a}\n", "is not allowed", (1, 4), ("x",)),
        (b"x: !!map [a]\n", "tag !!map is not allowed", (1, 4), ("x",)),
        (b"x: !!int abc\n", "tag !!int is not allowed", (1, 4), ("x",)),
        (b"x: !custom 1\n", "tag !custom is not allowed", (1, 4), ("x",)),
        # a core tag is a tag too, and the non-specific '!': shown as written
        (b"x: !!str 1.2\nb: 1\n", "tag !!str is not allowed", (1, 4), ("x",)),
        (b"x: !!int '-2'\nb: 1\n", "tag !!int is not allowed", (1, 4), ("x",)),
        (b"x: ! Reuters\nb: 1\n", "tag ! is not allowed", (1, 4), ("x",)),
        (b"x: !!map {en: a}\nb: 1\n", "tag !!map is not allowed", (1, 4), ("x",)),
        (b"x: !!seq [a]\nb: 1\n", "tag !!seq is not allowed", (1, 4), ("x",)),
        (b"x: &a !!seq [a]\nb: 1\n", "tag !!seq is not allowed", (1, 4), ("x",)),
        (b"x: [a, !!str b]\nb: 1\n", "tag !!str is not allowed", (1, 8), ("x", 1)),
        (b"y:\n  - !!str x: 1\n", "tag !!str is not allowed", (2, 5), ("y", 0)),
        (b"x: !<tag:yaml.org,2002:str> a\n", "tag !<tag:yaml.org,2002:str> is", (1, 4), ("x",)),
    ],
)
def test_unreadable_values_are_recorded_and_the_rest_is_read(raw, message, at, path):
    """So that a file's every mistake is reported at once, not one per run."""
    doc = load(raw)
    (problem,) = doc.problems
    assert message in problem.message
    assert (problem.position.line, problem.position.column) == at and problem.path == path
    if b"b:" in raw:
        assert "b" in doc.data  # what follows the mistake was still read


def test_dates_and_clock_times_stay_text():
    doc = load(b"sources: [2023-02-28, 2023-02-30]\ntrigger: 1:30:00\n")
    assert doc.data == {"sources": ["2023-02-28", "2023-02-30"], "trigger": "1:30:00"}
    assert doc.problems == []


def test_a_merge_key_does_not_move_an_overriding_key():
    doc = load(b"base: &b {channel: news, title: t}\nitem:\n  <<: *b\n  channel: cable\n")
    assert doc.data["item"] == {"channel": "cable", "title": "t"}
    assert doc.position(("item", "channel")) == yamlsource.Position(4, 12)


def test_non_utf8_bytes_are_located():
    error = refused("title: café\nbody: ".encode() + b"\xe9t\xe9\n")
    assert "not valid UTF-8" in error.message and "0xe9" in error.message
    assert error.position == yamlsource.Position(2, 7)
    error = refused("title: Дрон\nbody: Дрон ".encode() + b"\xe9\n")
    assert error.position == yamlsource.Position(2, 12)  # counted in characters, not bytes


def test_a_utf8_bom_is_accepted():
    assert load("\ufeffa: б\n".encode()).data == {"a": "б"}


def test_files_over_one_mebibyte_are_refused_before_parsing():
    error = refused(b"a: " + b"x" * (yamlsource.MAX_BYTES + 1))
    assert "at most 1 MiB" in error.message


def test_billion_laughs_is_refused_quickly():
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    error = refused("\n".join(lines).encode())
    assert "alias bomb" in error.message
    assert time.perf_counter() - started < 5  # refused, not expanded to 10^9 strings


def test_merge_key_bomb_is_refused():
    lines = ["a: &a {x: 1, y: 2}"]
    for i in range(1, 30):
        prev, name = f"m{i - 1}" if i > 1 else "a", f"m{i}"
        lines.append(f"{name}: &{name} {{<<: [*{prev}, *{prev}], k{i}: 1}}")
    error = refused("\n".join(lines).encode())
    assert "alias bomb" in error.message


def test_recursive_alias_is_refused():
    assert "nested more than" in refused(b"a: &a [*a]\n").message


def test_merge_keys_and_plain_aliases_work():
    doc = load(b"base: &b {x: 1, y: 2}\nchild:\n  <<: *b\n  y: 3\nsame: *b\n")
    assert doc.data["child"] == {"x": 1, "y": 3}
    assert doc.data["same"] == {"x": 1, "y": 2}


def test_clock_offsets_stay_text():
    # YAML 1.1 would read 1:30:00 as the base-60 integer 5400
    assert load(b"t: 1:30:00\nu: +00:15:00\n").data == {"t": "1:30:00", "u": "+00:15:00"}


def test_one_long_text_aliased_many_times_is_a_bomb_too():
    raw = b'a: &m "' + b"x" * 20_000 + b'"\nb: [' + b", ".join([b"*m"] * 300) + b"]\n"
    error = refused(raw)
    assert "characters of text (an alias bomb?)" in error.message


@pytest.mark.parametrize(
    ("raw", "message", "at"),
    [
        (b"a:\n  b: 1\n\tc: 2\n", "a tab is used for indentation", (3, 1)),
        ("a:\n  b: 1\n \u00a0c: 2\n".encode(), "no-break space (U+00A0)", (3, 2)),
        ("a: 1\nb: 'x\u2028y'\nc: 3\n".encode(), "line separator U+2028", (2, 6)),
    ],
)
def test_invisible_and_tab_trouble_is_named_where_it_is(raw, message, at):
    error = refused(raw)
    assert message in error.message
    assert (error.position.line, error.position.column) == at


def test_an_unclosed_quote_says_where_it_began():
    error = refused(b"a:\n  b: 'not closed\n  c: 1\nd: [\n")
    assert "began at line" in error.message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"a: *nothere\n", "undefined alias '*nothere'"),
        (b"a: " + b"[" * 200 + b"]" * 200 + b"\n", "64 levels deep; a scenario needs far fewer"),
        (b"a: &a [*a]\n", "64 levels deep (a recursive alias?)"),
        # an unclosed quote runs on to the next one, where YAML notices
        (b'a:\n  b: "x\n  c: 1\n  d: "y"\n', "the quoted text that began at line 2, column 6"),
    ],
)
def test_refusals_name_their_cause(raw, message):
    assert message in refused(raw).message


def test_a_key_read_as_true_or_a_number_says_so():
    doc = load(b"on: 1\n2: x\n? [a]\n: y\n")
    messages = [problem.message for problem in doc.problems]
    assert "'on' was read as true" in messages[0] and 'quote it, "on":' in messages[0]
    assert "'2' was read as a number" in messages[1]
    assert "not a list or a mapping" in messages[2]
