"""One attempt at a quiz in a shell, from the learner's seed to the graded result: asked on
the terminal (feedback after each question) or read from an answers file. Writing the
answers as a submission to hand in is coursekit.grading.quiz_handin's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from coursekit.content.models import Quiz
from coursekit.quiz import terminal, variants
from coursekit.quiz.grading import QuizResult, grade_quiz
from coursekit.quiz.order import quiz_order


@dataclass(frozen=True)
class Attempt:
    quiz_id: str
    quiz: Quiz  # the concrete quiz this learner was asked: variants drawn from the seed
    learner: str
    attempt: int
    seed: str
    started: datetime
    responses: dict[str, Any]
    result: QuizResult


def _from_file(console: Console, quiz_id: str, quiz: Quiz, answers: Path, show: bool) -> tuple[dict, QuizResult]:
    responses = terminal.read_answers(answers)
    unknown = terminal.unknown_ids(quiz, responses)
    if unknown:
        raise terminal.AnswersFileError(f"{answers}: unknown question id(s) {', '.join(unknown)} for quiz {quiz_id}")
    result = grade_quiz(quiz, responses)
    if show:
        console.print(f"[bold]{quiz.title}[/]")
        for n, (q, r) in enumerate(zip(quiz.questions, result.results, strict=True), start=1):
            console.rule(f"Question {n}: {q.id}")
            terminal.print_result(console, q, r)
    return responses, result


def take_quiz(
    console: Console,
    quiz_id: str,
    model: Quiz,
    *,
    learner: str,
    attempt: int = 1,
    seed: str | None = None,
    answers: Path | None = None,
    show: bool = True,
) -> Attempt:
    """Take the quiz: interactively on ``console`` when there is no ``answers`` file, else
    graded from the file (each question's feedback printed when ``show``). The seed, unless
    given, comes from the quiz, the learner and the attempt, and picks the variants and the
    options' order. Raises terminal.AnswersFileError for an unreadable answers file or one
    that answers a question the quiz does not have."""
    started = datetime.now(UTC)
    seed = seed or variants.seed_for(quiz_id, learner, attempt)
    quiz = variants.concrete_quiz(model, seed)
    if answers is None:
        console.print(f"[bold]{quiz.title}[/]  ({len(quiz.questions)} questions)")
        # The options in this learner's own order (from the variant seed: learner and attempt).
        responses, result = terminal.take_interactive(console, quiz, order=quiz_order(quiz_id, quiz, seed))
    else:
        responses, result = _from_file(console, quiz_id, quiz, answers, show)
    return Attempt(quiz_id, quiz, learner, attempt, seed, started, responses, result)
