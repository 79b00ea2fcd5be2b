"""The ``learner`` pytest fixture: the learner's module, wherever it comes from.

Exercise tests never import the learner's file by name; they ask for ``learner`` and
call its functions (``learner.growth_multiple(...)``). Which file stands behind it:

  COURSEKIT_LEARNER_FILE=path   that file (what ``coursekit exercise check --file`` sets)
  COURSEKIT_SOLUTIONS=1         each exercise's solution.py (the authoring check)
  otherwise                     each exercise's starter.py, as a learner finds it

``exercises/conftest.py`` imports this fixture, so ``pytest exercises/`` works as is.
The learner's module runs with the exercise folder as working directory, so relative
paths such as ``data/gmv.csv`` resolve as they do in the page.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml


def learner_file(exercise_dir: Path) -> Path:
    if os.environ.get("COURSEKIT_LEARNER_FILE"):
        return Path(os.environ["COURSEKIT_LEARNER_FILE"]).resolve()
    files = {}
    meta = exercise_dir / "exercise.yml"
    if meta.is_file():
        files = (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("files", {}) or {}
    if os.environ.get("COURSEKIT_SOLUTIONS", "") not in ("", "0"):
        return exercise_dir / files.get("solution", "solution.py")
    return exercise_dir / files.get("starter", "starter.py")


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


@pytest.fixture
def learner(exercise_dir: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.chdir(exercise_dir)
    module = import_learner(learner_file(exercise_dir))
    yield module
    sys.modules.pop("learner", None)
