"""A learner's exercises on their own clone, as the `coursekit exercise` commands use them:
check a file (recording progress), check every exercise, watch a file until it passes, the
next hint, the solution's gate, hand in, and moving edits made to a course starter.

The files are the workspace's (coursekit.exercise.workspace); progress is
coursekit.exercise.progress's. Nothing here prints or asks: the commands do.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coursekit.exercise import handin, progress, runner, workspace

if TYPE_CHECKING:
    from coursekit.content.catalog import Catalog, LoadedExercise
    from coursekit.exercise.runner import CheckResult


def rel(path: Path) -> str:
    """The path as a learner types it: relative to the current folder where it can be."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def ordered(cat: Catalog) -> list[LoadedExercise]:
    """Exercises in course order: by module, then as the catalog lists them."""
    return sorted(cat.exercises.values(), key=lambda e: e.model.module)


def listing(cat: Catalog) -> list[dict]:
    """One row per exercise in course order, with the learner's status and file.
    Raises ValueError for an unreadable progress file (as every function here that reads it)."""
    state = progress.load(cat.layout.root)
    return [
        {
            "id": e.id,
            "title": e.model.title,
            "module": e.model.module,
            "difficulty": e.model.difficulty.value,
            "minutes": e.model.minutes,
            "status": progress.status(state, e.id),
            "file": rel(workspace.learner_path(cat.layout.root, e)),
        }
        for e in ordered(cat)
    ]


def starter_edits_to_move(root: Path, ex: LoadedExercise) -> bool:
    """Whether the learner edited the course's starter in place and has no workspace file yet:
    those edits must move to the workspace before the exercise is worked there."""
    return not workspace.learner_path(root, ex).exists() and workspace.edited_starter(root, ex)


def check(root: Path, ex: LoadedExercise, target: Path, timeout: float) -> CheckResult:
    """Run the exercise's tests against ``target`` and record the result in the progress."""
    result = runner.check(ex, target, timeout)
    progress.record_check(root, ex.id, result.passed)
    return result


def check_all(cat: Catalog, timeout: float, file_for: Callable[[LoadedExercise], Path]) -> list[dict]:
    """Check every exercise (each against ``file_for(ex)``), in course order: one row each."""
    root = cat.layout.root
    rows = []
    for ex in ordered(cat):
        r = check(root, ex, file_for(ex), timeout)
        rows.append(
            {
                "id": ex.id,
                "title": ex.model.title,
                "module": ex.model.module,
                "status": progress.status(progress.load(root), ex.id),
                "passed": r.passed,
                "timed_out": r.timed_out,
                "summary": r.summary,
                "file": rel(workspace.learner_path(root, ex)),
            }
        )
    return rows


def watch(
    root: Path,
    ex: LoadedExercise,
    target: Path,
    *,
    interval: float,
    timeout: float,
    before: Callable[[], None],
    after: Callable[[CheckResult], None],
) -> CheckResult:
    """Check ``target`` now and each time it is saved (looked at every ``interval`` seconds),
    until every test passes; ``before`` and ``after`` are told of each check. Returns the
    passing result; a KeyboardInterrupt stops it."""
    for _ in runner.changes(target, interval):
        before()
        result = check(root, ex, target, timeout)
        after(result)
        if result.passed:
            return result
    raise AssertionError("runner.changes never ends")  # pragma: no cover


@dataclass(frozen=True)
class Hint:
    number: int  # 1-based
    count: int
    again: bool  # every hint was shown already: this is the last one once more
    text: str


def next_hint(root: Path, ex: LoadedExercise) -> Hint:
    """The next hint (gentlest first), counted in the progress; the last one stays."""
    count = len(ex.model.hints)
    before = progress.load(root).get(ex.id, {}).get("hints", 0)
    n = progress.next_hint(root, ex.id, count)
    return Hint(n, count, before >= count, ex.model.hints[n - 1])


def solution_open(root: Path, ex: LoadedExercise) -> bool:
    """The model solution opens once the learner's own code has passed."""
    return bool(progress.load(root).get(ex.id, {}).get("passed"))


def as_started(root: Path, ex: LoadedExercise) -> bool:
    """The learner's file exists and is still the starter, byte for byte."""
    path = workspace.learner_path(root, ex)
    return path.exists() and path.read_bytes() == ex.starter.read_bytes()


@dataclass(frozen=True)
class Moved:
    exercise: LoadedExercise
    path: Path | None  # the learner's file the edits moved to; None: no edits to move
    replaced: Path | None = None  # the backup of a workspace file the edits replaced


def move_edits(root: Path, exercises: list[LoadedExercise]) -> Iterator[Moved]:
    """Move edits made to each course starter into the workspace (see workspace.adopt)."""
    for ex in exercises:
        if not workspace.edited_starter(root, ex):
            yield Moved(ex, None)
            continue
        path, replaced = workspace.adopt(root, ex)
        yield Moved(ex, path, replaced)


class NothingToHandIn(FileNotFoundError):
    """The learner has no file for the exercise yet."""

    def __init__(self, ex: LoadedExercise, source: Path):
        super().__init__(source)
        self.exercise, self.source = ex, source


@dataclass(frozen=True)
class HandedIn:
    exercise: LoadedExercise
    target: Path
    previous: Path | None  # the earlier hand-in it replaced, kept beside it


def hand_in(
    root: Path, exercises: list[LoadedExercise], out_dir: Path, learner: str, *, replace: bool, skip_missing: bool
) -> Iterator[HandedIn]:
    """Hand in the learner's file of each exercise as OUT/<exercise>/<learner>.py, one at a
    time. An exercise with no file is skipped with ``skip_missing``, else NothingToHandIn;
    an earlier hand-in is kept unless ``replace`` (FileExistsError naming it)."""
    for ex in exercises:
        source = workspace.learner_path(root, ex)
        if not source.is_file():
            if skip_missing:
                continue
            raise NothingToHandIn(ex, source)
        target, previous = handin.write(out_dir, ex.id, learner, source.read_bytes(), replace)
        yield HandedIn(ex, target, previous)
