"""`coursekit grade ...`: grade quiz and exercise submissions into a gradebook (instructors).

Without --json each prints a table of learners (score, status, reason) on stdout and, for a
batch on a terminal, a progress bar on stderr; problems are also listed on stderr, one a
line, for logs and pipes. --shard K/N grades one stable share of the files (see
coursekit.grading.shards); `coursekit gradebook merge` combines the shares' gradebooks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from coursekit.commands.common import RootOpt, catalog, err, out
from coursekit.commands.exercise import find_exercise
from coursekit.files import write_atomic
from coursekit.grading import exercise_batch, gradebook, lms_csv, quiz_batch, submissions
from coursekit.grading.shards import Shard, ShardError, parse_shard

grade_app = typer.Typer(no_args_is_help=True, help="Grade submissions into a gradebook (instructors).")

BookOpt = Annotated[Path, typer.Option("--gradebook", help="The SQLite gradebook (created if missing).")]
CsvOpt = Annotated[Path | None, typer.Option("--csv", help="Also write the grades as CSV (see --csv-format).")]
CsvFormatOpt = Annotated[
    str,
    typer.Option(
        "--csv-format",
        help="plain (every detail) | moodle (Moodle's grade import) | canvas (Canvas's Gradebook import).",
    ),
]
LmsItemOpt = Annotated[
    str | None,
    typer.Option(
        "--lms-item",
        help="Canvas: the assignment id to write in the "
        "column's parentheses (default: the quiz or exercise id, which "
        "Canvas takes as a new assignment).",
    ),
]
ShardOpt = Annotated[
    str | None,
    typer.Option(
        "--shard",
        help="K/N: grade only shard K of N (a stable share of the "
        "files, the same on every machine) into this gradebook; combine "
        "the shards' gradebooks with 'coursekit gradebook merge'.",
    ),
]
RegradeOpt = Annotated[bool, typer.Option("--regrade", help="Grade again even where nothing changed.")]
PROGRESS_FROM = 20  # smaller batches finish before a bar is worth drawing


def _shard(text: str | None) -> Shard | None:
    if text is None:
        return None
    try:
        return parse_shard(text)
    except ShardError as exc:
        err.print(f"[red]error:[/] {exc}", markup=True)
        raise typer.Exit(2) from None


def _csv_format(fmt: str) -> str:
    if fmt not in lms_csv.FORMATS:
        err.print(f"[red]error:[/] --csv-format must be one of {', '.join(lms_csv.FORMATS)} (got {fmt!r})")
        raise typer.Exit(2)
    return fmt


def write_export(path: Path, text: str) -> None:
    """An export is rewritten only when it is ours (the same header), never a stranger's file."""
    header = text.split("\n", 1)[0]
    if path.exists():
        first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        if first != header:
            err.print(f"[red]error:[/] {path} exists and is not this kind of coursekit export; choose another path")
            raise typer.Exit(1)
    write_atomic(path, text)


Counter = Callable[[int], None]


@contextmanager
def progress_bar(show: bool, what: str, total: int | None = None) -> Iterator[tuple[Counter, Counter] | None]:
    """(set the total, advance) for a bar on stderr, drawn only on a terminal: a pipe, a log
    or a test sees none of it."""
    if not (show and err.is_terminal):
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(what, total=total)
        yield (lambda n: bar.update(task, total=n)), (lambda n: bar.advance(task, n))


STYLES = {
    "graded": "green",
    "regraded": "cyan",
    "unchanged": "dim",
    "rejected": "red",
    "stale": "yellow",
    "removed": "yellow",
    "passed": "green",
    "failed": "red",
    "error": "red",
    "timeout": "red",
}


def _cell(status: str) -> str:
    style = STYLES.get(status)
    return f"[{style}]{status}[/]" if style else status


def _score(score: float | None, exact: str | None, max_score: int | None) -> str:
    if score is None:
        return "—"
    return f"{exact} / {max_score}" if max_score else str(exact)


@grade_app.command("quiz")
def grade_quiz_cmd(
    quiz_id: Annotated[str, typer.Argument(metavar="QUIZ", help="The quiz id.")],
    files: Annotated[list[Path], typer.Argument(metavar="FILES...", help="Submission files, or folders of *.json.")],
    book: BookOpt,
    csv_out: CsvOpt = None,
    csv_format: CsvFormatOpt = "plain",
    lms_item: LmsItemOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per submission on stdout.")] = False,
    regrade: Annotated[
        bool,
        typer.Option(
            "--regrade", help="Regrade every row in the batch, even where neither the submission nor the key changed."
        ),
    ] = False,
    shard: ShardOpt = None,
    root: RootOpt = None,
) -> None:
    """Regrade quiz submissions from the key into the gradebook. Claimed scores are ignored;
    a bad submission is reported and skipped; rows graded with an older key are regraded;
    exit 1 when any was rejected."""
    picked, fmt = _shard(shard), _csv_format(csv_format)
    cat = catalog(root)
    if quiz_id not in cat.quizzes:
        err.print(f"[red]error:[/] unknown quiz {quiz_id!r} (known: {', '.join(sorted(cat.quizzes))})")
        raise typer.Exit(1)
    quiz = cat.quizzes[quiz_id].model
    paths = quiz_batch.shard_files(submissions.expand(files), picked)
    try:
        with progress_bar(not as_json and len(paths) >= PROGRESS_FROM, "grading", len(paths)) as bar:
            batch = quiz_batch.grade_files(quiz_id, quiz, paths, book, bar[1] if bar else None, regrade=regrade)
    except gradebook.GradebookError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None
    outcomes = batch.outcomes
    if as_json:
        for o in outcomes:
            out.print(json.dumps(o.as_json(), ensure_ascii=False), markup=False, soft_wrap=True)
    else:
        table = Table(
            "learner",
            "score",
            "status",
            "reason",
            title=f"{quiz_id}: {quiz.title}" + (f" (shard {picked})" if picked else ""),
            title_justify="left",
        )
        for o in outcomes:
            shown = o.override_score if o.override_score is not None else o.score
            reason = o.reason + (f" [override: {o.override_reason}]" if o.override_score is not None else "")
            table.add_row(
                o.learner or f"({o.path.name})",
                _score(None if shown is None else float(shown), None if shown is None else str(shown), o.max_score),
                _cell(o.status),
                reason.replace("[", r"\["),
            )
        if outcomes:
            out.print(table)
        for o in outcomes:
            if not o.ok or o.status == "removed":
                err.print(f"{o.status}: {o.path}: {o.reason}", markup=False)
    if csv_out is not None:
        with gradebook.open_gradebook(book) as conn:
            text = lms_csv.quiz_csv(conn, fmt, quiz_id, quiz.title, [q.id for q in quiz.questions], lms_item)
        write_export(csv_out, text)
    bad = [o for o in outcomes if not o.ok]
    summary = (
        f"{batch.count('graded')} graded, {batch.count('regraded')} regraded, "
        f"{batch.count('unchanged')} unchanged, {len(bad)} rejected, into {book}"
        + (f" (shard {picked}: {len(paths)} file(s))" if picked else "")
    )
    say = err if as_json else out
    say.print(summary, markup=False)
    if batch.key_changed:
        say.print(
            f"{batch.key_changed} row{'s' if batch.key_changed > 1 else ''} regraded: the key changed "
            f"({batch.scores_changed} score{'' if batch.scores_changed == 1 else 's'} changed)",
            markup=False,
        )
    if batch.count("removed"):
        say.print(f"{batch.count('removed')} file(s) skipped: removed by an instructor", markup=False)
    if batch.outdated:
        err.print(
            f"warning: {len(batch.outdated)} row(s) were graded with an older key and their submissions "
            f"are not in this batch: {', '.join(batch.outdated[:10])}; grade their files again",
            markup=False,
        )
    if bad:
        raise typer.Exit(1)


@grade_app.command("exercise")
def grade_exercise_cmd(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id.")],
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="One <learner>.py per learner, or one folder per learner.")
    ],
    book: BookOpt,
    csv_out: CsvOpt = None,
    csv_format: CsvFormatOpt = "plain",
    lms_item: LmsItemOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per submission on stdout.")] = False,
    jobs: Annotated[int, typer.Option(help="Submissions graded at once (0: one per core).", min=0)] = 0,
    regrade: Annotated[
        bool,
        typer.Option(
            "--regrade",
            help="Run every submission again, even one whose bytes, "
            "tests and exercise are unchanged since it was graded.",
        ),
    ] = False,
    shard: ShardOpt = None,
    root: RootOpt = None,
) -> None:
    """Grade learners' code with the public and hidden tests, each in the sandbox, into the
    gradebook. A submission unchanged since it was graded (its bytes, the tests, the
    exercise) is not run again; identical submissions are run once. Exit 1 when any was
    rejected."""
    picked, fmt = _shard(shard), _csv_format(csv_format)
    cat = catalog(root)
    ex = find_exercise(cat, exercise_id)
    if not folder.is_dir():
        err.print(f"[red]error:[/] {folder}: not a folder")
        raise typer.Exit(1)
    try:
        with progress_bar(not as_json, "grading") as bar:
            outcomes = exercise_batch.grade_folder(
                ex,
                folder,
                book,
                jobs or os.cpu_count() or 1,
                warn=lambda m: err.print(m, markup=False),
                shard=picked,
                regrade=regrade,
                progress=bar[1] if bar else None,
                on_total=bar[0] if bar else None,
            )
    except gradebook.GradebookError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None
    if as_json:
        for o in outcomes:
            out.print(json.dumps(o, ensure_ascii=False), markup=False, soft_wrap=True)
    else:
        table = Table(
            "learner",
            "score",
            "tests",
            "status",
            "reason",
            title=f"{ex.id}: {ex.model.title}" + (f" (shard {picked})" if picked else ""),
            title_justify="left",
        )
        for o in outcomes:
            run = {"unchanged": " (unchanged)", "reused": ""}.get(o["run"], "")
            table.add_row(
                o["learner"],
                "—" if o["score"] is None else o["score_exact"],
                "—" if o["score"] is None else f"{o['passed']}/{o['total']}",
                _cell(o["status"]) + run,
                (o["reason"] or "").replace("[", r"\["),
            )
        if outcomes:
            out.print(table)
        for o in outcomes:
            if o["status"] == "rejected":
                err.print(f"rejected: {o['file']}: {o['reason']}", markup=False)
    if csv_out is not None:
        with gradebook.open_gradebook(book) as conn:
            text = lms_csv.exercise_csv(conn, fmt, ex.id, ex.model.title, lms_item)
        write_export(csv_out, text)
    done = [o for o in outcomes if o["status"] != "rejected"]
    ran = sum(o["run"] == "graded" for o in outcomes)
    summary = (
        f"{len(done)} graded ({sum(o['status'] == 'passed' for o in done)} passed; "
        f"{ran} run, {sum(o['run'] == 'reused' for o in outcomes)} identical to one run, "
        f"{sum(o['run'] == 'unchanged' for o in outcomes)} unchanged), "
        f"{len(outcomes) - len(done)} rejected, into {book}" + (f" (shard {picked})" if picked else "")
    )
    (err if as_json else out).print(summary, markup=False)
    if len(done) < len(outcomes):
        raise typer.Exit(1)
