"""`coursekit quiz list | take`: the quizzes, taken in a shell."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from coursekit.commands.common import JsonOpt, RootOpt, catalog, err, fail, find_quiz, out
from coursekit.content.stats import quiz_rows
from coursekit.grading.quiz_handin import HandinError, write_submission
from coursekit.quiz import terminal
from coursekit.quiz.take import take_quiz

quiz_app = typer.Typer(no_args_is_help=True, help="List and take quizzes.")


@quiz_app.command("list")
def quiz_list(root: RootOpt = None, as_json: JsonOpt = False) -> None:
    """List the quizzes."""
    rows = quiz_rows(catalog(root))
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("id", "title", "module", "questions")
    for r in rows:
        table.add_row(r["id"], r["title"], str(r["module"]), str(r["questions"]))
    out.print(table)


@quiz_app.command("take")
def quiz_take(
    quiz_id: Annotated[str, typer.Argument(metavar="ID", help="The quiz id (see 'coursekit quiz list').")],
    answers: Annotated[
        Path | None, typer.Option("--answers", help="Answer non-interactively from a YAML/JSON file.")
    ] = None,
    learner: Annotated[
        str | None,
        typer.Option(
            help="Who is taking it (default: local); with --attempt it picks the variant. Required with --submit.",
            envvar="COURSEKIT_LEARNER",
        ),
    ] = None,
    attempt: Annotated[int, typer.Option(help="Attempt number; a new attempt gives new variants.", min=1)] = 1,
    seed: Annotated[str | None, typer.Option(help="Variant seed (overrides --learner and --attempt).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (prompts go to stderr).")] = False,
    submit: Annotated[
        Path | None,
        typer.Option(
            "--submit", help="Also write your answers as a submission file to hand in (never overwrites a file)."
        ),
    ] = None,
    root: RootOpt = None,
) -> None:
    """Take a quiz: feedback after each question and a final score."""
    if submit is not None and submit.exists():  # said before the learner spends time on it
        fail(f"{submit} exists; choose another name")
    if submit is not None and learner is None:
        fail("--submit needs --learner (your id, as your instructor gave it): a submission must say whose it is", 2)
    model = find_quiz(catalog(root), quiz_id)
    # Prose (prompts, feedback) wraps at word boundaries; machine output (JSON, errors) does not.
    prose = Console(stderr=as_json, highlight=False)
    try:
        taken = take_quiz(
            prose,
            quiz_id,
            model,
            learner=learner or "local",
            attempt=attempt,
            seed=seed,
            answers=answers,
            show=not as_json,
        )
    except terminal.AnswersFileError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    if submit is not None:
        try:
            write_submission(submit, taken, model)
        except HandinError as exc:
            if exc.about_learner:
                fail(f"{exc} (check --learner)")
            err.print(str(exc), markup=False)
            raise typer.Exit(1) from None
        (err if as_json else prose).print(f"Submission written to {submit}; hand it in as your instructor asks.")
    if as_json:
        out.print_json(data=terminal.result_json(quiz_id, taken.result, taken.seed))
    else:
        terminal.print_summary(prose, taken.quiz, taken.result)
