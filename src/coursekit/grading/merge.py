"""Combining gradebooks graded apart (shards, other machines, other days) into one.

The rules are a re-run's: for each learner (ids compared without regard to case) of each
quiz or exercise, the newest submission wins (the latest ``submitted_at``, then the file's
path, as a batch decides between two files of one learner); the same submission graded in
two gradebooks is one row (the one graded last, so a corrected key wins); two different
submissions, or one graded with different keys or tests, are reported as conflicts with
what was kept. Nothing is lost from the instructor's side: removals are carried (a removed
submission never comes back through another gradebook), overrides are carried unless the
latest recorded action for that learner clears them, and the audit tables are joined
(each entry once). Key fingerprints and exercise fingerprints travel with their rows.

The merged gradebook is built in a temporary file beside OUT and renamed over it, so a
reader never sees half a merge, and a merge that would change nothing leaves OUT as it is.
OUT must not exist, unless it is one of the inputs (then the merge goes into it).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from coursekit.grading import gradebook
from coursekit.grading.gradebook import GradebookError

TABLES = ("quiz_grades", "quiz_items", "exercise_grades", "quiz_removed", "audit")


@dataclass
class MergeResult:
    out: Path
    inputs: list[Path]
    quiz_rows: int = 0
    exercise_rows: int = 0
    removed: int = 0
    audit: int = 0
    identical: int = 0  # rows found the same in more than one input
    conflicts: list[str] = field(default_factory=list)
    changed: bool = True  # False: OUT already held exactly this

    def as_json(self) -> dict:
        return {
            "out": str(self.out),
            "inputs": [str(p) for p in self.inputs],
            "quiz_rows": self.quiz_rows,
            "exercise_rows": self.exercise_rows,
            "removed": self.removed,
            "audit": self.audit,
            "identical": self.identical,
            "conflicts": self.conflicts,
            "changed": self.changed,
        }


@dataclass
class _Book:
    path: Path
    position: int
    quiz: list[dict]
    items: dict[tuple[str, str], list[tuple]]
    exercise: list[dict]
    removed: list[tuple]
    audit: list[tuple]


def _dicts(conn: sqlite3.Connection, sql: str) -> list[dict]:
    cur = conn.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def _read(path: Path, position: int) -> _Book:
    if not path.is_file():
        raise GradebookError(f"{path}: no such gradebook")
    with gradebook.open_gradebook(path) as conn:
        quiz = _dicts(conn, "SELECT * FROM quiz_grades")
        items: dict[tuple[str, str], list[tuple]] = {}
        for row in conn.execute("SELECT * FROM quiz_items ORDER BY quiz, learner, question"):
            items.setdefault((row[0], row[1]), []).append(row)
        exercise = _dicts(conn, "SELECT * FROM exercise_grades")
        removed = conn.execute("SELECT * FROM quiz_removed").fetchall()
        audit = conn.execute(
            "SELECT at, actor, action, quiz, learner, reason, detail FROM audit ORDER BY id"
        ).fetchall()
    return _Book(path, position, quiz, items, exercise, removed, audit)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _overrides(books: list[_Book]) -> dict[tuple[str, str], tuple[str, str]]:
    """(quiz, learner key) -> (the latest override or clear-override's time, its action)."""
    latest: dict[tuple[str, str], tuple[str, str]] = {}
    for b in books:
        for at, _, action, quiz, learner, _, _ in b.audit:
            if action in ("override", "clear-override") and learner:
                key = (quiz, learner.lower())
                if key not in latest or at >= latest[key][0]:
                    latest[key] = (at, action)
    return latest


def _merge_quiz(
    books: list[_Book], into: _Book | None, removed: set[tuple[str, str, str]], result: MergeResult
) -> tuple[list[dict], list[tuple]]:
    groups: dict[tuple[str, str], list[tuple[_Book, dict]]] = {}
    for b in books:
        for row in b.quiz:
            groups.setdefault((row["quiz"], row["learner"].lower()), []).append((b, row))
    last_action = _overrides(books)
    into_ids = {(r["quiz"], r["learner"].lower()): r["learner"] for r in into.quiz} if into else {}
    rows, items = [], []
    for (quiz, key), found in sorted(groups.items()):
        live = [(b, r) for b, r in found if (quiz, key, r["sha256"]) not in removed]
        if not live:
            continue
        _, newest = max(live, key=lambda br: (br[1]["submitted_at"], br[1]["source"]))
        same = [(b, r) for b, r in live if r["sha256"] == newest["sha256"]]
        book, row = max(same, key=lambda br: (br[1]["graded_at"], br[1]["key_fingerprint"], -br[0].position))
        who = row["learner"]
        others = {(r["sha256"], r["submitted_at"], r["source"]) for _, r in live if r["sha256"] != row["sha256"]}
        for _, at, source in sorted(others):
            result.conflicts.append(
                f"{quiz}: {who}: two submissions; kept {row['source']} (submitted "
                f"{row['submitted_at']}), not {source} (submitted {at})"
            )
        if len({(r["key_fingerprint"], r["graded_score"]) for _, r in same}) > 1:
            result.conflicts.append(
                f"{quiz}: {who}: the same submission graded with different keys; kept the "
                f"one graded last ({row['graded_at']}, in {book.path})"
            )
        elif len(same) > 1:
            result.identical += 1
        filed_as = row["learner"]  # the id the book's own items are filed under
        row = dict(row)
        row["learner"] = into_ids.get((quiz, key), row["learner"])  # a re-run into OUT keeps OUT's id
        overrides = sorted(
            {
                (r["override_at"] or "", r["override_score"], r["override_reason"])
                for _, r in live
                if r["override_score"] is not None
            }
        )
        action = last_action.get((quiz, key))
        if overrides and not (action and action[1] == "clear-override" and action[0] >= overrides[-1][0]):
            if len({(s, reason) for _, s, reason in overrides}) > 1:
                result.conflicts.append(
                    f"{quiz}: {who}: different overrides; kept the latest ({overrides[-1][1]}, {overrides[-1][2]!r})"
                )
            at, score, reason = overrides[-1]
            row.update(override_score=score, override_reason=reason, override_at=at or None)
        else:
            row.update(override_score=None, override_reason=None, override_at=None)
        counts = Fraction(row["override_score"] if row["override_score"] is not None else row["graded_score"])
        row.update(score=str(counts), score_value=float(counts))
        rows.append(row)
        items += [(quiz, row["learner"], *item[2:]) for item in book.items.get((quiz, filed_as), [])]
    return rows, items


def _merge_exercises(books: list[_Book], into: _Book | None, result: MergeResult) -> list[dict]:
    groups: dict[tuple[str, str], list[tuple[_Book, dict]]] = {}
    for b in books:
        for row in b.exercise:
            groups.setdefault((row["exercise"], row["learner"].lower()), []).append((b, row))
    into_ids = {(r["exercise"], r["learner"].lower()): r["learner"] for r in into.exercise} if into else {}
    rows = []
    for (exercise, key), found in sorted(groups.items()):
        book, row = max(
            found,
            key=lambda br: (
                br[1]["submitted_at"],
                br[1]["sha256"],
                br[1]["graded_at"],
                br[1]["fingerprint"],
                -br[0].position,
            ),
        )
        who = row["learner"]
        others = {(r["sha256"], r["submitted_at"]) for _, r in found if r["sha256"] != row["sha256"]}
        for _, at in sorted(others):
            result.conflicts.append(
                f"{exercise}: {who}: two submissions; kept the one of {row['submitted_at']}, not the one of {at}"
            )
        same = [r for _, r in found if r["sha256"] == row["sha256"]]
        if len({(r["fingerprint"], r["status"], r["passed"], r["total"]) for r in same}) > 1:
            result.conflicts.append(
                f"{exercise}: {who}: the same submission graded against different tests or "
                f"with different results; kept the one graded last (in {book.path})"
            )
        elif len(same) > 1:
            result.identical += 1
        row = dict(row)
        row["learner"] = into_ids.get((exercise, key), row["learner"])
        rows.append(row)
    return rows


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every table's rows, sorted (the audit without its ids): what a gradebook holds."""
    out = {}
    for table in TABLES:
        sql = (
            "SELECT at, actor, action, quiz, learner, reason, detail FROM audit"
            if table == "audit"
            else f"SELECT * FROM {table}"
        )
        out[table] = sorted(conn.execute(sql).fetchall(), key=repr)
    return out


def merge(out: Path, inputs: list[Path]) -> MergeResult:
    """Merge the input gradebooks into OUT (see the module's docstring)."""
    if not inputs:
        raise GradebookError("give at least one gradebook to merge")
    into_index = next((i for i, p in enumerate(inputs) if _same(p, out)), None)
    if out.exists() and into_index is None:
        raise GradebookError(
            f"{out} exists and is not among the gradebooks to merge; choose a new file, or name "
            f"it among the inputs too to merge into it"
        )
    seen: list[Path] = []
    for p in inputs:  # the same file named twice counts once
        if not any(_same(p, q) for q in seen):
            seen.append(p)
    books = [_read(p, i) for i, p in enumerate(seen)]
    into = next((b for b in books if _same(b.path, out)), None)
    result = MergeResult(out, seen)
    removed_rows: dict[tuple[str, str, str], tuple] = {}
    for b in books:
        for row in b.removed:
            if row[:3] not in removed_rows or row[4] < removed_rows[row[:3]][4]:
                removed_rows[row[:3]] = row
    removed = set(removed_rows)
    quiz_rows, items = _merge_quiz(books, into, removed, result)
    exercise_rows = _merge_exercises(books, into, result)
    audit = sorted({tuple(a) for b in books for a in b.audit}, key=lambda a: tuple("" if v is None else v for v in a))
    result.quiz_rows, result.exercise_rows = len(quiz_rows), len(exercise_rows)
    result.removed, result.audit = len(removed_rows), len(audit)

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".merging", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()
    try:
        with gradebook.open_gradebook(tmp) as conn:
            conn.execute("BEGIN IMMEDIATE")
            _insert(conn, "quiz_grades", quiz_rows)
            conn.executemany("INSERT INTO quiz_items VALUES (?,?,?,?,?,?,?,?)", items)
            _insert(conn, "exercise_grades", exercise_rows)
            conn.executemany("INSERT INTO quiz_removed VALUES (?,?,?,?,?)", sorted(removed_rows.values()))
            conn.executemany(
                "INSERT INTO audit (at, actor, action, quiz, learner, reason, detail) VALUES (?,?,?,?,?,?,?)", audit
            )
            conn.execute("COMMIT")
            new = dump(conn)
        # closed: the write-ahead log is checkpointed into the file and removed; one file to rename
        if into is not None:
            with contextlib.closing(sqlite3.connect(out)) as old:
                result.changed = dump(old) != new
        if result.changed:
            os.replace(tmp, out)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return result


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [tuple(r[c] for c in columns) for r in rows],
    )


__all__ = ["MergeResult", "dump", "merge"]
