"""`coursekit exercise ...`: a learner's or a team's exercises, worked in the workspace."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.table import Table

from coursekit.commands.common import JsonOpt, RootOpt, catalog, err, out
from coursekit.content.catalog import Catalog, LoadedExercise
from coursekit.exercise import handin, progress, runner, workspace

exercise_app = typer.Typer(no_args_is_help=True, help="Work on the exercises: list, check, hints, hand in.")

ExerciseArg = Annotated[str, typer.Argument(metavar="ID", help="The exercise id (see 'coursekit exercise list').")]
LearnerOpt = Annotated[
    str | None,
    typer.Option("--learner", help="Your learner id, as your instructor gave it.", envvar="COURSEKIT_LEARNER"),
]


def ordered(cat: Catalog) -> list[LoadedExercise]:
    """Exercises in course order: by module, then as the catalog lists them."""
    return sorted(cat.exercises.values(), key=lambda e: e.model.module)


def _progress(cat: Catalog) -> dict:
    try:
        return progress.load(cat.layout.root)
    except ValueError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None


def find_exercise(cat: Catalog, exercise_id: str) -> LoadedExercise:
    if exercise_id not in cat.exercises:
        err.print(f"[red]error:[/] unknown exercise {exercise_id!r} (known: {', '.join(sorted(cat.exercises))})")
        raise typer.Exit(1)
    return cat.exercises[exercise_id]


def _rel(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def learner_file(cat: Catalog, ex: LoadedExercise, quiet: bool = False) -> Path:
    """The learner's file in the workspace, made from the starter on first use. Edits made to the
    course's starter in place (the old way) are offered to move there first, never dropped."""
    root = cat.layout.root
    if not workspace.learner_path(root, ex).exists() and workspace.edited_starter(root, ex):
        rel = _rel(ex.starter)
        if not (
            sys.stdin.isatty()
            and typer.confirm(
                f"{rel} holds your edits. Move them to your workspace ({_rel(workspace.learner_path(root, ex))}) "
                "and restore the course's starter?",
                default=True,
            )
        ):
            err.print(
                f"{rel} holds edits of yours; the exercises now live in {workspace.FOLDER}/. Run "
                f"'coursekit exercise move-edits {ex.id}' to move them there (a backup is kept)."
            )
            raise typer.Exit(1)
        path, _ = workspace.adopt(root, ex)
        err.print(f"Moved your edits to {_rel(path)}; {rel} is the course's again (backup in .coursekit/backups/).")
    path, made = workspace.ensure(root, ex)
    if made and not quiet:
        out.print(f"Your copy of the exercise: [bold]{_rel(path)}[/] (made from the starter; edit it there).")
    return path


@exercise_app.command("list")
def exercise_list(root: RootOpt = None, as_json: JsonOpt = False) -> None:
    """List the exercises in course order, with your status."""
    cat = catalog(root)
    state = _progress(cat)
    rows = [
        {
            "id": e.id,
            "title": e.model.title,
            "module": e.model.module,
            "difficulty": e.model.difficulty.value,
            "minutes": e.model.minutes,
            "status": progress.status(state, e.id),
            "file": _rel(workspace.learner_path(cat.layout.root, e)),
        }
        for e in ordered(cat)
    ]
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("module", "id", "title", "minutes", "status")
    table.columns[1].no_wrap = True  # an id is typed back: never cut it
    table.columns[1].min_width = max(len(r["id"]) for r in rows) if rows else 2
    for r in rows:
        table.add_row(str(r["module"]), r["id"], r["title"], str(r["minutes"]), r["status"])
    out.print(table)


def _check_one(cat: Catalog, ex: LoadedExercise, file: Path | None, timeout: float, quiet: bool = False):
    target = file or learner_file(cat, ex, quiet)
    if not quiet:
        out.print(f"Checking [bold]{ex.model.title}[/] against {_rel(target)} …")
    result = runner.check(ex, target, timeout)
    if not quiet:
        out.print(result.output.rstrip(), markup=False)
    progress.record_check(cat.layout.root, ex.id, result.passed)
    return result


@exercise_app.command("check")
def exercise_check(
    exercise_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="The exercise id.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Check every exercise.")] = False,
    file: Annotated[Path | None, typer.Option("--file", help="Check this file instead of your workspace copy.")] = None,
    timeout: Annotated[
        float, typer.Option(help="Seconds before the tests are stopped.", min=1)
    ] = runner.DEFAULT_TIMEOUT,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --all: a machine-readable status, e.g. for CI.")
    ] = False,
    root: RootOpt = None,
) -> None:
    """Run the exercise's tests against your file. Exit 0 only when every test passes."""
    if all_ == (exercise_id is not None) or (all_ and file is not None):
        err.print("[red]error:[/] give an exercise ID, or --all (without --file)")
        raise typer.Exit(2)
    cat = catalog(root)
    if all_:
        rows = []
        for ex in ordered(cat):
            r = _check_one(cat, ex, None, timeout, quiet=True)
            rows.append(
                {
                    "id": ex.id,
                    "title": ex.model.title,
                    "module": ex.model.module,
                    "status": progress.status(_progress(cat), ex.id),
                    "passed": r.passed,
                    "timed_out": r.timed_out,
                    "summary": r.summary,
                    "file": _rel(workspace.learner_path(cat.layout.root, ex)),
                }
            )
        if as_json:
            out.print_json(data={"exercises": rows, "passed": sum(r["passed"] for r in rows), "total": len(rows)})
        else:
            table = Table("module", "id", "title", "result")
            table.columns[1].no_wrap = True
            for r in rows:
                table.add_row(
                    str(r["module"]),
                    r["id"],
                    r["title"],
                    "[green]done[/]" if r["passed"] else f"[red]not yet[/] ({r['summary']})",
                )
            out.print(table)
        if not all(r["passed"] for r in rows):
            raise typer.Exit(1)
        return
    ex = find_exercise(cat, exercise_id)
    if file is not None and not file.is_file():
        err.print(f"[red]error:[/] {file}: no such file")
        raise typer.Exit(1)
    if _check_one(cat, ex, file, timeout).passed:
        out.print("[green]All tests pass.[/]")
        return
    out.print(f"[red]Not yet.[/] Stuck? Run 'coursekit exercise hint {ex.id}' for a hint.")
    raise typer.Exit(1)


@exercise_app.command("hint")
def exercise_hint(exercise_id: ExerciseArg, root: RootOpt = None) -> None:
    """Show the next hint (one more each time, gentlest first)."""
    cat = catalog(root)
    ex = find_exercise(cat, exercise_id)
    count = len(ex.model.hints)
    before = _progress(cat).get(ex.id, {}).get("hints", 0)
    n = progress.next_hint(cat.layout.root, ex.id, count)
    if before >= count:
        out.print(f"[bold]That was the last hint ({count} of {count}); here it is again.[/]")
    else:
        out.print(f"[bold]Hint {n} of {count}{' (the last one)' if n == count else ''}[/]")
    out.print(Markdown(ex.model.hints[n - 1]))


@exercise_app.command("solution")
def exercise_solution(
    exercise_id: ExerciseArg,
    force: Annotated[bool, typer.Option("--force", help="Show it before you have passed.")] = False,
    root: RootOpt = None,
) -> None:
    """Show the model solution, once your own passes (or with --force)."""
    cat = catalog(root)
    ex = find_exercise(cat, exercise_id)
    if not force and not _progress(cat).get(ex.id, {}).get("passed"):
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
    if path.exists() and path.read_bytes() == ex.starter.read_bytes():
        out.print(f"{_rel(path)} is already as it started.")
        return
    if (
        path.exists()
        and not yes
        and not typer.confirm(f"Reset {_rel(path)}? Your version is kept in .coursekit/backups/.")
    ):
        raise typer.Exit(1)
    kept = workspace.reset(cat.layout.root, ex)
    out.print(f"Reset {_rel(path)}" + (f"; your version is in {_rel(kept)}" if kept else ""))


@exercise_app.command("move-edits")
def exercise_move_edits(
    exercise_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="The exercise id.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every exercise whose starter you edited.")] = False,
    root: RootOpt = None,
) -> None:
    """Move edits you made to a course starter (exercises/ID/starter.py) into your workspace."""
    if all_ == (exercise_id is not None):
        err.print("[red]error:[/] give an exercise ID, or --all")
        raise typer.Exit(2)
    cat = catalog(root)
    chosen = ordered(cat) if all_ else [find_exercise(cat, exercise_id)]
    moved = 0
    for ex in chosen:
        if not workspace.edited_starter(cat.layout.root, ex):
            if not all_:
                out.print(f"{_rel(ex.starter)} has no edits of yours: nothing to move.")
            continue
        path, replaced = workspace.adopt(cat.layout.root, ex)
        moved += 1
        out.print(
            f"Moved your edits of {_rel(ex.starter)} to {_rel(path)}"
            + (f" (the copy that was there is in {_rel(replaced)})" if replaced else "")
        )
    if all_:
        out.print(f"{moved} exercise(s) moved.")


@exercise_app.command("watch")
def exercise_watch(
    exercise_id: ExerciseArg,
    file: Annotated[Path | None, typer.Option("--file", help="Watch this file instead of your workspace copy.")] = None,
    interval: Annotated[float, typer.Option(help="Seconds between looks at the file.", min=0.1)] = 0.5,
    timeout: Annotated[
        float, typer.Option(help="Seconds before the tests are stopped.", min=1)
    ] = runner.DEFAULT_TIMEOUT,
    root: RootOpt = None,
) -> None:
    """Check again every time you save the file, until every test passes (Ctrl-C to stop)."""
    cat = catalog(root)
    ex = find_exercise(cat, exercise_id)
    target = file or learner_file(cat, ex)
    try:
        for _ in runner.changes(target, interval):
            out.rule(datetime.now().strftime("%H:%M:%S"))
            if _check_one(cat, ex, target, timeout).passed:
                out.print(
                    f"[green]All tests pass.[/] Next: 'coursekit exercise solution {ex.id}' "
                    "to compare with the model solution."
                )
                return
            out.print(f"[dim]Waiting for you to save {_rel(target)} … (Ctrl-C to stop)[/]")
    except KeyboardInterrupt:
        out.print("Stopped watching.")


@exercise_app.command("submit")
def exercise_submit(
    exercise_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="The exercise id.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Hand in every exercise you have a file for.")] = False,
    learner: LearnerOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the hand-in files.")] = Path("handin"),
    replace: Annotated[bool, typer.Option("--replace", help="Replace your earlier hand-in (it is backed up).")] = False,
    root: RootOpt = None,
) -> None:
    """Hand in your file: writes OUT/<exercise>/<learner>.py, as `coursekit grade exercise` reads it."""
    if all_ == (exercise_id is not None):
        err.print("[red]error:[/] give an exercise ID, or --all")
        raise typer.Exit(2)
    if not learner:
        err.print("[red]error:[/] say who you are: --learner NAME (or set COURSEKIT_LEARNER)")
        raise typer.Exit(2)
    if not handin.LEARNER.match(learner):
        err.print(
            f"[red]error:[/] {learner!r} is not a learner id: letters, digits and . _ @ + - only, "
            "starting with a letter or digit, at most 64 characters"
        )
        raise typer.Exit(2)
    cat = catalog(root)
    chosen = ordered(cat) if all_ else [find_exercise(cat, exercise_id)]
    written = 0
    for ex in chosen:
        source = workspace.learner_path(cat.layout.root, ex)
        if not source.is_file():
            if not all_:
                err.print(
                    f"[red]error:[/] you have no file for {ex.id} yet ({_rel(source)}); "
                    f"start with 'coursekit exercise check {ex.id}'"
                )
                raise typer.Exit(1)
            continue
        try:
            target, previous = handin.write(out_dir, ex.id, learner, source.read_bytes(), replace)
        except FileExistsError as exc:
            err.print(f"[red]error:[/] {exc} exists; pass --replace to hand in again (the old one is kept)")
            raise typer.Exit(1) from None
        written += 1
        out.print(
            f"Handed in {ex.id}: {_rel(target)}" + (f" (the earlier one is in {_rel(previous)})" if previous else "")
        )
    if all_:
        out.print(f"{written} file(s) handed in under {_rel(out_dir)}; give the folder to your instructor.")
