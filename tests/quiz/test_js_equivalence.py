"""The page's grader and option order run under Node on the shared vectors, in the ordinary test
run: no browser needed. The questions reach the JavaScript through the serializer the pages use
(coursekit.site.quizzes.question_data), so a drift in either grader or in the serializer fails."""

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from coursekit.content.models import Question
from coursekit.markup import inline
from coursekit.quiz.grading import grade_question
from coursekit.quiz.order import quiz_order
from coursekit.site.quizzes import question_data

TESTS = Path(__file__).parent.parent
ASSETS = TESTS.parent / "src" / "coursekit" / "site" / "assets"
GRADING = json.loads((TESTS / "grading_vectors.json").read_text(encoding="utf-8"))
ORDER = json.loads((TESTS / "order_vectors.json").read_text(encoding="utf-8"))
QUESTIONS = {k: TypeAdapter(Question).validate_python(v) for k, v in GRADING["questions"].items()}
FEEDBACK_FIELDS = ("correct_feedback", "wrong_feedback", "feedback_true", "feedback_false")


def run_js(payload: dict) -> dict:
    node = shutil.which("node")
    assert node, "Node.js 20+ is a prerequisite (README): the page's grader is checked under it"
    r = subprocess.run(
        [node, str(Path(__file__).with_name("js_runner.mjs")), str(ASSETS)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def rendered(q: Question) -> dict[str, str]:
    """Feedback as the page holds it (pre-rendered by the serializer), keyed by the authored text."""
    raw = [getattr(q, f) for f in FEEDBACK_FIELDS if isinstance(getattr(q, f, None), str)]
    raw += [o.feedback for o in getattr(q, "options", [])] + [m.feedback for m in getattr(q, "mistakes", [])]
    return {text: inline(text) for text in raw}


def test_grading_vectors_under_node():
    questions = {k: question_data(q) for k, q in QUESTIONS.items()}
    got = run_js({"grading": {"questions": questions, "cases": GRADING["cases"]}})["grading"]
    assert len(got) == len(GRADING["cases"]) >= 60
    mismatches = []
    for case, r in zip(GRADING["cases"], got):
        html = rendered(QUESTIONS[case["question"]])
        expected = (
            Fraction(case["score"]),
            case["correct"],
            case["answered"],
            [html.get(f, f) for f in case["feedback"]],
            case["misconceptions"],
        )
        actual = (Fraction(*r["score"]), r["correct"], r["answered"], r["feedback"], r["misconceptions"])
        if actual != expected:
            mismatches.append((case["question"], case["response"], expected, actual))
    assert mismatches == []


def test_the_serializer_is_in_the_loop(monkeypatch):
    """A serializer that drops a grading field makes the JavaScript disagree: the check can fail."""
    import coursekit.site.quizzes as quizzes

    def lossy(q):
        data = question_data(q)
        data.pop("tolerance", None)
        return data

    monkeypatch.setattr(quizzes, "question_data", lossy)
    questions = {k: quizzes.question_data(q) for k, q in QUESTIONS.items()}
    got = run_js({"grading": {"questions": questions, "cases": GRADING["cases"]}})["grading"]
    scores = [Fraction(*r["score"]) for r in got]
    assert scores != [Fraction(c["score"]) for c in GRADING["cases"]]


def test_python_and_vectors_agree_on_bounds():
    """The bound cases are in the shared vectors, so the Python side is held to them too."""
    bounded = [
        c for c in GRADING["cases"] if "too long" in " ".join(c["feedback"]) or "too large" in " ".join(c["feedback"])
    ]
    assert len(bounded) >= 5
    for c in bounded:
        assert grade_question(QUESTIONS[c["question"]], c["response"]).feedback == c["feedback"]


def test_order_vectors_under_node():
    got = run_js({"order": ORDER})
    assert got["fnv1a32"] == [h for _, h in ORDER["fnv1a32"]]
    assert got["mulberry32"] == [values for _, values in ORDER["mulberry32"]]
    assert got["arrange"] == [c["expected"] for c in ORDER["arrange"]]


@pytest.mark.parametrize("course", ["minimal", pytest.param("the course", marks=pytest.mark.content)])
def test_course_quizzes_arrange_alike_in_both(course, repo):
    """Every quiz of a course, serialised as the practice page ships it: the page orders its lists
    as Python does, for several learners."""
    from coursekit.content.catalog import Layout, load_catalog

    root = repo if course == "the course" else TESTS / "fixtures" / "sites" / course
    catalog = load_catalog(Layout(root))
    learners = ["1", "734591", "999999999", "alice"]
    payload = [
        {"id": qid, "questions": [question_data(q) for q in entry.model.questions], "learners": learners}
        for qid, entry in catalog.quizzes.items()
    ]
    got = run_js({"quizzes": payload})["quizzes"]
    for (qid, entry), orders in zip(catalog.quizzes.items(), got):
        assert orders == [quiz_order(qid, entry.model, learner) for learner in learners], qid
