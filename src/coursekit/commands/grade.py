"""`coursekit grade ...`: grade quiz and exercise submissions into a gradebook (instructors).

Without --json each prints a table of learners (score, status, reason) on stdout (past
TABLE_ROWS submissions, only the rows that need a look: a table of thousands is read by
nobody and takes rich seconds to draw) and, for a batch on a terminal, a progress bar on
stderr; problems are also listed on stderr, one a line, for logs and pipes. --shard K/N grades one stable share of the files (see
coursekit.grading.shards); `coursekit gradebook merge` combines the shares' gradebooks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from coursekit.commands.common import RootOpt, catalog, err, fail, find_exercise, find_quiz, out
from coursekit.files import NotOurs
from coursekit.grading import exercise_batch, gradebook, lms_csv, quiz_batch
from coursekit.grading.shards import Shard, ShardError, parse_shard
from coursekit.scores import fmt_score

grade_app = typer.Typer(no_args_is_help=True, help="Grade submissions into a gradebook (instructors).")

BookOpt = Annotated[Path, typer.Option("--gradebook", help="The SQLite gradebook (created if missing).")]
CsvOpt = Annotated[Path | None, typer.Option("--csv", help="Also write the grades as CSV (see --csv-format).")]
# The layouts lms_csv writes, spelt as it names them.
CsvFormat = StrEnum("CsvFormat", {name: name for name in lms_csv.FORMATS})
CsvFormatOpt = Annotated[
    CsvFormat,
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
PROGRESS_FROM = 20  # smaller batches finish before a bar is worth drawing


def _shard(text: str | None) -> Shard | None:
    if text is None:
        return None
    try:
        return parse_shard(text)
    except ShardError as exc:
        fail(str(exc), 2)


def _write_csv(write: Callable[[], None], path: Path) -> None:
    try:
        write()
    except NotOurs:
        fail(f"{path} exists and is not this kind of coursekit export; choose another path")


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


def _score(score: Fraction | None, max_score: int | None) -> str:
    if score is None:
        return "—"
    return f"{fmt_score(score)} / {max_score}" if max_score else fmt_score(score)


TABLE_ROWS = 500


def _needing_a_look(rows: list, routine) -> tuple[list, str]:
    """The rows a table shows: all of them up to TABLE_ROWS, else those that are not routine;
    and what the title says of the rest."""
    if len(rows) <= TABLE_ROWS:
        return rows, ""
    shown = [r for r in rows if not routine(r)]
    hidden = len(rows) - len(shown)
    return shown, f" ({hidden:,} of {len(rows):,} rows not shown: graded as usual; --json or --csv lists every one)"


def _print_table(table: Table) -> None:
    """The table; or its title alone when every row was left out as routine."""
    if table.row_count:
        out.print(table)
    else:
        out.print(table.title, markup=False)


def _quiz_table(title: str, outcomes: list[quiz_batch.Outcome]) -> Table:
    outcomes, more = _needing_a_look(
        outcomes, lambda o: o.status in ("graded", "unchanged") and o.override_score is None
    )
    table = Table("learner", "score", "status", "reason", title=title + more, title_justify="left")
    for o in outcomes:
        shown = o.override_score if o.override_score is not None else o.score
        reason = o.reason + (f" [override: {o.override_reason}]" if o.override_score is not None else "")
        table.add_row(
            o.learner or f"({o.path.name})",
            _score(shown, o.max_score),
            _cell(o.status),
            reason.replace("[", r"\["),
        )
    return table


def _quiz_summary(batch: quiz_batch.BatchResult, book: Path, picked: Shard | None, files: int) -> list[str]:
    lines = [
        f"{batch.count('graded')} graded, {batch.count('regraded')} regraded, "
        f"{batch.count('unchanged')} unchanged, {sum(not o.ok for o in batch.outcomes)} rejected, into {book}"
        + (f" (shard {picked}: {files} file(s))" if picked else "")
    ]
    if batch.key_changed:
        lines.append(
            f"{batch.key_changed} row{'s' if batch.key_changed > 1 else ''} regraded: the key changed "
            f"({batch.scores_changed} score{'' if batch.scores_changed == 1 else 's'} changed)"
        )
    if batch.count("removed"):
        lines.append(f"{batch.count('removed')} file(s) skipped: removed by an instructor")
    return lines


@grade_app.command("quiz")
def grade_quiz_cmd(
    quiz_id: Annotated[str, typer.Argument(metavar="QUIZ", help="The quiz id.")],
    files: Annotated[list[Path], typer.Argument(metavar="FILES...", help="Submission files, or folders of *.json.")],
    book: BookOpt,
    csv_out: CsvOpt = None,
    csv_format: CsvFormatOpt = CsvFormat.plain,
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
    picked = _shard(shard)
    quiz = find_quiz(catalog(root), quiz_id)
    paths = quiz_batch.batch_files(files, picked)
    try:
        with progress_bar(not as_json and len(paths) >= PROGRESS_FROM, "grading", len(paths)) as bar:
            batch = quiz_batch.grade_files(quiz_id, quiz, paths, book, bar[1] if bar else None, regrade=regrade)
    except gradebook.GradebookError as exc:
        fail(str(exc))
    if as_json:
        for o in batch.outcomes:
            out.print(json.dumps(o.as_json(), ensure_ascii=False), markup=False, soft_wrap=True)
    else:
        if batch.outcomes:
            _print_table(
                _quiz_table(f"{quiz_id}: {quiz.title}" + (f" (shard {picked})" if picked else ""), batch.outcomes)
            )
        for o in batch.outcomes:
            if not o.ok or o.status == "removed":
                err.print(f"{o.status}: {o.path}: {o.reason}", markup=False)
    if csv_out is not None:
        questions = [q.id for q in quiz.questions]
        _write_csv(
            lambda: lms_csv.write_quiz_csv(book, csv_out, csv_format, quiz_id, quiz.title, questions, lms_item), csv_out
        )
    for line in _quiz_summary(batch, book, picked, len(paths)):
        (err if as_json else out).print(line, markup=False)
    if batch.outdated:
        err.print(
            f"warning: {len(batch.outdated)} row(s) were graded with an older key and their submissions "
            f"are not in this batch: {', '.join(batch.outdated[:10])}; grade their files again",
            markup=False,
        )
    if any(not o.ok for o in batch.outcomes):
        raise typer.Exit(1)


def _exercise_table(title: str, outcomes: list[dict]) -> Table:
    outcomes, more = _needing_a_look(outcomes, lambda o: o["status"] in ("passed", "failed"))
    table = Table("learner", "score", "tests", "status", "reason", title=title + more, title_justify="left")
    for o in outcomes:
        run = {"unchanged": " (unchanged)", "reused": ""}.get(o["run"], "")
        table.add_row(
            o["learner"],
            "—" if o["score"] is None else o["score_exact"],
            "—" if o["score"] is None else f"{o['passed']}/{o['total']}",
            _cell(o["status"]) + run,
            (o["reason"] or "").replace("[", r"\["),
        )
    return table


@grade_app.command("exercise")
def grade_exercise_cmd(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id.")],
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="One <learner>.py per learner, or one folder per learner.")
    ],
    book: BookOpt,
    csv_out: CsvOpt = None,
    csv_format: CsvFormatOpt = CsvFormat.plain,
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
    picked = _shard(shard)
    ex = find_exercise(catalog(root), exercise_id)
    if not folder.is_dir():
        fail(f"{folder}: not a folder")
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
        fail(str(exc))
    if as_json:
        for o in outcomes:
            out.print(json.dumps(o, ensure_ascii=False), markup=False, soft_wrap=True)
    else:
        if outcomes:
            _print_table(
                _exercise_table(f"{ex.id}: {ex.model.title}" + (f" (shard {picked})" if picked else ""), outcomes)
            )
        for o in outcomes:
            if o["status"] == "rejected":
                err.print(f"rejected: {o['file']}: {o['reason']}", markup=False)
    if csv_out is not None:
        _write_csv(
            lambda: lms_csv.write_exercise_csv(book, csv_out, csv_format, ex.id, ex.model.title, lms_item), csv_out
        )
    n = exercise_batch.tally(outcomes)
    summary = (
        f"{n['graded']} graded ({n['passed']} passed; {n['run']} run, {n['reused']} identical to one run, "
        f"{n['unchanged']} unchanged), {n['rejected']} rejected, into {book}" + (f" (shard {picked})" if picked else "")
    )
    (err if as_json else out).print(summary, markup=False)
    if n["rejected"]:
        raise typer.Exit(1)
