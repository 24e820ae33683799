"""Turn a scenario file into a Scenario, or into every diagnostic that stands in the way.

A diagnostic names the file, line and column, the field path (`injects[3].audience[0]`) and what
was expected, so an author can fix every mistake in one pass.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app.scenarios import references, yamlsource
from app.scenarios.models import Scenario, StringShorthand, Text

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioInvalid(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics


def format_path(path: Path) -> str:
    """('injects', 3, 'audience', 0) -> 'injects[3].audience[0]'; a control character in a key
    is shown as an escape (`con\\ntingency`), never as itself."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return references.visible(text)


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional, keeping the one meaningful type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _model_at(path: Path) -> type[BaseModel] | None:
    """The model class whose fields a mapping at `path` must have, following lists and dicts."""
    current: Any = Scenario
    for part in path:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(part, int) and origin is list:
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = next(
                (f for n, f in current.model_fields.items() if (f.alias or n) == part), None
            )
            if field is None:
                return None
            current = field.annotation
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _describe(value: Any) -> str:
    text = repr(value)  # repr shows invisible characters as escapes: '\u200bstorm'
    return text if len(text) <= 60 else text[:57] + "..."


_DICTS = {"variants": "team id → variant", "briefings": "team id → briefing text"}
_WHOLE = re.compile(r"[-+]?[0-9]+")
_BOOLS = {"true", "false", "yes", "no", "on", "off", "y", "n"}


def _message(error: ErrorDetails) -> str:
    kind, loc, value = error["type"], error["loc"], error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(loc[:-1])
        allowed = _keys_of(model) if model else []
        listed = ", ".join(allowed)
        odd = references.foreign(key, "a key")
        return f"unknown key {key!r}{odd}{references.suggest(key, allowed)}; allowed here: {listed}"
    if kind == "missing":
        return f"required field '{loc[-1]}' is missing"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        model = _model_at(loc)
        if model is not None and issubclass(model, Text):
            return f"expected text (a string, or en: and ru: strings), got {_describe(value)}"
        if model is None and str(loc[-1]) in _DICTS:
            return f"expected a mapping of {_DICTS[str(loc[-1])]}, got {_describe(value)}"
        keys = ", ".join(_keys_of(model)) if model else "keys"
        string = "a string or " if model is not None and issubclass(model, StringShorthand) else ""
        return f"expected {string}a mapping ({keys}), got {_describe(value)}"
    if kind == "string_pattern_mismatch" and "[a-z]" in str(error.get("ctx", {}).get("pattern")):
        if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_-]*", value):
            return (
                f"expected an id of at most 64 characters, got {len(value):,}: {_describe(value)}"
            )
        return f"expected an id of lower-case letters, digits, '_' or '-' starting with a letter, got {_describe(value)}{references.foreign(value)}"
    if kind == "int_type" and isinstance(value, str) and not _WHOLE.fullmatch(value.strip()):
        return f"expected a whole number, got {_describe(value)}"  # 1e3 and 'an hour' are text
    if kind == "bool_type" and isinstance(value, str) and value.strip().lower() not in _BOOLS:
        return f"expected true or false, got {_describe(value)}"
    if kind in ("enum", "literal_error"):
        expected = str(error.get("ctx", {}).get("expected", ""))
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        hint = references.suggest(value, choices) if isinstance(value, str) else ""
        return f"expected one of {expected}, got {_describe(value)}{hint}"
    if kind == "string_too_long" and isinstance(value, str):
        limit = error.get("ctx", {}).get("max_length")
        return f"expected at most {limit:,} characters, got {len(value):,}"
    if kind == "finite_number":
        return f"expected a finite number, got {_describe(value)}"
    if kind in _PLAIN:
        return f"{_PLAIN[kind].format(**error.get('ctx', {}))}, got {_describe(value)}"
    message = error["msg"].removeprefix("Value error, ")
    return f"{message} (got {_describe(value)})" if kind != "value_error" else message


_PLAIN = {
    "int_type": "expected a whole number (unquoted)",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected a string (quote it if it looks like a number, date or yes/no)",
    "bool_type": "expected true or false (unquoted)",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list",
    "too_short": "expected at least {min_length} item(s)",
    "too_long": "expected at most {max_length} item(s)",
    "string_too_short": "expected at least {min_length} character(s)",
    "string_too_long": "expected at most {max_length} characters",
    "greater_than_equal": "expected a number >= {ge}",
    "less_than_equal": "expected a number <= {le}",
}


def _diagnostic(
    name: str, doc: yamlsource.Document | None, path: Path, message: str, *, key: bool = False
) -> Diagnostic:
    position = doc.position(path, key=key) if doc else yamlsource.Position(1, 1)
    return _at(name, position, path, message)


def parse(raw: bytes, name: str) -> Scenario:
    """The Scenario in `raw` (a file's bytes); raises ScenarioInvalid with every diagnostic."""
    try:
        doc = yamlsource.load(raw)
    except yamlsource.SourceError as exc:
        raise ScenarioInvalid([_at(name, exc.position, exc.path, exc.message)]) from None
    return _validated(doc, name)


def check_data(data: dict[str, Any], name: str) -> Scenario:
    """A scenario that arrives as data, not as a file (in an export to import): the same model
    and reference checks, with field paths but no positions."""
    return _validated(yamlsource.Document(data=data), name)


def _validated(doc: yamlsource.Document, name: str) -> Scenario:
    diagnostics = [
        _at(name, problem.position, problem.path, problem.message) for problem in doc.problems
    ]
    unreadable = [problem.path for problem in doc.problems]
    found = references.check(doc.data)
    unknown = {problem.path for problem in found if problem.unknown}
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            path = tuple(error["loc"])
            if any(path[: len(bad)] == bad for bad in unreadable):
                continue  # already reported: the value could not be read
            if error["type"] == "string_pattern_mismatch" and path in unknown:
                continue  # 'Concern' for concern: the unknown reference says it, with the fix
            key = error["type"] in ("extra_forbidden",)
            if path[-1:] == ("en",) and isinstance(_raw(doc.data, path[:-1]), str):
                path = path[:-1]  # a plain string is English: do not name a key not written
            diagnostics.append(_diagnostic(name, doc, path, _message(error), key=key))
    for path, message, at_key, _ in found:
        diagnostics.append(_diagnostic(name, doc, path, message, key=at_key))
    if diagnostics or scenario is None:
        # once per place and message: a rule both the model and the references check, a
        # mistake in an anchor's text merged into several injects
        unique = {(d.line, d.column, d.message): d for d in reversed(diagnostics)}
        ordered = sorted(unique.values(), key=lambda d: (d.line, d.column, d.path))
        raise ScenarioInvalid(ordered)
    return scenario


def _raw(data: Any, path: Path) -> Any:
    """The value at `path` in the file's data, or None."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _at(name: str, position: yamlsource.Position | None, path: Path, message: str) -> Diagnostic:
    where = position or yamlsource.Position(1, 1)
    shown = references.visible(message)  # one problem, one line
    return Diagnostic(name, where.line, where.column, format_path(path), shown)


def load_file(path: FilePath) -> Scenario:
    """Read and parse one scenario file; refuses anything but a regular file, and files over
    1 MiB, before reading more than 1 MiB of them."""
    name = str(path)

    def refuse(message: str) -> ScenarioInvalid:
        return ScenarioInvalid([Diagnostic(name, 1, 1, "", message)])

    try:
        if not path.is_file():  # a FIFO would block for ever, /dev/zero never ends
            what = "a directory" if path.is_dir() else "not a regular file"
            raise refuse(f"cannot read file: {what}" if path.exists() else "no such file")
        with path.open("rb") as handle:
            raw = handle.read(yamlsource.MAX_BYTES + 1)
            if len(raw) > yamlsource.MAX_BYTES:
                size = max(path.stat().st_size, len(raw))
                raise refuse(f"file is {size:,} bytes; scenario files may be at most 1 MiB")
    except OSError as exc:
        raise refuse(f"cannot read file: {exc.strerror}") from None
    return parse(raw, name)
