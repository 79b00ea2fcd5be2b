"""`coursekit report`: the item statistics of one quiz, from the rows a gradebook holds,
and the HTML page that shows them."""

from __future__ import annotations

import json
from pathlib import Path

from coursekit.content.models import Quiz
from coursekit.files import write_export
from coursekit.grading import analysis, gradebook, report_html


def from_gradebook(book: Path, quiz_id: str, quiz: Quiz) -> analysis.ItemReport:
    """Analyse every graded item of ``quiz_id`` in the gradebook. Raises GradebookError for a
    gradebook that cannot be read or that holds no graded submission of the quiz."""
    with gradebook.open_gradebook(book) as conn:
        rows = [
            (learner, question, json.loads(response), score)
            for learner, question, response, score in conn.execute(
                "SELECT learner, question, response, score FROM quiz_items WHERE quiz = ?", (quiz_id,)
            )
        ]
    if not rows:
        raise gradebook.GradebookError(f"the gradebook holds no graded submissions for {quiz_id}")
    return analysis.analyse(quiz, analysis.submissions_from_items(rows), quiz_id=quiz_id)


def write_html(path: Path, report: analysis.ItemReport) -> None:
    """Write the report's page; a file at ``path`` is replaced only when it is an HTML page
    (coursekit.files.NotOurs otherwise)."""
    write_export(path, report_html.render_html(report), "<!DOCTYPE html>")
