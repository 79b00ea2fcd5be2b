"""Grading rules: pure functions from (question, response) to a result.

This module is the one truth for grading. The page's grader (site/assets/grading.js, which
the practice widget quiz.js calls) re-implements these rules for instant practice feedback;
both are run against the shared vectors in tests/grading_vectors.json so they cannot drift.
The bounds on an answer's length are coursekit.limits'.

Responses, as a submission or an answers file holds them:
  single      the chosen option id
  multiple    a list of option ids
  true_false  true or false (the strings "true"/"false" are accepted)
  numeric     a number or a string such as "30", "1,250.5", "12 %", "3x" (unit optional)
  short_text  a string
  ordering    the item ids, in the learner's order
  matching    a mapping from each pair id to the chosen right side (a pair id or a distractor id)
  reflection  a string (kept, never scored)

Scores are Fractions, so a quiz total never drifts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

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
    SingleChoice,
    TrueFalse,
)
from coursekit.limits import MAX_EXPONENT, MAX_NUMBER_TEXT, MAX_REFLECTION, MAX_SHORT_TEXT

NO_ANSWER = "No answer given."

TOO_LONG = "That answer is too long to read here (at most {limit} characters)."
OUT_OF_RANGE = "That number is too large or too small to read."


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    score: Fraction  # points earned
    max_score: int
    correct: bool
    answered: bool
    feedback: list[str] = field(default_factory=list)
    misconceptions: list[str] = field(default_factory=list)
    explanation: str = ""


@dataclass(frozen=True)
class QuizResult:
    results: list[QuestionResult]

    @property
    def score(self) -> Fraction:
        return sum((r.score for r in self.results), Fraction(0))

    @property
    def max_score(self) -> int:
        return sum(r.max_score for r in self.results)


# One explicit whitespace class, shared with the JS grader, so both trim the same characters.
WHITESPACE = "[ \t\n\r\f\v\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_WS_RUN = re.compile(WHITESPACE + "+")
_WS_EDGES = re.compile(f"^{WHITESPACE}+|{WHITESPACE}+$")


def _trim(text: str) -> str:
    return _WS_EDGES.sub("", text)


def _blank(response: Any) -> bool:
    if isinstance(response, str):
        return not _trim(response)
    return response is None or (isinstance(response, (list, dict)) and not response)


def _choice_fraction(q: ChoiceQuestion, chosen: list[str]) -> Fraction:
    right = set(q.correct_ids)
    if isinstance(q, SingleChoice):
        return Fraction(1) if chosen == list(right) else Fraction(0)
    hits = len(right & set(chosen))
    misses = len(set(chosen) - right)
    return max(Fraction(0), Fraction(hits - misses, len(right)))


def _grade_choice(q: ChoiceQuestion, response: Any) -> tuple[Fraction, list[str], list[str]]:
    if isinstance(q, SingleChoice):
        chosen = [response] if isinstance(response, str) else []
    else:
        chosen = list(dict.fromkeys(r for r in response if isinstance(r, str))) if isinstance(response, list) else []
    by_id = {o.id: o for o in q.options}
    chosen = [c for c in chosen if c in by_id]
    if not chosen:
        return Fraction(0), ["That is not one of the options."], []
    feedback = [by_id[c].feedback for c in chosen]
    misconceptions = [by_id[c].misconception for c in chosen if by_id[c].misconception]
    return _choice_fraction(q, chosen), feedback, misconceptions


def _as_bool(response: Any) -> bool | None:
    if isinstance(response, bool):
        return response
    if isinstance(response, str) and _trim(response).lower() in ("true", "false"):
        return _trim(response).lower() == "true"
    return None


_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")


def parse_number(response: Any, unit: str | None = None) -> Decimal | None:
    """A learner's number, or None. Commas count only as thousands separators (1,250.5).
    Callers bound the text first (number_problem)."""
    if isinstance(response, bool):
        return None
    if isinstance(response, (int, float)):
        value = Decimal(str(response))
        return value if value.is_finite() else None
    if not isinstance(response, str):
        return None
    text = _trim(unicodedata.normalize("NFKC", response)).replace("\u2212", "-")
    suffix = _trim(unit).lower() if unit else ""
    if suffix and text.lower().endswith(suffix):
        text = _trim(text[: len(text) - len(suffix)])
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None
    return value if abs(value.as_tuple().exponent) <= MAX_EXPONENT + MAX_NUMBER_TEXT else None


def number_problem(response: Any) -> str | None:
    """Why a numeric answer is not read at all (too long, too large), or None."""
    if isinstance(response, int) and not isinstance(response, bool) and abs(response).bit_length() > 330:
        return TOO_LONG.format(limit=MAX_NUMBER_TEXT)  # over 100 digits; str() of it may even refuse
    text = response if isinstance(response, str) else str(response) if isinstance(response, (int, float)) else ""
    if len(text) > MAX_NUMBER_TEXT:
        return TOO_LONG.format(limit=MAX_NUMBER_TEXT)
    m = re.search(r"[eE]([+-]?[0-9]+)", text)
    if m and abs(int(m.group(1))) > MAX_EXPONENT:
        return OUT_OF_RANGE
    return None


def within(value: Decimal, target: Decimal, tolerance: Decimal, relative: bool = False) -> bool:
    allowed = tolerance * abs(target) if relative else tolerance
    return abs(value - target) <= allowed


def round_sig(value: Decimal, figures: int) -> Decimal:
    """Round half away from zero to a number of significant figures, exactly."""
    if value == 0:
        return Decimal(0)
    exponent = value.adjusted() - figures + 1
    return (
        value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
        if exponent > value.as_tuple().exponent
        else value
    )


def _numeric_right(q: Numeric, value: Decimal) -> bool:
    if q.sig_figs is not None:
        return round_sig(value, q.sig_figs) == round_sig(q.answer, q.sig_figs)
    return within(value, q.answer, q.tolerance, q.tolerance_mode == "relative")


def _kendall_fraction(order: list[str], right: list[str]) -> Fraction:
    rank = {item: i for i, item in enumerate(order)}
    pairs = [(a, b) for i, a in enumerate(right) for b in right[i + 1 :]]
    return Fraction(sum(rank[a] < rank[b] for a, b in pairs), len(pairs))


def words(text: str) -> int:
    return len([w for w in _WS_RUN.split(text) if w])


def normalise_text(text: str, case_sensitive: bool = False) -> str:
    text = _trim(_WS_RUN.sub(" ", unicodedata.normalize("NFC", text)))
    return text if case_sensitive else text.lower()


Verdict = tuple[Fraction, list[str], list[str]]  # (share of the points, feedback, misconceptions)


def _reflection(q: Reflection, response: Any) -> Verdict:
    if not isinstance(response, str):
        return Fraction(0), ["Answer with text."], []
    if len(response) > MAX_REFLECTION:
        return Fraction(0), [TOO_LONG.format(limit=MAX_REFLECTION)], []
    feedback = ["Saved for your instructor to read; reflections are not scored."]
    if q.min_words and words(response) < q.min_words:
        feedback.append(f"Aim for at least {q.min_words} words (you wrote {words(response)}).")
    return Fraction(0), feedback, []


def _true_false(q: TrueFalse, response: Any) -> Verdict:
    value = _as_bool(response)
    if value is None:
        return Fraction(0), ["Answer true or false."], []
    feedback = q.feedback_true if value else q.feedback_false
    if value == q.answer:
        return Fraction(1), [feedback], []
    return Fraction(0), [feedback], [q.misconception]


def _numeric(q: Numeric, response: Any) -> Verdict:
    problem = number_problem(response)
    if problem:
        return Fraction(0), [problem], []
    value = parse_number(response, q.unit)
    if value is None:
        return Fraction(0), ["That is not a number."], []
    if _numeric_right(q, value):
        return Fraction(1), [q.correct_feedback], []
    for m in q.mistakes:
        if within(value, m.value, m.tolerance):
            return Fraction(0), [m.feedback], [m.misconception]
    return Fraction(0), [q.wrong_feedback], []


def _short_text(q: ShortText, response: Any) -> Verdict:
    if not isinstance(response, str):
        return Fraction(0), ["Answer with text."], []
    if len(response) > MAX_SHORT_TEXT:
        return Fraction(0), [TOO_LONG.format(limit=MAX_SHORT_TEXT)], []
    given = normalise_text(response, q.case_sensitive)
    # ASCII classes (\w, \d, \b) and no case folding by the engine, as in the page's RegExp
    # with the "u" flag: a case-insensitive answer is compared in lower case (the pattern is
    # written in lower case: content/patterns.py), so both engines read a pattern alike.
    if any(given == normalise_text(a, q.case_sensitive) for a in q.accept) or (
        q.pattern is not None and re.fullmatch(q.pattern, given, re.ASCII) is not None
    ):
        return Fraction(1), [q.correct_feedback], []
    for m in q.mistakes:
        if any(given == normalise_text(a, q.case_sensitive) for a in m.answers):
            return Fraction(0), [m.feedback], [m.misconception]
    return Fraction(0), [q.wrong_feedback], []


def _ordering(q: Ordering, response: Any) -> Verdict:
    right = [i.id for i in q.items]
    if (
        not isinstance(response, list)
        or sorted(r for r in response if isinstance(r, str)) != sorted(right)
        or len(response) != len(right)
    ):
        return Fraction(0), ["Put every item in order, each once."], []
    if response == right:
        return Fraction(1), [q.correct_feedback], []
    fraction = _kendall_fraction(response, right) if q.partial else Fraction(0)
    for m in q.mistakes:
        if response == m.order:
            return fraction, [m.feedback], [m.misconception]
    return fraction, [q.wrong_feedback], []


def _matching(q: Matching, response: Any) -> Verdict:
    if not isinstance(response, dict):
        return Fraction(0), ["Match each item."], []
    distractors = {d.id: d for d in q.distractors}
    hits = sum(1 for p in q.pairs if response.get(p.id) == p.id)
    chosen = [response.get(p.id) for p in q.pairs]
    misconceptions = list(
        dict.fromkeys(distractors[c].misconception for c in chosen if isinstance(c, str) and c in distractors)
    )
    fraction = Fraction(hits, len(q.pairs))
    return fraction, [q.correct_feedback if fraction == 1 else q.wrong_feedback], misconceptions


_RULES = {
    SingleChoice: _grade_choice,
    MultipleSelect: _grade_choice,
    TrueFalse: _true_false,
    Numeric: _numeric,
    ShortText: _short_text,
    Ordering: _ordering,
    Matching: _matching,
    Reflection: _reflection,
}


def grade_question(q: Question, response: Any) -> QuestionResult:
    if isinstance(q, Numeric) and q.answer is None:
        raise ValueError(f"question {q.id!r} is a variant: instantiate it (coursekit.quiz.variants) first")
    if _blank(response):
        fraction, feedback, misconceptions, answered = Fraction(0), [NO_ANSWER], [], False
    else:
        fraction, feedback, misconceptions = _RULES[type(q)](q, response)
        answered = True
    return QuestionResult(
        q.id, fraction * q.points, q.points, fraction == 1, answered, feedback, misconceptions, q.explanation
    )


def grade_quiz(quiz: Quiz, responses: dict[str, Any]) -> QuizResult:
    """Grade a concrete quiz (variants already instantiated: see variants.concrete_quiz)."""
    return QuizResult([grade_question(q, responses.get(q.id)) for q in quiz.questions])
