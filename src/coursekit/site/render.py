"""Models -> HTML. Knows nothing of MkDocs, so another host needs only an adapter.

The quiz renders as a working HTML form before any script runs (fieldset, legend,
labelled inputs); the widget script then adds checking. The data the widget needs
travels in a JSON script element inside the form.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import markdown as md
import pygments
from coursekit.content.catalog import LoadedPage
from coursekit.content.models import Fact, Timeline
from coursekit.files import write_atomic

_MD_EXTENSIONS = ["extra", "sane_lists"]


_MD = md.Markdown(extensions=_MD_EXTENSIONS)

# Converted texts: those of the last build, read from disk (load_markdown_cache), and those
# this build has used so far. The text itself is the key, so an entry can never be stale;
# the salt drops the whole file when the converter or its extensions change.
_CACHE_SALT = f"python-markdown {md.__version__} {_MD_EXTENSIONS} pygments {pygments.__version__}"
_known: dict[str, str] = {}
_used: dict[str, str] = {}


def cached(text: str, make, kind: str = "") -> str:
    """make(text), or what it gave for the same text (and kind) in this build or the last one."""
    key = f"{kind}\0{text}" if kind else text
    html = _used.get(key)
    if html is None:
        html = _known.get(key)
        if html is None:
            html = make(text)
        _used[key] = html
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


def load_markdown_cache(path: Path) -> None:
    """Start a build: reuse the conversions saved by the last one (a missing, unreadable or
    foreign file is an empty cache)."""
    _used.clear()
    _known.clear()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict) and data.get("salt") == _CACHE_SALT and isinstance(data.get("entries"), dict):
        _known.update({k: v for k, v in data["entries"].items() if isinstance(k, str) and isinstance(v, str)})


def save_markdown_cache(path: Path) -> None:
    """End a build: keep exactly the conversions it used (written atomically; never fails a build)."""
    if _used == _known and path.is_file():
        return
    try:
        write_atomic(path, json.dumps({"salt": _CACHE_SALT, "entries": _used}, ensure_ascii=False))
    except OSError:
        pass  # no cache this time; the build goes on


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


def _json_for_script(data: object) -> str:
    """JSON safe inside <script type="application/json">: "</" would end the element early.

    Beware: Material's instant navigation re-creates every <script> in the content without
    its attributes, so such an element is then run as JavaScript. Widgets therefore carry
    their data in an attribute (json_attribute) instead.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def json_attribute(data: object) -> str:
    """JSON for an HTML attribute value (quoted with double quotes); read it with JSON.parse."""
    return escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")), quote=True)


def render_overview(page: LoadedPage) -> str:
    mod = page.module
    questions = "".join(f"<li>{inline(q)}</li>" for q in mod.questions)
    objectives = "".join(f'<li id="objective-{escape(o.id)}">{inline(o.text)}</li>' for o in mod.objectives)
    return (
        '<div class="admonition abstract ck-overview"><p class="admonition-title">Overview</p>'
        f"<p><strong>Teaching:</strong> {mod.minutes.teaching} min · "
        f"<strong>Exercises:</strong> {mod.minutes.exercises} min</p>"
        f"<p><strong>Questions</strong></p><ul>{questions}</ul>"
        f"<p><strong>Objectives</strong></p><ul>{objectives}</ul></div>"
    )


def render_key_points(page: LoadedPage) -> str:
    points = "".join(f"<li>{inline(k)}</li>" for k in page.module.key_points)
    return f'<div class="admonition success ck-key-points"><p class="admonition-title">Key points</p><ul>{points}</ul></div>'


def fact_anchor(fact_id: str) -> str:
    return f"fact-{fact_id.lower()}"


def render_citation(facts: list[Fact], references_href: str | None) -> str:
    """An inline citation: "(AP, 12 Sep 2023; PYMNTS, Jul 2025)", linked to the references page."""
    parts = []
    for f in facts:
        text = escape(f.cite)
        if references_href is not None:
            text = (f'<a href="{escape(references_href)}#{fact_anchor(f.id)}" '
                    f'title="{escape(f.statement, quote=True)}">{text}</a>')
        parts.append(text)
    return f'<span class="ck-cite">({"; ".join(parts)})</span>'


def render_references(facts: list[Fact], cited_on: dict[str, list[tuple[str, str]]]) -> str:
    """The fact base as a table: every fact, its full source, and the pages that cite it."""
    rows = []
    for f in facts:
        source = escape(f.source)
        if f.url:
            source = f'{source} <a href="{escape(f.url)}">{escape(f.url)}</a>'
        pages = ", ".join(f'<a href="{escape(url)}">{escape(title)}</a>' for title, url in cited_on.get(f.id, []))
        rows.append(f'<tr id="{fact_anchor(f.id)}"><td>{escape(f.id)}</td><td>{inline(f.statement)}</td>'
                    f"<td>{source}</td><td>{pages or '—'}</td></tr>")
    return ('<table class="ck-references"><thead><tr><th>Id</th><th>Fact</th><th>Source</th>'
            f'<th>Cited on</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def human_date(date: str) -> str:
    parts = date.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def render_timeline(timeline: Timeline, facts: dict[str, Fact], references_href: str | None) -> str:
    items = []
    for e in sorted(timeline.events, key=lambda e: e.date):
        text = f" {inline(e.text)}" if e.text else ""
        cite = render_citation([facts[i] for i in e.facts], references_href)
        items.append(f'<li><time datetime="{escape(e.date)}">{human_date(e.date)}</time> '
                     f"<strong>{inline(e.title)}</strong>{text} {cite}</li>")
    return f'<ol class="ck-timeline">{"".join(items)}</ol>'


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def render_course_minutes(time: dict) -> str:
    """The course's length, added up from its modules (``coursekit stats`` shows the parts)."""
    total = time["minutes_computed"]
    rounded = max(5, 5 * round(total / 5))
    modules = len(time["modules"])
    return (f'<p class="ck-course-minutes">The full course takes about <strong>{_duration(rounded)}</strong> '
            f"over {modules} modules: {time['minutes_reading']} min of reading "
            f"(at {time['reading_wpm']} words a minute), {time['minutes_exercises_computed']} min of exercises "
            f"and {time['minutes_quiz']} min of quizzes, without the discussions.</p>")
