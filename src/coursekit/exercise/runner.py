"""Run an exercise's public tests against a learner's file, in a child process.

This is the local runner a learner or a team uses (``coursekit exercise check``). It
trusts the machine it runs on; the sandboxed grading runner for instructors is separate.
A file that does not import (a syntax error, an exception at its top level) is reported once,
at the learner's line, by the ``learner`` fixture (coursekit.exercise.fixtures), not once per
test; a run that takes too long names the test that was running.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the learner fixture imports this module: keep it light
    from coursekit.content.catalog import LoadedExercise

# What the `learner` fixture says, once, when the learner's file does not import.
NOT_RUN = "Your file does not run, so no test can:"

DEFAULT_TIMEOUT = 60.0
_RESULT = re.compile(r"\b(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b")
_TEST = re.compile(r"^(\S+::\S+)")
_BROKEN = re.compile(r"Exit: (" + re.escape(NOT_RUN) + r".*?)(?:\n=+|\Z)", re.S)
_SUMMARY = re.compile(r"^=*\s*(.*?)\s+in [0-9.]+s\b")


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    timed_out: bool
    output: str
    returncode: int

    @property
    def summary(self) -> str:
        """pytest's closing count ("2 failed, 3 passed"), or what stopped the run."""
        for line in reversed(self.output.splitlines()):
            m = _SUMMARY.match(line.strip())
            if m:
                return m.group(1).strip("= ")
        return "timed out" if self.timed_out else "did not run"


def running_test(output: str) -> str | None:
    """The test pytest -v had started and not finished when the output stops."""
    for line in reversed(output.splitlines()):
        m = _TEST.match(line.strip())
        if m:
            return None if _RESULT.search(line) else m.group(1)
    return None


def check(exercise: LoadedExercise, learner_file: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    target = (learner_file or exercise.starter).resolve()
    env = dict(os.environ, COURSEKIT_LEARNER_FILE=str(target), PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    env.pop("COURSEKIT_SOLUTIONS", None)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-v",
        "--no-header",
        "-p",
        "no:cacheprovider",
        "--tb=short",
        "--rootdir",
        str(exercise.dir.parent),
        *map(str, exercise.tests),
    ]
    try:
        proc = subprocess.run(
            cmd, cwd=exercise.dir, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        test = running_test(out)
        which = f"{test} was still running" if test else "the tests were still running"
        return CheckResult(False, True, out + f"\nStopped after {timeout:g} s: {which} (an endless loop?).", -1)
    output = proc.stdout + proc.stderr
    broken = _BROKEN.search(output)
    if broken:  # the fixture stopped the run once: show its message alone, as the learner's error
        output = broken.group(1).rstrip(" !\n") + "\n"
    return CheckResult(proc.returncode == 0, False, output, proc.returncode)


def changes(path: Path, interval: float) -> Iterator[None]:
    """Yield now, then each time the file is saved (its modification time changes)."""
    last: int | None | bool = False
    while True:
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if stamp != last:
            last = stamp
            yield
        time.sleep(interval)
