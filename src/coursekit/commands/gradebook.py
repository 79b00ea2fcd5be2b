"""`coursekit gradebook`: an instructor's corrections to a gradebook, each with a reason,
each written to the gradebook's audit table; and merging gradebooks graded apart."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from coursekit.commands.common import JsonOpt, err, existing_gradebook, fail, out
from coursekit.grading import gradebook
from coursekit.grading import merge as merging

gradebook_app = typer.Typer(
    no_args_is_help=True,
    help="Remove or override a learner's grade with a recorded reason; merge gradebooks (instructors).",
)

BookOpt = Annotated[Path, typer.Option("--gradebook", help="The SQLite gradebook that grade commands wrote.")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why: kept in the gradebook's audit table.")]
QuizArg = Annotated[str, typer.Argument(metavar="QUIZ", help="The quiz id.")]
LearnerArg = Annotated[str, typer.Argument(metavar="LEARNER", help="The learner id (case does not matter).")]


def _open(book: Path):
    return gradebook.open_gradebook(existing_gradebook(book))


def _score(text: str) -> Fraction:
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        fail(f"--score {text!r} is not a number (write 7, 7.5 or 15/2)", 2)
    return value


@gradebook_app.command("remove")
def remove(quiz: QuizArg, learner: LearnerArg, book: BookOpt, reason: ReasonOpt) -> None:
    """Remove a learner's row for a quiz. The file it was graded from is never graded again;
    a new submission from the learner is."""
    try:
        with _open(book) as conn:
            shown = gradebook.remove_row(conn, quiz, learner, reason)
    except gradebook.GradebookError as exc:
        fail(str(exc))
    out.print(f"Removed {shown}'s row for {quiz}: {reason.strip()}", markup=False)


@gradebook_app.command("override")
def override(
    quiz: QuizArg,
    learner: LearnerArg,
    book: BookOpt,
    reason: ReasonOpt,
    score: Annotated[
        str | None,
        typer.Option("--score", help="The score that counts, from 0 to the quiz's maximum (7, 7.5 or 15/2)."),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the override: the key's score counts again.")] = False,
) -> None:
    """Set the score that counts for a learner's row; it survives every later grading run and
    shows as an override in the CSV and JSON."""
    if (score is None) == (not clear):
        fail("give either --score N or --clear", 2)
    value = None if clear else _score(score)
    try:
        with _open(book) as conn:
            shown = gradebook.override_row(conn, quiz, learner, value, reason)
    except gradebook.GradebookError as exc:
        fail(str(exc))
    what = "cleared the override" if clear else f"score overridden to {value}"
    out.print(f"{shown}, {quiz}: {what} ({reason.strip()})", markup=False)


@gradebook_app.command("audit")
def audit(
    book: BookOpt,
    quiz: Annotated[str | None, typer.Option("--quiz", help="Only this quiz.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the removals, overrides and regrades recorded in the gradebook, oldest first."""
    try:
        with _open(book) as conn:
            rows = gradebook.audit_rows(conn, quiz)
    except gradebook.GradebookError as exc:
        fail(str(exc))
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("at", "who", "action", "quiz", "learner", "reason")
    for r in rows:
        table.add_row(r["at"], r["actor"], r["action"], r["quiz"], r["learner"] or "—", r["reason"])
    out.print(table)


@gradebook_app.command("merge")
def merge(
    out_path: Annotated[
        Path,
        typer.Argument(
            metavar="OUT", help="The merged gradebook: a new file, or one of the inputs to merge the others into it."
        ),
    ],
    inputs: Annotated[list[Path], typer.Argument(metavar="IN...", help="The gradebooks to combine (shards).")],
    as_json: JsonOpt = False,
) -> None:
    """Combine gradebooks as a re-run would: the newest submission of each learner wins, the
    same row found twice is kept once, conflicts are listed; removals, overrides, the audit
    and key fingerprints are carried. OUT is written whole or not at all (built beside it,
    then renamed), and is refused if it exists without being one of the inputs."""
    try:
        result = merging.merge(out_path, inputs)
    except gradebook.GradebookError as exc:
        fail(str(exc))
    if as_json:
        out.print_json(data=result.as_json())
        return
    for line in result.conflicts:
        err.print(f"conflict: {line}", markup=False)
    what = "merged into" if result.changed else "merged: nothing changed in"
    out.print(
        f"{len(result.inputs)} gradebook(s) {what} {out_path}, which holds {result.quiz_rows} quiz row(s), "
        f"{result.exercise_rows} exercise row(s), {result.removed} removal(s), {result.audit} audit "
        f"entr{'y' if result.audit == 1 else 'ies'}; {result.identical} row(s) found identical in several, "
        f"{len(result.conflicts)} conflict(s)",
        markup=False,
    )
