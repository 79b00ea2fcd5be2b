"""Models -> HTML. Knows nothing of MkDocs, so another host needs only an adapter.

The quiz renders as a working HTML form before any script runs (fieldset, legend,
labelled inputs); the widget script then adds checking. The data the widget needs
travels in a JSON script element inside the form.
"""

from __future__ import annotations

import json
from html import escape

import markdown as md
from coursekit.content.catalog import LoadedPage
from coursekit.content.models import Fact, Timeline
from coursekit.content.models import (
    ChoiceQuestion,
    MultipleSelect,
    Numeric,
    Question,
    Quiz,
    ShortText,
    TrueFalse,
)

_MD_EXTENSIONS = ["extra", "sane_lists"]


def markdown(text: str) -> str:
    return md.markdown(text, extensions=_MD_EXTENSIONS)


def inline(text: str) -> str:
    """Markdown for a one-paragraph string, without the wrapping <p>."""
    html = markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def _json_for_script(data: object) -> str:
    # "</" would end the script element early; escape it (and U+2028/9 for old parsers).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def question_data(q: Question) -> dict:
    """What the widget needs to grade and give feedback, feedback pre-rendered to HTML."""
    data: dict = {"id": q.id, "type": q.type, "points": q.points, "explanation": markdown(q.explanation)}
    if isinstance(q, ChoiceQuestion):
        data["options"] = [
            {"id": o.id, "correct": o.correct, "feedback": inline(o.feedback),
             "misconception": o.misconception} for o in q.options
        ]
    elif isinstance(q, TrueFalse):
        data.update(answer=q.answer, feedback_true=inline(q.feedback_true),
                    feedback_false=inline(q.feedback_false), misconception=q.misconception)
    elif isinstance(q, Numeric):
        data.update(answer=str(q.answer), tolerance=str(q.tolerance), tolerance_mode=q.tolerance_mode,
                    unit=q.unit, correct_feedback=inline(q.correct_feedback),
                    wrong_feedback=inline(q.wrong_feedback),
                    mistakes=[{"value": str(m.value), "tolerance": str(m.tolerance),
                               "feedback": inline(m.feedback), "misconception": m.misconception}
                              for m in q.mistakes])
    elif isinstance(q, ShortText):
        data.update(accept=q.accept, case_sensitive=q.case_sensitive,
                    correct_feedback=inline(q.correct_feedback), wrong_feedback=inline(q.wrong_feedback),
                    mistakes=[{"answers": m.answers, "feedback": inline(m.feedback),
                               "misconception": m.misconception} for m in q.mistakes])
    return data


def _question_inputs(quiz_id: str, q: Question) -> str:
    name = f"ck-{quiz_id}-{q.id}"
    if isinstance(q, ChoiceQuestion):
        kind = "checkbox" if isinstance(q, MultipleSelect) else "radio"
        items = "".join(
            f'<label class="ck-option"><input type="{kind}" name="{name}" value="{escape(o.id)}">'
            f'<span class="ck-option__text">{inline(o.text)}</span></label>'
            for o in q.options
        )
        return f'<div class="ck-options">{items}</div>'
    if isinstance(q, TrueFalse):
        return (f'<div class="ck-options">'
                f'<label class="ck-option"><input type="radio" name="{name}" value="true">'
                f'<span class="ck-option__text">True</span></label>'
                f'<label class="ck-option"><input type="radio" name="{name}" value="false">'
                f'<span class="ck-option__text">False</span></label></div>')
    input_id = f"{name}-input"
    if isinstance(q, Numeric):
        unit = f'<span class="ck-unit">{escape(q.unit)}</span>' if q.unit else ""
        return (f'<div class="ck-answer"><label for="{input_id}">Your answer</label>'
                f'<span class="ck-answer__row"><input id="{input_id}" name="{name}" type="text" '
                f'inputmode="decimal" autocomplete="off" spellcheck="false">{unit}</span></div>')
    return (f'<div class="ck-answer"><label for="{input_id}">Your answer</label>'
            f'<span class="ck-answer__row"><input id="{input_id}" name="{name}" type="text" '
            f'autocomplete="off"></span></div>')


_TYPE_LABEL = {"single": "Choose one", "multiple": "Choose all that apply", "true_false": "True or false",
               "numeric": "Enter a number", "short_text": "Enter a short answer"}


def render_quiz(quiz_id: str, quiz: Quiz) -> str:
    items = []
    for n, q in enumerate(quiz.questions, start=1):
        items.append(
            f'<li class="ck-question" data-question="{escape(q.id)}" data-type="{q.type}">'
            f'<fieldset><legend><span class="ck-question__number">Question {n}.</span> '
            f'{inline(q.prompt)} <span class="ck-question__hint">({_TYPE_LABEL[q.type]}.)</span></legend>'
            f"{_question_inputs(quiz_id, q)}"
            f'<div class="ck-actions"><button type="button" class="md-button ck-check">Check</button></div>'
            f'<div class="ck-feedback" role="status" aria-live="polite"></div>'
            f"</fieldset></li>"
        )
    total = sum(q.points for q in quiz.questions)
    data = {"id": quiz_id, "title": quiz.title, "questions": [question_data(q) for q in quiz.questions]}
    description = f'<div class="ck-quiz__description">{markdown(quiz.description)}</div>' if quiz.description else ""
    return (
        f'<form class="ck-quiz" data-quiz="{escape(quiz_id)}" aria-label="Quiz: {escape(quiz.title)}" novalidate>'
        f'<p class="ck-quiz__title"><strong>Quiz:</strong> {escape(quiz.title)}</p>{description}'
        f'<ol class="ck-questions">{"".join(items)}</ol>'
        f'<p class="ck-quiz__score" role="status" aria-live="polite" data-max="{total}">'
        f"Score: 0 / {total} (no question checked yet)</p>"
        f'<script type="application/json" class="ck-quiz__data">{_json_for_script(data)}</script>'
        f"</form>"
    )


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
