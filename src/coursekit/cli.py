"""The ``coursekit`` command: parses arguments, calls the rooms, prints. No logic of its own.

Exit codes: 0 ok, 1 the user's input (content, answers, learner code) is wrong, 2 usage.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from coursekit.commands.common import JsonOpt, RootOpt, catalog, err, layout, out
from coursekit.commands.exercise import exercise_app
from coursekit.commands.grade import grade_app
from coursekit.commands.gradebook import gradebook_app
from coursekit.commands.roster import roster as roster_command
from coursekit.content.lint import lint_catalog
from coursekit.content.schema import write_schemas
from coursekit.content.stats import course_stats
from coursekit.files import write_atomic
from coursekit.grading import analysis, gradebook, report_html, report_terminal, response_shapes, submissions
from coursekit.grading.submissions import Submission, submission_schema
from coursekit.quiz import grading, terminal, variants
from coursekit.quiz.export import FORMATS as EXPORT_FORMATS
from coursekit.quiz.export import ExportError, export_quiz
from coursekit.quiz.order import quiz_order
from coursekit.site import builds

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Build, check and take an interactive course.")
quiz_app = typer.Typer(no_args_is_help=True, help="List and take quizzes.")
app.add_typer(quiz_app, name="quiz")
app.add_typer(exercise_app, name="exercise")
app.command("roster")(roster_command)
app.add_typer(grade_app, name="grade")
app.add_typer(gradebook_app, name="gradebook")

_layout, _catalog = layout, catalog  # the names the commands below use


@app.command()
def validate(
    root: RootOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat authoring warnings (lint) as errors.")] = False,
) -> None:
    """Check every page, quiz and exercise; print every problem as path:line:col. Authoring
    lint (answer patterns a learner can game, patterns the two graders read differently) is
    printed as warnings, or as errors with --strict."""
    cat = _catalog(root)
    findings = lint_catalog(cat)
    for finding in findings:
        err.print(finding.format(strict=strict), markup=False)
    if strict and findings:
        err.print(f"[red]{len(findings)} problem(s) found.[/]")
        raise typer.Exit(1)
    out.print(
        f"[green]OK[/]: {len(cat.modules)} module(s), {len(cat.quizzes)} quiz(zes), "
        f"{sum(len(q.model.questions) for q in cat.quizzes.values())} question(s), "
        f"{len(cat.exercises)} exercise(s)" + (f", {len(findings)} warning(s)." if findings else ".")
    )


@app.command()
def build(
    audience: Annotated[str, typer.Option(help="learner | instructor | assessment")] = "learner",
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
    if audience not in builds.DEFAULT_DIRS:
        err.print(f"[red]error:[/] --audience must be one of {', '.join(builds.DEFAULT_DIRS)}")
        raise typer.Exit(2)
    cat = _catalog(root)
    target = site_dir or cat.layout.root / builds.DEFAULT_DIRS[audience]
    if audience == "assessment":
        chosen = quiz or sorted(cat.quizzes)
        unknown = [q for q in chosen if q not in cat.quizzes]
        if unknown:
            err.print(f"[red]error:[/] unknown quiz {', '.join(unknown)} (known: {', '.join(sorted(cat.quizzes))})")
            raise typer.Exit(1)
    try:
        if audience == "assessment":
            builds.build_assessment(cat.layout.root, cat, chosen, target)
        else:
            builds.build_course(cat.layout.root, audience, target)
    except builds.BuildFailed as exc:
        err.print(f"[red]error:[/] the {audience} site was not built:")
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    out.print(f"Built the {audience} site in {target}")


@app.command()
def stats(root: RootOpt = None, as_json: JsonOpt = False) -> None:
    """Count modules, quizzes, questions, exercises, objectives and minutes; list the
    objectives assessed by fewer than two quiz questions. Each module's minutes are computed
    (reading, exercises, quiz) and a warning names a page whose stated minutes differ by more
    than a quarter."""
    data = course_stats(_catalog(root))
    if as_json:
        out.print_json(data=data)
        return
    table = Table(
        "module",
        "obj.",
        "quest.",
        "ex.",
        "words",
        "read",
        "quiz",
        "ex. min",
        "total",
        "stated",
        caption="read, quiz, ex. min, total: computed minutes; stated: the page's own",
    )
    for m in data["per_module"]:
        table.add_row(
            str(m["module"]),
            str(m["objectives"]),
            str(m["questions"]),
            str(m["exercises"]),
            str(m["words"]),
            str(m["minutes_reading"]),
            str(m["minutes_quiz"]),
            str(m["minutes_exercises_computed"]),
            str(m["minutes_computed"]),
            str(m["minutes"]),
        )
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


@app.command()
def schema(
    root: RootOpt = None, out_dir: Annotated[Path | None, typer.Option("--out", help="Folder for the schemas.")] = None
) -> None:
    """Write JSON Schemas for quiz and exercise files (the YAML files point editors at them)
    and for submission files."""
    target = out_dir or _layout(root).root / "schemas"
    for path, changed in write_schemas(target, {"submission.schema.json": submission_schema()}).items():
        out.print(f"{'wrote' if changed else 'unchanged'} {path}")


# --- quizzes ----------------------------------------------------------------------


@quiz_app.command("list")
def quiz_list(root: RootOpt = None, as_json: JsonOpt = False) -> None:
    """List the quizzes."""
    cat = _catalog(root)
    rows = [
        {
            "id": q.id,
            "title": q.model.title,
            "module": q.model.module,
            "questions": len(q.model.questions),
            "points": sum(x.points for x in q.model.questions),
        }
        for q in cat.quizzes.values()
    ]
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
    if submit is not None and submit.exists():
        err.print(f"[red]error:[/] {submit} exists; choose another name")
        raise typer.Exit(1)
    if submit is not None and learner is None:
        err.print(
            "[red]error:[/] --submit needs --learner (your id, as your instructor gave it): "
            "a submission must say whose it is"
        )
        raise typer.Exit(2)
    learner = learner or "local"
    started = datetime.now(UTC)
    cat = _catalog(root)
    if quiz_id not in cat.quizzes:
        err.print(f"[red]error:[/] unknown quiz {quiz_id!r} (known: {', '.join(sorted(cat.quizzes))})")
        raise typer.Exit(1)
    seed = seed or variants.seed_for(quiz_id, learner, attempt)
    quiz = variants.concrete_quiz(cat.quizzes[quiz_id].model, seed)
    # Prose (prompts, feedback) wraps at word boundaries; machine output (JSON, errors) does not.
    prose = Console(stderr=as_json, highlight=False)
    if answers is None:
        console = prose
        console.print(f"[bold]{quiz.title}[/]  ({len(quiz.questions)} questions)")
        # The options in this learner's own order (from the variant seed: learner and attempt).
        responses, result = terminal.take_interactive(console, quiz, order=quiz_order(quiz_id, quiz, seed))
    else:
        try:
            responses = terminal.read_answers(answers)
        except terminal.AnswersFileError as exc:
            err.print(str(exc), markup=False)
            raise typer.Exit(1) from None
        unknown = terminal.unknown_ids(quiz, responses)
        if unknown:
            err.print(f"{answers}: unknown question id(s) {', '.join(unknown)} for quiz {quiz_id}", markup=False)
            raise typer.Exit(1)
        result = grading.grade_quiz(quiz, responses)
        if not as_json:
            prose.print(f"[bold]{quiz.title}[/]")
            for n, (q, r) in enumerate(zip(quiz.questions, result.results), start=1):
                prose.rule(f"Question {n}: {q.id}")
                terminal.print_result(prose, q, r)
    if submit is not None:
        try:
            sub = Submission(
                format="coursekit-submission",
                version=1,
                learner=learner,
                quiz=quiz_id,
                attempt=attempt,
                seed=seed,
                started_at=started,
                submitted_at=datetime.now(UTC),
                responses=responses,
                client={"name": "coursekit-cli"},
            )
        except ValidationError as exc:
            err.print(f"[red]error:[/] cannot write a submission: {exc.errors()[0]['msg']} (check --learner)")
            raise typer.Exit(1) from None
        text = sub.model_dump_json(indent=2, exclude_none=True) + "\n"
        # What is handed in must pass the reader that grades it: check it here, not later.
        read = submissions.parse_submission(text.encode(), submit)
        problem = (
            read.reason
            if isinstance(read, submissions.Rejected)
            else response_shapes.check_against(
                quiz_id, response_shapes.response_rules(cat.quizzes[quiz_id].model), read.submission
            )
        )
        if problem:
            err.print(f"cannot write a submission: {problem}", markup=False)
            raise typer.Exit(1)
        write_atomic(submit, text)
        (err if as_json else prose).print(f"Submission written to {submit}; hand it in as your instructor asks.")
    if as_json:
        out.print_json(data=terminal.result_json(quiz_id, result, seed))
    else:
        terminal.print_summary(prose, quiz, result)


# --- exercises --------------------------------------------------------------------


# --- grading (instructors) ---------------------------------------------------------


def _write_export(path: Path, text: str, header: str) -> None:
    """Exports are rewritten only when they are ours (same header), never a stranger's file."""
    if path.exists():
        first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        if first != header:
            err.print(f"[red]error:[/] {path} exists and is not a coursekit export; choose another path")
            raise typer.Exit(1)
    write_atomic(path, text)


@app.command()
def report(
    quiz_id: Annotated[str, typer.Argument(metavar="QUIZ", help="The quiz id.")],
    book: Annotated[Path, typer.Option("--gradebook", help="The SQLite gradebook.")],
    html: Annotated[Path | None, typer.Option("--html", help="Also write an HTML report with a chart.")] = None,
    as_json: JsonOpt = False,
    root: RootOpt = None,
) -> None:
    """Item statistics: difficulty, discrimination, distractors with their misconceptions, reliability."""
    cat = _catalog(root)
    if quiz_id not in cat.quizzes:
        err.print(f"[red]error:[/] unknown quiz {quiz_id!r} (known: {', '.join(sorted(cat.quizzes))})")
        raise typer.Exit(1)
    if not book.is_file():
        err.print(f"[red]error:[/] {book}: no such gradebook")
        raise typer.Exit(1)
    try:
        with gradebook.open_gradebook(book) as conn:
            rows = [
                (learner, question, json.loads(response), score)
                for learner, question, response, score in conn.execute(
                    "SELECT learner, question, response, score FROM quiz_items WHERE quiz = ?", (quiz_id,)
                )
            ]
    except gradebook.GradebookError as exc:
        err.print(f"[red]error:[/] {exc}", markup=False)
        raise typer.Exit(1) from None
    if not rows:
        err.print(f"[red]error:[/] the gradebook holds no graded submissions for {quiz_id}")
        raise typer.Exit(1)
    result = analysis.analyse(cat.quizzes[quiz_id].model, analysis.submissions_from_items(rows), quiz_id=quiz_id)
    if as_json:
        out.print_json(data=result.as_json())
    else:
        report_terminal.render_terminal(result, Console(highlight=False))
    if html is not None:
        _write_export(html, report_html.render_html(result), "<!DOCTYPE html>")
        (err if as_json else out).print(f"Wrote {html}", markup=False)


@app.command()
def export(
    quiz_id: Annotated[str, typer.Argument(metavar="QUIZ", help="The quiz id.")],
    fmt: Annotated[str, typer.Option("--format", help="moodle | gift | qti | qti12")],
    out_path: Annotated[Path, typer.Option("--out", help="The file to write (a .zip for QTI).")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    root: RootOpt = None,
) -> None:
    """Export a quiz for an LMS: Moodle XML, GIFT, QTI 2.1, or QTI 1.2 for Canvas."""
    cat = _catalog(root)
    if quiz_id not in cat.quizzes:
        err.print(f"[red]error:[/] unknown quiz {quiz_id!r} (known: {', '.join(sorted(cat.quizzes))})")
        raise typer.Exit(1)
    try:
        files = export_quiz(quiz_id, cat.quizzes[quiz_id].model, fmt)
    except ExportError as exc:
        err.print(f"[red]error:[/] {exc}", markup=False)
        raise typer.Exit(2 if fmt not in EXPORT_FORMATS else 1) from None
    ((name, data),) = files.items()
    if out_path.exists() and not force:
        err.print(f"[red]error:[/] {out_path} exists; choose another path or pass --force")
        raise typer.Exit(1)
    write_atomic(out_path, data)
    for line in files.warnings:
        err.print(f"warning: {line}", markup=False)
    out.print(f"Wrote {out_path} ({fmt}, {len(data):,} bytes)")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
