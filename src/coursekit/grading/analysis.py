"""Item statistics for a quiz: pure functions from graded submissions to an ItemReport.

Classical test theory, as an instructor's item analysis uses it:

difficulty (p)
    mean item score / the item's points. For a right-or-wrong item this is the share of
    learners who got it right; higher means easier.
discrimination (r)
    the *corrected* point-biserial: Pearson's correlation between the item score and the
    rest score (the learner's total minus this item), so that the item is not correlated
    with itself (Henrysson 1963; Crocker & Algina 1986, ch. 14; Moodle's "discrimination
    index" is the same item-rest correlation). For a 0/1 item it equals
    (M1 - M0) / s_rest * sqrt(p * q). None when it is undefined: fewer than two
    submissions, or no variation in the item score or in the rest score.
reliability
    KR-20 (Kuder & Richardson 1937) when every scored item was observed at 0 or full marks
    only; otherwise Cronbach's alpha (Cronbach 1951), of which KR-20 is the special case:
        k / (k - 1) * (1 - sum(item variances) / variance of totals)
    with a 0/1 item's variance being p * q. Item scores enter weighted by their points, as
    the totals are. Variances here are population variances (divisor N), in the numerator
    and the denominator alike: that is what p * q is, and the divisor cancels in alpha, so
    the value is the same as with N - 1 throughout. None when k < 2 or totals do not vary.
mean and SD of totals
    ``sd_total`` is the *sample* standard deviation (divisor N - 1), as quiz reports and
    spreadsheets show it; ``None`` with fewer than two submissions.

Arithmetic is exact (Fractions, and sums of squares in integers over a common
denominator) up to the final square roots of a correlation or an SD.

Flags follow common item-analysis rules of thumb: p < 0.2 or p > 0.9; r < 0.2 (Ebel &
Frisbie 1991 call items below 0.2 poor); a wrong option chosen by fewer than 5% of
learners is a non-functioning distractor (Haladyna & Downing 1993).

Reflection questions are never scored: they are left out of every statistic and only
their number of (non-blank) responses is reported.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from coursekit.content.models import Quiz, Reflection
from coursekit.grading.answer_counts import AnswerCount, Probe, answer_counts, one_line
from coursekit.grading.statistics import (  # statistics.py's plain forms wrap these for the tests
    Scaled,
    alpha_of,
    item_rest,
    kr20_of,
    percent,
    shown,
)

TOO_HARD = Fraction(1, 5)  # p below this
TOO_EASY = Fraction(9, 10)  # p above this
LOW_DISCRIMINATION = 0.2  # r below this
NON_FUNCTIONING = Fraction(1, 20)  # a distractor chosen by fewer than this share
SMALL_SAMPLE = 30  # below this many submissions, the report says the figures are rough


# --- input ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GradedSubmission:
    """One learner's graded attempt at the quiz.

    ``responses`` maps question id to the response as submitted (the JSON value; see
    coursekit.quiz.grading for each type's shape). ``scores`` maps question id to the
    points earned, as regraded from the key, for every scored question; a question
    missing from ``scores`` counts as a blank answer scoring 0. Reflection questions need
    no score.
    """

    learner: str
    responses: Mapping[str, Any]
    scores: Mapping[str, Fraction]


def submissions_from_items(rows: Iterable[tuple[str, str, Any, Fraction | str]]) -> list[GradedSubmission]:
    """Group (learner, question id, response, score) rows, one per graded item, as the
    gradebook's quiz_items table holds them (response JSON-decoded; the score may be the
    stored text such as '3/2'), into submissions, in order of first appearance."""
    grouped: dict[str, tuple[dict[str, Any], dict[str, Fraction]]] = {}
    for learner, question, response, score in rows:
        responses, scores = grouped.setdefault(learner, ({}, {}))
        responses[question] = response
        scores[question] = Fraction(score)
    return [GradedSubmission(learner, r, s) for learner, (r, s) in grouped.items()]


# --- output --------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """Something an instructor should look at. ``code`` is one of: too-hard, too-easy,
    low-discrimination, negative-discrimination, no-variance, non-functioning-distractor."""

    code: str
    message: str
    answer: str | None = None  # the AnswerCount.key a distractor flag is about


@dataclass(frozen=True)
class ItemStats:
    id: str
    type: str
    prompt: str
    points: int
    n: int  # submissions counted (every submission; a blank answer scores 0)
    answered: int  # of which non-blank
    mean_score: Fraction | None
    difficulty: Fraction | None
    discrimination: float | None
    answers: list[AnswerCount] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


@dataclass(frozen=True)
class ReflectionStats:
    id: str
    prompt: str
    responses: int  # non-blank answers


@dataclass(frozen=True)
class ItemReport:
    quiz_id: str
    title: str
    submissions: int
    max_score: int
    mean_total: Fraction | None
    sd_total: float | None  # sample SD (N - 1)
    reliability: Fraction | None
    reliability_method: str  # 'KR-20' or "Cronbach's alpha"
    items: list[ItemStats]
    reflections: list[ReflectionStats]
    notes: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> list[ItemStats]:
        return [i for i in self.items if i.flags]

    def as_json(self) -> dict[str, Any]:
        """The report in plain JSON types; exact values become floats rounded to 4 places."""

        def num(value: Fraction | float | None) -> float | None:
            return None if value is None else round(float(value), 4)

        return {
            "quiz": self.quiz_id,
            "title": self.title,
            "submissions": self.submissions,
            "max_score": self.max_score,
            "mean_total": num(self.mean_total),
            "sd_total": num(self.sd_total),
            "reliability": num(self.reliability),
            "reliability_method": self.reliability_method,
            "notes": self.notes,
            "items": [
                {
                    "id": i.id,
                    "type": i.type,
                    "points": i.points,
                    "n": i.n,
                    "answered": i.answered,
                    "mean_score": num(i.mean_score),
                    "difficulty": num(i.difficulty),
                    "discrimination": num(i.discrimination),
                    "answers": [
                        {
                            "key": a.key,
                            "label": a.label,
                            "kind": a.kind,
                            "count": a.count,
                            "share": num(a.share),
                            "misconception": a.misconception,
                        }
                        for a in i.answers
                    ],
                    "flags": [{"code": f.code, "message": f.message, "answer": f.answer} for f in i.flags],
                }
                for i in self.items
            ],
            "reflections": [{"id": r.id, "responses": r.responses} for r in self.reflections],
        }


# --- the report ----------------------------------------------------------------------


def _flags(item: ItemStats) -> list[Flag]:
    flags: list[Flag] = []
    p, r = item.difficulty, item.discrimination
    if p is not None and shown(p) < TOO_HARD:
        flags.append(
            Flag(
                "too-hard",
                f"Very hard: learners earned {percent(p)} of its points. Check the key and "
                "the wording, and whether the course teaches it.",
            )
        )
    if p is not None and shown(p) > TOO_EASY:
        flags.append(
            Flag(
                "too-easy",
                f"Very easy: learners earned {percent(p)} of its points, so it tells learners apart very little.",
            )
        )
    if item.n >= 2 and r is None:
        flags.append(
            Flag(
                "no-variance", "Cannot discriminate: every learner scored the same on it (or on the rest of the quiz)."
            )
        )
    elif r is not None and shown(r) < 0:
        flags.append(
            Flag(
                "negative-discrimination",
                f"Negative discrimination (r = {r:.2f}): learners who did "
                "well on the rest of the quiz did worse here. Check the key.",
            )
        )
    elif r is not None and shown(r) < LOW_DISCRIMINATION:
        flags.append(
            Flag(
                "low-discrimination",
                f"Weak discrimination (r = {r:.2f}): doing well on it hardly "
                "goes with doing well on the rest of the quiz.",
            )
        )
    if item.n:
        for a in item.answers:
            if a.kind == "distractor" and shown(a.share * 100, 0) < NON_FUNCTIONING * 100:
                flags.append(
                    Flag(
                        "non-functioning-distractor",
                        f"Non-functioning distractor '{a.key}': chosen by {a.count} of {item.n} "
                        f"({percent(a.share)}), under 5%. Make it more plausible or drop it.",
                        a.key,
                    )
                )
    return flags


def analyse(quiz: Quiz, submissions: Sequence[GradedSubmission], quiz_id: str = "") -> ItemReport:
    """Item statistics for ``quiz`` over ``submissions`` (one per learner): see the module
    docstring for every definition. Raises ValueError for a score outside 0..points."""
    scored = [q for q in quiz.questions if not isinstance(q, Reflection)]
    n = len(submissions)
    matrix: list[list[Fraction]] = []
    for s in submissions:
        row = []
        for q in scored:
            score = Fraction(s.scores.get(q.id, 0))
            if not 0 <= score <= q.points:
                raise ValueError(f"learner {s.learner!r}, question {q.id!r}: score {score} is outside 0..{q.points}")
            row.append(score)
        matrix.append(row)

    scaled = Scaled(matrix, len(scored))
    items: list[ItemStats] = []
    for j, q in enumerate(scored):
        column = [row[j] for row in matrix]
        answers, answered = answer_counts(q, [s.responses.get(q.id) for s in submissions], column)
        m = scaled.mean(scaled.columns[j]) if n else None
        item = ItemStats(
            id=q.id,
            type=q.type,
            prompt=one_line(q.prompt, 240),
            points=q.points,
            n=n,
            answered=answered,
            mean_score=m,
            difficulty=None if m is None else m / q.points,
            discrimination=item_rest(scaled, j),
            answers=answers,
        )
        items.append(replace(item, flags=_flags(item)))

    reflections = []
    for q in quiz.questions:
        if isinstance(q, Reflection):
            probe = Probe(q)
            reflections.append(
                ReflectionStats(
                    q.id, one_line(q.prompt), sum(1 for s in submissions if probe(s.responses.get(q.id)).answered)
                )
            )

    points = [q.points for q in scored]
    dichotomous = all(v in (0, w) for row in matrix for v, w in zip(row, points))
    method = "KR-20" if dichotomous else "Cronbach's alpha"
    reliability = kr20_of(scaled, points) if dichotomous else alpha_of(scaled)
    total_var = scaled.pvariance(scaled.totals) if n else None

    notes: list[str] = []
    if n < SMALL_SAMPLE:
        notes.append(
            f"Only {n} submission{'s' if n != 1 else ''}: with fewer than {SMALL_SAMPLE}, treat these figures as rough."
        )
    if reliability is None:
        why = (
            "it needs at least two scored questions"
            if len(scored) < 2
            else "it needs at least two submissions"
            if n < 2
            else "the total scores do not vary"
        )
        notes.append(f"Reliability is undefined: {why}.")
    return ItemReport(
        quiz_id=quiz_id,
        title=quiz.title,
        submissions=n,
        max_score=sum(points),
        mean_total=scaled.mean(scaled.totals) if n else None,
        sd_total=math.sqrt(total_var * n / (n - 1)) if n >= 2 else None,
        reliability=reliability,
        reliability_method=method,
        items=items,
        reflections=reflections,
        notes=notes,
    )
