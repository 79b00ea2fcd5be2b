import json
from fractions import Fraction
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from coursekit.content.models import Question, Quiz
from coursekit.quiz.grading import grade_question, grade_quiz

VECTORS = json.loads((Path(__file__).parent.parent / "grading_vectors.json").read_text(encoding="utf-8"))
QUESTIONS = {k: TypeAdapter(Question).validate_python(v) for k, v in VECTORS["questions"].items()}


def test_vector_file_is_substantial():
    assert len(VECTORS["cases"]) >= 60
    assert {q["type"] for q in VECTORS["questions"].values()} == {
        "single",
        "multiple",
        "true_false",
        "numeric",
        "short_text",
        "ordering",
        "matching",
        "reflection",
    }


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: f"{c['question']}:{c['response']!r}")
def test_grading_vector(case):
    r = grade_question(QUESTIONS[case["question"]], case["response"])
    assert (r.score, r.correct, r.answered, r.feedback, r.misconceptions) == (
        Fraction(case["score"]),
        case["correct"],
        case["answered"],
        case["feedback"],
        case["misconceptions"],
    )


def test_quiz_total_is_exact():
    quiz = Quiz.model_validate(
        {"title": "T", "module": 1, "questions": [VECTORS["questions"]["multi"], VECTORS["questions"]["single"]]}
    )
    result = grade_quiz(quiz, {"multi": ["a"], "single": "a"})
    assert result.score == Fraction(5, 3) and result.max_score == 3
    assert [r.question_id for r in result.results] == ["multi", "single"]


def test_missing_responses_score_zero():
    quiz = Quiz.model_validate({"title": "T", "module": 1, "questions": [VECTORS["questions"]["tf"]]})
    result = grade_quiz(quiz, {})
    assert result.score == 0 and not result.results[0].answered
