"""`coursekit roster`: who has done what, by module, from a gradebook."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from coursekit.commands.common import JsonOpt, RootOpt, catalog, fail, out
from coursekit.files import write_atomic
from coursekit.grading import roster_html
from coursekit.grading.roster import build_roster
from coursekit.scores import fmt_percent


class SortBy(StrEnum):
    learner = "learner"
    progress = "progress"


def roster(
    gradebook: Annotated[Path, typer.Option("--gradebook", help="The SQLite gradebook that grade commands wrote.")],
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Also write the roster as CSV to this file.")] = None,
    html_out: Annotated[Path | None, typer.Option("--html", help="Also write an HTML page with a chart.")] = None,
    sort: Annotated[SortBy, typer.Option(help="Order of the learners.")] = SortBy.learner,
    as_json: JsonOpt = False,
    root: RootOpt = None,
) -> None:
    """Learners by module: quiz percentage, exercises passed, what is missing."""
    cat = catalog(root)
    try:
        r = build_roster(cat, gradebook, sort.value)
    except (FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    if csv_out:
        write_atomic(csv_out, r.csv())
    if html_out:
        roster_html.write_page(html_out, r, cat.layout.root, gradebook)
    if as_json:
        out.print_json(data=r.as_json())
        return
    table = Table("learner", "quizzes", "exercises", *[f"m{m}" for m in r.modules], "missing")
    table.columns[0].no_wrap = True
    for row in r.learners:
        table.add_row(
            row.learner,
            fmt_percent(row.quiz_percent),
            f"{row.exercises_passed}/{row.exercises_total}",
            *["[green]✔[/]" if m.complete else "[red]·[/]" for m in row.modules],
            ", ".join(row.missing) or "—",
        )
    out.print(table)
    if not r.learners:
        out.print("No learner in this gradebook yet.")
