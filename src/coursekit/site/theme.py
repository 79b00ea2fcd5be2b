"""What every page of every build (learner, instructor, assessment) gets for WCAG 2.1 AA and
for staying offline, whatever the course's mkdocs.yml says: a stylesheet for Material's chrome
(theme.css), a few attributes in the HTML, and no MathJax from a CDN. The attributes are
written into the page rather than added by a script, so they hold without JavaScript and on
pages that Material's instant navigation fetches.

mkdocs-jupyter puts a MathJax loader on every page, which fetches MathJax from a CDN as soon
as a notebook is shown. A course must not fetch from a CDN, so the loader is dropped; a
notebook that has math in it stops the build instead, with the reason.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
STYLESHEET = "theme.css"

_MATHJAX_LOADER = re.compile(r'<script data-mkdocs-jupyter-mathjax="[^"]*">.*?</script>\n?', re.S)
# Math as mkdocs-jupyter renders it: $..$ becomes \(..\), $$..$$ becomes \[..\], environments
# stay. A lone dollar in prose ("US$5") is text, and stays text once MathJax is gone.
_MATH = re.compile(r"\\\(|\\\[|\\begin\{|\$\$")


# Material's instant-navigation progress bar has no accessible name.
_PROGRESS = re.compile(r'(<div class="md-progress"[^>]*?role="progressbar")(?![^>]*aria-label)')
# A notebook's code cell scrolls sideways when a line is long; the keyboard must reach it (as
# Material's own code blocks are reached).
_NOTEBOOK_CELL = re.compile(r'<div class="highlight-ipynb( [^"]*)?"(?![^>]*tabindex)')


def add_to_config(config, asset_url: str) -> None:
    """List the stylesheet in the site's config (once); it ships in its own folder, as the
    exercise widget's files do."""
    css = f"{asset_url}/theme/{STYLESHEET}"
    if css not in config.extra_css:
        config.extra_css.append(css)


def write_files(out: Path) -> None:
    (out / "theme").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ASSETS / STYLESHEET, out / "theme" / STYLESHEET)


def accessible(html: str) -> str:
    """The page with a name for the progress bar and its notebook cells reachable by keyboard."""
    html = _PROGRESS.sub(r'\1 aria-label="Loading the page"', html)
    return _NOTEBOOK_CELL.sub(lambda m: m.group(0) + ' tabindex="0"', html)


class _NotebookText(HTMLParser):
    """The text MathJax would read in a notebook's rendered cells (code and preformatted text
    are skipped by MathJax, so they are here too)."""

    SKIP = {"pre", "code", "script", "style", "textarea"}
    CELLS = ("jp-RenderedMarkdown", "jp-RenderedHTMLCommon", "jp-RenderedLatex", "arithmatex")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # tag, inside a cell, skipped
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "hr", "input", "meta", "link", "wbr", "source"):
            return
        cell, skip = (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)
        classes = dict(attrs).get("class") or ""
        self.stack.append((tag, cell or any(c in classes.split() for c in self.CELLS), skip or tag in self.SKIP))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.stack and self.stack[-1][1] and not self.stack[-1][2]:
            self.text.append(data)


def notebook_math(html: str) -> str | None:
    """The first piece of math in a page's rendered notebook cells, or None."""
    if 'class="jupyter-wrapper"' not in html:  # the notebook itself, not its stylesheet on every page
        return None
    if 'class="arithmatex"' in html:
        return "a LaTeX output"
    parser = _NotebookText()
    parser.feed(html)
    found = _MATH.search(" ".join(parser.text))
    return None if found is None else found.group(0)[:60]


def without_cdn_mathjax(html: str, src_uri: str) -> str:
    """The page without mkdocs-jupyter's MathJax loader; ValueError if its notebook has math."""
    math = notebook_math(html)
    if math is not None:
        raise ValueError(
            f"{src_uri}: the notebook has math ({math!r}), which MathJax would typeset from a CDN, and the "
            f"course never fetches from a CDN: write it without math"
        )
    return _MATHJAX_LOADER.sub("", html)
