"""Quizzes on the site: the HTML form of a quiz and the data its widget grades with.

The form works as HTML before any script runs (fieldset, legend, labelled inputs); the
widget (assets/quiz.js) adds checking, tries, hints, saved progress and a results file.
Knows nothing of MkDocs: the plugin passes a function that turns a course-relative link
('modules/01-story.md#launch') into a URL for the page at hand.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from coursekit.content.models import (
    ChoiceQuestion,
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Question,
    Quiz,
    Reflection,
    ShortText,
    TrueFalse,
)
from coursekit.content.formula import fmt
from coursekit.quiz import variants
from coursekit.ids import LEARNER_PATTERN
from coursekit.quiz.order import STATIC_LEARNER, quiz_order
from coursekit.quiz.variants import shuffled
from coursekit.markup import inline, markdown
from coursekit.site.render import json_attribute

LinkResolver = Callable[[str], str | None]

TYPE_HINT = {
    "single": "Choose one", "multiple": "Choose all that apply", "true_false": "True or false",
    "numeric": "Enter a number", "short_text": "Enter a short answer", "ordering": "Put in order",
    "matching": "Match each item", "reflection": "Write a reflection; not scored",
}


def answer_html(q: Question) -> str:
    """The right answer, as the widget shows it after 'Show answer'."""
    if isinstance(q, ChoiceQuestion):
        return "<ul>" + "".join(f"<li>{inline(o.text)}</li>" for o in q.options if o.correct) + "</ul>"
    if isinstance(q, TrueFalse):
        return f"<p>{'True' if q.answer else 'False'}</p>"
    if isinstance(q, Numeric):
        if q.answer is None:  # a variant: each shipped variant carries its own answer
            return ""
        unit = f" {escape(q.unit)}" if q.unit else ""
        return f"<p>{fmt(q.answer)}{unit}</p>"
    if isinstance(q, ShortText):
        return f"<p>{escape(q.accept[0])}</p>" if q.accept else "<p>(see the explanation)</p>"
    if isinstance(q, Ordering):
        return "<ol>" + "".join(f"<li>{inline(i.text)}</li>" for i in q.items) + "</ol>"
    if isinstance(q, Matching):
        return "<ul>" + "".join(f"<li>{inline(p.left)} → {inline(p.right)}</li>" for p in q.pairs) + "</ul>"
    return ""


def question_data(q: Question, resolve: LinkResolver | None = None) -> dict:
    """What the widget grades with: the grading fields under the model's own names (so the
    JS grader reads what the Python grader reads), with feedback pre-rendered to HTML."""
    data = q.model_dump(mode="json", exclude={"prompt", "explanation", "hints", "section"})
    data["explanation"] = markdown(q.explanation)
    data["hints"] = [markdown(h) for h in q.hints]
    data["prompt_html"] = inline(q.prompt)
    data["answer_html"] = answer_html(q)
    data["section_url"] = resolve(q.section) if (resolve and q.section) else None
    for key in ("correct_feedback", "wrong_feedback", "feedback_true", "feedback_false"):
        if isinstance(data.get(key), str):
            data[key] = inline(data[key])
    for item in data.get("options", []) + data.get("mistakes", []):
        item["feedback"] = inline(item["feedback"])
    if isinstance(q, Numeric) and variants.is_variant(q):
        data["variants"] = [question_data(v, resolve) | {"values": {k: fmt(x) for k, x in values.items()}}
                            for values, v in variants.pool(q)]
    return data


def _choice_inputs(name: str, q: Question, shown: list[str] | None) -> str:
    if isinstance(q, TrueFalse):
        choices = [("true", "True", False), ("false", "False", False)]
        kind = "radio"
    else:
        by_id = {o.id: o for o in q.options}
        choices = [(i, inline(by_id[i].text), by_id[i].fixed) for i in shown or by_id]
        kind = "checkbox" if isinstance(q, MultipleSelect) else "radio"
    items = "".join(
        f'<label class="ck-option"{' data-fixed="true"' if fixed else ""}>'
        f'<input type="{kind}" name="{name}" value="{escape(value)}">'
        f'<span class="ck-option__text">{text}</span></label>' for value, text, fixed in choices)
    return f'<div class="ck-options">{items}</div>'


def _inputs(quiz_id: str, q: Question, order: dict[str, list[str]]) -> str:
    name = f"ck-{quiz_id}-{q.id}"
    if isinstance(q, (ChoiceQuestion, TrueFalse)):
        return _choice_inputs(name, q, order.get(q.id))
    if isinstance(q, Ordering):
        by_id = {i.id: i for i in q.items}
        rows = "".join(
            f'<li class="ck-order__item" data-item="{escape(i)}"><span class="ck-order__text">{inline(by_id[i].text)}</span>'
            f'<span class="ck-order__buttons"><button type="button" class="ck-order__up" '
            f'aria-label="Move up: {escape(by_id[i].text)}">↑</button><button type="button" class="ck-order__down" '
            f'aria-label="Move down: {escape(by_id[i].text)}">↓</button></span></li>'
            for i in shuffled(list(by_id), f"{quiz_id}:{q.id}"))
        return f'<ol class="ck-order">{rows}</ol>'
    if isinstance(q, Matching):
        rights = [(p.id, p.right) for p in q.pairs] + [(d.id, d.text) for d in q.distractors]
        text = dict(rights)
        options = '<option value="">Choose…</option>' + "".join(
            f'<option value="{escape(i)}">{escape(text[i])}</option>' for i in order[f"{q.id}:right"])
        rows = "".join(
            f'<div class="ck-match__row"><label for="{name}-{escape(p.id)}">{inline(p.left)}</label>'
            f'<select id="{name}-{escape(p.id)}" data-pair="{escape(p.id)}">{options}</select></div>'
            for p in q.pairs)
        return f'<div class="ck-match">{rows}</div>'
    input_id = f"{name}-input"
    if isinstance(q, Reflection):
        need = f" (at least {q.min_words} words)" if q.min_words else ""
        return (f'<div class="ck-answer ck-answer--long"><label for="{input_id}">Your reflection{need}</label>'
                f'<textarea id="{input_id}" name="{name}" rows="5"></textarea></div>')
    extra = ' inputmode="decimal" spellcheck="false"' if isinstance(q, Numeric) else ""
    unit = f'<span class="ck-unit">{escape(q.unit)}</span>' if isinstance(q, Numeric) and q.unit else ""
    return (f'<div class="ck-answer"><label for="{input_id}">Your answer</label>'
            f'<span class="ck-answer__row"><input id="{input_id}" name="{name}" type="text" autocomplete="off"{extra}>'
            f"{unit}</span></div>")


def _question(quiz_id: str, n: int, q: Question, order: dict[str, list[str]], assessment: bool = False) -> str:
    shown = variants.pool(q)[0][1] if variants.is_variant(q) else q
    hint_button = (f'<button type="button" class="ck-button ck-hint-button">Show a hint (1 of {len(q.hints)})</button>'
                   if q.hints else "")
    check = "Save" if isinstance(q, Reflection) else "Check"
    actions = "" if assessment else (
        f'<div class="ck-actions"><button type="button" class="ck-button ck-button--primary ck-check">{check}</button>'
        f'{hint_button}<button type="button" class="ck-button ck-reveal" hidden>Show answer</button></div>'
        f'<div class="ck-hints" aria-live="polite"></div>'
        f'<div class="ck-feedback" role="status" aria-live="polite"></div>')
    return (
        f'<li class="ck-question" data-question="{escape(q.id)}" data-type="{q.type}">'
        f'<fieldset><legend><span class="ck-question__number">Question {n}.</span> '
        f'<span class="ck-prompt">{inline(shown.prompt)}</span> '
        f'<span class="ck-question__hint">({TYPE_HINT[q.type]}.)</span></legend>'
        f"{_inputs(quiz_id, q, order)}{actions}"
        f"</fieldset></li>"
    )


def render_quiz(quiz_id: str, quiz: Quiz, resolve: LinkResolver | None = None) -> str:
    # Before the widget gives each learner an order of their own (and without JavaScript), the
    # page shows one that is not the authored one and, like every learner's, keeps keys balanced.
    order = quiz_order(quiz_id, quiz, STATIC_LEARNER)
    items = "".join(_question(quiz_id, n, q, order) for n, q in enumerate(quiz.questions, start=1))
    total = sum(q.points for q in quiz.questions)
    data = {"id": quiz_id, "title": quiz.title, "show_answer_after": quiz.show_answer_after,
            "questions": [question_data(q, resolve) for q in quiz.questions]}
    description = f'<div class="ck-quiz__description">{markdown(quiz.description)}</div>' if quiz.description else ""
    return (
        f'<form class="ck-quiz" data-quiz="{escape(quiz_id)}" aria-label="Quiz: {escape(quiz.title)}" novalidate '
        f'data-ck-quiz="{json_attribute(data)}">'
        f'<p class="ck-quiz__title"><strong>Quiz:</strong> {escape(quiz.title)}</p>{description}'
        f'<ol class="ck-questions">{items}</ol>'
        f'<div class="ck-quiz__footer"><p class="ck-quiz__score" role="status" aria-live="polite" data-max="{total}">'
        f"Score: 0 / {total} (no question checked yet)</p>"
        f'<div class="ck-quiz__tools"><button type="button" class="ck-button ck-download">Download practice record (JSON)</button>'
        f'<button type="button" class="ck-button ck-reset">Reset quiz</button></div></div>'
        f"</form>"
    )


def render_assessment_quiz(quiz_id: str, quiz: Quiz) -> str:
    """The quiz as an assessment: the same form with no key, feedback, explanation,
    hint or misconception anywhere in the page; answers leave as a submission file."""
    # No key in this page, so no balancing by it either: the static order is as uniform as each
    # learner's (made when their id is entered), and leaks nothing about the key.
    order = quiz_order(quiz_id, quiz, STATIC_LEARNER, with_key=False)
    items = "".join(_question(quiz_id, n, q, order, assessment=True)
                    for n, q in enumerate(quiz.questions, start=1))
    data = {"id": quiz_id, "questions": [
        {"id": q.id, "type": q.type} | (
            {"prompts": [inline(v.prompt) for _, v in variants.pool(q)]} if variants.is_variant(q) else {})
        for q in quiz.questions]}
    learner_id = f"ck-{quiz_id}-learner"
    return (
        f'<form class="ck-quiz ck-assessment" data-quiz="{escape(quiz_id)}" aria-label="Assessment: {escape(quiz.title)}" '
        f'novalidate data-ck-assessment="{json_attribute(data)}" data-learner-pattern="{escape(LEARNER_PATTERN)}">'
        f'<p class="ck-quiz__title"><strong>Assessment:</strong> {escape(quiz.title)}</p>'
        f'<div class="ck-answer"><label for="{learner_id}">Your learner id</label>'
        f'<span class="ck-answer__row"><input id="{learner_id}" class="ck-assess__learner" type="text" '
        f'autocomplete="username" spellcheck="false" required></span></div>'
        f'<ol class="ck-questions">{items}</ol>'
        f'<div class="ck-quiz__footer"><p class="ck-assess__status" role="status" aria-live="polite">'
        f"Your answers are kept in this browser until you download the submission file.</p>"
        f'<div class="ck-quiz__tools"><button type="button" class="ck-button ck-button--primary ck-assess__download">'
        f'Download submission</button><button type="button" class="ck-button ck-assess__clear">Clear answers</button>'
        f"</div></div></form>"
    )
