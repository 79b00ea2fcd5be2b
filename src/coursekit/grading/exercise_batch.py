"""Grading a folder of learners' code for one exercise, in the sandbox, into the gradebook.

The folder holds one ``<learner>.py`` per learner, or one folder per learner holding the
exercise's starter file. Submissions run in parallel (each in its own sandbox); a bad one
is reported and skipped while the rest are graded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from coursekit.content.catalog import LoadedExercise
from coursekit.exercise import grader
from coursekit.grading import gradebook
from coursekit.ids import LEARNER

MAX_BYTES = 1_000_000


def find_submissions(ex: LoadedExercise, folder: Path) -> list[tuple[str, Path | None, str, Path]]:
    """(learner, file or None, reason when rejected, the entry) for every entry of the folder."""
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        learner = entry.stem if entry.is_file() else entry.name
        if entry.is_symlink():
            found.append((learner, None, "a link, not a file: refused", entry))
        elif entry.is_file() and entry.suffix != ".py":
            found.append((learner, None, "not a .py file", entry))
        elif not LEARNER.match(learner):
            found.append((learner, None, "learner id: only letters, digits and . _ @ + - are allowed", entry))
        else:
            file = entry if entry.is_file() else entry / ex.model.files.starter
            if not file.is_file() or file.is_symlink():
                found.append((learner, None, f"no {ex.model.files.starter} in the learner's folder", entry))
            elif file.stat().st_size > MAX_BYTES:
                found.append((learner, None, f"too large: {file.stat().st_size:,} bytes", entry))
            else:
                found.append((learner, file, "", entry))
    return found


def grade_folder(ex: LoadedExercise, folder: Path, book: Path, jobs: int,
                 warn: Callable[[str], None] = print) -> list[dict]:
    entries = find_submissions(ex, folder)
    todo = [(learner, f) for learner, f, _, _ in entries if f is not None]
    try:
        with ThreadPoolExecutor(max(1, jobs)) as pool:  # each grade() runs its own processes
            verdicts = dict(zip([learner for learner, _ in todo],
                                pool.map(lambda item: grader.grade(ex, item[1]), todo)))
    finally:
        grader.stop_fork_server()
    warned = set()
    outcomes, rows = [], []
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for learner, f, reason, entry in entries:
        if f is None:
            outcomes.append({"file": str(entry), "learner": learner, "score": None, "max_score": None,
                             "status": "rejected", "reason": reason})
            continue
        v = verdicts[learner]
        for w in v.warnings:
            if w not in warned:
                warned.add(w)
                warn(f"warning: {w}")
        rows.append((ex.id, learner, v.status, v.passed, v.total, str(v.score), v.reason, v.sandbox, now,
                     hashlib.sha256(f.read_bytes()).hexdigest()))
        outcomes.append({"file": str(f), "learner": learner, "score": float(v.score),
                         "score_exact": str(v.score), "max_score": 1, "passed": v.passed, "total": v.total,
                         "status": v.status, "reason": v.reason, "sandbox": v.sandbox,
                         "seconds": round(v.seconds, 3)})
    with gradebook.open_gradebook(book) as conn:
        gradebook.write_exercise_rows(conn, rows)
    return outcomes
