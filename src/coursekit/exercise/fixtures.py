"""The ``learner`` pytest fixture: the learner's module, wherever it comes from.

Exercise tests never import the learner's file by name; they ask for ``learner`` and
call its functions (``learner.growth_multiple(...)``). Which file stands behind it:

  COURSEKIT_LEARNER_FILE=path   that file (what ``coursekit exercise check --file`` sets)
  COURSEKIT_SOLUTIONS=1         each exercise's solution.py (the authoring check)
  COURSEKIT_STARTERS=1          each exercise's starter.py, untouched (the authoring check)
  otherwise                     the learner's own copy in the workspace (work/<id>/, see
                                coursekit.exercise.workspace) once they have one, else the starter

``exercises/conftest.py`` imports this fixture, so ``pytest exercises/`` works as is.
The learner's module runs with the exercise folder as working directory, so relative
paths such as ``data/gmv.csv`` resolve as they do in the page.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from coursekit.exercise import workspace
from coursekit.exercise.runner import NOT_RUN


def learner_file(exercise_dir: Path) -> Path:
    if os.environ.get("COURSEKIT_LEARNER_FILE"):
        return Path(os.environ["COURSEKIT_LEARNER_FILE"]).resolve()
    files = {}
    meta = exercise_dir / "exercise.yml"
    if meta.is_file():
        files = (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("files", {}) or {}
    if os.environ.get("COURSEKIT_SOLUTIONS", "") not in ("", "0"):
        return exercise_dir / files.get("solution", "solution.py")
    starter = exercise_dir / files.get("starter", "starter.py")
    if os.environ.get("COURSEKIT_STARTERS", "") not in ("", "0"):
        return starter
    own = workspace.root_of(course_root(exercise_dir)) / exercise_dir.name / starter.name
    return own if own.is_file() else starter


def course_root(exercise_dir: Path) -> Path:
    """The course folder holding this exercise: the nearest one up with an mkdocs.yml."""
    for parent in exercise_dir.resolve().parents:
        if (parent / "mkdocs.yml").is_file():
            return parent
    return exercise_dir.resolve().parent.parent


def import_learner(path: Path, name: str = "learner") -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


@pytest.fixture
def exercise_dir(request: pytest.FixtureRequest) -> Path:
    return Path(request.path).parent


def import_problem(exc: BaseException, path: Path) -> str:
    """One message at the learner's own line, with none of coursekit's or pytest's frames. The
    page's copy (site/assets/exercise/conftest_template.py) says the same: a test holds them to it."""
    kind = type(exc).__name__
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).resolve() == path:
        code = (exc.text or "").rstrip("\n")
        indent = len(code) - len(code.lstrip())
        caret = " " * max((exc.offset or 1) - 1 - indent, 0) + "^"
        return f"{path}:{exc.lineno}:{exc.offset or 1}: {kind}: {exc.msg}\n    {code.strip()}\n    {caret}"
    mine = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve() == path]
    if mine:
        return f"{path}:{mine[-1].lineno}: {kind}: {exc}\n    {mine[-1].line}"
    return f"{path}: {kind}: {exc}"


@pytest.fixture
def learner(exercise_dir: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.chdir(exercise_dir)
    path = learner_file(exercise_dir)
    try:
        module = import_learner(path)
    except (Exception, SystemExit) as exc:  # the file itself is broken: say so once, not once per test
        pytest.exit(f"{NOT_RUN}\n{import_problem(exc, path.resolve())}", returncode=1)
    yield module
    sys.modules.pop("learner", None)
