"""Course models -> HTML for the pages: a module's overview and key points, citations, the
references table, the timeline, the course's length. Quizzes are quizzes.py's, exercises
exercises.py's, figures figures.py's. Knows nothing of MkDocs, so another host needs only an
adapter; markup of more than a line is in templates/ (a citation's link is one line here).
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from coursekit.content.case_models import Fact, Timeline
from coursekit.content.catalog import LoadedPage
from coursekit.site.templating import render


def render_overview(page: LoadedPage) -> str:
    return render("overview.html.j2", mod=page.module)


def render_key_points(page: LoadedPage) -> str:
    return render("key_points.html.j2", mod=page.module)


def fact_anchor(fact_id: str) -> str:
    return f"fact-{fact_id.lower()}"


def render_citation(facts: list[Fact], references_href: str | None) -> Markup:
    """An inline citation: "(AP, 12 Sep 2023; PYMNTS, Jul 2025)", linked to the references page."""
    parts = []
    for f in facts:
        text = escape(f.cite)
        if references_href is not None:
            text = (
                f'<a href="{escape(references_href)}#{fact_anchor(f.id)}" '
                f'title="{escape(f.statement, quote=True)}">{text}</a>'
            )
        parts.append(text)
    return Markup(f'<span class="ck-cite">({"; ".join(parts)})</span>')


def render_references(facts: list[Fact], cited_on: dict[str, list[tuple[str, str]]]) -> str:
    """The fact base as a table: every fact, its full source, and the pages that cite it."""
    return render("references.html.j2", facts=facts, cited_on=cited_on, anchor=fact_anchor)


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def human_date(date: str) -> str:
    parts = date.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def render_timeline(timeline: Timeline, facts: dict[str, Fact], references_href: str | None) -> str:
    return render(
        "timeline.html.j2",
        events=sorted(timeline.events, key=lambda e: e.date),
        date=human_date,
        cite=lambda e: render_citation([facts[i] for i in e.facts], references_href),
    )


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def render_course_minutes(time: dict) -> str:
    """The course's length, added up from its modules (``coursekit stats`` shows the parts)."""
    rounded = max(5, 5 * round(time["minutes_computed"] / 5))
    return render("course_minutes.html.j2", time=time, duration=_duration(rounded))
