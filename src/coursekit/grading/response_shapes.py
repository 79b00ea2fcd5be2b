"""Step 5 of reading a submission: each response shaped as its question's type needs.

Null is always fine (no answer). Otherwise: single, one option id of the question; multiple,
a list of its option ids, each once; true_false, a boolean (not "true", not 1); numeric, a
number or a string; short_text and reflection, a string; ordering, every item id once;
matching, an object from pair ids to right-hand side ids. Strings are bounded (MAX_TEXT).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coursekit.content.models import (
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Question,
    Quiz,
    Reflection,
    ShortText,
    SingleChoice,
    TrueFalse,
)
from coursekit.grading.submissions import MAX_TEXT, Submission, type_name

Rule = Callable[[Any], str | None]


def _one_of(ids: list[str], what: str) -> Callable[[str], str | None]:
    known = set(ids)
    return lambda v: None if v in known else f"{v[:40]!r} is not {what} of this question"


def _rule(q: Question) -> Rule:
    if isinstance(q, SingleChoice):
        option = _one_of([o.id for o in q.options], "an option")
        return lambda v: (
            option(v)
            if isinstance(v, str)
            else f"a single-choice answer is one option id (a string), not {type_name(v)}"
        )
    if isinstance(q, MultipleSelect):
        option = _one_of([o.id for o in q.options], "an option")

        def multiple(v: Any) -> str | None:
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                return f"a multiple-choice answer is a list of option ids, not {type_name(v)}"
            if len(set(v)) != len(v):
                return "an option is chosen twice"
            return next(filter(None, map(option, v)), None)

        return multiple
    if isinstance(q, TrueFalse):
        return lambda v: None if isinstance(v, bool) else f"a true/false answer is true or false, not {type_name(v)}"
    if isinstance(q, Ordering):
        items = sorted(i.id for i in q.items)
        return lambda v: (
            None
            if isinstance(v, list) and all(isinstance(x, str) for x in v) and sorted(v) == items
            else "an ordering answer lists every item id once, in the learner's order"
        )
    if isinstance(q, Matching):
        pairs = {p.id for p in q.pairs}
        right = _one_of([p.id for p in q.pairs] + [d.id for d in q.distractors], "a right-hand side")

        def matching(v: Any) -> str | None:
            if not isinstance(v, dict) or not all(isinstance(x, str) for x in v.values()):
                return f"a matching answer maps pair ids to right-hand side ids, not {type_name(v)}"
            unknown = sorted(set(v) - pairs)
            if unknown:
                return f"{unknown[0][:40]!r} is not a pair of this question"
            return next(filter(None, map(right, v.values())), None)

        return matching
    kind = "numeric" if isinstance(q, Numeric) else "reflection" if isinstance(q, Reflection) else "short_text"
    limit, numeric = MAX_TEXT[kind], isinstance(q, Numeric)
    assert isinstance(q, (Numeric, Reflection, ShortText))

    def text(v: Any) -> str | None:
        if numeric and isinstance(v, (int, float)) and not isinstance(v, bool):
            return None
        if not isinstance(v, str):
            return f"a {kind.replace('_', '-')} answer is {'a number or ' if numeric else ''}text, not {type_name(v)}"
        if len(v) > limit:
            return f"{len(v):,} characters (the limit is {limit:,})"
        return None

    return text


def response_rules(quiz: Quiz) -> dict[str, Rule]:
    """question id -> a check of a response's shape (None: fine). Null is always fine: no answer."""
    return {q.id: _rule(q) for q in quiz.questions}


def check_against(quiz_id: str, rules: dict[str, Rule], s: Submission) -> str | None:
    """Why this submission does not fit the quiz (another quiz, an unknown question, a
    response of the wrong shape), or None."""
    if s.quiz != quiz_id:
        return f"foreign: a submission for quiz {s.quiz!r}, not {quiz_id!r}"
    return check_responses(rules, s.responses)


def check_responses(rules: dict[str, Rule], responses: dict[str, Any]) -> str | None:
    unknown = sorted(set(responses) - set(rules))
    if unknown:
        return f"schema: unknown question id(s) {', '.join(unknown[:5])}"
    for qid, value in responses.items():
        if value is not None:
            problem = rules[qid](value)
            if problem:
                return f"response to {qid!r}: {problem}"
    return None
