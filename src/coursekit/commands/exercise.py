"""`coursekit exercise ...`: a learner's or a team's exercises, worked in the workspace.
What each command does is coursekit.exercise.local's and workspace's (which file is the
learner's, made or moved there first); here it is asked for and printed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.table import Table

from coursekit.commands.common import JsonOpt, RootOpt, catalog, err, fail, find_exercise, out
from coursekit.content.catalog import Catalog, LoadedExercise
from coursekit.exercise import local, runner, workspace
from coursekit.exercise.local import rel
from coursekit.exercise.progress import ProgressError
from coursekit.ids import LEARNER, LEARNER_RULE

exercise_app = typer.Typer(no_args_is_help=True, help="Work on the exercises: list, check, hints, hand in.")

ExerciseArg = Annotated[str, typer.Argument(metavar="ID", help="The exercise id (see 'coursekit exercise list').")]
OptionalExerciseArg = Annotated[str | None, typer.Argument(metavar="[ID]", help="The exercise id.")]
LearnerOpt = Annotated[
    str | None,
    typer.Option("--learner", help="Your learner id, as your instructor gave it.", envvar="COURSEKIT_LEARNER"),
]
TimeoutOpt = Annotated[float, typer.Option(help="Seconds before the tests are stopped.", min=1)]


@contextmanager
def progress_readable() -> Iterator[None]:
    """An unreadable progress file is the learner's to move aside: say so, exit 1."""
    try:
        yield
    except ProgressError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None


def one_or_all(exercise_id: str | None, all_: bool) -> None:
    if all_ == (exercise_id is not None):
        fail("give an exercise ID, or --all", 2)


def learner_file(cat: Catalog, ex: LoadedExercise, quiet: bool = False) -> Path:
    """The learner's file in the workspace, made from the starter on first use. Edits made to the
    course's starter in place (the old way) are offered to move there first, never dropped."""
    root = cat.layout.root
    if local.starter_edits_to_move(root, ex):
        starter = rel(ex.starter)
        if not (
            sys.stdin.isatty()
            and typer.confirm(
                f"{starter} holds your edits. Move them to your workspace ({rel(workspace.learner_path(root, ex))}) "
                "and restore the course's starter?",
                default=True,
            )
        ):
            err.print(
                f"{starter} holds edits of yours; the exercises now live in {workspace.FOLDER}/. Run "
                f"'coursekit exercise move-edits {ex.id}' to move them there (a backup is kept)."
            )
            raise typer.Exit(1)
        path, _ = workspace.adopt(root, ex)
        err.print(f"Moved your edits to {rel(path)}; {starter} is the course's again (backup in .coursekit/backups/).")
    path, made = workspace.ensure(root, ex)
    if made and not quiet:
        out.print(f"Your copy of the exercise: [bold]{rel(path)}[/] (made from the starter; edit it there).")
    return path


@exercise_app.command("list")
def exercise_list(root: RootOpt = None, as_json: JsonOpt = False) -> None:
    """List the exercises in course order, with your status."""
    with progress_readable():
        rows = local.listing(catalog(root))
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("module", "id", "title", "minutes", "status")
    table.columns[1].no_wrap = True  # an id is typed back: never cut it
    table.columns[1].min_width = max(len(r["id"]) for r in rows) if rows else 2
    for r in rows:
        table.add_row(str(r["module"]), r["id"], r["title"], str(r["minutes"]), r["status"])
    out.print(table)


def _check_all(cat: Catalog, timeout: float, as_json: bool) -> None:
    with progress_readable():
        rows = local.check_all(cat, timeout, lambda ex: learner_file(cat, ex, quiet=True))
    if as_json:
        out.print_json(data={"exercises": rows, "passed": sum(r["passed"] for r in rows), "total": len(rows)})
    else:
        table = Table("module", "id", "title", "result")
        table.columns[1].no_wrap = True
        for r in rows:
            result = "[green]done[/]" if r["passed"] else f"[red]not yet[/] ({r['summary']})"
            table.add_row(str(r["module"]), r["id"], r["title"], result)
        out.print(table)
    if not all(r["passed"] for r in rows):
        raise typer.Exit(1)


def _checking(ex: LoadedExercise, target: Path) -> None:
    out.print(f"Checking [bold]{ex.model.title}[/] against {rel(target)} …")


def _checked(result: runner.CheckResult) -> None:
    out.print(result.output.rstrip(), markup=False)


@exercise_app.command("check")
def exercise_check(
    exercise_id: OptionalExerciseArg = None,
    all_: Annotated[bool, typer.Option("--all", help="Check every exercise.")] = False,
    file: Annotated[Path | None, typer.Option("--file", help="Check this file instead of your workspace copy.")] = None,
    timeout: TimeoutOpt = runner.DEFAULT_TIMEOUT,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --all: a machine-readable status, e.g. for CI.")
    ] = False,
    root: RootOpt = None,
) -> None:
    """Run the exercise's tests against your file. Exit 0 only when every test passes."""
    if all_ == (exercise_id is not None) or (all_ and file is not None):
        fail("give an exercise ID, or --all (without --file)", 2)
    cat = catalog(root)
    if all_:
        _check_all(cat, timeout, as_json)
        return
    ex = find_exercise(cat, exercise_id)
    if file is not None and not file.is_file():
        fail(f"{file}: no such file")
    target = file or learner_file(cat, ex)
    _checking(ex, target)
    with progress_readable():
        result = local.check(cat.layout.root, ex, target, timeout)
    _checked(result)
    if result.passed:
        out.print("[green]All tests pass.[/]")
        return
    out.print(f"[red]Not yet.[/] Stuck? Run 'coursekit exercise hint {ex.id}' for a hint.")
    raise typer.Exit(1)


@exercise_app.command("hint")
def exercise_hint(exercise_id: ExerciseArg, root: RootOpt = None) -> None:
    """Show the next hint (one more each time, gentlest first)."""
    cat = catalog(root)
    with progress_readable():
        hint = local.next_hint(cat.layout.root, find_exercise(cat, exercise_id))
    if hint.again:
        out.print(f"[bold]That was the last hint ({hint.count} of {hint.count}); here it is again.[/]")
    else:
        last = " (the last one)" if hint.number == hint.count else ""
        out.print(f"[bold]Hint {hint.number} of {hint.count}{last}[/]")
    out.print(Markdown(hint.text))


@exercise_app.command("solution")
def exercise_solution(
    exercise_id: ExerciseArg,
    force: Annotated[bool, typer.Option("--force", help="Show it before you have passed.")] = False,
    root: RootOpt = None,
) -> None:
    """Show the model solution, once your own passes (or with --force)."""
    cat = catalog(root)
    ex = find_exercise(cat, exercise_id)
    with progress_readable():
        shown = force or local.solution_open(cat.layout.root, ex)
    if not shown:
        err.print(f"The solution opens once your code passes ('coursekit exercise check {ex.id}'), or with --force.")
        raise typer.Exit(1)
    out.print(Syntax(ex.solution.read_text(encoding="utf-8"), "python", line_numbers=True))


@exercise_app.command("reset")
def exercise_reset(
    exercise_id: ExerciseArg,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    root: RootOpt = None,
) -> None:
    """Start the exercise again from the starter; your current file is kept in .coursekit/backups/."""
    cat = catalog(root)
    ex = find_exercise(cat, exercise_id)
    path = workspace.learner_path(cat.layout.root, ex)
    if local.as_started(cat.layout.root, ex):
        out.print(f"{rel(path)} is already as it started.")
        return
    if (
        path.exists()
        and not yes
        and not typer.confirm(f"Reset {rel(path)}? Your version is kept in .coursekit/backups/.")
    ):
        raise typer.Exit(1)
    kept = workspace.reset(cat.layout.root, ex)
    out.print(f"Reset {rel(path)}" + (f"; your version is in {rel(kept)}" if kept else ""))


@exercise_app.command("move-edits")
def exercise_move_edits(
    exercise_id: OptionalExerciseArg = None,
    all_: Annotated[bool, typer.Option("--all", help="Every exercise whose starter you edited.")] = False,
    root: RootOpt = None,
) -> None:
    """Move edits you made to a course starter (exercises/ID/starter.py) into your workspace."""
    one_or_all(exercise_id, all_)
    cat = catalog(root)
    chosen = local.ordered(cat) if all_ else [find_exercise(cat, exercise_id)]
    moved = 0
    for m in local.move_edits(cat.layout.root, chosen):
        starter = rel(m.exercise.starter)
        if m.path is None:
            if not all_:
                out.print(f"{starter} has no edits of yours: nothing to move.")
            continue
        moved += 1
        kept = f" (the copy that was there is in {rel(m.replaced)})" if m.replaced else ""
        out.print(f"Moved your edits of {starter} to {rel(m.path)}{kept}")
    if all_:
        out.print(f"{moved} exercise(s) moved.")


@exercise_app.command("watch")
def exercise_watch(
    exercise_id: ExerciseArg,
    file: Annotated[Path | None, typer.Option("--file", help="Watch this file instead of your workspace copy.")] = None,
    interval: Annotated[float, typer.Option(help="Seconds between looks at the file.", min=0.1)] = 0.5,
    timeout: TimeoutOpt = runner.DEFAULT_TIMEOUT,
    root: RootOpt = None,
) -> None:
    """Check again every time you save the file, until every test passes (Ctrl-C to stop)."""
    cat = catalog(root)
    ex = find_exercise(cat, exercise_id)
    target = file or learner_file(cat, ex)

    def before() -> None:
        out.rule(datetime.now().strftime("%H:%M:%S"))
        _checking(ex, target)

    def after(result: runner.CheckResult) -> None:
        _checked(result)
        if not result.passed:
            out.print(f"[dim]Waiting for you to save {rel(target)} … (Ctrl-C to stop)[/]")

    try:
        with progress_readable():
            local.watch(cat.layout.root, ex, target, interval=interval, timeout=timeout, before=before, after=after)
    except KeyboardInterrupt:
        out.print("Stopped watching.")
        return
    out.print(
        f"[green]All tests pass.[/] Next: 'coursekit exercise solution {ex.id}' to compare with the model solution."
    )


@exercise_app.command("submit")
def exercise_submit(
    exercise_id: OptionalExerciseArg = None,
    all_: Annotated[bool, typer.Option("--all", help="Hand in every exercise you have a file for.")] = False,
    learner: LearnerOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the hand-in files.")] = Path("handin"),
    replace: Annotated[bool, typer.Option("--replace", help="Replace your earlier hand-in (it is backed up).")] = False,
    root: RootOpt = None,
) -> None:
    """Hand in your file: writes OUT/<exercise>/<learner>.py, as `coursekit grade exercise` reads it."""
    one_or_all(exercise_id, all_)
    if not learner:
        fail("say who you are: --learner NAME (or set COURSEKIT_LEARNER)", 2)
    if not LEARNER.match(learner):
        fail(f"{learner!r} is not a learner id: {LEARNER_RULE}", 2)
    cat = catalog(root)
    chosen = local.ordered(cat) if all_ else [find_exercise(cat, exercise_id)]
    written = 0
    try:
        for h in local.hand_in(cat.layout.root, chosen, out_dir, learner, replace=replace, skip_missing=all_):
            written += 1
            kept = f" (the earlier one is in {rel(h.previous)})" if h.previous else ""
            out.print(f"Handed in {h.exercise.id}: {rel(h.target)}{kept}")
    except local.NothingToHandIn as exc:
        ex_id = exc.exercise.id
        fail(f"you have no file for {ex_id} yet ({rel(exc.source)}); start with 'coursekit exercise check {ex_id}'")
    except FileExistsError as exc:
        fail(f"{exc} exists; pass --replace to hand in again (the old one is kept)")
    if all_:
        out.print(f"{written} file(s) handed in under {rel(out_dir)}; give the folder to your instructor.")
