"""Load one YAML document safely and remember where each value stands in the file.

PyYAML composes the node graph (aliases share nodes, so composing is linear); we then build
plain Python values ourselves under a budget, which refuses alias bombs, cycles, duplicate
keys and non-string keys with a position instead of exhausting memory.
"""

from __future__ import annotations

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
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SourceError(
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8",
            Position(line, column),
        ) from None


class _Builder:
    def __init__(self) -> None:
        self.budget = MAX_NODES
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise SourceError(
                f"document expands to more than {MAX_NODES:,} values (an alias bomb?)",
                _position(node.start_mark),
                path,
            )
        if depth > MAX_DEPTH:
            raise SourceError(
                f"nested more than {MAX_DEPTH} levels deep (a recursive alias?)",
                _position(node.start_mark),
                path,
            )
        self.values.setdefault(path, _position(node.start_mark) or Position(1, 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}  # from '<<' merge keys; explicit keys win over them
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        raise SourceError(
                            "a merge key '<<' takes a mapping or a list of mappings",
                            _position(source.start_mark),
                            path,
                        )
                    for key, value in self.build(source, path, depth + 1).items():
                        merged.setdefault(key, value)
                continue
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise SourceError(
                    "mapping keys must be plain strings", _position(key_node.start_mark), path
                )
            if key in result:
                first = self.keys[(*path, key)]
                raise SourceError(
                    f"duplicate key '{key}' (first at line {first.line})",
                    _position(key_node.start_mark),
                    (*path, key),
                )
            self.keys[(*path, key)] = _position(key_node.start_mark) or Position(1, 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        # YAML 1.1 reads 1:30:00 as a base-60 integer; an offset is meant as text.
        if node.tag == "tag:yaml.org,2002:int" and ":" in node.value:
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise SourceError(
                f"cannot read this value ({node.tag}); use plain strings, numbers, lists and mappings",
                _position(node.start_mark),
            ) from exc


def load(raw: bytes) -> Document:
    """Parse `raw` into a Document whose data is a mapping; raises SourceError with a position."""
    text = decode(raw)
    if not text.strip():
        raise SourceError("file is empty; a scenario is a YAML mapping starting with 'metadata:'")
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
        raise SourceError(_yaml_message(exc), _position(exc.problem_mark)) from None
    except yaml.MarkedYAMLError as exc:
        raise SourceError(_yaml_message(exc), _position(exc.problem_mark)) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"not valid YAML: {exc}") from None
    if root is None:
        raise SourceError("file holds no YAML document")
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise SourceError(
            f"the top level must be a mapping (metadata:, teams:, …), not {kind}",
            _position(root.start_mark),
        )
    builder = _Builder()
    data = builder.build(root, (), 0)
    return Document(data=data, values=builder.values, keys=builder.keys)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [part for part in (exc.context, exc.problem) if part]
    return "not valid YAML: " + ("; ".join(parts) if parts else str(exc))
