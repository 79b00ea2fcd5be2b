from decimal import Decimal

import pytest

from coursekit.content.formula import FormulaError, evaluate, formula_problems
from coursekit.content.models import Numeric
from coursekit.quiz import variants
from coursekit.quiz.grading import grade_question

Q = Numeric.model_validate(
    {
        "id": "mult",
        "type": "numeric",
        "objective": "o",
        "prompt": "Douyin made US${{big}} billion and TikTok US${{small}} billion. How many times larger?",
        "explanation": "{{big}} / {{small}} = {{answer}}.",
        "variables": {"big": {"min": 400, "max": 500, "step": 10}, "small": {"min": 20, "max": 40, "step": 5}},
        "formula": "round(big / small, 1)",
        "tolerance": 0.05,
        "correct_feedback": "Right: {{answer}}.",
        "wrong_feedback": "Divide {{big}} by {{small}}.",
    }
)


def test_same_seed_same_variant_and_different_learners_differ():
    a = variants.concrete(Q, variants.seed_for("quiz", "ana", 1))
    b = variants.concrete(Q, variants.seed_for("quiz", "ana", 1))
    assert a == b
    others = {variants.concrete(Q, variants.seed_for("quiz", f"l{i}", 1)).prompt for i in range(20)}
    assert len(others) > 5


def test_instantiated_question_fills_placeholders_and_grades():
    q = variants.instantiate(Q, {"big": Decimal(490), "small": Decimal(30)})
    assert q.answer == Decimal("16.3")
    assert q.prompt.startswith("Douyin made US$490 billion and TikTok US$30 billion")
    assert q.explanation == "490 / 30 = 16.3."
    assert grade_question(q, "16.3").correct
    assert grade_question(q, "16.4").feedback == ["Divide 490 by 30."]


def test_a_variant_must_be_instantiated_before_grading():
    with pytest.raises(ValueError, match="instantiate"):
        grade_question(Q, "16.3")


def test_pool_is_fixed_and_distinct():
    pool = variants.pool(Q)
    assert len(pool) == variants.POOL_SIZE
    assert len({tuple(v.items()) for v, _ in pool}) == variants.POOL_SIZE
    assert [v for v, _ in variants.pool(Q)] == [v for v, _ in pool]


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os')",
        "x.__class__",
        "open('f')",
        "[1, 2]",
        "x if x else 1",
        "lambda: 1",
        "'text'",
        "2 ** 0.5",
        "2 ** 1000",
    ],
)
def test_evaluator_refuses_anything_but_arithmetic(formula):
    with pytest.raises(FormulaError):
        evaluate(formula, {"x": Decimal(1)})


def test_evaluator_is_exact():
    assert evaluate("0.1 + 0.2", {}) == evaluate("3 / 10", {})
    assert evaluate("round(2.675, 2)", {}) == evaluate("2.68", {})  # half up, on exact decimals


def test_formula_failing_inside_the_ranges_is_reported():
    bad = Q.model_copy(update={"formula": "big / (small - 30)"})
    assert formula_problems(bad) == ["formula fails for big=400, small=30: division by zero"]
    assert formula_problems(Q) == []
