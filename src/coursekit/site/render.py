"""Models -> HTML. Knows nothing of MkDocs, so another host needs only an adapter.

The quiz renders as a working HTML form before any script runs (fieldset, legend,
labelled inputs); the widget script then adds checking. The data the widget needs
travels in a JSON script element inside the form.
"""

from __future__ import annotations

import json
import re
from html import escape

from coursekit.content.catalog import LoadedPage
from coursekit.content.case_models import Fact, Timeline
from coursekit.markup import inline


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
