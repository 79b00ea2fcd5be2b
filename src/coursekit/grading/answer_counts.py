"""How often each answer to one question was given: the rows of an item's answer table,
with the misconception each wrong answer diagnoses (see ``analysis`` for the whole report)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any

from coursekit.content.models import (
    ChoiceQuestion,
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Question,
    ShortText,
    TrueFalse,
)
from coursekit.quiz import variants
from coursekit.quiz.grading import QuestionResult, grade_question, normalise_text

WRONG_ANSWERS_LISTED = 10  # the most frequent wrong answers of a numeric or short-text question


@dataclass(frozen=True)
class AnswerCount:
    """How often one kind of answer was given.

    kind: 'key' (a right option, or the right answer), 'distractor' (a wrong option or a
    matching distractor), 'mistake' (a diagnosed wrong answer of a numeric, short-text or
    ordering question), 'other' (wrong, and not diagnosed or not an option), 'blank'.
    share is count / the number of submissions; for multiple-select and matching a learner
    may count under several rows, so the shares may sum to more than 1.
    """

    key: str
    label: str
    kind: str
    count: int
    share: Fraction
    misconception: str | None = None


def one_line(text: str, limit: int = 120) -> str:
    """One line of a Markdown text, without emphasis and code marks, cut at ``limit``."""
    line = " ".join(re.sub(r"\*\*|__|`", "", text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


class Probe:
    """Grades a response only to learn whether it was blank and what it diagnoses.
    A variant question is probed through one fixed variant: blankness does not depend on
    the numbers, and variant questions have no diagnosed mistakes."""

    def __init__(self, q: Question):
        self.q = variants.concrete(q, "analysis-probe") if variants.is_variant(q) else q
        self.seen: dict[str, Any] = {}  # most learners give one of a few responses

    def __call__(self, response: Any):
        try:  # JSON tells true from 1 and "1" from 1, as grading does
            key = json.dumps(response, sort_keys=True)
        except (TypeError, ValueError):
            return grade_question(self.q, response)
        if key not in self.seen:
            self.seen[key] = grade_question(self.q, response)
        return self.seen[key]


def answer_counts(q: Question, responses: list[Any], scores: list[Fraction]) -> tuple[list[AnswerCount], int]:
    """Counts per answer kind for one question, and the number of non-blank answers."""
    n = len(responses)
    probe = Probe(q)
    graded = [probe(r) for r in responses]
    blank = sum(1 for g in graded if not g.answered)
    row = partial(_row, n)
    rows: list[AnswerCount] = []
    if isinstance(q, ChoiceQuestion):
        rows = _choice_rows(q, responses, graded, row)
    elif isinstance(q, TrueFalse):
        rows = _true_false_rows(q, graded, row, n - blank)
    elif isinstance(q, Matching):
        rows = _matching_rows(q, responses, graded, row)
    elif isinstance(q, (Numeric, ShortText, Ordering)):
        rows = _right_or_mistaken_rows(q, responses, scores, graded, row)
    if blank:
        rows.append(row("blank", "No answer", "blank", blank))
    return rows, n - blank


def _row(n: int, key: str, label: str, kind: str, count: int, misconception: str | None = None) -> AnswerCount:
    """One row, its share of the ``n`` submissions."""
    return AnswerCount(key, label, kind, count, Fraction(count, n) if n else Fraction(0), misconception)


def _choice_rows(
    q: ChoiceQuestion, responses: list[Any], graded: list[QuestionResult], row: Callable[..., AnswerCount]
) -> list[AnswerCount]:
    """A row per option, in the question's order; answers that name no option (or, for a
    single choice, not exactly one) as 'other'."""
    ids = {o.id for o in q.options}
    counts = dict.fromkeys(ids, 0)
    other = 0
    for r, g in zip(responses, graded):
        if not g.answered:
            continue
        chosen = [r] if isinstance(r, str) else [c for c in r if isinstance(c, str)] if isinstance(r, list) else []
        valid = [c for c in dict.fromkeys(chosen) if c in ids]
        for c in valid:
            counts[c] += 1
        if not valid or (not isinstance(q, MultipleSelect) and len(chosen) != 1):
            other += 1
    rows = [
        row(o.id, one_line(o.text, 160), "key" if o.correct else "distractor", counts[o.id], o.misconception)
        for o in q.options
    ]
    if other:
        rows.append(row("other", "Not one of the options", "other", other))
    return rows


def _true_false_rows(
    q: TrueFalse, graded: list[QuestionResult], row: Callable[..., AnswerCount], answered: int
) -> list[AnswerCount]:
    right = sum(1 for g in graded if g.answered and g.correct)
    wrong = sum(1 for g in graded if g.answered and g.misconceptions)
    rows = [
        row(str(q.answer).lower(), str(q.answer), "key", right),
        row(str(not q.answer).lower(), str(not q.answer), "distractor", wrong, q.misconception),
    ]
    other = answered - right - wrong
    if other:
        rows.append(row("other", "Neither true nor false", "other", other))
    return rows


def _matching_rows(
    q: Matching, responses: list[Any], graded: list[QuestionResult], row: Callable[..., AnswerCount]
) -> list[AnswerCount]:
    """A row per pair (how many matched it rightly) and per distractor (how many used it)."""
    rows = []
    for p in q.pairs:
        hit = sum(1 for r in responses if isinstance(r, dict) and r.get(p.id) == p.id)
        rows.append(row(p.id, f"{one_line(p.left, 40)} → {one_line(p.right, 40)}", "key", hit))
    for d in q.distractors:
        used = sum(1 for r, g in zip(responses, graded) if g.answered and isinstance(r, dict) and d.id in r.values())
        rows.append(row(d.id, one_line(d.text, 160), "distractor", used, d.misconception))
    return rows


def _right_or_mistaken_rows(
    q: Numeric | ShortText | Ordering,
    responses: list[Any],
    scores: list[Fraction],
    graded: list[QuestionResult],
    row: Callable[..., AnswerCount],
) -> list[AnswerCount]:
    """The right answer, each diagnosed mistake, then the other wrong answers: for a numeric or
    short-text question the most frequent as given, for an ordering one together."""
    mistakes = q.mistakes
    right = sum(1 for s in scores if s == q.points)
    hits = [0] * len(mistakes)
    others: Counter[str] = Counter()
    for r, s, g in zip(responses, scores, graded):
        if not g.answered or s == q.points:
            continue
        index = next((i for i, m in enumerate(mistakes) if m.misconception in g.misconceptions), None)
        if index is None:
            others[_as_given(q, r)] += 1
        else:
            hits[index] += 1
    rows = [row("right", _right_label(q), "key", right)]
    for i, (m, count) in enumerate(zip(mistakes, hits), 1):
        rows.append(row(f"mistake-{i}", _mistake_label(m), "mistake", count, m.misconception))
    if isinstance(q, Ordering):
        rows.append(row("other", "Other wrong answer", "other", sum(others.values())))
        return rows
    # the wrong answers as given, most frequent first: a decimal comma or a unit shows
    listed = others.most_common(WRONG_ANSWERS_LISTED)
    for text, count in listed:
        rows.append(row(f"other:{text}", f"“{text}”", "other", count))
    rest = sum(others.values()) - sum(c for _, c in listed)
    if rest or not others:
        label = f"{len(others) - len(listed)} other wrong answers" if rest else "Other wrong answer"
        rows.append(row("other", label, "other", rest))
    return rows


def _as_given(q: Question, response: Any) -> str:
    """A wrong numeric or short-text answer as the learner gave it, folded as the grader folds
    text (spaces, and case where the question ignores it) so that one answer counts once."""
    text = response if isinstance(response, str) else json.dumps(response)
    text = normalise_text(text, getattr(q, "case_sensitive", True) or isinstance(q, Numeric))
    return text if len(text) <= 80 else text[:79] + "…"


def _right_label(q: Numeric | ShortText | Ordering) -> str:
    if isinstance(q, Numeric):
        if q.answer is None:
            return "Right (its variant's answer)"
        return f"Right: {q.answer}" + (f" ± {q.tolerance}" if q.tolerance else "")
    if isinstance(q, ShortText):
        return "Right: " + (" / ".join(q.accept) if q.accept else "matches the pattern")
    return "Right order"


def _mistake_label(m: Any) -> str:
    if hasattr(m, "value"):
        return f"{m.value}" + (f" ± {m.tolerance}" if m.tolerance else "")
    if hasattr(m, "answers"):
        return " / ".join(m.answers)
    return " → ".join(m.order)
