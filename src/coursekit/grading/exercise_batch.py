"""Grading a folder of learners' code for one exercise, in the sandbox, into the gradebook.

The folder holds one ``<learner>.py`` per learner, or one folder per learner holding the
exercise's starter file. Submissions run in parallel (each in its own sandbox); a bad one
is reported and skipped while the rest are graded.

Learner ids are compared without regard to case, as the quiz side does: ``Ana.py`` and
``ana.py`` are one learner; the later file (by modification time, then by name) is graded
and the other is rejected as a duplicate naming it. The gradebook keeps the id it first
graded.

Each row records a fingerprint of what it was graded from: the submission's bytes, the
exercise's definition, and the bytes of its public tests, hidden tests and data files. A
submission whose fingerprint is the one its row holds is not run again (``unchanged``);
``regrade`` runs it anyway. Within a batch, submissions with the same fingerprint (the
same bytes: many learners hand in the untouched starter) are run once and share the
verdict (``reused``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

from coursekit.content.catalog import LoadedExercise
from coursekit.exercise import grader
from coursekit.exercise.trusted_server import stop_fork_server
from coursekit.exercise.verdict import Verdict
from coursekit.grading import gradebook
from coursekit.grading.shards import Shard
from coursekit.grading.submissions import learner_key
from coursekit.ids import LEARNER, LEARNER_RULE
from coursekit.limits import MAX_SUBMISSION_BYTES

FINGERPRINT_VERSION = "coursekit-exercise-1"


@dataclass(frozen=True)
class Entry:
    learner: str
    file: Path | None  # None when rejected
    reason: str  # why it was rejected
    entry: Path  # what the folder holds: the file, or the learner's folder


def find_submissions(ex: LoadedExercise, folder: Path) -> list[Entry]:
    """An Entry for every (not hidden) entry of the folder, in name order."""
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        learner = entry.stem if entry.is_file() else entry.name
        if entry.is_symlink():
            found.append(Entry(learner, None, "a link, not a file: refused", entry))
        elif entry.is_file() and entry.suffix != ".py":
            found.append(Entry(learner, None, "not a .py file", entry))
        elif not entry.is_file() and not entry.is_dir():
            found.append(Entry(learner, None, "not a file or a folder: refused", entry))
        elif not LEARNER.match(learner):
            found.append(
                Entry(
                    learner,
                    None,
                    f"learner id: {LEARNER_RULE}",
                    entry,
                )
            )
        else:
            file = entry if entry.is_file() else entry / ex.model.files.starter
            if not file.is_file() or file.is_symlink():
                found.append(Entry(learner, None, f"no {ex.model.files.starter} in the learner's folder", entry))
            elif file.stat().st_size > MAX_SUBMISSION_BYTES:
                found.append(Entry(learner, None, f"too large: {file.stat().st_size:,} bytes", entry))
            else:
                found.append(Entry(learner, file, "", entry))
    return found


def dedupe(entries: list[Entry]) -> list[Entry]:
    """One submission per learner (ids compared without regard to case): the latest file by
    modification time, then by name, stands; the others are rejected naming it."""
    latest: dict[str, Entry] = {}
    for e in entries:
        if e.file is not None:
            best = latest.get(learner_key(e.learner))
            if best is None or (e.file.stat().st_mtime_ns, e.entry.name) > (
                best.file.stat().st_mtime_ns,
                best.entry.name,
            ):
                latest[learner_key(e.learner)] = e
    out = []
    for e in entries:
        keep = latest.get(learner_key(e.learner)) if e.file is not None else None
        if keep is not None and keep is not e:
            out.append(
                Entry(
                    e.learner,
                    None,
                    f"duplicate: learner {e.learner!r} also submitted {keep.entry.name} "
                    f"(as {keep.learner!r}), which is later and is graded instead",
                    e.entry,
                )
            )
        else:
            out.append(e)
    return out


def exercise_fingerprint(ex: LoadedExercise) -> str:
    """What every submission of the exercise is graded against: its definition and the bytes
    of its tests (public and hidden) and data files."""
    h = hashlib.sha256(FINGERPRINT_VERSION.encode())
    h.update(json.dumps(ex.model.model_dump(mode="json"), sort_keys=True, ensure_ascii=False).encode())
    files = ex.model.files
    for kind, names in (("tests", files.tests), ("hidden", files.hidden_tests), ("data", files.data)):
        for name in names:
            path = ex.dir / name
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"
            h.update(f"\n{kind}:{name}:{digest}".encode())
    return h.hexdigest()


def submission_fingerprint(exercise_fp: str, sha256: str) -> str:
    return hashlib.sha256(f"{exercise_fp}:{sha256}".encode()).hexdigest()


def _mtime(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")


def grade_folder(
    ex: LoadedExercise,
    folder: Path,
    book: Path,
    jobs: int,
    warn: Callable[[str], None] = print,
    *,
    shard: Shard | None = None,
    regrade: bool = False,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> list[dict]:
    """Grade the folder's submissions (with ``shard``, only its share: see grading.shards)
    into the gradebook; one outcome (a JSON-ready dict) per entry. ``on_total`` is told how
    many submissions will be looked at, ``progress`` each one done."""
    entries = find_submissions(ex, folder)
    if shard is not None:
        entries = [e for e in entries if shard.holds(learner_key(e.learner))]
    entries = dedupe(entries)
    ex_fp = exercise_fingerprint(ex)
    todo = [e for e in entries if e.file is not None]
    sha = {id(e): hashlib.sha256(e.file.read_bytes()).hexdigest() for e in todo}
    fp = {id(e): submission_fingerprint(ex_fp, sha[id(e)]) for e in todo}
    with gradebook.open_gradebook(book) as conn:
        stored = gradebook.stored_exercise_rows(conn, ex.id)
    unchanged = {
        id(e) for e in todo if not regrade and _same(stored.get(learner_key(e.learner)), sha[id(e)], fp[id(e)])
    }
    if on_total:
        on_total(len(todo))
    if progress and unchanged:
        progress(len(unchanged))
    run = [e for e in todo if id(e) not in unchanged]
    first, verdicts = _run_each_once(ex, run, fp, jobs, progress)
    warned = set()
    outcomes, rows = [], []
    now = gradebook.now_text()
    for e in entries:
        if e.file is None:
            outcomes.append(_rejected(e))
            continue
        before = stored.get(learner_key(e.learner))
        shown = before.learner if before else e.learner
        if id(e) in unchanged:
            outcomes.append(_outcome(e.file, shown, before, before.score, seconds=0.0, run="unchanged"))
            continue
        v = verdicts[fp[id(e)]]
        for w in v.warnings:
            if w not in warned:
                warned.add(w)
                warn(f"warning: {w}")
        rows.append(_row(ex, shown, v, now, e.file, sha[id(e)], fp[id(e)]))
        ran = "graded" if first[fp[id(e)]] is e else "reused"
        outcomes.append(_outcome(e.file, shown, v, str(v.score), seconds=round(v.seconds, 3), run=ran))
    with gradebook.open_gradebook(book) as conn:
        gradebook.write_exercise_rows(conn, rows)
    return outcomes


def _same(row: gradebook.ExerciseRow | None, sha256: str, fingerprint: str) -> bool:
    """The gradebook's row was graded from these very bytes, tests and exercise."""
    return row is not None and row.fingerprint == fingerprint and row.sha256 == sha256


def _run_each_once(
    ex: LoadedExercise,
    run: list[Entry],
    fp: dict[int, str],
    jobs: int,
    progress: Callable[[int], None] | None,
) -> tuple[dict[str, Entry], dict[str, Verdict]]:
    """Grade each distinct submission once, ``jobs`` at a time: fingerprint -> the first
    submission with it (the one run), and fingerprint -> its verdict. ``progress`` counts
    every submission a verdict serves."""
    first: dict[str, Entry] = {}
    sharing: dict[str, int] = {}  # fingerprint -> how many submissions of this run wait for its verdict
    for e in run:
        first.setdefault(fp[id(e)], e)
        sharing[fp[id(e)]] = sharing.get(fp[id(e)], 0) + 1
    verdicts: dict[str, Verdict] = {}
    try:
        if first:
            with ThreadPoolExecutor(max(1, jobs)) as pool:  # each grade() runs its own processes
                futures = {pool.submit(grader.grade, ex, e.file): f for f, e in first.items()}
                for future in as_completed(futures):
                    verdicts[futures[future]] = future.result()
                    if progress:
                        progress(sharing[futures[future]])
    finally:
        stop_fork_server()
    return first, verdicts


def _row(
    ex: LoadedExercise, shown: str, v: Verdict, now: str, file: Path, sha256: str, fingerprint: str
) -> gradebook.ExerciseRow:
    return gradebook.ExerciseRow(
        ex.id,
        shown,
        v.status,
        v.passed,
        v.total,
        str(v.score),
        v.reason,
        v.sandbox,
        now,
        sha256,
        _mtime(file),
        fingerprint,
    )


def _rejected(e: Entry) -> dict:
    return {
        "file": str(e.entry),
        "learner": e.learner,
        "score": None,
        "max_score": None,
        "status": "rejected",
        "reason": e.reason,
        "run": "rejected",
    }


def _outcome(
    file: Path, learner: str, graded: Verdict | gradebook.ExerciseRow, score: str, *, seconds: float, run: str
) -> dict:
    """A submission's outcome, from the verdict of this run or the row the gradebook holds;
    ``score``: exact, as a fraction."""
    return {
        "file": str(file),
        "learner": learner,
        "score": float(Fraction(score)),
        "score_exact": score,
        "max_score": 1,
        "passed": graded.passed,
        "total": graded.total,
        "status": graded.status,
        "reason": graded.reason,
        "sandbox": graded.sandbox,
        "seconds": seconds,
        "run": run,
    }


def tally(outcomes: list[dict]) -> dict[str, int]:
    """How a batch went: graded (every one not rejected), passed; run, reused (identical to
    one run), unchanged (not run again); rejected."""
    return {
        "graded": sum(o["status"] != "rejected" for o in outcomes),
        "passed": sum(o["status"] == "passed" for o in outcomes),
        "run": sum(o["run"] == "graded" for o in outcomes),
        "reused": sum(o["run"] == "reused" for o in outcomes),
        "unchanged": sum(o["run"] == "unchanged" for o in outcomes),
        "rejected": sum(o["status"] == "rejected" for o in outcomes),
    }
