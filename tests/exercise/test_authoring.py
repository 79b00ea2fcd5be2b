"""The authoring check (after rustlings): every starter fails its tests, every solution passes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.content.catalog import Layout, load_catalog
from coursekit.exercise import runner

REPO = Path(__file__).resolve().parents[2]
EXERCISES = load_catalog(Layout(REPO)).exercises


def test_course_has_exercises():
    assert EXERCISES


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_starter_fails_and_solution_passes(exercise_id):
    ex = EXERCISES[exercise_id]
    starter = runner.check(ex)
    assert not starter.passed, f"{exercise_id}: the untouched starter passes its tests\n{starter.output}"
    assert " passed" not in starter.output.splitlines()[-1], \
        f"{exercise_id}: some tests pass on the untouched starter: {starter.output.splitlines()[-1]}"
    solution = runner.check(ex, ex.solution)
    assert solution.passed, f"{exercise_id}: the solution fails its tests\n{solution.output}"


@pytest.mark.parametrize("solutions, expect_pass", [("0", False), ("1", True)])
def test_pytest_exercises_out_of_the_box(solutions, expect_pass):
    env = dict(os.environ, COURSEKIT_SOLUTIONS=solutions)
    env.pop("COURSEKIT_LEARNER_FILE", None)
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "exercises/"],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert (r.returncode == 0) is expect_pass, r.stdout[-2000:]
