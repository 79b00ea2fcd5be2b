"""Embedding a quiz or an exercise in a page: a line of its own, ``::quiz{id="story-so-far"}``.

The syntax is the leaf directive of the CommonMark generic-directives proposal (as used
by remark-directive and MyST), so it reads as an intentional marker in any Markdown
viewer. Lines inside fenced code blocks are left alone, so pages can show the syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

KINDS = ("quiz", "exercise")

_LINE = re.compile(r"^(?P<indent> {0,3})::(?P<name>[A-Za-z][\w-]*)\{(?P<attrs>[^}]*)\}\s*$")
_ATTR = re.compile(r'\s*(?:#(?P<hash>[\w-]+)|(?P<key>[\w-]+)\s*=\s*(?:"(?P<q>[^"]*)"|(?P<bare>[^\s"]+)))')
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")


@dataclass(frozen=True)
class Directive:
    kind: str
    attrs: dict[str, str]
    line: int  # 1-based, within the text given
    col: int
    problem: str | None = None  # set when the line looks like a directive but is not a valid one

    @property
    def id(self) -> str:
        return self.attrs.get("id", "")


def _parse_attrs(text: str) -> dict[str, str] | None:
    attrs: dict[str, str] = {}
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _ATTR.match(text, pos)
        if not m:
            return None
        if m["hash"]:
            attrs["id"] = m["hash"]
        else:
            attrs[m["key"]] = m["q"] if m["q"] is not None else m["bare"]
        pos = m.end()
    return attrs


def find_directives(markdown: str) -> Iterator[Directive]:
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        fm = _FENCE.match(line)
        if fm:
            mark = fm["fence"]
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip()[len(mark):].strip():
                fence = None
            continue
        if fence is not None:
            continue
        m = _LINE.match(line)
        if not m:
            continue
        col = len(m["indent"]) + 1
        name = m["name"]
        attrs = _parse_attrs(m["attrs"])
        if name not in KINDS:
            yield Directive(name, {}, number, col, f"unknown directive '::{name}' (expected ::quiz or ::exercise)")
        elif attrs is None or "id" not in attrs:
            yield Directive(name, attrs or {}, number, col, f'::{name} needs an id, as in ::{name}{{id="my-id"}}')
        elif set(attrs) - {"id"}:
            extra = ", ".join(sorted(set(attrs) - {"id"}))
            yield Directive(name, attrs, number, col, f"::{name} has unknown attribute(s): {extra}")
        else:
            yield Directive(name, attrs, number, col)


def replace_directives(markdown: str, render) -> str:
    """Replace each valid directive line with ``render(directive)``; other lines stay."""
    lines = markdown.splitlines(keepends=True)
    for d in find_directives(markdown):
        if d.problem is None:
            ending = "\n" if lines[d.line - 1].endswith("\n") else ""
            lines[d.line - 1] = render(d) + ending
    return "".join(lines)
