"""The authoring check (after rustlings), for every exercise of the course.

Every starter fails each of its public tests; every solution passes the public and the
hidden tests, locally, through the grader and in the bubblewrap sandbox; every exercise has hidden tests
that no learner download carries, at least three hints, none of which spells out code,
and a README beside its data. Generated data is what its script writes. A solution that
hard-codes the public examples (tests/course/hardcoded/<id>.py) passes the public tests
and fails the hidden ones, so the hidden tests are worth running.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.content.catalog import Layout, load_catalog
from coursekit.exercise import runner, sandbox
from coursekit.exercise.grader import grade
from coursekit.exercise.handout import learner_files
from coursekit.exercise.sandbox import Limits

REPO = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(Layout(REPO))
EXERCISES = CATALOG.exercises
HARDCODED = Path(__file__).resolve().parent / "hardcoded"
MIN_EXERCISES, MIN_HINTS = 8, 3
# Inline code a hint may show: a name (a module, a built-in, one of the exercise's own
# functions or exceptions), perhaps with empty parentheses. Anything longer is code.
NAME_ONLY = re.compile(r"[A-Za-z_][\w.]*(\(\))?")


def run_tests(ex, learner: Path, test_files: list[Path]) -> subprocess.CompletedProcess:
    """pytest on ``test_files`` with ``learner`` behind the `learner` fixture, as `check` runs it."""
    env = dict(os.environ, COURSEKIT_LEARNER_FILE=str(learner.resolve()), PYTHONDONTWRITEBYTECODE="1")
    env.pop("COURSEKIT_SOLUTIONS", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "--no-header",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(ex.dir.parent),
            *map(str, test_files),
        ],
        cwd=ex.dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_course_has_enough_exercises():
    assert len(EXERCISES) >= MIN_EXERCISES, f"{len(EXERCISES)} exercises; the course promises at least {MIN_EXERCISES}"


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_starter_fails_and_solution_passes(exercise_id):
    ex = EXERCISES[exercise_id]
    starter = runner.check(ex)
    assert not starter.passed, f"{exercise_id}: the untouched starter passes its tests\n{starter.output}"
    assert " passed" not in starter.output.splitlines()[-1], (
        f"{exercise_id}: some tests pass on the untouched starter: {starter.output.splitlines()[-1]}"
    )
    solution = runner.check(ex, ex.solution)
    assert solution.passed, f"{exercise_id}: the solution fails its tests\n{solution.output}"


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_hidden_tests_exist_pass_on_the_solution_and_are_never_shipped(exercise_id):
    ex = EXERCISES[exercise_id]
    hidden = ex.model.files.hidden_tests
    assert hidden, f"{exercise_id}: no hidden tests (files.hidden_tests in exercise.yml)"
    assert not set(hidden) & set(ex.model.files.tests), f"{exercise_id}: a hidden test file is also public"
    assert not set(hidden) & set(learner_files(ex)), f"{exercise_id}: a hidden test file is in the learner's download"
    r = run_tests(ex, ex.solution, ex.hidden_tests)
    assert r.returncode == 0, f"{exercise_id}: the solution fails its hidden tests\n{r.stdout[-3000:]}"
    assert re.search(r"\b\d+ passed\b", r.stdout.splitlines()[-1]), r.stdout[-500:]


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_hidden_tests_say_what_they_check(exercise_id):
    """The instructor build lists each hidden test with the first line of its docstring."""
    for path in EXERCISES[exercise_id].hidden_tests:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bare = [
            n.name
            for n in tree.body
            if isinstance(n, ast.FunctionDef) and n.name.startswith("test") and not ast.get_docstring(n)
        ]
        assert not bare, f"{exercise_id}: hidden tests without a docstring in {path.name}: {bare}"


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_exercise_is_embedded_in_its_module_page(exercise_id):
    ex = EXERCISES[exercise_id]
    pages = [
        p for p in CATALOG.pages.values() if any(d.kind == "exercise" and d.id == exercise_id for d in p.directives)
    ]
    assert pages, f'{exercise_id}: no page embeds it (::exercise{{id="{exercise_id}"}})'
    assert any(p.module is not None and p.module.module == ex.model.module for p in pages), (
        f"{exercise_id}: belongs to module {ex.model.module} but is embedded in {[p.rel for p in pages]}"
    )


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_grader_gives_the_solution_full_marks_on_public_and_hidden_tests(exercise_id):
    """The hidden tests only pass plain values to the learner's code, as the grader requires."""
    ex = EXERCISES[exercise_id]
    verdict = grade(ex, ex.solution)
    assert verdict.status == "passed", f"{exercise_id}: {verdict.reason}\n" + "\n".join(
        f"{t.name}: {t.message}" for t in verdict.tests if t.outcome != "passed"
    )
    assert any(t.hidden for t in verdict.tests) and any(not t.hidden for t in verdict.tests)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_hints_are_enough_and_name_code_without_writing_it(exercise_id):
    hints = EXERCISES[exercise_id].model.hints
    assert len(hints) >= MIN_HINTS, f"{exercise_id}: {len(hints)} hints; at least {MIN_HINTS}, gentlest first"
    for i, hint in enumerate(hints, start=1):
        assert hint.strip(), f"{exercise_id}: hint {i} is empty"
        assert "```" not in hint, f"{exercise_id}: hint {i} holds a code block"
        for span in re.findall(r"`([^`]*)`", hint):
            assert NAME_ONLY.fullmatch(span), (
                f"{exercise_id}: hint {i} writes code (`{span}`); a hint may name a function or a "
                "built-in, and explain in words"
            )


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_data_has_a_readme_shipped_with_it(exercise_id):
    ex = EXERCISES[exercise_id]
    data = ex.model.files.data
    folders = {Path(d).parent.as_posix() for d in data if Path(d).name != "README.md"}
    for folder in folders:
        readme = f"{folder}/README.md" if folder != "." else "README.md"
        assert readme in data, f"{exercise_id}: {readme} must be listed in files.data, so that it ships with the data"


GENERATORS = sorted(REPO.glob("exercises/*/data/make_*.py"))


def test_there_is_generated_data():
    assert GENERATORS, "no exercise generates its data; the event-funnel log should"


@pytest.mark.parametrize("script", GENERATORS, ids=lambda p: p.relative_to(REPO / "exercises").as_posix())
def test_generated_data_is_what_its_script_writes(script, tmp_path):
    ex = EXERCISES[script.parents[1].name]
    r = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    written = sorted(p for p in tmp_path.iterdir() if p.is_file())
    assert written, f"{script.name} wrote nothing"
    for path in written:
        committed = script.parent / path.name
        assert committed.is_file(), f"{script.name} writes {path.name}, which is not committed"
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed.relative_to(REPO)} differs from what {script.name} writes; run the script again and commit"
        )
        assert committed.relative_to(ex.dir).as_posix() in ex.model.files.data
    again = tmp_path / "again"
    again.mkdir()
    subprocess.run([sys.executable, str(script), "--out", str(again)], check=True, capture_output=True, timeout=120)
    assert all((again / p.name).read_bytes() == p.read_bytes() for p in written), f"{script.name} is not deterministic"


CHEATS = sorted(p.stem for p in HARDCODED.glob("*.py"))


def test_every_exercise_has_a_hard_coded_cheat():
    assert sorted(EXERCISES) == CHEATS, "tests/course/hardcoded/ should hold one hard-coding solution per exercise"


@pytest.mark.parametrize("exercise_id", CHEATS)
def test_hard_coding_the_public_examples_fails_the_hidden_tests(exercise_id):
    ex = EXERCISES[exercise_id]
    cheat = HARDCODED / f"{exercise_id}.py"
    public = runner.check(ex, cheat)
    assert public.passed, f"{exercise_id}: the hard-coded file should pass the public tests\n{public.output[-3000:]}"
    hidden = run_tests(ex, cheat, ex.hidden_tests)
    assert hidden.returncode == 1, (
        f"{exercise_id}: hard-coding the public examples passes the hidden tests\n{hidden.stdout[-3000:]}"
    )


@pytest.mark.parametrize("solutions, expect_pass", [("0", False), ("1", True)])
def test_pytest_exercises_out_of_the_box(solutions, expect_pass, tmp_path):
    # An empty workspace: a learner's own solved copies in work/ must not change the authoring check.
    env = dict(os.environ, COURSEKIT_SOLUTIONS=solutions, COURSEKIT_WORKSPACE=str(tmp_path / "no-work"))
    env.pop("COURSEKIT_LEARNER_FILE", None)
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "exercises/"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (r.returncode == 0) is expect_pass, r.stdout[-2000:]


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_solution_gets_full_marks_in_the_sandbox(exercise_id):
    # The proxy carries only plain values: this shows the exercises we ship need no more.
    problem = sandbox.bwrap_problem()
    if problem:
        pytest.fail(f"this test needs a working bubblewrap: {problem}")
    exercise = EXERCISES[exercise_id]
    verdict = grade(exercise, exercise.solution, Limits(grading_seconds=60), isolation="bwrap")
    assert verdict.status == "passed", f"{verdict.reason}\n" + "\n".join(t.message for t in verdict.tests)
    assert verdict.score == 1
