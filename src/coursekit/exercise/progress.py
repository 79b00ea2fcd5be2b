"""A learner's local progress: which exercises pass, how many hints were shown.

Kept in ``.coursekit/progress.json`` at the course root (ignored by git), written atomically.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from coursekit.files import write_atomic

FILE = Path(".coursekit") / "progress.json"


class ProgressError(ValueError):
    """The progress file cannot be read; the message says how to start afresh."""


def load(root: Path) -> dict[str, dict]:
    path = root / FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ProgressError(f"{path}: unreadable progress file ({exc}); move it aside to start afresh") from exc
    return data if isinstance(data, dict) else {}


def save(root: Path, state: dict[str, dict]) -> None:
    write_atomic(root / FILE, json.dumps(state, indent=2, sort_keys=True) + "\n")


def record_check(root: Path, exercise_id: str, passed: bool) -> dict:
    state = load(root)
    entry = state.setdefault(exercise_id, {"passed": False, "checks": 0, "hints": 0})
    entry["checks"] = entry.get("checks", 0) + 1
    entry["passed"] = bool(entry.get("passed")) or passed  # once solved, the solution stays open
    entry["last_result"] = "passed" if passed else "failed"
    entry["last_checked"] = datetime.now(UTC).isoformat(timespec="seconds")
    save(root, state)
    return entry


def next_hint(root: Path, exercise_id: str, count: int) -> int:
    """The number (1-based) of the hint to show now; it advances up to the last one."""
    state = load(root)
    entry = state.setdefault(exercise_id, {"passed": False, "checks": 0, "hints": 0})
    entry["hints"] = min(entry.get("hints", 0) + 1, count)
    save(root, state)
    return entry["hints"]


def status(state: dict[str, dict], exercise_id: str) -> str:
    """One notion of done, the same for `exercise list` and `check --all`: the learner's file
    passed every test the last time it was checked (a later failing change makes it in progress)."""
    entry = state.get(exercise_id)
    if not entry:
        return "not started"
    return "done" if entry.get("last_result") == "passed" else "in progress"
