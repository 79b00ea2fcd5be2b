"""A learner hands in an exercise: their file as OUT/<exercise>/<learner>.py, the layout
`coursekit grade exercise ID OUT/<exercise>` reads. Never overwrites silently."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from coursekit.files import write_atomic
from coursekit.ids import LEARNER, LEARNER_RULE


def write(out_dir: Path, exercise_id: str, learner: str, content: bytes, replace: bool) -> tuple[Path, Path | None]:
    """Write the hand-in; return it and the backup of an earlier one it replaced (or None).
    Raises FileExistsError (naming the file) when one exists and ``replace`` is false."""
    if not LEARNER.match(learner):
        raise ValueError(f"{learner!r} is not a learner id: {LEARNER_RULE}")
    target = out_dir / exercise_id / f"{learner}.py"
    previous = None
    if target.exists():
        if not replace:
            raise FileExistsError(target)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        previous = target.with_name(f".{learner}-{stamp}.py.replaced")
        previous.write_bytes(target.read_bytes())
    write_atomic(target, content)
    return target, previous
