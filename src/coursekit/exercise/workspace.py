"""The learner's workspace: their own copy of each exercise, apart from the course sources.

``work/<exercise>/`` at the course root (git ignores it) holds the learner's file (a copy of
the starter, made on first use, under the starter's name) and a copy of the exercise's data
with its README, so the file runs from its own folder as it does in the page. Every local
command and the ``learner`` pytest fixture use it; builds and the course's tests never see
it. ``COURSEKIT_WORKSPACE`` points elsewhere (a test, a second learner on one clone).

Learners of an earlier version edited ``exercises/<id>/starter.py`` in place: ``edited_starter``
finds such edits (against git) and ``adopt`` moves them into the workspace, restoring the
course's starter, with a backup; nothing is lost.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coursekit.files import write_atomic

if TYPE_CHECKING:  # the pytest fixture imports this module: keep it light
    from coursekit.content.catalog import LoadedExercise

FOLDER = "work"
BACKUPS = Path(".coursekit") / "backups"


def root_of(course_root: Path) -> Path:
    env = os.environ.get("COURSEKIT_WORKSPACE")
    return Path(env).resolve() if env else course_root / FOLDER


def folder(course_root: Path, exercise_id: str) -> Path:
    return root_of(course_root) / exercise_id


def learner_path(course_root: Path, ex: LoadedExercise) -> Path:
    """Where the learner's file for this exercise is (it may not exist yet)."""
    return folder(course_root, ex.id) / ex.starter.name


def sync_data(course_root: Path, ex: LoadedExercise) -> None:
    """Copy the exercise's data (and its README) beside the learner's file, refreshed from the
    course each time, so the author's corrections reach the learner; the data is not theirs."""
    src = ex.dir / "data"
    if src.is_dir():
        shutil.copytree(src, folder(course_root, ex.id) / "data", dirs_exist_ok=True)


def ensure(course_root: Path, ex: LoadedExercise) -> tuple[Path, bool]:
    """The learner's file, made from the starter if it does not exist yet; and whether it was made now."""
    path = learner_path(course_root, ex)
    made = not path.exists()
    if made:
        write_atomic(path, ex.starter.read_bytes())
    sync_data(course_root, ex)
    return path, made


def backup(course_root: Path, ex: LoadedExercise, content: bytes) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = course_root / BACKUPS / f"{ex.id}-{stamp}.py"
    write_atomic(path, content)
    return path


def reset(course_root: Path, ex: LoadedExercise) -> Path | None:
    """Put the starter back as the learner's file; their version goes to a backup (returned),
    or None when there was nothing of theirs to keep."""
    path = learner_path(course_root, ex)
    starter = ex.starter.read_bytes()
    kept = None
    if path.exists() and path.read_bytes() != starter:
        kept = backup(course_root, ex, path.read_bytes())
    write_atomic(path, starter)
    sync_data(course_root, ex)
    return kept


def _git_original(course_root: Path, file: Path) -> bytes | None:
    try:
        rel = file.resolve().relative_to(course_root.resolve()).as_posix()
        r = subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=course_root, capture_output=True, timeout=30)
    except (ValueError, OSError, subprocess.TimeoutExpired):
        return None
    return r.stdout if r.returncode == 0 else None


def edited_starter(course_root: Path, ex: LoadedExercise) -> bool:
    """Whether the course's starter was edited in place (it differs from git's copy)."""
    original = _git_original(course_root, ex.starter)
    return original is not None and original != ex.starter.read_bytes()


def adopt(course_root: Path, ex: LoadedExercise) -> tuple[Path, Path | None]:
    """Move in-place edits of the starter into the workspace and restore the starter from git.

    Returns the learner's file and the backup of a workspace file it replaced (None if none).
    """
    original = _git_original(course_root, ex.starter)
    if original is None:
        raise ValueError(f"{ex.starter}: no original in git to restore")
    path = learner_path(course_root, ex)
    replaced = backup(course_root, ex, path.read_bytes()) if path.exists() else None
    backup(course_root, ex, ex.starter.read_bytes())  # the edits, kept once more whatever happens
    write_atomic(path, ex.starter.read_bytes())
    write_atomic(ex.starter, original)
    sync_data(course_root, ex)
    return path, replaced
