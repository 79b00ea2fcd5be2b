"""Grading a batch of quiz submissions into the gradebook.

Every submission is regraded from the key; a bad one is reported with its reason and
skipped while the rest are graded; the gradebook is written in one transaction.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

from coursekit.content.models import Question, Quiz
from coursekit.grading import gradebook
from coursekit.grading.submissions import Accepted, Rejected, Submission, dedupe, read_submission
from coursekit.quiz import variants
from coursekit.quiz.grading import grade_question


@dataclass(frozen=True)
class Outcome:
    path: Path
    learner: str | None
    status: str  # graded | unchanged | rejected | stale
    score: Fraction | None = None
    max_score: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("graded", "unchanged")

    def as_json(self) -> dict:
        return {"file": str(self.path), "learner": self.learner,
                "score": None if self.score is None else float(self.score),
                "score_exact": None if self.score is None else str(self.score),
                "max_score": self.max_score, "status": self.status, "reason": self.reason}


class QuestionSet:
    """The quiz's questions, with each variant question's shipped pool computed once."""

    def __init__(self, quiz_id: str, quiz: Quiz):
        self.quiz_id = quiz_id
        self.quiz = quiz
        self.ids = {q.id for q in quiz.questions}
        self.pools = {q.id: [v for _, v in variants.pool(q)] for q in quiz.questions if variants.is_variant(q)}

    def concrete(self, s: Submission) -> list[Question] | str:
        """The questions this learner saw, or the reason they cannot be known."""
        seed = s.seed or variants.seed_for(self.quiz_id, s.learner, s.attempt)
        out = []
        for q in self.quiz.questions:
            if q.id in self.pools and q.id in s.pool:
                index = s.pool[q.id]
                if not 0 <= index < len(self.pools[q.id]):
                    return f"variant: pool index {index} of {q.id!r} does not exist"
                out.append(self.pools[q.id][index])
            else:
                out.append(variants.concrete(q, seed))
        return out


def _check(item: Accepted, qs: QuestionSet) -> str | None:
    s = item.submission
    if s.quiz != qs.quiz_id:
        return f"foreign: a submission for quiz {s.quiz!r}, not {qs.quiz_id!r}"
    unknown = sorted(set(s.responses) - qs.ids)
    if unknown:
        return f"schema: unknown question id(s) {', '.join(unknown[:5])}"
    unknown = sorted(set(s.pool) - set(qs.pools))
    if unknown:
        return f"variant: {', '.join(unknown[:5])} has no variants"
    return None


@dataclass(frozen=True)
class Graded:
    """One accepted submission, regraded (what a worker sends back)."""

    accepted: Accepted
    score: Fraction
    max_score: int
    items: list[tuple]


_WORKER: QuestionSet | None = None
PARALLEL_FROM = 1000  # below this many files, starting worker processes costs more than it saves


def _init_worker(quiz_id: str, quiz: Quiz) -> None:
    global _WORKER
    _WORKER = QuestionSet(quiz_id, quiz)


def _grade_one(path: Path, qs: QuestionSet | None = None) -> Graded | Rejected:
    qs = qs or _WORKER
    item = read_submission(path)
    if isinstance(item, Rejected):
        return item
    s = item.submission
    problem = _check(item, qs)
    questions = qs.concrete(s) if problem is None else problem
    if isinstance(questions, str):
        return Rejected(path, questions, s.learner)
    results = [grade_question(q, s.responses.get(q.id)) for q in questions]
    return Graded(item, sum((r.score for r in results), Fraction(0)), sum(r.max_score for r in results),
                  [(q.id, s.responses.get(q.id), r.score, r.max_score, r.correct, r.misconceptions)
                   for q, r in zip(questions, results)])


def _grade_all(quiz_id: str, quiz: Quiz, files: list[Path], progress) -> list[Graded | Rejected]:
    workers = min(os.cpu_count() or 1, 4)
    if len(files) < PARALLEL_FROM or workers < 2:
        qs = QuestionSet(quiz_id, quiz)
        out = []
        for path in files:
            out.append(_grade_one(path, qs))
            if progress:
                progress(1)
        return out
    out = []
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(quiz_id, quiz)) as pool:
        for result in pool.map(_grade_one, files, chunksize=250):
            out.append(result)
            if progress:
                progress(1)
    return out


def grade_files(quiz_id: str, quiz: Quiz, files: list[Path], book: Path,
                progress: Callable[[int], None] | None = None) -> list[Outcome]:
    graded = _grade_all(quiz_id, quiz, files, progress)
    by_accepted = {id(g.accepted): g for g in graded if isinstance(g, Graded)}
    read = [g.accepted if isinstance(g, Graded) else g for g in graded]
    outcomes: list[Outcome] = []
    rows: list[gradebook.QuizRow] = []
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with gradebook.open_gradebook(book) as conn:
        stored = gradebook.stored_submissions(conn, quiz_id)
        for item in dedupe(read):
            if isinstance(item, Rejected):
                outcomes.append(Outcome(item.path, item.learner, "rejected", reason=item.reason))
                continue
            g, s = by_accepted[id(item)], item.submission
            submitted = s.submitted_at.astimezone(UTC).isoformat(timespec="seconds")
            before = stored.get(s.learner)
            if before and before[1] == item.sha256:
                outcomes.append(Outcome(item.path, s.learner, "unchanged", g.score, g.max_score, "already graded"))
                continue
            if before and before[0] > submitted:
                outcomes.append(Outcome(item.path, s.learner, "stale", g.score, g.max_score,
                                        f"stale: the gradebook holds a later submission ({before[0]}); not replaced"))
                continue
            rows.append(gradebook.QuizRow(quiz_id, s.learner, s.attempt, s.seed, g.score, g.max_score, submitted,
                                          now, str(item.path), item.sha256, g.items))
            outcomes.append(Outcome(item.path, s.learner, "graded", g.score, g.max_score,
                                    "re-graded: replaces the earlier submission" if before else ""))
        gradebook.write_quiz_rows(conn, rows)
    return outcomes
