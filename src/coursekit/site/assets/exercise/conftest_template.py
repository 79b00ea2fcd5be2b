"""The `learner` fixture for this exercise folder, used in the page and in the download.

The tests never import your file by name: they ask for `learner`, your module, imported
from the file named below (or from COURSEKIT_LEARNER_FILE when that is set). The tests
run with this folder as the working directory, so paths such as data/gmv.csv resolve.
It behaves as the course repository's fixture (coursekit.exercise.fixtures) does.
"""

import importlib.util
import os
import sys
import traceback
from pathlib import Path

import pytest

LEARNER_FILE = "starter.py"  # the file you edit; set per exercise when the site is built


@pytest.fixture
def exercise_dir():
    return Path(__file__).resolve().parent


NOT_RUN = "Your file does not run, so no test can:"


def import_problem(exc, path, shown):
    """One message at your own line (shown as `shown`), without pytest's or this file's frames."""
    kind = type(exc).__name__
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).resolve() == path:
        code = (exc.text or "").rstrip("\n")
        indent = len(code) - len(code.lstrip())
        caret = " " * max((exc.offset or 1) - 1 - indent, 0) + "^"
        return f"{shown}:{exc.lineno}:{exc.offset or 1}: {kind}: {exc.msg}\n    {code.strip()}\n    {caret}"
    mine = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve() == path]
    if mine:
        return f"{shown}:{mine[-1].lineno}: {kind}: {exc}\n    {mine[-1].line}"
    return f"{shown}: {kind}: {exc}"


@pytest.fixture
def learner(exercise_dir, monkeypatch):
    monkeypatch.chdir(exercise_dir)
    path = Path(os.environ.get("COURSEKIT_LEARNER_FILE") or exercise_dir / LEARNER_FILE).resolve()
    spec = importlib.util.spec_from_file_location("learner", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["learner"] = module
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:  # your file itself is broken: said once, not once per test
        sys.modules.pop("learner", None)
        shown = path.name if path.parent == exercise_dir.resolve() else str(path)
        pytest.exit(f"{NOT_RUN}\n{import_problem(exc, path, shown)}", returncode=1)
    yield module
    sys.modules.pop("learner", None)
