"""Run an exercise's public tests against a learner's file, in a child process.

This is the local runner a learner or a team uses (``coursekit exercise check``). It
trusts the machine it runs on; the sandboxed grading runner for instructors is separate.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from coursekit.content.catalog import LoadedExercise

DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    timed_out: bool
    output: str
    returncode: int


def check(exercise: LoadedExercise, learner_file: Path | None = None,
          timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    target = (learner_file or exercise.starter).resolve()
    env = dict(os.environ, COURSEKIT_LEARNER_FILE=str(target), PYTHONDONTWRITEBYTECODE="1")
    env.pop("COURSEKIT_SOLUTIONS", None)
    cmd = [sys.executable, "-m", "pytest", "-q", "--no-header", "-p", "no:cacheprovider",
           "--rootdir", str(exercise.dir.parent), *map(str, exercise.tests)]
    try:
        proc = subprocess.run(cmd, cwd=exercise.dir, env=env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return CheckResult(False, True, out + f"\nStopped: the tests took longer than {timeout:g} s.", -1)
    return CheckResult(proc.returncode == 0, False, proc.stdout + proc.stderr, proc.returncode)
