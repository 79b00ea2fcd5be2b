"""Exercises on the site: the HTML of an embedded exercise and the files the site ships for it.

The plugin passes URLs and folders in; this module does not import MkDocs.

What runs in the page (see assets/exercise/): exercise.js (the widget, small, loaded
eagerly), editor.js (CodeMirror 6, bundled with esbuild, loaded when the exercise comes
into view), worker.mjs + runner.py (Pyodide in a module worker; Check runs real pytest
from the wheels in pyodide-wheels.txt). Where Pyodide, the wheels and the editor come
from, and what is built from them, is ``runtime``'s job; the learner's downloads are
``downloads``'.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from markupsafe import Markup

from coursekit.content.catalog import Catalog, LoadedExercise
from coursekit.exercise.handout import data_files
from coursekit.markup import highlight_python
from coursekit.site.downloads import write_downloads
from coursekit.site.runtime import (
    ASSETS,
    PYODIDE_FILES,
    copy_if_changed,
    editor_bundle,
    find_runtime,
    runtime_snapshot,
)
from coursekit.site.templating import render

DEFAULT_TIME_LIMIT_S = 10
"""Seconds a Run or Check may take in the page before the worker is ended."""
DEFAULT_CHECKS_BEFORE_SOLUTION = 3
"""Checks after which the page offers the model solution even if some tests still fail."""
WIDGET_FILES = ("exercise.js", "exercise.css", "worker.mjs", "boot.mjs", "runner.py")


# --- the page -------------------------------------------------------------------------------


def exercise_data(ex: LoadedExercise, *, include_solution: bool = True) -> dict:
    """What the widget needs. The model solution, if included, lives only in ``solution``."""
    f = ex.model.files
    data = {
        "id": ex.id,
        "title": ex.model.title,
        "starter_file": f.starter,
        "starter": ex.starter.read_text(encoding="utf-8"),
        "tests": list(f.tests),
        "data": data_files(ex),
    }
    if include_solution:
        data["solution"] = ex.solution.read_text(encoding="utf-8")
    return data


def render_exercise(
    ex: LoadedExercise,
    base_url: str,
    *,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    checks_before_solution: int = DEFAULT_CHECKS_BEFORE_SOLUTION,
    include_solution: bool = True,
) -> str:
    """base_url: the relative URL from the page to the site's coursekit asset folder.

    The section reads well without JavaScript (task, starter, downloads, hints);
    exercise.js adds the editor and the buttons, and offers the model solution once the
    tests pass or after ``checks_before_solution`` checks; include_solution=False leaves it
    out of the page (the assessment build has no exercises at all).

    The widget's data travels as text in a <template>, not in a <script type="application/json">:
    Material's instant navigation re-creates every inline <script> in the content as a
    classic script (dropping its type), which would run the JSON as JavaScript.
    """
    find_runtime(ex.dir)  # fail before any page is written, not after
    data = exercise_data(ex, include_solution=include_solution)
    return render(
        "exercise.html.j2",
        ex=ex,
        m=ex.model,
        folder=f"{base_url}/exercises/{ex.id}",
        time_limit=f"{time_limit_s:g}",
        checks_before_solution=checks_before_solution,
        code=Markup(highlight_python(ex.starter.read_text(encoding="utf-8"))),
        data_json=json.dumps(data, ensure_ascii=False),
    )


def page_assets(base_url: str) -> str:
    """Tags appended to a page that embeds an exercise (base_url: the page's way to the asset folder).

    Only the widget and its CSS load with the page; the editor and Python follow when an
    exercise comes into view or is used.
    """
    return (
        f'<link rel="stylesheet" href="{base_url}/exercise/exercise.css">'
        f'<script type="module" src="{base_url}/exercise/exercise.js"></script>'
    )


# --- the site -------------------------------------------------------------------------------


def write_site_files(catalog: Catalog, out: Path) -> None:
    """Files the site ships for exercises, under ``out`` (the site's assets/coursekit folder).

    out/exercise/   the widget, the worker, the runner, the editor bundle, manifest.json
    out/pyodide/    the Pyodide core, from the npm package
    out/wheels/     pytest and its dependencies, pure-Python wheels from PyPI
    out/snapshot/   the booted exercise Python's memory (runtime_snapshot), when Node made one
    out/exercises/<id>/  what a learner may download: starter, public tests, data, conftest.py,
                    <id>.ipynb and <id>.zip. Never the solution or hidden tests.
    """
    if not catalog.exercises:
        return
    rt = find_runtime(catalog.layout.root)
    widget = out / "exercise"
    widget.mkdir(parents=True, exist_ok=True)
    for name in WIDGET_FILES:
        shutil.copyfile(ASSETS / name, widget / name)
    shutil.copyfile(editor_bundle(rt), widget / "editor.js")
    snapshot = runtime_snapshot(rt)
    manifest = {"wheels": [w.name for w in rt.wheels], "snapshot": None}
    for stale in (out / "snapshot").glob("*.snapshot"):  # a site built before, with other inputs
        if snapshot is None or stale.name != snapshot.name:
            stale.unlink()
    if snapshot is not None:
        manifest["snapshot"] = f"snapshot/{snapshot.name}"
        copy_if_changed(snapshot, out / "snapshot" / snapshot.name)
    (widget / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for name in PYODIDE_FILES:
        copy_if_changed(rt.pyodide / name, out / "pyodide" / name)
    for wheel in rt.wheels:
        copy_if_changed(wheel, out / "wheels" / wheel.name)

    for ex in catalog.exercises.values():
        write_downloads(ex, out / "exercises" / ex.id)


def _test_summaries(path: Path) -> list[tuple[str, str]]:
    """(name, first docstring line) of each test function in a file, without importing it."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.name, (ast.get_docstring(node) or "").split("\n")[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test")
    ]


def render_instructor_notes(ex: LoadedExercise) -> str:
    """For the instructor build only: the model solution and what the hidden tests check."""
    solution = Markup(highlight_python(ex.solution.read_text(encoding="utf-8")))
    return render(
        "instructor_notes.html.j2", solution=solution, hidden=[(p.name, _test_summaries(p)) for p in ex.hidden_tests]
    )
