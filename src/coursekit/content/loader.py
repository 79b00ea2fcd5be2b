"""YAML with positions: every value remembers where it was written.

Authors fix mistakes faster when an error names the file, line and column. Plain Python
data is built straight from PyYAML's parser events, each with its mark, keeping a
map from each value's path (``("questions", 2, "options", 0)``) to its position, so a
pydantic error location can be turned back into ``path:line:col`` (``positions``). Where the
parser itself gives up, ``yaml_errors`` says why at the place an author can fix it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from coursekit.content.errors import ContentError
from coursekit.content.positions import Loc, Positions, validation_errors
from coursekit.content.yaml_errors import syntax_error, unreadable_character

# libyaml's parser when PyYAML was built with it (the wheels are): same nodes and marks, faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Bounds on one content file (or one page's front matter). The largest file of the course is
# about 32 KB and 1,000 YAML nodes, 6 levels deep; the bounds leave room for 16 times more and
# keep the worst file they let through to well under a second to read.
MAX_BYTES = 512 * 1024
MAX_NODES = 20_000
MAX_DEPTH = 20
# Tags an author may write explicitly (``!!str 42``), each on the kind of value it fits; any
# other (``!!python/object``, ``!!set``, ``!custom``) is not plain data.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}": yaml.ScalarEvent for t in ("str", "int", "float", "bool", "null")} | {
    "tag:yaml.org,2002:seq": yaml.SequenceStartEvent,
    "tag:yaml.org,2002:map": yaml.MappingStartEvent,
}
_KIND = {yaml.ScalarEvent: "a single value", yaml.SequenceStartEvent: "a list", yaml.MappingStartEvent: "a mapping"}


def _mark(node: yaml.Node | yaml.Event, offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + offset, node.start_mark.column + 1


class _Refused(Exception):
    """Content that is not plain data, or past a bound: reported as it is met, nothing built."""

    def __init__(self, error: ContentError):
        self.error = error


_WAITING, _SKIP = object(), object()  # a mapping awaiting its next key; a key whose value is dropped
_RESOLVER = yaml.resolver.Resolver()


@dataclass
class _Frame:
    value: dict | list
    loc: Loc | None  # None inside something dropped (a bad or repeated key, and its value)
    key: Any = _WAITING
    is_key: bool = False  # a collection written as a mapping key


def _scalar(event: yaml.ScalarEvent, constructor: yaml.constructor.SafeConstructor, path: Path, offset: int) -> Any:
    tag = event.tag
    if tag is None and not event.implicit[0]:
        return event.value  # quoted or a block: text, whatever it looks like
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return constructor.construct_object(node)
    except KeyError:  # !!bool maybe
        raise _Refused(
            ContentError(path, *_mark(event, offset), f"YAML: {event.value[:40]!r} is not a boolean (true or false)")
        ) from None
    except (ValueError, OverflowError) as exc:  # 2024-02-30, an integer of 5,000 digits
        raise _Refused(
            ContentError(
                path,
                *_mark(event, offset),
                f"YAML: cannot read {event.value[:40]!r} ({exc}); quote it to keep it as text",
            )
        ) from None


def _check(event: yaml.NodeEvent, nodes: int, depth: int, path: Path, offset: int) -> None:
    """Anchors and aliases (an alias bomb costs nothing to parse and everything to build), tags
    beyond plain data, and the bounds on values and nesting."""
    if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
        sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
        raise _Refused(
            ContentError(
                path,
                *_mark(event, offset),
                f"YAML: anchors and aliases are not allowed ({sign}{event.anchor}); write the value out in full",
            )
        )
    tag = event.tag
    if tag is not None and tag not in _PLAIN_TAGS and not (tag == "!" and isinstance(event, yaml.ScalarEvent)):
        raise _Refused(
            ContentError(
                path,
                *_mark(event, offset),
                f"YAML: the tag {tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed; "
                "content is plain data (remove the tag)",
            )
        )
    if tag in _PLAIN_TAGS and not isinstance(event, _PLAIN_TAGS[tag]):  # !!seq x would read as []
        raise _Refused(
            ContentError(
                path,
                *_mark(event, offset),
                f"YAML: the tag {tag.replace('tag:yaml.org,2002:', '!!')!r} does not fit {_KIND[type(event)]} "
                "(remove the tag)",
            )
        )
    if nodes > MAX_NODES:
        raise _Refused(
            ContentError(path, *_mark(event, offset), f"YAML: more than {MAX_NODES:,} values in one file; split it")
        )
    if depth > MAX_DEPTH:
        raise _Refused(
            ContentError(path, *_mark(event, offset), f"YAML: nested more than {MAX_DEPTH} levels deep; flatten it")
        )


def _compose(text: str, pos: Positions, errors: list[ContentError]) -> Any:
    """Plain Python data straight from the parser's events, each value's position noted.

    One pass with an explicit stack: nothing is built before it is checked, and no nesting
    can exhaust Python's recursion."""
    path, offset = pos.path, pos.line_offset
    constructor = yaml.constructor.SafeConstructor()
    stack: list[_Frame] = []
    root: Any = None
    nodes = documents = 0

    def place(value: Any) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        parent = stack[-1]
        if isinstance(parent.value, list):
            parent.value.append(value)
        elif parent.key is _WAITING:
            parent.key = _SKIP  # only a collection key ends here: refused where it started
        else:
            if parent.key is not _SKIP:
                parent.value[parent.key] = value
            parent.key = _WAITING

    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(
                    ContentError(
                        path,
                        *_mark(event, offset),
                        "YAML: a content file holds one document (remove this '---' "
                        "and what follows, or move it to a file of its own)",
                    )
                )
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            place(stack.pop().value)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        nodes += 1
        _check(event, nodes, len(stack) + isinstance(event, yaml.CollectionStartEvent), path, offset)
        parent = stack[-1] if stack else None
        if parent is not None and isinstance(parent.value, dict) and parent.key is _WAITING:
            # a mapping key
            if isinstance(event, yaml.ScalarEvent):
                key = _scalar(event, constructor, path, offset)
                if not isinstance(key, (str, int, bool)):
                    errors.append(ContentError(path, *_mark(event, offset), "mapping keys must be plain words"))
                    key = _SKIP
                elif key in parent.value:
                    errors.append(
                        ContentError(path, *_mark(event, offset), f"duplicate key {key!r} (each key may appear once)")
                    )
                    key = _SKIP
                elif parent.loc is not None:
                    pos.keys[parent.loc + (key,)] = _mark(event, offset)
                parent.key = key
                continue
            errors.append(ContentError(path, *_mark(event, offset), "mapping keys must be plain words"))
            loc = None
        elif parent is None:
            loc = ()
        elif parent.loc is None:
            loc = None
        elif isinstance(parent.value, list):
            loc = parent.loc + (len(parent.value),)
        else:
            loc = None if parent.key is _SKIP else parent.loc + (parent.key,)
        if loc is not None:
            pos.values[loc] = _mark(event, offset)
        if isinstance(event, yaml.ScalarEvent):
            place(_scalar(event, constructor, path, offset))
        else:
            stack.append(_Frame({} if isinstance(event, yaml.MappingStartEvent) else [], loc))
    return root


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> tuple[Any, Positions, list[ContentError]]:
    """Parse one YAML document; syntax errors come back as ContentErrors, never raised."""
    pos = Positions(path, line_offset)
    errors: list[ContentError] = []
    if len(text) > MAX_BYTES:
        return None, pos, [ContentError(path, 1 + line_offset, 1, f"larger than {MAX_BYTES // 1024} KiB; split it")]
    try:
        data = _compose(text, pos, errors)
    except _Refused as exc:
        return None, Positions(path, line_offset), [exc.error]
    except yaml.MarkedYAMLError as exc:  # a ConstructorError too (a scalar tagged !!seq)
        return None, Positions(path, line_offset), [syntax_error(exc, text, path, line_offset, _LOADER)]
    except yaml.reader.ReaderError as exc:
        return None, Positions(path, line_offset), [unreadable_character(exc, text, path, line_offset, _LOADER)]
    return data, pos, errors


def read_text(path: Path) -> str | ContentError:
    """A content file's text: a regular file, at most MAX_BYTES, UTF-8 (a byte order mark is
    allowed, as YAML allows it). Anything else is an error at the place that breaks the rule."""
    try:
        if not path.is_file():
            return ContentError(path, 1, 1, "not a regular file")
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        return ContentError(path, 1, 1, f"cannot be read ({exc.strerror or exc})")
    if len(raw) > MAX_BYTES:
        return ContentError(path, 1, 1, f"larger than {MAX_BYTES // 1024} KiB; split it")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[start : exc.start].decode("utf-8", errors="replace")) + 1
        return ContentError(
            path, line, col, f"not UTF-8 text (byte 0x{raw[exc.start]:02X}: {exc.reason}); save the file as UTF-8"
        )


@dataclass
class Loaded[M: BaseModel]:
    """One YAML file read against a model: the model when valid, the raw data in any case."""

    model: M | None
    data: Any
    pos: Positions
    errors: list[ContentError]


def load_model[M: BaseModel](model: type[M], path: Path, text: str | None = None, line_offset: int = 0) -> Loaded[M]:
    """Read and validate one YAML file, collecting every error found."""
    if text is None:
        text = read_text(path)
        if isinstance(text, ContentError):
            return Loaded(None, None, Positions(path), [text])
    data, pos, errors = parse_yaml(text, path, line_offset)
    if errors:
        return Loaded(None, None, pos, errors)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Loaded(None, data, pos, [pos.error((), "the file must hold a mapping of keys to values")])
    try:
        with warnings.catch_warnings():
            # re's "possible nested set" and the like: the lint reports them at their place
            warnings.simplefilter("ignore", FutureWarning)
            return Loaded(model.model_validate(data), data, pos, [])
    except ValidationError as exc:
        return Loaded(None, data, pos, validation_errors(exc, data, pos))
