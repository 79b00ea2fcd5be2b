"""YAML with positions: every value remembers where it was written.

Authors fix mistakes faster when an error names the file, line and column. PyYAML's
composer gives a node tree with marks; we build plain Python data from it and keep a
map from each value's path (``("questions", 2, "options", 0)``) to its position, so a
pydantic error location can be turned back into ``path:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from coursekit.content.errors import ContentError

Loc = tuple[str | int, ...]


@dataclass
class Positions:
    """Where each value (and each mapping key) of a document stands, 1-based."""

    path: Path
    line_offset: int = 0
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def of(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        table = self.keys if key and loc in self.keys else self.values
        while loc not in table and loc:
            loc = loc[:-1]
            table = self.values
        return table.get(loc, (1 + self.line_offset, 1))

    def error(self, loc: Loc, message: str, *, key: bool = False) -> ContentError:
        line, col = self.of(loc, key=key)
        return ContentError(self.path, line, col, message)


_constructor = yaml.constructor.SafeConstructor()
# libyaml's parser when PyYAML was built with it (the wheels are): same nodes and marks, faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _mark(node: yaml.Node, offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + offset, node.start_mark.column + 1


def _build(node: yaml.Node, loc: Loc, pos: Positions, errors: list[ContentError]) -> Any:
    pos.values[loc] = _mark(node, pos.line_offset)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _constructor.construct_object(key_node)
            if not isinstance(key, (str, int, bool)):
                errors.append(ContentError(pos.path, *_mark(key_node, pos.line_offset),
                                           "mapping keys must be plain words"))
                continue
            if key in out:
                errors.append(ContentError(pos.path, *_mark(key_node, pos.line_offset),
                                           f"duplicate key {key!r} (each key may appear once)"))
                continue
            pos.keys[loc + (key,)] = _mark(key_node, pos.line_offset)
            out[key] = _build(value_node, loc + (key,), pos, errors)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, loc + (i,), pos, errors) for i, item in enumerate(node.value)]
    return _constructor.construct_object(node)


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> tuple[Any, Positions, list[ContentError]]:
    """Parse one YAML document; syntax errors come back as ContentErrors, never raised."""
    pos = Positions(path, line_offset)
    errors: list[ContentError] = []
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        col = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        return None, pos, [ContentError(path, line, col, f"YAML syntax: {problem}")]
    if node is None:
        return None, pos, []
    try:
        data = _build(node, (), pos, errors)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        return None, pos, [ContentError(path, line, col, f"YAML: {exc.problem}")]
    return data, pos, errors


def _strip_union_tags(loc: Loc, data: Any) -> Loc:
    """pydantic puts the discriminator value into error locations; the YAML has no such level."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and node.get("type") == part:
            continue  # the tag of a discriminated union
        else:
            out.append(part)
            node = None
    return tuple(out)


def _describe(err: dict[str, Any]) -> str:
    kind = err["type"]
    msg = err["msg"]
    if kind == "extra_forbidden":
        return "unknown key (check its spelling; the schema lists the allowed keys)"
    if kind == "missing":
        return "is required but missing"
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return f"unknown question type {ctx.get('tag')!r} (expected one of {ctx.get('expected_tags', '')})"
    if kind == "union_tag_not_found":
        return "needs a 'type' key"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg[0].lower() + msg[1:] if msg else kind


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def validation_errors(exc: ValidationError, data: Any, pos: Positions) -> list[ContentError]:
    errors = []
    for err in exc.errors():
        loc = _strip_union_tags(tuple(err["loc"]), data)
        missing = err["type"] == "missing"
        extra = err["type"] == "extra_forbidden"
        where = loc[:-1] if missing else loc
        if err["type"] == "union_tag_invalid":
            where = loc + ("type",)
        field_name = _dotted(loc) or "document"
        errors.append(pos.error(where, f"{field_name}: {_describe(err)}", key=extra))
    return errors


@dataclass
class Loaded[M: BaseModel]:
    """One YAML file read against a model: the model when valid, the raw data in any case."""

    model: M | None
    data: Any
    pos: Positions
    errors: list[ContentError]


def load_model[M: BaseModel](
    model: type[M], path: Path, text: str | None = None, line_offset: int = 0
) -> Loaded[M]:
    """Read and validate one YAML file, collecting every error found."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            return Loaded(None, None, Positions(path), [ContentError(path, 1, 1, f"not UTF-8 text ({exc.reason})")])
    data, pos, errors = parse_yaml(text, path, line_offset)
    if errors:
        return Loaded(None, None, pos, errors)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Loaded(None, data, pos, [pos.error((), "the file must hold a mapping of keys to values")])
    try:
        return Loaded(model.model_validate(data), data, pos, [])
    except ValidationError as exc:
        return Loaded(None, data, pos, validation_errors(exc, data, pos))
