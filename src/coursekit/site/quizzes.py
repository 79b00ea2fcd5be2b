"""Quizzes on the site: the HTML form of a quiz and the data its widget grades with.

The form works as HTML before any script runs (fieldset, legend, labelled inputs: the
markup is templates/quiz.html.j2, assessment.html.j2 and question.html.j2); the widget
(assets/quiz.js, which grades with assets/grading.js) adds checking, tries, hints, saved
progress and a results file.
Knows nothing of MkDocs: the plugin passes a function that turns a course-relative link
('modules/01-story.md#launch') into a URL for the page at hand.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from coursekit import limits
from coursekit.content.formula import fmt
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
from coursekit.ids import LEARNER_PATTERN, LEARNER_RULE
from coursekit.markup import inline, markdown
from coursekit.quiz import variants
from coursekit.quiz.order import STATIC_LEARNER, quiz_order
from coursekit.quiz.variants import shuffled
from coursekit.site.templating import render

LinkResolver = Callable[[str], str | None]


def bounds(question_type: str) -> dict[str, int]:
    """The bounds on an answer (coursekit.limits), as the page's scripts read them from its data."""
    if question_type == "numeric":
        return {"max_chars": limits.MAX_NUMBER_TEXT, "max_exponent": limits.MAX_EXPONENT}
    chars = {"short_text": limits.MAX_SHORT_TEXT, "reflection": limits.MAX_REFLECTION}.get(question_type)
    return {} if chars is None else {"max_chars": chars}


TYPE_HINT = {
    "single": "Choose one",
    "multiple": "Choose all that apply",
    "true_false": "True or false",
    "numeric": "Enter a number",
    "short_text": "Enter a short answer",
    "ordering": "Put in order",
    "matching": "Match each item",
    "reflection": "Write a reflection; not scored",
}


def answer_html(q: Question) -> str:
    """The right answer, as the widget shows it after 'Show answer'."""
    if isinstance(q, ChoiceQuestion):
        return render("answer.html.j2", kind="list", items=[o.text for o in q.options if o.correct])
    if isinstance(q, TrueFalse):
        return render("answer.html.j2", kind="text", text="True" if q.answer else "False")
    if isinstance(q, Numeric):
        if q.answer is None:  # a variant: each shipped variant carries its own answer
            return ""
        return render("answer.html.j2", kind="text", text=fmt(q.answer) + (f" {q.unit}" if q.unit else ""))
    if isinstance(q, ShortText):
        return render("answer.html.j2", kind="text", text=q.accept[0] if q.accept else "(see the explanation)")
    if isinstance(q, Ordering):
        return render("answer.html.j2", kind="ordered", items=[i.text for i in q.items])
    if isinstance(q, Matching):
        return render("answer.html.j2", kind="pairs", items=[(p.left, p.right) for p in q.pairs])
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
    data |= bounds(q.type)
    for key in ("correct_feedback", "wrong_feedback", "feedback_true", "feedback_false"):
        if isinstance(data.get(key), str):
            data[key] = inline(data[key])
    for item in data.get("options", []) + data.get("mistakes", []):
        item["feedback"] = inline(item["feedback"])
    if isinstance(q, Numeric) and variants.is_variant(q):
        data["variants"] = [
            question_data(v, resolve) | {"values": {k: fmt(x) for k, x in values.items()}}
            for values, v in variants.pool(q)
        ]
    return data


def _question_view(quiz_id: str, n: int, q: Question, order: dict[str, list[str]]) -> dict:
    """What question.html.j2 needs of one question: the model, and its inputs in the order shown."""
    shown = variants.pool(q)[0][1] if variants.is_variant(q) else q
    view = {
        "n": n,
        "q": q,
        "prompt": shown.prompt,
        "type_hint": TYPE_HINT[q.type],
        "name": f"ck-{quiz_id}-{q.id}",
        "kind": q.type if isinstance(q, (Ordering, Matching, Reflection)) else "text",
    }
    if isinstance(q, TrueFalse):
        view |= {
            "kind": "choice",
            "input": "radio",
            "choices": [
                {"value": "true", "text": "True", "fixed": False},
                {"value": "false", "text": "False", "fixed": False},
            ],
        }
    elif isinstance(q, ChoiceQuestion):
        by_id = {o.id: o for o in q.options}
        view |= {
            "kind": "choice",
            "input": "checkbox" if isinstance(q, MultipleSelect) else "radio",
            "choices": [
                {"value": i, "text": Markup(inline(by_id[i].text)), "fixed": by_id[i].fixed}
                for i in order.get(q.id) or by_id
            ],
        }
    elif isinstance(q, Ordering):
        by_id = {i.id: i.text for i in q.items}
        view["rows"] = [(i, by_id[i]) for i in shuffled(list(by_id), f"{quiz_id}:{q.id}")]
    elif isinstance(q, Matching):
        text = {p.id: p.right for p in q.pairs} | {d.id: d.text for d in q.distractors}
        view["rights"] = [(i, text[i]) for i in order[f"{q.id}:right"]]
    return view


def render_quiz(quiz_id: str, quiz: Quiz, resolve: LinkResolver | None = None) -> str:
    # Before the widget gives each learner an order of their own (and without JavaScript), the
    # page shows one that is not the authored one and, like every learner's, keeps keys balanced.
    order = quiz_order(quiz_id, quiz, STATIC_LEARNER)
    questions = [_question_view(quiz_id, n, q, order) for n, q in enumerate(quiz.questions, start=1)]
    data = {
        "id": quiz_id,
        "title": quiz.title,
        "show_answer_after": quiz.show_answer_after,
        "questions": [question_data(q, resolve) for q in quiz.questions],
    }
    return render(
        "quiz.html.j2",
        quiz_id=quiz_id,
        quiz=quiz,
        data=data,
        questions=questions,
        total=sum(q.points for q in quiz.questions),
    )


def render_assessment_quiz(quiz_id: str, quiz: Quiz) -> str:
    """The quiz as an assessment: the same form with no key, feedback, explanation,
    hint or misconception anywhere in the page; answers leave as a submission file."""
    # No key in this page, so no balancing by it either: the static order is as uniform as each
    # learner's (made when their id is entered), and leaks nothing about the key.
    order = quiz_order(quiz_id, quiz, STATIC_LEARNER, with_key=False)
    data = {
        "id": quiz_id,
        "numeric_bounds": bounds("numeric"),
        "questions": [
            {"id": q.id, "type": q.type}
            | ({"prompts": [inline(v.prompt) for _, v in variants.pool(q)]} if variants.is_variant(q) else {})
            for q in quiz.questions
        ],
    }
    questions = [_question_view(quiz_id, n, q, order) for n, q in enumerate(quiz.questions, start=1)]
    return render(
        "assessment.html.j2",
        quiz_id=quiz_id,
        quiz=quiz,
        data=data,
        questions=questions,
        learner_pattern=LEARNER_PATTERN,
        learner_rule=LEARNER_RULE,
    )
