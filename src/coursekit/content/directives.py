"""What a page's Markdown asks the build for: leaf directives on a line of their own
(``::quiz{id="story-so-far"}``, and the kinds in KINDS), ``:::name`` containers (instructor
notes) and ``:fact[...]`` citations.

The syntax is the leaf directive of the CommonMark generic-directives proposal (as used
by remark-directive and MyST), so it reads as an intentional marker in any Markdown
viewer. Lines inside fenced code blocks are left alone, so pages can show the syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# directive name -> (required attributes, allowed attributes)
KINDS: dict[str, tuple[set[str], set[str]]] = {
    "quiz": ({"id"}, {"id"}),
    "exercise": ({"id"}, {"id"}),
    "references": (set(), set()),  # the fact base, as a table of sources
    "timeline": (set(), set()),  # the timeline data file, as a dated list
    "figure": ({"id"}, {"id"}),  # a figure of figures.yml, drawn from the fact base
    "course-minutes": (set(), set()),  # the course's time, computed from its modules
}

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
    for number, _, line in prose_lines(markdown):
        m = _LINE.match(line)
        if not m:
            continue
        col = len(m["indent"]) + 1
        name = m["name"]
        attrs = _parse_attrs(m["attrs"])
        if name not in KINDS:
            known = ", ".join(f"::{k}" for k in KINDS)
            yield Directive(name, {}, number, col, f"unknown directive '::{name}' (expected one of {known})")
            continue
        required, allowed = KINDS[name]
        if attrs is None:
            yield Directive(name, {}, number, col, f"::{name}: cannot read the attributes {{{m['attrs']}}}")
        elif required - set(attrs):
            yield Directive(name, attrs, number, col, f'::{name} needs an id, as in ::{name}{{id="my-id"}}')
        elif set(attrs) - allowed:
            extra = ", ".join(sorted(set(attrs) - allowed))
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


# --- containers: a block of Markdown between ":::name" and ":::" -----------------------

CONTAINERS = ("instructor",)
_OPEN = re.compile(r"^ {0,3}:::(?P<name>[A-Za-z][\w-]*)\s*$")
_CLOSE = re.compile(r"^ {0,3}:::\s*$")


@dataclass(frozen=True)
class Container:
    kind: str
    start: int  # line of ":::name", 1-based
    end: int  # line of the closing ":::" (0 when missing)
    problem: str | None = None


def find_containers(markdown: str) -> Iterator[Container]:
    """Instructor notes and other audience-specific blocks. They do not nest."""
    open_at: tuple[str, int] | None = None
    for number, _, line in prose_lines(markdown):
        if open_at is None:
            m = _OPEN.match(line)
            if m and m["name"] in CONTAINERS:
                open_at = (m["name"], number)
            elif m:
                yield Container(m["name"], number, 0, f"unknown block ':::{m['name']}' (expected :::instructor)")
        elif _CLOSE.match(line):
            yield Container(open_at[0], open_at[1], number)
            open_at = None
        elif _OPEN.match(line):
            yield Container(
                open_at[0],
                open_at[1],
                0,
                f":::{open_at[0]} opened here is not closed before line {number}"
                " (blocks do not nest; close it with ::: on a line of its own)",
            )
            open_at = None
    if open_at is not None:
        yield Container(
            open_at[0], open_at[1], 0, f":::{open_at[0]} is not closed (close it with ::: on a line of its own)"
        )


def transform_containers(markdown: str, keep: set[str], title: dict[str, str]) -> str:
    """Drop the containers whose kind is not in ``keep``; show the others as admonitions."""
    lines = markdown.splitlines(keepends=True)
    for c in sorted(find_containers(markdown), key=lambda c: -c.start):
        if c.problem:
            continue
        body = lines[c.start : c.end - 1]
        if c.kind in keep:
            shown = (
                [f'!!! info "{title.get(c.kind, c.kind)}"\n\n']
                + [("    " + b if b.strip() else "\n") for b in body]
                + ["\n"]
            )
        else:
            shown = []
        lines[c.start - 1 : c.end] = shown
    return "".join(lines)


# --- inline citations: ":fact[P1]" or ":fact[P1, P2]" ---------------------------------

_CITE = re.compile(r":fact\[(?P<ids>[^\]]*)\]")
_CODE_SPAN = re.compile(r"(`+).*?\1")


@dataclass(frozen=True)
class Citation:
    ids: tuple[str, ...]
    line: int
    col: int
    start: int  # offsets in the whole text
    end: int


def prose_lines(markdown: str) -> Iterator[tuple[int, int, str]]:
    """(line number, offset of the line, line) for lines outside fenced code."""
    fence: str | None = None
    offset = 0
    for number, line in enumerate(markdown.splitlines(keepends=True), start=1):
        fm = _FENCE.match(line)
        if fm:
            mark = fm["fence"]
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip()[len(mark) :].strip():
                fence = None
        elif fence is None:
            yield number, offset, line
        offset += len(line)


def title_end(markdown: str) -> int:
    """The offset just after the page's title line (the first "# " heading outside fenced code,
    where a "# comment" is code), or 0 when there is none."""
    for _, offset, line in prose_lines(markdown):
        if line.startswith("# "):
            return offset + len(line.rstrip("\r\n"))
    return 0


def find_citations(markdown: str) -> Iterator[Citation]:
    for number, offset, line in prose_lines(markdown):
        code = [m.span() for m in _CODE_SPAN.finditer(line)]
        for m in _CITE.finditer(line):
            if any(a <= m.start() < b for a, b in code):
                continue
            ids = tuple(i.strip() for i in m["ids"].split(",") if i.strip())
            yield Citation(ids, number, m.start() + 1, offset + m.start(), offset + m.end())


def replace_citations(markdown: str, render) -> str:
    out, last = [], 0
    for c in find_citations(markdown):
        out += [markdown[last : c.start], render(c)]
        last = c.end
    return "".join(out) + markdown[last:]
