"""What every command group shares: the consoles, the --root and --json options, the catalog,
and the checks several commands make (an unknown id, a missing gradebook), each said one way."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from coursekit.content.catalog import Catalog, Layout, LoadedExercise, find_root, load_catalog
from coursekit.content.models import Quiz

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

RootOpt = Annotated[
    Path | None,
    typer.Option("--root", help="The course folder (default: the nearest with mkdocs.yml).", envvar="COURSEKIT_ROOT"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: message`` on stderr (the message as literal text) and exit with ``code``."""
    err.print(f"[red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def layout(root: Path | None) -> Layout:
    try:
        return Layout(root.resolve() if root else find_root())
    except FileNotFoundError as exc:
        fail(str(exc), 2)


def catalog(root: Path | None) -> Catalog:
    cat = load_catalog(layout(root))
    if cat.errors:
        for e in cat.errors:
            err.print(str(e), markup=False)
        err.print(f"[red]{len(cat.errors)} problem(s) found.[/]")
        raise typer.Exit(1)
    return cat


def _unknown(what: str, known: Iterable[str]) -> NoReturn:
    fail(f"unknown {what} (known: {', '.join(sorted(known))})")


def find_quiz(cat: Catalog, quiz_id: str) -> Quiz:
    """The quiz's model, or exit 1 naming the quizzes there are."""
    if quiz_id not in cat.quizzes:
        _unknown(f"quiz {quiz_id!r}", cat.quizzes)
    return cat.quizzes[quiz_id].model


def find_quizzes(cat: Catalog, quiz_ids: list[str]) -> list[str]:
    """The ids, every one a quiz of the course, or exit 1 naming the unknown and the known."""
    unknown = [q for q in quiz_ids if q not in cat.quizzes]
    if unknown:
        _unknown(f"quiz {', '.join(unknown)}", cat.quizzes)
    return quiz_ids


def find_exercise(cat: Catalog, exercise_id: str) -> LoadedExercise:
    """The exercise, or exit 1 naming the exercises there are."""
    if exercise_id not in cat.exercises:
        _unknown(f"exercise {exercise_id!r}", cat.exercises)
    return cat.exercises[exercise_id]


def existing_gradebook(book: Path) -> Path:
    """A gradebook a command reads must exist (one that grades may create it)."""
    if not book.is_file():
        fail(f"{book}: no such gradebook")
    return book
