"""Where each value of a YAML document stands, and the errors put at those places.

``Positions`` maps a value's path (``("questions", 2, "options", 0)``) to its line and
column; ``validation_errors`` turns pydantic's error locations back into ``path:line:col``;
``duplicates`` reports each repeat of an id where it is written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

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


def _strip_union_tags(loc: Loc, data: Any) -> Loc:
    """pydantic puts the discriminator value into error locations; the YAML has no such level."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if (
            isinstance(node, dict)
            and part in node
            or isinstance(node, list)
            and isinstance(part, int)
            and part < len(node)
        ):
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
        msg = msg[len("Value error, ") :]
    return msg[0].lower() + msg[1:] if msg else kind


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_NAMES = re.compile(r"^(\w+):|'(\w+)'")


def _named_key(loc: Loc, data: Any, message: str) -> Loc:
    """A rule over a whole mapping ("give either 'answer' or 'formula'") is reported at the first
    key it names that the mapping holds, rather than at the start of the mapping."""
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return loc
    if isinstance(node, dict):
        for leading, quoted in _NAMES.findall(message):
            if (leading or quoted) in node:
                return loc + (leading or quoted,)
    return loc


def validation_errors(exc: ValidationError, data: Any, pos: Positions) -> list[ContentError]:
    errors = []
    for err in exc.errors():
        loc = _strip_union_tags(tuple(err["loc"]), data)
        missing = err["type"] == "missing"
        extra = err["type"] == "extra_forbidden"
        where = loc[:-1] if missing else loc
        if err["type"] == "union_tag_invalid":
            where = loc + ("type",)
        if err["type"] == "value_error":
            where = _named_key(where, data, _describe(err))
        field_name = _dotted(loc) or "document"
        errors.append(pos.error(where, f"{field_name}: {_describe(err)}", key=extra))
    return errors


def duplicates(items: list[tuple[str, ContentError]], what: str) -> list[ContentError]:
    """Each key met again after its first, at its own place: "duplicate <what> <key>"."""
    counts = Counter(key for key, _ in items)
    seen: set[str] = set()
    out = []
    for key, where in items:
        if counts[key] > 1 and key in seen:
            out.append(ContentError(where.path, where.line, where.col, f"duplicate {what} {key!r}"))
        seen.add(key)
    return out
