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
