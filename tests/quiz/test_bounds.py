"""Grading any answer is bounded, in Python and in the page's grader (under Node): a 1 MB string,
a number with 10,000 digits or a huge exponent, an answer crafted against a pattern. Either it is
graded at once or it is turned away with a reason. The limit asserted here (a quarter of a second)
only tells "bounded" from "runaway": the measured times are far lower (benchmarks/)."""

import time

import pytest
from pydantic import TypeAdapter, ValidationError

from coursekit.content.models import Question
from coursekit.content.patterns import pattern_problems
from coursekit.limits import MAX_SHORT_TEXT
from coursekit.quiz.grading import grade_question
from coursekit.site.quizzes import question_data
from tests.quiz.test_js_equivalence import run_js

RUNAWAY = 0.25  # seconds

# Patterns the loader accepts, chosen to be as slow as allowed: several unbounded repeats that
# overlap, alternations, classes. The answers below are crafted to make a backtracking engine work.
ALLOWED = [r"[a-z ]*[a-z ]*[a-z ]*x", r".*.*.*y", r"(?:ab|a)c*d", r"super[- ]?apps?", r"[a-z]+(?: [a-z]+)?z"]
CRAFTED = [
    "a" * MAX_SHORT_TEXT,
    "ab" * (MAX_SHORT_TEXT // 2),
    "a " * (MAX_SHORT_TEXT // 2),
    "a" * (MAX_SHORT_TEXT - 1) + "!",
]


def q(kind: str, **extra) -> Question:
    base = {"id": "q", "objective": "o", "prompt": "P", "explanation": "E", "type": kind}
    if kind in ("short_text", "numeric"):
        base |= {"correct_feedback": "ok", "wrong_feedback": "no"}
    return TypeAdapter(Question).validate_python(base | extra)


def cases() -> list[tuple[Question, object]]:
    out = [(q("short_text", pattern=p), answer) for p in ALLOWED for answer in CRAFTED]
    out += [
        (q("short_text", accept=["x"]), "x" * 1_000_000),
        (q("reflection"), "word " * 200_000),
        (q("numeric", answer="16.3"), "9" * 10_000),
        (q("numeric", answer="16.3"), "1e999999999"),
        (q("numeric", answer="16.3"), "0." + "0" * 99),
        (q("numeric", answer="16.3", unit="x"), " 1" + "0" * 97 + "x"),
    ]
    return out


def test_python_grader_is_bounded():
    slowest = 0.0
    for question, answer in cases():
        start = time.perf_counter()
        grade_question(question, answer)
        slowest = max(slowest, time.perf_counter() - start)
    assert slowest < RUNAWAY, slowest
    huge = grade_question(q("numeric", answer="1"), 10**10_000)  # an int JSON could carry
    assert huge.feedback[0].startswith("That answer is too long")


def test_page_grader_is_bounded():
    pairs = cases()
    questions = {str(i): question_data(question) for i, (question, _) in enumerate(pairs)}
    got = run_js(
        {
            "grading": {
                "questions": questions,
                "cases": [{"question": str(i), "response": a} for i, (_, a) in enumerate(pairs)],
            }
        }
    )
    assert max(r["ms"] for r in got["grading"]) < RUNAWAY * 1000
    for (question, answer), r in zip(pairs, got["grading"]):  # and it agrees with Python on each
        assert r["feedback"][0].startswith(grade_question(question, answer).feedback[0][:20])


@pytest.mark.parametrize(
    "pattern", [r"(a+)+b", r"(a|aa)*c", r"(\w+\s?)*", r"((ab)*c)*", r"(x)\1", r"(?<=a)b", r"a*b*c*d*f", r"[A-Z]+"]
)
def test_runaway_or_unportable_patterns_are_refused_when_loaded(pattern):
    assert pattern_problems(pattern, case_sensitive=False)
    with pytest.raises(ValidationError, match="pattern"):
        q("short_text", pattern=pattern)


def test_the_refused_patterns_would_run_away():
    """What the loader prevents is real: one of them, matched in Python, on a short crafted answer."""
    import re

    start = time.perf_counter()
    re.fullmatch(r"(a+)+b", "a" * 22)
    assert time.perf_counter() - start > 0.05
