"""The exercise benchmark writes its submissions by editing the course's model solution: when the
solution's text changes (a reformat, a rewrite), each edit must still find its place, or
`make bench` stops half-way. Checked here, where a change to the course is tested."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.content


def _benchmark():
    spec = importlib.util.spec_from_file_location("grade_exercises", REPO / "benchmarks" / "grade_exercises.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_submission_kind_is_a_real_edit_of_the_solution():
    bench = _benchmark()
    kinds = bench.variants()
    for kind, (_share, _what, code) in kinds.items():
        if kind == "correct":
            assert code == bench.SOLUTION
            continue
        assert code != bench.SOLUTION, kind
        if kind != "raises-syntax":
            compile(code, f"{kind}.py", "exec")
    with pytest.raises(SyntaxError):
        compile(kinds["raises-syntax"][2], "raises-syntax.py", "exec")


def test_the_nbgrader_notebook_has_one_cell_per_test_pytest_runs():
    """nbgrader is given every test coursekit runs, hidden ones and each parametrized case,
    or the comparison of their verdicts and times would be of different work."""
    import subprocess
    import sys

    bench = _benchmark()
    files = bench.yaml.safe_load((bench.EX_DIR / "exercise.yml").read_text(encoding="utf-8"))["files"]
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + [str(bench.EX_DIR / f) for f in files["tests"] + files["hidden_tests"]],
        capture_output=True,
        text=True,
        cwd=REPO,
    ).stdout
    ids = [line.split("::", 1)[1] for line in collected.splitlines() if "::" in line]
    names = [name for name, _ in bench.test_cells()]
    assert len(names) == len(ids) > 0, (names, ids)
    assert [n.split("-")[0] for n in names] == [i.split("[")[0] for i in ids]


def test_every_submission_is_a_file_of_its_own():
    """Identical files are graded once by coursekit (their verdict reused): the benchmark's
    files must all differ, so that it measures grading."""
    codes = [code for _, code in _benchmark().make_variants(200)]
    assert len(set(codes)) == len(codes) == 200
