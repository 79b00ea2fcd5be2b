"""`coursekit validate | build | stats | schema`: the course as a whole."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from coursekit.commands.common import JsonOpt, RootOpt, catalog, err, find_quizzes, layout, out
from coursekit.content.lint import lint_catalog
from coursekit.content.schema import write_schemas
from coursekit.content.stats import course_counts, course_stats
from coursekit.grading.submissions import submission_schema
from coursekit.site import builds

# One value per kind of build the site knows, spelt as builds.DEFAULT_DIRS spells it.
Audience = StrEnum("Audience", {name: name for name in builds.DEFAULT_DIRS})


def validate(
    root: RootOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat authoring warnings (lint) as errors.")] = False,
) -> None:
    """Check every page, quiz and exercise; print every problem as path:line:col. Authoring
    lint (answer patterns a learner can game, patterns the two graders read differently) is
    printed as warnings, or as errors with --strict."""
    cat = catalog(root)
    findings = lint_catalog(cat)
    for finding in findings:
        err.print(finding.format(strict=strict), markup=False)
    if strict and findings:
        err.print(f"[red]{len(findings)} problem(s) found.[/]")
        raise typer.Exit(1)
    n = course_counts(cat)
    out.print(
        f"[green]OK[/]: {n['modules']} module(s), {n['quizzes']} quiz(zes), {n['questions']} question(s), "
        f"{n['exercises']} exercise(s)" + (f", {len(findings)} warning(s)." if findings else ".")
    )


def build(
    audience: Annotated[Audience, typer.Option(help="Who the site is for.")] = Audience.learner,
    site_dir: Annotated[
        Path | None,
        typer.Option(
            "--site-dir", help="Where to write the site (default: site/, site-instructor/ or site-assessment/)."
        ),
    ] = None,
    quiz: Annotated[
        list[str] | None, typer.Option("--quiz", help="Assessment: a quiz to include (repeat; default: every quiz).")
    ] = None,
    root: RootOpt = None,
) -> None:
    """Build the site for learners, instructors, or an assessment with no answer key."""
    cat = catalog(root)
    quiz_ids = find_quizzes(cat, quiz) if quiz else []
    try:
        target = builds.build(cat, audience.value, quiz_ids, site_dir)
    except builds.BuildFailed as exc:
        err.print(f"[red]error:[/] the {audience} site was not built:")
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    out.print(f"Built the {audience} site in {target}")


STATS_COLUMNS = {  # heading: the key of course_stats' per_module row
    "module": "module",
    "obj.": "objectives",
    "quest.": "questions",
    "ex.": "exercises",
    "words": "words",
    "read": "minutes_reading",
    "quiz": "minutes_quiz",
    "ex. min": "minutes_exercises_computed",
    "total": "minutes_computed",
    "stated": "minutes",
}


def _print_stats(data: dict) -> None:
    table = Table(*STATS_COLUMNS, caption="read, quiz, ex. min, total: computed minutes; stated: the page's own")
    for m in data["per_module"]:
        table.add_row(*(str(m[key]) for key in STATS_COLUMNS.values()))
    out.print(table)
    hours, minutes = divmod(data["minutes_computed"], 60)
    out.print(
        f"{data['modules']} modules, {data['quizzes']} quizzes, {data['questions']} questions, "
        f"{data['exercises']} exercises, {data['objectives']} objectives, {hours} h {minutes:02d} min "
        f"computed ({data['minutes']} min stated by the pages)."
    )
    timing = data["timing"]
    per_type = ", ".join(f"{k} {v:g}" for k, v in timing["quiz_minutes_per_question"].items())
    out.print(
        f"Reading at {timing['reading_words_per_minute']} words a minute; quiz minutes per question: "
        f"{per_type}, reflection {timing['reflection_minutes']}; exercises as each one states."
    )
    for warning in data["warnings"]:
        out.print(f"[yellow]warning:[/] {warning}", markup=True)
    under = data["objectives_under_assessed"]
    out.print(
        f"[yellow]Objectives with fewer than two questions:[/] {', '.join(under)}"
        if under
        else "[green]Every objective is assessed by at least two questions.[/]"
    )


def stats(root: RootOpt = None, as_json: JsonOpt = False) -> None:
    """Count modules, quizzes, questions, exercises, objectives and minutes; list the
    objectives assessed by fewer than two quiz questions. Each module's minutes are computed
    (reading, exercises, quiz) and a warning names a page whose stated minutes differ by more
    than a quarter."""
    data = course_stats(catalog(root))
    if as_json:
        out.print_json(data=data)
    else:
        _print_stats(data)


def schema(
    root: RootOpt = None, out_dir: Annotated[Path | None, typer.Option("--out", help="Folder for the schemas.")] = None
) -> None:
    """Write JSON Schemas for quiz and exercise files (the YAML files point editors at them)
    and for submission files."""
    target = out_dir or layout(root).root / "schemas"
    for path, changed in write_schemas(target, {"submission.schema.json": submission_schema()}).items():
        out.print(f"{'wrote' if changed else 'unchanged'} {path}")
