"""The `learner` fixture for this exercise folder, used in the page and in the download.

The tests never import your file by name: they ask for `learner`, your module, imported
from the file named below (or from COURSEKIT_LEARNER_FILE when that is set). The tests
run with this folder as the working directory, so paths such as data/gmv.csv resolve.
It behaves as the course repository's fixture (coursekit.exercise.fixtures) does.
"""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

LEARNER_FILE = "starter.py"  # the file you edit; set per exercise when the site is built


@pytest.fixture
def exercise_dir():
    return Path(__file__).resolve().parent


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
    except BaseException:
        sys.modules.pop("learner", None)
        raise
    yield module
    sys.modules.pop("learner", None)
