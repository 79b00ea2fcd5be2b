"""Grading a batch of quiz submissions into the gradebook.

Every submission is regraded from the key; a bad one is reported with its reason and
skipped while the rest are graded; the gradebook is written in one transaction, and a
rejected file never touches it. Each row records the fingerprint of the key it was graded
with (``key_fingerprint``): when an instructor corrects the key, the rows it changes are
regraded on the next run even though their submissions did not change.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from coursekit.content.models import Question, Quiz
from coursekit.grading import gradebook
from coursekit.grading.response_shapes import check_against, response_rules
from coursekit.grading.shards import Shard
from coursekit.grading.submissions import (
    Accepted,
    Rejected,
    Submission,
    dedupe,
    expand,
    learner_key,
    read_submission,
)
from coursekit.quiz import variants
from coursekit.quiz.grading import grade_question

# Fields that change what a learner reads, never a score or a recorded misconception: a typo
# fixed in a prompt does not regrade anyone. Every other field (ids, correct flags, answers,
# tolerances, patterns, points, misconceptions, and any field added later) is part of the key.
PRESENTATION = frozenset(
    {
        "prompt",
        "explanation",
        "hints",
        "section",
        "objective",
        "text",
        "left",
        "right",
        "feedback",
        "feedback_true",
        "feedback_false",
        "correct_feedback",
        "wrong_feedback",
        "fixed",
    }
)


def _grading_data(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _grading_data(v) for k, v in node.items() if k not in PRESENTATION}
    if isinstance(node, list):
        return [_grading_data(v) for v in node]
    return node


def key_fingerprint(q: Question) -> str:
    """A hash of the question's grading data: canonical JSON of its model, presentation left out."""
    data = json.dumps(
        _grading_data(q.model_dump(mode="json")), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass(frozen=True)
class Outcome:
    path: Path
    learner: str | None
    status: str  # graded | regraded | unchanged | removed | rejected | stale
    score: Fraction | None = None
    max_score: int | None = None
    reason: str = ""
    override_score: Fraction | None = None
    override_reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("graded", "regraded", "unchanged", "removed")

    def as_json(self) -> dict:
        return {
            "file": str(self.path),
            "learner": self.learner,
            "score": None if self.score is None else float(self.score),
            "score_exact": None if self.score is None else str(self.score),
            "max_score": self.max_score,
            "status": self.status,
            "reason": self.reason,
            "override_score": None if self.override_score is None else str(self.override_score),
            "override_reason": self.override_reason,
        }


@dataclass(frozen=True)
class BatchResult:
    outcomes: list[Outcome]
    key_changed: int = 0  # rows regraded because their key changed
    scores_changed: int = 0  # of those, rows whose score the new key changed
    outdated: list[str] = field(default_factory=list)  # rows graded with an older key, their file not in the batch

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)


class QuestionSet:
    """The quiz's questions, with each variant question's shipped pool, the response rules
    and the key fingerprints computed once."""

    def __init__(self, quiz_id: str, quiz: Quiz, now: datetime | None = None):
        self.quiz_id = quiz_id
        self.quiz = quiz
        self.now = now or datetime.now(UTC)
        self.rules = response_rules(quiz)
        self.pools = {q.id: [v for _, v in variants.pool(q)] for q in quiz.questions if variants.is_variant(q)}
        self.fingerprints = {q.id: key_fingerprint(q) for q in quiz.questions}
        self._variant_fps: dict[tuple[str, Decimal | None], str] = {}

    def concrete(self, s: Submission) -> list[Question] | str:
        """The questions this learner saw, or the reason they cannot be known."""
        return self.concrete_for(s.seed or variants.seed_for(self.quiz_id, s.learner, s.attempt), s.pool)

    def concrete_for(self, seed: str, pool: dict[str, int]) -> list[Question] | str:
        out = []
        for q in self.quiz.questions:
            if q.id in self.pools and q.id in pool:
                index = pool[q.id]
                if not 0 <= index < len(self.pools[q.id]):
                    return f"variant: pool index {index} of {q.id!r} does not exist"
                out.append(self.pools[q.id][index])
            else:
                out.append(variants.concrete(q, seed))
        return out

    def row_fingerprint(self, questions: list[Question]) -> str:
        """The key one learner was graded with: each question's fingerprint, and for a variant
        question also the answer of the variant they saw."""
        parts = []
        for q in questions:
            fp = self.fingerprints[q.id]
            if q.id in self.pools:
                answer = getattr(q, "answer", None)
                fp = self._variant_fps.get((q.id, answer)) or self._variant_fps.setdefault(
                    (q.id, answer), hashlib.sha256(f"{fp}:{answer}".encode()).hexdigest()
                )
            parts.append(f"{q.id}:{fp}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _check(item: Accepted, qs: QuestionSet) -> str | None:
    s = item.submission
    problem = check_against(qs.quiz_id, qs.rules, s)
    if problem:
        return problem
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
    fingerprint: str


_WORKER: QuestionSet | None = None
PARALLEL_FROM = 1000  # below this many files, starting worker processes costs more than it saves


def _init_worker(quiz_id: str, quiz: Quiz, now: datetime) -> None:
    global _WORKER
    _WORKER = QuestionSet(quiz_id, quiz, now)


def _grade_one(path: Path, within: Path | None = None, qs: QuestionSet | None = None) -> Graded | Rejected:
    qs = qs or _WORKER
    item = read_submission(path, within=within, now=qs.now)
    if isinstance(item, Rejected):
        return item
    s = item.submission
    problem = _check(item, qs)
    questions = qs.concrete(s) if problem is None else problem
    if isinstance(questions, str):
        return Rejected(path, questions, s.learner)
    results = [grade_question(q, s.responses.get(q.id)) for q in questions]
    return Graded(
        item,
        sum((r.score for r in results), Fraction(0)),
        sum(r.max_score for r in results),
        [
            (q.id, s.responses.get(q.id), r.score, r.max_score, r.correct, r.misconceptions)
            for q, r in zip(questions, results)
        ],
        qs.row_fingerprint(questions),
    )


def _grade_all(qs: QuestionSet, files: list[tuple[Path, Path | None]], progress) -> list[Graded | Rejected]:
    workers = min(os.cpu_count() or 1, 4)
    if len(files) < PARALLEL_FROM or workers < 2:
        out = []
        for path, within in files:
            out.append(_grade_one(path, within, qs))
            if progress:
                progress(1)
        return out
    out = []
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(qs.quiz_id, qs.quiz, qs.now)
    ) as pool:
        for result in pool.map(_grade_one, [p for p, _ in files], [w for _, w in files], chunksize=250):
            out.append(result)
            if progress:
                progress(1)
    return out


def _outdated(qs: QuestionSet, stored: dict[str, gradebook.StoredRow], touched: set[str]) -> list[str]:
    """Rows graded with a key other than today's whose submission was not in this batch."""
    out = []
    for key, row in stored.items():
        if key in touched:
            continue
        questions = qs.concrete_for(row.seed or variants.seed_for(qs.quiz_id, row.learner, row.attempt), row.pool)
        if isinstance(questions, str) or qs.row_fingerprint(questions) != row.key_fingerprint:
            out.append(row.learner)
    return out


def shard_name(path: Path, within: Path | None) -> str:
    """The name a file is sharded by: its path within its batch folder, or its file name."""
    if within is not None:
        try:
            return path.relative_to(within).as_posix()
        except ValueError:
            pass
    return path.name


def shard_files(files: list[tuple[Path, Path | None]], shard: Shard | None) -> list[tuple[Path, Path | None]]:
    return files if shard is None else [(p, w) for p, w in files if shard.holds(shard_name(p, w))]


def batch_files(paths: list[Path], shard: Shard | None = None) -> list[tuple[Path, Path | None]]:
    """The submission files named (files, or folders of *.json), of ``shard`` only if given."""
    return shard_files(expand(paths), shard)


def grade_files(
    quiz_id: str,
    quiz: Quiz,
    files: Iterable[Path | tuple[Path, Path | None]],
    book: Path,
    progress: Callable[[int], None] | None = None,
    regrade: bool = False,
    now: datetime | None = None,
) -> BatchResult:
    """Grade files (each a path, or (path, the batch folder it was found in): see
    submissions.expand) into the gradebook. ``regrade`` regrades rows whose submission and
    key are both unchanged too. A shard is chosen before: see batch_files."""
    qs = QuestionSet(quiz_id, quiz, now)
    files = [f if isinstance(f, tuple) else (f, None) for f in files]
    graded = _grade_all(qs, files, progress)
    by_accepted = {id(g.accepted): g for g in graded if isinstance(g, Graded)}
    read = [g.accepted if isinstance(g, Graded) else g for g in graded]
    outcomes: list[Outcome] = []
    rows: list[gradebook.QuizRow] = []
    key_changed: list[str] = []
    forced: list[str] = []
    scores_changed = 0
    graded_at = gradebook.now_text()
    with gradebook.open_gradebook(book) as conn:
        stored = gradebook.stored_rows(conn, quiz_id)
        removed = gradebook.removed_files(conn, quiz_id)
        touched: set[str] = set()  # learners whose row this batch holds a submission for
        for item in dedupe(read):
            if isinstance(item, Rejected):
                outcomes.append(Outcome(item.path, item.learner, "rejected", reason=item.reason))
                continue
            g, s = by_accepted[id(item)], item.submission
            key = learner_key(s.learner)
            if (key, item.sha256) in removed:
                why = f"removed by an instructor ({removed[key, item.sha256]}); not graded again"
                outcomes.append(Outcome(item.path, s.learner, "removed", g.score, g.max_score, why))
                continue
            before = stored.get(key)
            status, reason = _status(item, g, before, regrade)
            extra = (
                {"override_score": before.override_score, "override_reason": before.override_reason} if before else {}
            )
            outcomes.append(Outcome(item.path, s.learner, status, g.score, g.max_score, reason, **extra))
            if status == "stale":  # the row stands as it is; its own file is not here
                touched.discard(key)
                continue
            touched.add(key)
            if status == "regraded" and before.key_fingerprint != g.fingerprint:
                key_changed.append(before.learner)
                scores_changed += g.score != before.graded_score
            elif status == "regraded":
                forced.append(before.learner)
            if status != "unchanged":
                rows.append(_row(quiz_id, item, g, before, graded_at))
        gradebook.write_quiz_rows(conn, rows, _audit(quiz_id, key_changed, forced, scores_changed))
        outdated = _outdated(qs, stored, touched)
    return BatchResult(outcomes, len(key_changed), scores_changed, outdated)


def _submitted(s: Submission) -> str:
    return s.submitted_at.astimezone(UTC).isoformat(timespec="seconds")


def _status(item: Accepted, g: Graded, before: gradebook.StoredRow | None, regrade: bool) -> tuple[str, str]:
    """What becomes of an accepted submission, given the row the gradebook holds for its
    learner: (status, reason). Unchanged: the same file graded with the same key; stale: the
    row holds a later submission."""
    if before and before.sha256 == item.sha256:
        if before.key_fingerprint == g.fingerprint and not regrade:
            return "unchanged", "already graded"
        if before.key_fingerprint == g.fingerprint:
            return "regraded", "--regrade"
        return (
            "regraded",
            "the key changed" if before.key_fingerprint else "graded before key fingerprints were recorded",
        )
    if before and before.submitted_at > _submitted(item.submission):
        return "stale", f"stale: the gradebook holds a later submission ({before.submitted_at}); not replaced"
    if before:
        return "graded", "re-graded: replaces the earlier submission"
    return "graded", ""


def _row(
    quiz_id: str, item: Accepted, g: Graded, before: gradebook.StoredRow | None, graded_at: str
) -> gradebook.QuizRow:
    """The gradebook's row for a graded submission, under the learner id it already holds."""
    s = item.submission
    return gradebook.QuizRow(
        quiz_id,
        before.learner if before else s.learner,
        s.attempt,
        s.seed,
        g.score,
        g.max_score,
        _submitted(s),
        graded_at,
        str(item.path),
        item.sha256,
        g.items,
        g.fingerprint,
        dict(s.pool),
    )


def _audit(
    quiz_id: str, key_changed: list[str], forced: list[str], scores_changed: int
) -> list[tuple[str, str, str, dict]]:
    """The batch's entries in the audit: the rows regraded because the key changed, and those
    regraded on request."""
    return [
        (
            "regrade",
            quiz_id,
            why,
            {
                "rows": len(who),
                "learners": who[:100],
                **({"scores_changed": scores_changed} if who is key_changed else {}),
            },
        )
        for why, who in (("the key changed", key_changed), ("--regrade", forced))
        if who
    ]
