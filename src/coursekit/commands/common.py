"""What every command group shares: the consoles, the --root and --json options, the catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from coursekit.content.catalog import Catalog, Layout, find_root, load_catalog

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

RootOpt = Annotated[
    Path | None,
    typer.Option("--root", help="The course folder (default: the nearest with mkdocs.yml).", envvar="COURSEKIT_ROOT"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def layout(root: Path | None) -> Layout:
    try:
        return Layout(root.resolve() if root else find_root())
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None


def catalog(root: Path | None) -> Catalog:
    cat = load_catalog(layout(root))
    if cat.errors:
        for e in cat.errors:
            err.print(str(e), markup=False)
        err.print(f"[red]{len(cat.errors)} problem(s) found.[/]")
        raise typer.Exit(1)
    return cat
