"""Split a Markdown page into its YAML front matter and body, as MkDocs does."""

from __future__ import annotations

import re

_FRONT = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Returns (yaml text or None, body, line number where the YAML starts minus one)."""
    m = _FRONT.match(text)
    if not m:
        return None, text, 0
    return m["yaml"] or "", text[m.end() :], 1
