"""`coursekit report`: a quiz's item statistics from a gradebook (instructors)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from coursekit.commands.common import JsonOpt, RootOpt, catalog, err, existing_gradebook, fail, find_quiz, out
from coursekit.files import NotOurs
from coursekit.grading import item_report, report_terminal
from coursekit.grading.gradebook import GradebookError


def report(
    quiz_id: Annotated[str, typer.Argument(metavar="QUIZ", help="The quiz id.")],
    book: Annotated[Path, typer.Option("--gradebook", help="The SQLite gradebook.")],
    html: Annotated[Path | None, typer.Option("--html", help="Also write an HTML report with a chart.")] = None,
    as_json: JsonOpt = False,
    root: RootOpt = None,
) -> None:
    """Item statistics: difficulty, discrimination, distractors with their misconceptions, reliability."""
    model = find_quiz(catalog(root), quiz_id)
    try:
        result = item_report.from_gradebook(existing_gradebook(book), quiz_id, model)
    except GradebookError as exc:
        fail(str(exc))
    if as_json:
        out.print_json(data=result.as_json())
    else:
        report_terminal.render_terminal(result, Console(highlight=False))
    if html is not None:
        try:
            item_report.write_html(html, result)
        except NotOurs:
            fail(f"{html} exists and is not a coursekit export; choose another path")
        (err if as_json else out).print(f"Wrote {html}", markup=False)
