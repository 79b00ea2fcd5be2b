"""The instructor page on the grading sandbox (course/instructor/grading-sandbox.md): its
example runs as shown, and its table of limits gives every limit's current default."""

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.exercise import sandbox
from coursekit.exercise.sandbox import Limits, MiB

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "course" / "instructor" / "grading-sandbox.md"


def test_the_threat_model_example_runs():
    problem = sandbox.bwrap_problem()
    if problem:
        pytest.fail(f"this test needs a working bubblewrap: {problem}")
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.stdout.split() == ["passed", "1", "bwrap"], done.stdout + done.stderr


def test_the_threat_model_lists_every_limit_with_its_default():
    text = DOC.read_text(encoding="utf-8")
    for f in dataclasses.fields(Limits):
        value = f.default
        shown = f"{value // MiB} MiB" if isinstance(value, int) and value >= MiB else f"{value:g}"
        assert f"| `{f.name}` | {shown} |" in text, f"the limits table is out of date for {f.name} ({shown})"
