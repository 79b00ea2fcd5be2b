import pytest
from pydantic import ValidationError

from coursekit.content.models import Exercise, ModulePage, Quiz

BASE = {"objective": "o", "prompt": "P", "explanation": "E"}


def quiz(*questions):
    return {"title": "T", "module": 1, "questions": list(questions)}


def single(**kw):
    q = {
        "id": "q",
        "type": "single",
        **BASE,
        "options": [
            {"id": "a", "text": "A", "correct": True, "feedback": "yes"},
            {"id": "b", "text": "B", "feedback": "no", "misconception": "M"},
        ],
    }
    q.update(kw)
    return q


def test_valid_single_choice():
    model = Quiz.model_validate(quiz(single()))
    assert model.questions[0].correct_ids == ["a"]


def test_wrong_option_needs_misconception():
    q = single(
        options=[{"id": "a", "text": "A", "correct": True, "feedback": "y"}, {"id": "b", "text": "B", "feedback": "n"}]
    )
    with pytest.raises(ValidationError, match="misconception"):
        Quiz.model_validate(quiz(q))


def test_single_needs_exactly_one_correct():
    q = single(
        options=[
            {"id": "a", "text": "A", "correct": True, "feedback": "y"},
            {"id": "b", "text": "B", "correct": True, "feedback": "n"},
        ]
    )
    with pytest.raises(ValidationError, match="exactly one"):
        Quiz.model_validate(quiz(q))


def test_multiple_needs_a_correct_option():
    q = single(
        type="multiple",
        options=[
            {"id": "a", "text": "A", "feedback": "y", "misconception": "m"},
            {"id": "b", "text": "B", "feedback": "n", "misconception": "m"},
        ],
    )
    with pytest.raises(ValidationError, match="at least one"):
        Quiz.model_validate(quiz(q))


def test_unknown_keys_are_rejected():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Quiz.model_validate(quiz(single(explanaton="typo")))


def test_numeric_tolerance_must_not_be_negative():
    q = {
        "id": "n",
        "type": "numeric",
        **BASE,
        "answer": 1,
        "tolerance": -0.1,
        "correct_feedback": "y",
        "wrong_feedback": "n",
    }
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        Quiz.model_validate(quiz(q))


def test_ids_are_slugs():
    with pytest.raises(ValidationError, match="pattern"):
        Quiz.model_validate(quiz(single(id="Bad Id")))


def test_exercise_needs_a_hint():
    data = {
        "title": "T",
        "module": 1,
        "objectives": ["o"],
        "difficulty": "beginner",
        "minutes": 5,
        "summary": "S",
        "hints": [],
        "files": {"tests": ["t.py"]},
    }
    with pytest.raises(ValidationError, match="at least 1 item"):
        Exercise.model_validate(data)


def test_module_page_requires_teaching_fields():
    with pytest.raises(ValidationError) as info:
        ModulePage.model_validate({"module": 1})
    missing = {e["loc"][0] for e in info.value.errors() if e["type"] == "missing"}
    assert missing == {"questions", "objectives", "key_points", "minutes"}
