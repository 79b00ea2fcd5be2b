"""The README's examples that name the course's own quiz work against it (the other README
examples are checked in tests/test_docs.py)."""

import re
from pathlib import Path

import yaml

from coursekit.content.catalog import Layout, load_catalog
from coursekit.quiz.grading import grade_quiz
from coursekit.quiz.variants import concrete_quiz

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def yaml_blocks():
    return [body for lang, body in re.findall(r"```(\w+)\n(.*?)```", README, re.S) if lang == "yaml"]


def test_answers_example_grades_against_the_real_quiz():
    block = next(b for b in yaml_blocks() if b.startswith("why-targets-missed:"))
    answers = yaml.safe_load(block)
    quiz = load_catalog(Layout(REPO)).quizzes["story-so-far"].model
    assert set(answers) <= {q.id for q in quiz.questions}
    result = grade_quiz(concrete_quiz(quiz, "docs"), answers)
    assert all(r.answered for r in result.results if r.question_id in answers)
