"""The gradebook: one SQLite file, written in transactions, safe to re-run.

A re-submission updates the learner's row and never duplicates it; an older submission
never overwrites a newer one. Exports CSV for spreadsheets and LMS grade imports.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS quiz_grades (
    quiz TEXT NOT NULL,
    learner TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    seed TEXT,
    score TEXT NOT NULL,          -- exact, as a fraction: '15/2'
    score_value REAL NOT NULL,    -- the same, for sorting and spreadsheets
    max_score INTEGER NOT NULL,
    submitted_at TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (quiz, learner)
);
CREATE TABLE IF NOT EXISTS quiz_items (
    quiz TEXT NOT NULL,
    learner TEXT NOT NULL,
    question TEXT NOT NULL,
    response TEXT NOT NULL,       -- JSON, as submitted
    score TEXT NOT NULL,
    max_score INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    misconceptions TEXT NOT NULL, -- JSON list
    PRIMARY KEY (quiz, learner, question),
    FOREIGN KEY (quiz, learner) REFERENCES quiz_grades (quiz, learner) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS exercise_grades (
    exercise TEXT NOT NULL,
    learner TEXT NOT NULL,
    status TEXT NOT NULL,
    passed INTEGER NOT NULL,
    total INTEGER NOT NULL,
    score TEXT NOT NULL,
    reason TEXT NOT NULL,
    sandbox TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (exercise, learner)
);
"""


@dataclass(frozen=True)
class QuizRow:
    quiz: str
    learner: str
    attempt: int
    seed: str | None
    score: Fraction
    max_score: int
    submitted_at: str
    graded_at: str
    source: str
    sha256: str
    items: list[tuple[str, Any, Fraction, int, bool, list[str]]]  # question, response, score, max, correct, misc.


class GradebookError(Exception):
    pass


@contextmanager
def open_gradebook(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)  # explicit transactions below
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise GradebookError(f"{path}: gradebook schema {version} is newer than this coursekit ({SCHEMA_VERSION})")
        is_ours = version == SCHEMA_VERSION or not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone()
        if not is_ours:
            raise GradebookError(f"{path}: not a coursekit gradebook (it holds other tables); choose another file")
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        yield conn
    except sqlite3.DatabaseError as exc:
        raise GradebookError(f"{path}: {exc}") from exc
    finally:
        conn.close()


def stored_submissions(conn: sqlite3.Connection, quiz: str) -> dict[str, tuple[str, str]]:
    """learner -> (submitted_at, sha256) of what the gradebook holds for this quiz."""
    return {learner: (at, sha) for learner, at, sha in conn.execute(
        "SELECT learner, submitted_at, sha256 FROM quiz_grades WHERE quiz = ?", (quiz,))}


def write_quiz_rows(conn: sqlite3.Connection, rows: Iterable[QuizRow]) -> int:
    """Upsert rows in one transaction; all or nothing."""
    rows = list(rows)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany(
            """INSERT INTO quiz_grades VALUES (?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT (quiz, learner) DO UPDATE SET attempt = excluded.attempt, seed = excluded.seed,
                 score = excluded.score, score_value = excluded.score_value, max_score = excluded.max_score,
                 submitted_at = excluded.submitted_at, graded_at = excluded.graded_at,
                 source = excluded.source, sha256 = excluded.sha256""",
            [(r.quiz, r.learner, r.attempt, r.seed, str(r.score), float(r.score), r.max_score,
              r.submitted_at, r.graded_at, r.source, r.sha256) for r in rows])
        conn.executemany(
            """INSERT INTO quiz_items VALUES (?,?,?,?,?,?,?,?)
               ON CONFLICT (quiz, learner, question) DO UPDATE SET response = excluded.response,
                 score = excluded.score, max_score = excluded.max_score, correct = excluded.correct,
                 misconceptions = excluded.misconceptions""",
            [(r.quiz, r.learner, q, _json(resp), str(score), mx, int(ok), _json(misc) if misc else "[]")
             for r in rows for q, resp, score, mx, ok, misc in r.items])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(rows)


def write_exercise_rows(conn: sqlite3.Connection, rows: Iterable[tuple]) -> int:
    rows = list(rows)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany(
            """INSERT INTO exercise_grades VALUES (?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT (exercise, learner) DO UPDATE SET status = excluded.status, passed = excluded.passed,
                 total = excluded.total, score = excluded.score, reason = excluded.reason,
                 sandbox = excluded.sandbox, graded_at = excluded.graded_at, sha256 = excluded.sha256""", rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(rows)


def quiz_csv(conn: sqlite3.Connection, quiz: str, questions: list[str]) -> str:
    """One row per learner: id, score, max, percent, dates, then one column per question.

    The first column is the learner id as submitted, which LMS grade imports match on
    (Moodle: username or ID number; Canvas: SIS Login ID)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["learner", "quiz", "score", "max_score", "percent", "submitted_at", "graded_at",
                *[f"q:{q}" for q in questions]])
    items: dict[str, dict[str, str]] = {}
    for learner, question, score in conn.execute(
            "SELECT learner, question, score FROM quiz_items WHERE quiz = ?", (quiz,)):
        items.setdefault(learner, {})[question] = _fmt(Fraction(score))
    for learner, score, mx, sub, graded in conn.execute(
            "SELECT learner, score, max_score, submitted_at, graded_at FROM quiz_grades WHERE quiz = ? "
            "ORDER BY learner", (quiz,)):
        value = Fraction(score)
        percent = _fmt(value * 100 / mx) if mx else ""
        w.writerow([learner, quiz, _fmt(value), mx, percent, sub, graded,
                    *[items.get(learner, {}).get(q, "") for q in questions]])
    return buf.getvalue()


_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _fmt(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.4f}".rstrip("0").rstrip(".")
