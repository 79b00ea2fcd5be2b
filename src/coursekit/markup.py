"""Markdown to HTML for every room that shows authored text (pages, quizzes, exports): one
converter, and a cache of conversions that whoever builds owns (``Conversions``): it loads the
last build's, activates it for the build, and saves what the build used.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import markdown as md
import pygments

from coursekit.files import write_atomic

_MD_EXTENSIONS = ["extra", "sane_lists"]
_MD = md.Markdown(extensions=_MD_EXTENSIONS)
# The text itself is the key, so an entry can never be stale; the salt drops a whole saved
# file when the converter or its extensions change.
_CACHE_SALT = f"python-markdown {md.__version__} {_MD_EXTENSIONS} pygments {pygments.__version__}"


class Conversions:
    """Converted texts: those of the last build (``known``) and those this one used (``used``)."""

    def __init__(self, known: dict[str, str] | None = None):
        self.known: dict[str, str] = known or {}
        self.used: dict[str, str] = {}

    @classmethod
    def load(cls, path: Path) -> Conversions:
        """The conversions a last build saved (a missing, unreadable or foreign file: none)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if isinstance(data, dict) and data.get("salt") == _CACHE_SALT and isinstance(data.get("entries"), dict):
            return cls({k: v for k, v in data["entries"].items() if isinstance(k, str) and isinstance(v, str)})
        return cls()

    def save(self, path: Path) -> None:
        """Keep exactly the conversions this build used (atomically; never fails a build)."""
        if self.used == self.known and path.is_file():
            return
        with contextlib.suppress(OSError):  # no cache this time; the build goes on
            write_atomic(path, json.dumps({"salt": _CACHE_SALT, "entries": self.used}, ensure_ascii=False))


_active = Conversions()


def activate(conversions: Conversions) -> None:
    """Use these conversions from now on (a build starts by activating its own)."""
    global _active
    _active = conversions


def cached(text: str, make, kind: str = "") -> str:
    """make(text), or what it gave for the same text (and kind) in this build or the last one."""
    key = f"{kind}\0{text}" if kind else text
    html = _active.used.get(key)
    if html is None:
        html = _active.known.get(key)
        if html is None:
            html = make(text)
        _active.used[key] = html
    return html


def _convert(text: str) -> str:
    # One converter, reset between texts: building a new one per call was most of a build.
    return _MD.reset().convert(text)


def markdown(text: str) -> str:
    return cached(text, _convert)


def highlight_python(code: str) -> str:
    """Python source as Pygments HTML (the page's code before the editor takes over)."""
    return cached(code, _highlight, "python")


def _highlight(code: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(code, PythonLexer(), HtmlFormatter(cssclass="highlight", wrapcode=True))


# Text that Markdown would hand back unchanged: one line, none of Markdown's or HTML's special
# characters, and no start that makes a block (list item, heading, rule, code, definition).
_SPECIAL = re.compile(r"[\\`*_\[\]<>&#!|~{}^\n\r\t]|  ")
_BLOCK_START = re.compile(r"[-+:=>]|\d+[.)]\s")


def _plain(text: str) -> bool:
    return bool(text) and text == text.strip() and not _SPECIAL.search(text) and not _BLOCK_START.match(text)


def inline(text: str) -> str:
    """Markdown for a one-paragraph string, without the wrapping <p>."""
    if _plain(text):  # most prompts, options and feedback: skip the converter (a third of a build)
        return text
    html = markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
