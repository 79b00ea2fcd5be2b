"""Run `coursekit` as a user runs it: a real process in a course folder, real files."""

from __future__ import annotations

import re
import subprocess
import sys


def run(*args, cwd, input=None, timeout=120, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coursekit", *map(str, args)],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def unboxed(text: str) -> str:
    """Text as one line: rich's box drawing and line wrapping taken out (typer draws usage
    errors in a box, wrapped to the terminal's width)."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())
