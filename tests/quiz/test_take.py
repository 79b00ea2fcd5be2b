"""quiz.take and grading.quiz_handin, called directly: one attempt from the seed to the graded
result, and the submission it hands in (the commands' tests drive the same through a process)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from coursekit.content.catalog import Layout, load_catalog
from coursekit.grading import submissions
from coursekit.grading.quiz_handin import HandinError, submission_text, write_submission
from coursekit.quiz import variants
from coursekit.quiz.take import take_quiz
from coursekit.quiz.terminal import AnswersFileError

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "minimal"


@pytest.fixture(scope="module")
def basics():
    return load_catalog(Layout(MINIMAL)).quizzes["basics"].model


def console() -> Console:
    return Console(file=io.StringIO(), width=100, color_system=None)


def answers(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_answers_file_is_graded_with_the_seed_of_learner_and_attempt(basics, tmp_path):
    out = console()
    taken = take_quiz(out, "basics", basics, learner="Ana", attempt=2, answers=answers(tmp_path, "two-plus-two: a\n"))
    assert taken.seed == variants.seed_for("basics", "ana", 2) == "basics:ana:2"  # one learner whatever the case
    assert (taken.learner, taken.attempt, taken.responses) == ("Ana", 2, {"two-plus-two": "a"})
    first = taken.result.results[0]
    assert first.score == first.max_score == 1  # the right option
    assert taken.result.score < taken.result.max_score  # the other questions were left out
    assert "Basics" in out.file.getvalue() and "Question 1: two-plus-two" in out.file.getvalue()
    quiet = take_quiz(console(), "basics", basics, learner="ana", answers=answers(tmp_path, "{}"), show=False)
    assert quiet.seed == "basics:ana:1" and quiet.result.score == 0


def test_an_answers_file_naming_a_question_the_quiz_lacks_is_refused(basics, tmp_path):
    with pytest.raises(AnswersFileError, match="unknown question id.*nope.*basics"):
        take_quiz(console(), "basics", basics, learner="ana", answers=answers(tmp_path, "nope: a\n"))
    with pytest.raises(AnswersFileError, match=r"answers.yml:1:1: expected a mapping"):
        take_quiz(console(), "basics", basics, learner="ana", answers=answers(tmp_path, "- a\n"))


def test_the_submission_handed_in_is_one_the_grader_accepts(basics, tmp_path):
    taken = take_quiz(console(), "basics", basics, learner="ana", answers=answers(tmp_path, "two-plus-two: b\n"))
    path = tmp_path / "out" / "ana.json"
    write_submission(path, taken, basics)
    read = submissions.read_submission(path)
    assert isinstance(read, submissions.Accepted), read
    sub = json.loads(path.read_text(encoding="utf-8"))
    assert (sub["learner"], sub["quiz"], sub["seed"], sub["responses"]) == (
        "ana",
        "basics",
        "basics:ana:1",
        {"two-plus-two": "b"},
    )
    assert not submissions.SCORE_KEYS & set(sub)  # a submission carries answers, never a score


def test_a_submission_the_grader_would_refuse_is_not_written(basics, tmp_path):
    bad_id = take_quiz(console(), "basics", basics, learner="../eve", answers=answers(tmp_path, "{}"))
    with pytest.raises(HandinError) as info:
        write_submission(tmp_path / "eve.json", bad_id, basics)
    assert info.value.about_learner and not (tmp_path / "eve.json").exists()
    # A response of the wrong shape for its question is caught before writing, as grading would.
    wrong = take_quiz(console(), "basics", basics, learner="ana", answers=answers(tmp_path, "pick-evens: a\n"))
    with pytest.raises(HandinError, match="pick-evens") as info:
        submission_text(wrong, basics, tmp_path / "ana.json")
    assert not info.value.about_learner
