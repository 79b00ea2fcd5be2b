"""`coursekit export`: a quiz as a file an LMS imports (instructors)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from coursekit.commands.common import RootOpt, catalog, err, fail, find_quiz, out
from coursekit.quiz.export import FORMATS, export_to
from coursekit.quiz.export.common import ExportError

# The formats quiz.export writes, spelt as it names them.
ExportFormat = StrEnum("ExportFormat", {name: name for name in FORMATS})


def export(
    quiz_id: Annotated[str, typer.Argument(metavar="QUIZ", help="The quiz id.")],
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", help="Moodle XML, GIFT, QTI 2.1 (a zip), or QTI 1.2 for Canvas (a zip)."),
    ],
    out_path: Annotated[Path, typer.Option("--out", help="The file to write (a .zip for QTI).")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    root: RootOpt = None,
) -> None:
    """Export a quiz for an LMS: Moodle XML, GIFT, QTI 2.1, or QTI 1.2 for Canvas."""
    model = find_quiz(catalog(root), quiz_id)
    try:
        files = export_to(out_path, quiz_id, model, fmt.value, force)
    except ExportError as exc:
        fail(str(exc))
    except FileExistsError:
        fail(f"{out_path} exists; choose another path or pass --force")
    for line in files.warnings:
        err.print(f"warning: {line}", markup=False)
    ((_, data),) = files.items()
    out.print(f"Wrote {out_path} ({fmt}, {len(data):,} bytes)")
