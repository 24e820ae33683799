"""Load one YAML document safely and remember where each value stands in the file.

PyYAML composes the node graph (aliases share nodes, so composing is linear); we then build
plain Python values ourselves under a budget, which refuses alias bombs, cycles, duplicate
keys and non-string keys with a position instead of exhausting memory.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C composer is much faster; fall back to pure Python where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64
MAX_CHARS = 4 * MAX_BYTES  # of text once aliases are expanded: one long string aliased 10,000
# times is a bomb too, of characters rather than of values

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


class SourceError(Exception):
    """The file cannot be read as one YAML mapping; carries where and why."""

    def __init__(self, message: str, position: Position | None = None, path: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.path = path


@dataclass
class Document:
    data: dict[str, Any]
    values: dict[Path, Position] = field(default_factory=dict)  # where each value starts
    keys: dict[Path, Position] = field(default_factory=dict)  # where each mapping key stands
    problems: list[SourceError] = field(default_factory=list)  # values that could not be read

    def position(self, path: Path, *, key: bool = False) -> Position:
        """The position of `path`, or of its nearest ancestor that has one."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.values:
                return self.values[path[:end]]
        return Position(1, 1)


def _position(mark: yaml.Mark | None) -> Position | None:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else None


def decode(raw: bytes) -> str:
    """UTF-8 text of `raw` (a BOM is allowed); refuses other encodings with the byte's position."""
    if len(raw) > MAX_BYTES:
        raise SourceError(f"file is {len(raw):,} bytes; scenario files may be at most 1 MiB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise SourceError(
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8",
            Position(line, column),
        ) from None


_CORE = "tag:yaml.org,2002:"
SCALAR_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
UNREADABLE = object()  # stands in for a value that could not be read; its problem is recorded


class _Builder:
    """Builds plain values from the node graph under a budget. Mistakes that leave the rest of
    the document readable (a duplicate key, a tag, a value that cannot be converted) are
    recorded and the build goes on, so that every mistake is reported at once; only a bomb (too
    many values, too deep) stops it."""

    def __init__(self, tags: dict[tuple[str, int, int], str] | None = None) -> None:
        self.tags = tags or {}  # explicit tags as written, by node kind and start
        self.open: list[yaml.Node] = []  # the collections being built, outermost first
        self.budget = MAX_NODES
        self.chars = MAX_CHARS
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.problems: list[SourceError] = []
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def problem(self, message: str, node: yaml.Node, path: Path) -> object:
        self.problems.append(SourceError(message, _position(node.start_mark), path))
        return UNREADABLE

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise SourceError(
                f"document expands to more than {MAX_NODES:,} values (an alias bomb?)",
                _position(node.start_mark),
                path,
            )
        if depth > MAX_DEPTH:
            recursive = any(node is outer for outer in self.open)
            cause = " (a recursive alias?)" if recursive else "; a scenario needs far fewer"
            raise SourceError(
                f"nested more than {MAX_DEPTH} levels deep{cause}",
                _position(node.start_mark),
                path,
            )
        self.values.setdefault(path, _position(node.start_mark) or Position(1, 1))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        written = self._tag(node)
        if written or node.tag not in (f"{_CORE}map", f"{_CORE}seq"):
            return self.problem(_tag_message(written or node.tag), node, path)
        self.open.append(node)
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path, depth)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        finally:
            self.open.pop()

    def _tag(self, node: yaml.Node) -> str | None:
        """The tag written on `node` (`!!str`, `!`, `!custom`), if any."""
        if not self.tags:
            return None
        kind = node.__class__.__name__
        return self.tags.get((kind, node.start_mark.line, node.start_mark.column))

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merges = []
        for key_node, value_node in node.value:  # explicit keys first: they win over merges
            if key_node.tag == f"{_CORE}merge":
                merges.append(value_node)
                continue
            key = self._scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if key is UNREADABLE:
                continue
            if not isinstance(key, str):
                self.problem(_key_message(key, key_node), key_node, path)
                continue
            if key in result:
                first = self.keys[(*path, key)]
                message = f"duplicate key '{key}' (first at line {first.line}); the first is used"
                self.problem(message, key_node, (*path, key))
                continue
            self.keys[(*path, key)] = _position(key_node.start_mark) or Position(1, 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        for value_node in merges:
            sources = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            for source in sources:
                if not isinstance(source, yaml.MappingNode):  # the rest of the mapping still counts
                    message = "a merge key '<<' takes a mapping (an alias such as *name) or a list of them"
                    self.problem(message, source, (*path, "<<"))
                    continue
                merged = self.build(source, path, depth + 1)
                if isinstance(merged, dict):
                    for key, value in merged.items():
                        result.setdefault(key, value)
        return result

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        self.chars -= len(node.value)
        if self.chars < 0:
            raise SourceError(
                f"document expands to more than {MAX_CHARS:,} characters of text (an alias bomb?)",
                _position(node.start_mark),
                path,
            )
        written = self._tag(node)
        if written or node.tag not in SCALAR_TAGS:
            return self.problem(_tag_message(written or node.tag), node, path)
        # YAML 1.1 reads 1:30:00 as a base-60 integer and 2023-02-28 as a date; both are
        # meant as text here (an offset, a date in a list of sources).
        if node.tag == f"{_CORE}timestamp" or (node.tag == f"{_CORE}int" and ":" in node.value):
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError):
            short = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            return self.problem(
                f"cannot read {short!r} as {node.tag.removeprefix(_CORE)}", node, path
            )


def _tag_message(tag: str) -> str:
    """`tag` is as written (`!custom`, `!!str`) or, failing that, as resolved."""
    shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
    return f"the YAML tag {shown} is not allowed; write plain strings, numbers, lists and mappings, with no tags"


def _key_message(key: Any, node: yaml.Node) -> str:
    """Why a key that YAML read as something other than text cannot be used, and the fix."""
    written = node.value if isinstance(node, yaml.ScalarNode) else ""
    if not isinstance(node, yaml.ScalarNode):  # ? [a, b]
        return "mapping keys must be plain strings, not a list or a mapping"
    if isinstance(key, bool):
        read = f"read as {str(key).lower()} (yes/no/on/off are true/false in YAML)"
    elif isinstance(key, int | float):
        read = "read as a number"
    elif key is None:
        read = "read as empty (null)"
    else:
        return "mapping keys must be plain strings"
    if not written or len(written) > 40:
        return f"mapping keys must be plain strings; this one was {read}"
    return f"mapping keys must be plain strings; '{written}' was {read}: quote it, \"{written}\":"


_TAG_WRITTEN = re.compile(r"(?:&[^\s,\[\]{}]+\s+)?(!<[^>]*>|![^\s,\[\]{}]*)")


def _written_tags(text: str) -> dict[tuple[str, int, int], str]:
    """Every explicit tag in `text`, as written, by the kind of node it is on and its start.
    The composed nodes no longer tell `!!str 1.2` from `1.2`: the parser's events still do."""
    if "!" not in text:
        return {}
    lines = text.splitlines()
    kinds = {
        yaml.ScalarEvent: "ScalarNode",
        yaml.SequenceStartEvent: "SequenceNode",
        yaml.MappingStartEvent: "MappingNode",
    }
    found: dict[tuple[str, int, int], str] = {}
    for event in yaml.parse(text, Loader=_Loader):
        kind = kinds.get(type(event))
        if kind is None or event.tag is None:  # type: ignore[attr-defined]
            continue
        mark = event.start_mark
        line = lines[mark.line] if mark.line < len(lines) else ""
        match = _TAG_WRITTEN.match(line, mark.column)
        found[(kind, mark.line, mark.column)] = match.group(1) if match else event.tag  # type: ignore[attr-defined]
    return found


def load(raw: bytes) -> Document:
    """Parse `raw` into a Document whose data is a mapping; raises SourceError with a position."""
    text = decode(raw)
    if not text.strip():
        raise SourceError("file is empty; a scenario is a YAML mapping starting with 'metadata:'")
    _refuse_line_separators(text)
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            raise SourceError(
                "more than one YAML document ('---'); put one scenario per file",
                _position(exc.problem_mark),
            ) from None
        raise _yaml_error(exc, text) from None
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, text) from None
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in UTF-8 bytes, the Python reader in characters
        encoded = _Loader is not yaml.SafeLoader
        before = (
            text.encode()[: exc.position].decode(errors="replace")
            if encoded
            else text[: exc.position]
        )
        where = Position(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise SourceError(
            f"not valid YAML: the character U+{code:04X} is not allowed in a YAML file", where
        ) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"not valid YAML: {' '.join(str(exc).split())}") from None
    if root is None:
        raise SourceError("file holds no YAML document")
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise SourceError(
            f"the top level must be a mapping (metadata:, teams:, …), not {kind}",
            _position(root.start_mark),
        )
    builder = _Builder(_written_tags(text))
    data = builder.build(root, (), 0)
    if not isinstance(data, dict):  # the root mapping itself carried a tag
        raise builder.problems[0]
    return Document(data=data, values=builder.values, keys=builder.keys, problems=builder.problems)


def _refuse_line_separators(text: str) -> None:
    """YAML counts U+0085, U+2028 and U+2029 as line breaks, editors do not: every position
    after one would be off by a line. They never belong in a scenario; say where it is."""
    for index, ch in enumerate(text):
        if ch in "\x85\u2028\u2029":
            before = text[:index]
            where = Position(before.count("\n") + 1, index - before.rfind("\n"))
            name = unicodedata.name(ch, "NEXT LINE").lower()
            raise SourceError(
                f"the invisible {name} U+{ord(ch):04X} is not allowed; delete it", where
            )


def _yaml_error(exc: yaml.MarkedYAMLError, text: str) -> SourceError:
    """PyYAML's complaint, said plainly where the cause is a usual one, and where the construct
    began when that is elsewhere."""
    mark = exc.problem_mark
    if mark is not None:
        lines = text.splitlines()
        for number in range(mark.line, max(-1, mark.line - 3), -1):  # PyYAML may notice late
            line = lines[number] if number < len(lines) else ""
            indent = line[: len(line) - len(line.lstrip())]
            odd = next((ch for ch in indent if ch != " "), None)
            if odd == "\t":
                message = "not valid YAML: a tab is used for indentation; indent with spaces"
            elif odd is not None:
                name = unicodedata.name(odd, "space character").lower()
                message = f"not valid YAML: the line is indented with a {name} (U+{ord(odd):04X}); indent with ordinary spaces"
            else:
                continue
            return SourceError(message, Position(number + 1, indent.index(odd) + 1))
    parts = [part for part in (exc.context, exc.problem) if part]
    message = "not valid YAML: " + ("; ".join(parts) if parts else str(exc))
    if mark is not None and "undefined alias" in (exc.problem or ""):
        line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
        name = _ALIAS.match(line, mark.column)
        if name and name.group(1) not in message:
            message = f"not valid YAML: found undefined alias '*{name.group(1)}' (no anchor '&{name.group(1)}' before it)"
    began = exc.context_mark
    if began is not None and mark is not None and began.line != mark.line:
        message += f" (the {_construct(exc.context)} began at line {began.line + 1}, column {began.column + 1})"
    quoted = _quoted_before(text, mark) if mark is not None else None
    if quoted is not None:
        message += (
            f"; the quoted text that began at line {quoted.line + 1}, column"
            f" {quoted.column + 1} may be unclosed"
        )
    return SourceError(message, _position(mark))


_ALIAS = re.compile(r"\*([^\s,\[\]{}]+)")


def _quoted_before(text: str, mark: yaml.Mark) -> yaml.Mark | None:
    """Where a quoted text spanning several lines began, when it ends on the line of the error
    at `mark`: an unclosed quote runs on until the next quote, and YAML notices only there."""
    last = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if (token.start_mark.line, token.start_mark.column) >= (mark.line, mark.column):
                break
            last = token
    except yaml.YAMLError:
        pass
    if not isinstance(last, yaml.ScalarToken) or last.style not in ("'", '"'):
        return None
    if last.start_mark.line < last.end_mark.line == mark.line:
        return last.start_mark
    return None


def _construct(context: str | None) -> str:
    """'while scanning a quoted scalar' -> 'quoted scalar'."""
    words = (context or "construct").split()
    if words[:1] == ["while"] and len(words) > 2:
        words = words[2:]
    return " ".join(words[1:] if words[0] in ("a", "an") and len(words) > 1 else words)
