"""The verdict on one submission, read from what the trusted pytest process recorded.

The grading plugin (``plugin``) writes one JSON object per line as the run goes; this
module turns those records, the run's exit code and its log into a ``Verdict``. Nothing
the learner's code printed is parsed: only the records and pytest's own exit code count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from coursekit.exercise.sandbox import Isolation, Limits

if TYPE_CHECKING:
    from coursekit.content.catalog import LoadedExercise

Status = Literal["passed", "failed", "error", "timeout"]
Outcome = Literal["passed", "failed", "error", "skipped"]


@dataclass(frozen=True)
class TestOutcome:
    """One test's result, as the trusted pytest process saw it."""

    __test__ = False  # not a pytest test class, despite the name

    name: str  # pytest node id, e.g. "test_add_up.py::test_add"
    outcome: Outcome
    message: str = ""  # the assertion or error message for a test that did not pass
    hidden: bool = False  # from one of the exercise's hidden test files
    seconds: float = 0.0


@dataclass(frozen=True)
class Verdict:
    """The grade of one submission for one exercise."""

    exercise: str
    status: Status  # passed: every test passed; failed: some did not; timeout: a time
    # limit was hit; error: the submission broke a hard limit or grading itself failed
    tests: tuple[TestOutcome, ...]
    passed: int
    total: int
    score: Fraction  # passed / total, exact (0 when there are no tests)
    reason: str  # one line for a person: why this status
    sandbox: Isolation  # "bwrap", or "rlimits" when only resource limits confined the code
    warnings: tuple[str, ...] = ()
    output: str = ""  # an excerpt of what the learner's code printed
    output_bytes: int = 0  # how much it printed in all
    seconds: float = 0.0  # wall time of the whole grading


def read_records(path: Path) -> list[dict]:
    records = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue  # a line cut short by a kill
    return records


def verdict_from(
    exercise: LoadedExercise,
    records: list[dict],
    hidden_files: set[str],
    isolation: Isolation,
    warnings: tuple[str, ...],
    timed_out: bool,
    code: int | None,
    log: str,
    limits: Limits,
    seconds: float,
) -> Verdict:
    collected: list[str] = []
    results: dict[str, TestOutcome] = {}
    collect_errors: list[str] = []
    summary: dict = {}
    for r in records:
        kind = r.get("kind")
        if kind == "collected":
            collected = r["names"]
        elif kind == "test":
            name = r["name"]
            results[name] = TestOutcome(
                name, r["outcome"], r["message"], name.split("::")[0] in hidden_files, r["seconds"]
            )
        elif kind == "collect-error":
            collect_errors.append(f"{r['name']}: {r['message']}")
        elif kind == "sandbox":
            summary = r
    names = collected or list(results)
    tests = tuple(
        results.get(n) or TestOutcome(n, "error", "not run: the grading was stopped", n.split("::")[0] in hidden_files)
        for n in names
    )
    passed = sum(t.outcome == "passed" for t in tests)
    total = len(tests)
    events = summary.get("events", [])
    kinds = {e["kind"] for e in events}

    if timed_out:
        status = "timeout"
        reason = f"the grading run took longer than {limits.grading_seconds:g} s and was stopped"
    elif collect_errors:
        status, reason = "error", "the tests could not be collected: " + "; ".join(collect_errors)
    elif total == 0 or code in (2, 3, 4) or not summary:
        tail = log.strip().splitlines()[-5:]
        status, reason = "error", f"the grading run failed (pytest exit code {code}): " + " | ".join(tail)
    elif "output" in kinds:
        status, reason = "error", next(e["detail"] for e in events if e["kind"] == "output")
    elif kinds & {"timeout", "cpu"}:
        status, reason = "timeout", next(e["detail"] for e in events if e["kind"] in ("timeout", "cpu"))
    elif passed == total:
        status, reason = "passed", f"all {total} tests passed"
    else:
        first = next(t for t in tests if t.outcome != "passed")
        why = first.message.splitlines()[0] if first.message else first.outcome
        status, reason = "failed", f"{passed} of {total} tests passed; {first.name}: {why}"
    return Verdict(
        exercise.id,
        status,
        tests,
        passed,
        total,
        Fraction(passed, total) if total else Fraction(0),
        reason,
        isolation,
        warnings,
        summary.get("output", ""),
        summary.get("output_bytes", 0),
        seconds,
    )
