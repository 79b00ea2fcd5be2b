"""The gradebook: one SQLite file, written in transactions, safe to re-run.

A re-submission updates the learner's row and never duplicates it; an older submission
never overwrites a newer one. Learners are one row per quiz whatever the case of their id
(the id first graded is kept for display). Each row records the fingerprint of the key it
was graded with, so a corrected key regrades it. An instructor may remove a row (that file
is then never graded again) or override its score; both need a reason and are written to
the audit table, and an override survives every later grading run. Exports CSV for
spreadsheets and LMS grade imports (coursekit.grading.lms_csv). An older gradebook file is
migrated in place (gradebook_schema). Exercise rows record a fingerprint of what they were graded from (the
submission's bytes, the tests, the exercise), so an unchanged submission is not run again.
Gradebooks graded apart (shards) are combined by coursekit.grading.merge.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from coursekit.grading.gradebook_schema import EXERCISE_COLUMNS, SCHEMA_VERSION, migrate


@dataclass(frozen=True)
class QuizRow:
    quiz: str
    learner: str
    attempt: int
    seed: str | None
    score: Fraction  # what the key gave
    max_score: int
    submitted_at: str
    graded_at: str
    source: str
    sha256: str
    items: list[tuple[str, Any, Fraction, int, bool, list[str]]]  # question, response, score, max, correct, misc.
    key_fingerprint: str = ""
    pool: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredRow:
    """What the gradebook holds for one learner of one quiz."""

    learner: str
    attempt: int
    seed: str | None
    submitted_at: str
    sha256: str
    key_fingerprint: str
    pool: dict[str, int]
    graded_score: Fraction
    override_score: Fraction | None
    override_reason: str | None


class GradebookError(Exception):
    pass


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _actor() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return "unknown"


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """All or nothing: the writes inside are committed together, or none is."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


@contextmanager
def open_gradebook(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)  # explicit transactions below
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise GradebookError(f"{path}: gradebook schema {version} is newer than this coursekit ({SCHEMA_VERSION})")
        is_ours = version > 0 or not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone()
        if not is_ours:
            raise GradebookError(f"{path}: not a coursekit gradebook (it holds other tables); choose another file")
        if version < SCHEMA_VERSION:
            migrate(conn)
        yield conn
    except sqlite3.DatabaseError as exc:
        raise GradebookError(f"{path}: {exc}") from exc
    finally:
        conn.close()


def stored_rows(conn: sqlite3.Connection, quiz: str) -> dict[str, StoredRow]:
    """learner key (lower case) -> what the gradebook holds for this quiz."""
    out = {}
    for learner, attempt, seed, at, sha, fp, pool, graded, override, reason in conn.execute(
        "SELECT learner, attempt, seed, submitted_at, sha256, key_fingerprint, pool, graded_score, override_score, "
        "override_reason FROM quiz_grades WHERE quiz = ? ORDER BY learner",
        (quiz,),
    ):
        row = StoredRow(
            learner,
            attempt,
            seed,
            at,
            sha,
            fp,
            json.loads(pool),
            Fraction(graded),
            None if override is None else Fraction(override),
            reason,
        )
        out.setdefault(learner.lower(), row)
    return out


def removed_files(conn: sqlite3.Connection, quiz: str) -> dict[tuple[str, str], str]:
    """(learner key, sha256) -> the reason, for each submission an instructor removed."""
    return {
        (key, sha): reason
        for key, sha, reason in conn.execute(
            "SELECT learner_key, sha256, reason FROM quiz_removed WHERE quiz = ?", (quiz,)
        )
    }


def _audit(conn: sqlite3.Connection, action: str, quiz: str, learner: str | None, reason: str, detail: dict) -> None:
    conn.execute(
        "INSERT INTO audit (at, actor, action, quiz, learner, reason, detail) VALUES (?,?,?,?,?,?,?)",
        (now_text(), _actor(), action, quiz, learner, reason, _json(detail)),
    )


def write_quiz_rows(
    conn: sqlite3.Connection, rows: Iterable[QuizRow], audit: Iterable[tuple[str, str, str, dict]] = ()
) -> int:
    """Upsert rows in one transaction, all or nothing; an instructor's override stays what
    counts. ``audit``: (action, quiz, reason, detail) entries for the batch, written with it."""
    rows = list(rows)
    with _transaction(conn):
        conn.executemany(
            """INSERT INTO quiz_grades (quiz, learner, attempt, seed, score, score_value, max_score, submitted_at,
                 graded_at, source, sha256, graded_score, key_fingerprint, pool) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT (quiz, learner) DO UPDATE SET attempt = excluded.attempt, seed = excluded.seed,
                 score = COALESCE(quiz_grades.override_score, excluded.score),
                 score_value = CASE WHEN quiz_grades.override_score IS NULL THEN excluded.score_value
                                    ELSE quiz_grades.score_value END,
                 graded_score = excluded.graded_score, max_score = excluded.max_score,
                 submitted_at = excluded.submitted_at, graded_at = excluded.graded_at,
                 source = excluded.source, sha256 = excluded.sha256,
                 key_fingerprint = excluded.key_fingerprint, pool = excluded.pool""",
            [
                (
                    r.quiz,
                    r.learner,
                    r.attempt,
                    r.seed,
                    str(r.score),
                    float(r.score),
                    r.max_score,
                    r.submitted_at,
                    r.graded_at,
                    r.source,
                    r.sha256,
                    str(r.score),
                    r.key_fingerprint,
                    _json(r.pool),
                )
                for r in rows
            ],
        )
        # the items are replaced whole: a question taken out of the key leaves no stale item
        conn.executemany("DELETE FROM quiz_items WHERE quiz = ? AND learner = ?", [(r.quiz, r.learner) for r in rows])
        conn.executemany(
            "INSERT INTO quiz_items VALUES (?,?,?,?,?,?,?,?)",
            [
                (r.quiz, r.learner, q, _json(resp), str(score), mx, int(ok), _json(misc) if misc else "[]")
                for r in rows
                for q, resp, score, mx, ok, misc in r.items
            ],
        )
        for action, quiz, reason, detail in audit:
            _audit(conn, action, quiz, None, reason, detail)
    return len(rows)


def _find(conn: sqlite3.Connection, quiz: str, learner: str) -> tuple:
    found = conn.execute(
        "SELECT learner, score, graded_score, max_score, sha256, override_score FROM quiz_grades "
        "WHERE quiz = ? AND lower(learner) = ?",
        (quiz, learner.lower()),
    ).fetchall()
    if not found:
        raise GradebookError(f"no row for learner {learner!r} in quiz {quiz!r}")
    return found[0]


def _need_reason(reason: str) -> str:
    if not reason.strip():
        raise GradebookError("a reason is required (--reason)")
    return reason.strip()


def remove_row(conn: sqlite3.Connection, quiz: str, learner: str, reason: str) -> str:
    """Remove a learner's row; the file it came from is never graded again (a new one is).
    Returns the learner id as the gradebook held it."""
    reason = _need_reason(reason)
    with _transaction(conn):
        shown, score, graded, mx, sha, override = _find(conn, quiz, learner)
        conn.execute("DELETE FROM quiz_grades WHERE quiz = ? AND learner = ?", (quiz, shown))
        conn.execute(
            "INSERT OR REPLACE INTO quiz_removed VALUES (?,?,?,?,?)", (quiz, shown.lower(), sha, reason, now_text())
        )
        _audit(
            conn,
            "remove",
            quiz,
            shown,
            reason,
            {"score": score, "graded_score": graded, "max_score": mx, "sha256": sha, "override_score": override},
        )
    return shown


def override_row(conn: sqlite3.Connection, quiz: str, learner: str, score: Fraction | None, reason: str) -> str:
    """Set (or, with score None, clear) the score that counts for a learner's row."""
    reason = _need_reason(reason)
    with _transaction(conn):
        shown, before, graded, mx, _, override = _find(conn, quiz, learner)
        if score is None:
            if override is None:
                raise GradebookError(f"learner {shown!r} has no override in quiz {quiz!r}")
            conn.execute(
                "UPDATE quiz_grades SET override_score = NULL, override_reason = NULL, override_at = NULL, "
                "score = graded_score, score_value = ? WHERE quiz = ? AND learner = ?",
                (float(Fraction(graded)), quiz, shown),
            )
            _audit(conn, "clear-override", quiz, shown, reason, {"from": before, "to": graded})
        else:
            if not 0 <= score <= mx:
                raise GradebookError(f"the score must lie between 0 and {mx} (the quiz's maximum)")
            conn.execute(
                "UPDATE quiz_grades SET override_score = ?, override_reason = ?, override_at = ?, "
                "score = ?, score_value = ? WHERE quiz = ? AND learner = ?",
                (str(score), reason, now_text(), str(score), float(score), quiz, shown),
            )
            _audit(conn, "override", quiz, shown, reason, {"from": before, "to": str(score), "graded_score": graded})
    return shown


def audit_rows(conn: sqlite3.Connection, quiz: str | None = None) -> list[dict]:
    sql = "SELECT id, at, actor, action, quiz, learner, reason, detail FROM audit"
    rows = conn.execute(sql + (" WHERE quiz = ? ORDER BY id" if quiz else " ORDER BY id"), (quiz,) if quiz else ())
    return [
        {
            "id": i,
            "at": at,
            "actor": actor,
            "action": action,
            "quiz": q,
            "learner": learner,
            "reason": reason,
            "detail": json.loads(detail),
        }
        for i, at, actor, action, q, learner, reason, detail in rows
    ]


@dataclass(frozen=True)
class ExerciseRow:
    """One learner's graded submission of one exercise (a row of exercise_grades)."""

    exercise: str
    learner: str  # the id as the gradebook shows it (as first graded)
    status: str
    passed: int
    total: int
    score: str  # exact, as a fraction
    reason: str
    sandbox: str
    graded_at: str
    sha256: str
    submitted_at: str = ""
    fingerprint: str = ""

    def values(self) -> tuple:
        return tuple(getattr(self, c) for c in EXERCISE_COLUMNS)


def stored_exercise_rows(conn: sqlite3.Connection, exercise: str) -> dict[str, ExerciseRow]:
    """learner key (lower case) -> the row the gradebook holds for this exercise."""
    out: dict[str, ExerciseRow] = {}
    for values in conn.execute(
        f"SELECT {', '.join(EXERCISE_COLUMNS)} FROM exercise_grades WHERE exercise = ? ORDER BY learner", (exercise,)
    ):
        row = ExerciseRow(*values)
        out.setdefault(row.learner.lower(), row)
    return out


def write_exercise_rows(conn: sqlite3.Connection, rows: Iterable[ExerciseRow]) -> int:
    """Upsert rows in one transaction, all or nothing. Each row's learner must be the id the
    gradebook already holds for that learner, if any (see stored_exercise_rows)."""
    rows = list(rows)
    with _transaction(conn):
        updates = ", ".join(f"{c} = excluded.{c}" for c in EXERCISE_COLUMNS[2:])
        conn.executemany(
            f"""INSERT INTO exercise_grades ({", ".join(EXERCISE_COLUMNS)}) VALUES ({", ".join("?" * len(EXERCISE_COLUMNS))})
               ON CONFLICT (exercise, learner) DO UPDATE SET {updates}""",
            [r.values() for r in rows],
        )
    return len(rows)


def quiz_csv(conn: sqlite3.Connection, quiz: str, questions: list[str]) -> str:
    """One row per learner: id, score, max, percent, dates, what the key gave and any
    override's reason, then one column per question.

    The first column is the learner id as submitted, which LMS grade imports match on
    (Moodle: username or ID number; Canvas: SIS Login ID). ``score`` is what counts: an
    instructor's override where there is one (``override`` then holds its reason)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "learner",
            "quiz",
            "score",
            "max_score",
            "percent",
            "submitted_at",
            "graded_at",
            "graded_score",
            "override",
            *[f"q:{q}" for q in questions],
        ]
    )
    items: dict[str, dict[str, str]] = {}
    for learner, question, score in conn.execute(
        "SELECT learner, question, score FROM quiz_items WHERE quiz = ?", (quiz,)
    ):
        items.setdefault(learner, {})[question] = _fmt(Fraction(score))
    for learner, score, mx, sub, graded, graded_score, reason in conn.execute(
        "SELECT learner, score, max_score, submitted_at, graded_at, graded_score, override_reason "
        "FROM quiz_grades WHERE quiz = ? ORDER BY learner",
        (quiz,),
    ):
        value = Fraction(score)
        percent = _fmt(value * 100 / mx) if mx else ""
        w.writerow(
            [
                learner,
                quiz,
                _fmt(value),
                mx,
                percent,
                sub,
                graded,
                _fmt(Fraction(graded_score)),
                reason or "",
                *[items.get(learner, {}).get(q, "") for q in questions],
            ]
        )
    return buf.getvalue()


_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _fmt(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.4f}".rstrip("0").rstrip(".")
