"""A quiz taken in a shell, written as a submission file to hand in (``quiz take --submit``).

What is handed in must pass the reader that grades it (coursekit.grading.submissions and
response_shapes): it is checked here, before it is written, not later at grading.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from coursekit.content.models import Quiz
from coursekit.files import write_atomic
from coursekit.grading import response_shapes, submissions
from coursekit.grading.submissions import Submission
from coursekit.quiz.take import Attempt


class HandinError(ValueError):
    """The submission cannot be written; ``about_learner``: the learner id is what is wrong."""

    def __init__(self, message: str, about_learner: bool = False):
        super().__init__(message)
        self.about_learner = about_learner


def submission_text(taken: Attempt, model: Quiz, path: Path, now: datetime | None = None) -> str:
    """The attempt as a coursekit-submission (JSON), checked against the quiz as grading checks it."""
    try:
        sub = Submission(
            format="coursekit-submission",
            version=1,
            learner=taken.learner,
            quiz=taken.quiz_id,
            attempt=taken.attempt,
            seed=taken.seed,
            started_at=taken.started,
            submitted_at=now or datetime.now(UTC),
            responses=taken.responses,
            client={"name": "coursekit-cli"},
        )
    except ValidationError as exc:
        raise HandinError(f"cannot write a submission: {exc.errors()[0]['msg']}", about_learner=True) from None
    text = sub.model_dump_json(indent=2, exclude_none=True) + "\n"
    read = submissions.parse_submission(text.encode(), path)
    problem = (
        read.reason
        if isinstance(read, submissions.Rejected)
        else response_shapes.check_against(taken.quiz_id, response_shapes.response_rules(model), read.submission)
    )
    if problem:
        raise HandinError(f"cannot write a submission: {problem}")
    return text


def write_submission(path: Path, taken: Attempt, model: Quiz) -> None:
    """Write the attempt's submission to ``path`` (HandinError when it would not be graded)."""
    write_atomic(path, submission_text(taken, model, path))
