"""The figure rule: every amount, percentage or multiple a page states is accounted for.

A figure passes when it is in the fact base, when its paragraph carries a citation
(``:fact[ID]`` or a link to a source), or when it sits in an admonition whose title says
"Illustrative". Anything else is reported, so no invented number reaches a learner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from coursekit.content.directives import prose_lines

FIGURE = re.compile(
    r"(?:US)?\$\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:billion|million|trillion|bn)\b)?"  # money
    r"|\b\d[\d,]*(?:\.\d+)?\s?(?:%|per ?cent\b)"  # percentages
    r"|\b\d+(?:\.\d+)?x\b",  # multiples
    re.I,
)
_CITED = re.compile(r":fact\[|\]\(https?://")
_ADMONITION = re.compile(r"^(?P<indent> *)(?:!!!|\?\?\?\+?)\s*\w[\w-]*(?:\s+\"(?P<title>[^\"]*)\")?")
_CODE_SPAN = re.compile(r"(`+).*?\1")


def normalise(figure: str) -> str:
    return re.sub(r"\s+", "", figure).lower().replace("percent", "%").replace("per cent", "%")


def _paragraphs(text: str) -> Iterator[list[tuple[int, str, bool]]]:
    """Paragraphs of prose as lists of (line number, line, illustrative?)."""
    block: list[tuple[int, str, bool]] = []
    illustrative_indent: int | None = None
    for number, _, line in prose_lines(text):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if illustrative_indent is not None and stripped and indent <= illustrative_indent:
            illustrative_indent = None
        m = _ADMONITION.match(line)
        if m and illustrative_indent is None and "illustrative" in (m["title"] or "").lower():
            illustrative_indent = len(m["indent"])
        if not stripped:
            if block:
                yield block
            block = []
            continue
        block.append((number, line, illustrative_indent is not None))
    if block:
        yield block


def unaccounted_figures(text: str, known: Iterable[str]) -> list[tuple[int, int, str]]:
    """(line, col, figure) for every figure that breaks the rule."""
    known_set = {normalise(k) for k in known}
    problems = []
    for para in _paragraphs(text):
        cited = any(_CITED.search(line) for _, line, _ in para)
        for number, line, illustrative in para:
            if illustrative or cited:
                continue
            code = [m.span() for m in _CODE_SPAN.finditer(line)]
            for m in FIGURE.finditer(line):
                if any(a <= m.start() < b for a, b in code):
                    continue
                if normalise(m.group()) not in known_set:
                    problems.append((number, m.start() + 1, m.group().strip()))
    return problems
