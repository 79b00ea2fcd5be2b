"""Exercises on the site: the HTML of an embedded exercise and the files the site ships for it.

Knows nothing of MkDocs (the plugin passes URLs and folders in).

What runs in the page (see assets/exercise/): exercise.js (the widget, small, loaded
eagerly), editor.js (CodeMirror 6, bundled here with esbuild, loaded when the exercise
comes into view), worker.mjs + runner.py (Pyodide in a module worker; Check runs real
pytest from the wheels in pyodide-wheels.txt). Pyodide, the wheels and the editor come
from ``node_modules`` (``npm ci``, plus the wheel download that ``make`` does): a build
without them fails with a message that says so, rather than shipping exercises that
cannot run.

Where node_modules is looked for, first match wins: upwards from the course folder, the
COURSEKIT_NODE_MODULES environment variable, then the checkout that coursekit itself is
installed from (an editable install), so fixture courses built in a temporary folder work.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import textwrap
import zipfile
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path, PurePosixPath

from coursekit.content.catalog import Catalog, LoadedExercise
from coursekit.site.render import highlight_python, markdown

ASSETS = Path(__file__).parent / "assets" / "exercise"
DEFAULT_TIME_LIMIT_S = 10
"""Seconds a Run or Check may take in the page before the worker is ended."""
DEFAULT_CHECKS_BEFORE_SOLUTION = 3
"""Checks after which the page offers the model solution even if some tests still fail."""
WIDGET_FILES = ("exercise.js", "exercise.css", "worker.mjs", "boot.mjs", "runner.py")
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
CACHE = Path(".cache") / "coursekit"  # inside node_modules
log = logging.getLogger("mkdocs.plugins.coursekit")
NODE_MODULES_ENV = "COURSEKIT_NODE_MODULES"
SETUP_HINT = ("run `make build` or `make serve` (they run `npm ci` and download the wheels), "
              "or by hand: `npm ci`, then `python -m pip download --only-binary=:all: --no-deps "
              "--require-hashes --dest node_modules/.cache/coursekit/wheels "
              "-r src/coursekit/site/assets/exercise/pyodide-wheels.txt`")


class RuntimeAssetsMissing(Exception):
    """The in-page Python runtime (Pyodide, the pytest wheels, the editor) cannot be found."""


# --- the page -------------------------------------------------------------------------------


def exercise_data(ex: LoadedExercise, *, include_solution: bool = True) -> dict:
    """What the widget needs. The model solution, if included, lives only in ``solution``."""
    f = ex.model.files
    data = {"id": ex.id, "title": ex.model.title, "starter_file": f.starter,
            "starter": ex.starter.read_text(encoding="utf-8"), "tests": list(f.tests), "data": data_files(ex)}
    if include_solution:
        data["solution"] = ex.solution.read_text(encoding="utf-8")
    return data


def render_exercise(ex: LoadedExercise, base_url: str, *, time_limit_s: float = DEFAULT_TIME_LIMIT_S,
                    checks_before_solution: int = DEFAULT_CHECKS_BEFORE_SOLUTION,
                    include_solution: bool = True) -> str:
    """base_url: the relative URL from the page to the site's coursekit asset folder.

    The section reads well without JavaScript (task, starter, downloads, hints);
    exercise.js adds the editor and the buttons. include_solution=False is for builds
    meant for assessment.

    The widget's data travels as text in a <template>, not in a <script type="application/json">:
    Material's instant navigation re-creates every inline <script> in the content as a
    classic script (dropping its type), which would run the JSON as JavaScript.
    """
    find_runtime(ex.dir)  # fail before any page is written, not after
    m = ex.model
    folder = f"{base_url}/exercises/{ex.id}"
    code = highlight_python(ex.starter.read_text(encoding="utf-8"))
    hints = "".join(
        f'<details class="tip ck-hint"><summary>Hint {i}</summary>{markdown(h)}</details>'
        for i, h in enumerate(m.hints, start=1)
    )
    downloads = (
        f'<a href="{escape(folder)}/{escape(m.files.starter)}" download>{escape(m.files.starter)}</a> · '
        f'<a href="{escape(folder)}/{escape(ex.id)}.ipynb" download>Jupyter notebook (.ipynb)</a> · '
        f'<a href="{escape(folder)}/{escape(ex.id)}.zip" download>all files (.zip)</a>'
    )
    data = exercise_data(ex, include_solution=include_solution)
    return (
        f'<section class="ck-exercise" data-exercise="{escape(ex.id)}" aria-labelledby="ck-ex-{escape(ex.id)}" '
        f'data-time-limit="{time_limit_s:g}" data-checks-before-solution="{checks_before_solution}">'
        f'<h3 id="ck-ex-{escape(ex.id)}">Exercise: {escape(m.title)}</h3>'
        f'<p class="ck-exercise__meta">{m.difficulty.value.capitalize()} · about {m.minutes} minutes</p>'
        f"{markdown(m.summary)}"
        f'<p class="ck-exercise__downloads">Download: {downloads}</p>'
        f'<div class="ck-exercise__code">{code}</div>'
        f'<p class="ck-exercise__local">Working in a clone of the course? Edit '
        f"<code>{escape(ex.dir.name)}/{escape(m.files.starter)}</code> in the exercises folder, then run "
        f"<code>coursekit exercise check {escape(ex.id)}</code>.</p>"
        f"{hints}"
        f'<template class="ck-exercise__data" data-search-exclude>{escape(json.dumps(data, ensure_ascii=False))}</template>'
        f"</section>"
    )


def page_assets(base_url: str) -> str:
    """Tags appended to a page that embeds an exercise (base_url: the page's way to the asset folder).

    Only the widget and its CSS load with the page; the editor and Python follow when an
    exercise comes into view or is used.
    """
    return (f'<link rel="stylesheet" href="{base_url}/exercise/exercise.css">'
            f'<script type="module" src="{base_url}/exercise/exercise.js"></script>')


# --- the runtime: where it comes from ------------------------------------------------------


@dataclass(frozen=True)
class Runtime:
    node_modules: Path
    wheels: tuple[Path, ...]

    @property
    def pyodide(self) -> Path:
        return self.node_modules / "pyodide"


def pinned_wheels() -> list[str]:
    """File names of the wheels pinned in pyodide-wheels.txt (all pure Python)."""
    names = []
    for line in (ASSETS / "pyodide-wheels.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if m:
            names.append(f"{re.sub(r'[-_.]+', '_', m[1]).lower()}-{m[2]}-py3-none-any.whl")
    return names


def _candidates(start: Path) -> list[Path]:
    found = [folder / "node_modules" for folder in (start.resolve(), *start.resolve().parents)]
    if os.environ.get(NODE_MODULES_ENV):
        found.append(Path(os.environ[NODE_MODULES_ENV]))
    checkout = Path(__file__).resolve().parents[3]  # src/coursekit/site/exercises.py -> the checkout
    found.append(checkout / "node_modules")
    return found


@cache
def _find_runtime(start: Path) -> Runtime:
    tried = []
    for nm in _candidates(start):
        if (nm / "pyodide" / "pyodide.mjs").is_file():
            break
        tried.append(str(nm))
    else:
        raise RuntimeAssetsMissing(
            "coursekit: the exercise runtime (Pyodide) was not found in node_modules "
            f"(looked in {', '.join(tried)}; set {NODE_MODULES_ENV} to point elsewhere): {SETUP_HINT}")
    missing = [f for f in PYODIDE_FILES if not (nm / "pyodide" / f).is_file()]
    wheels = tuple(nm / CACHE / "wheels" / w for w in pinned_wheels())
    missing += [str(w.relative_to(nm)) for w in wheels if not w.is_file()]
    if not _esbuild(nm).is_file():
        missing.append(".bin/esbuild")
    if missing:
        raise RuntimeAssetsMissing(
            f"coursekit: the exercise runtime in {nm} is incomplete (missing: {', '.join(missing)}): {SETUP_HINT}")
    return Runtime(nm, wheels)


def find_runtime(start: Path) -> Runtime:
    """The node_modules folder that holds Pyodide, the pytest wheels and esbuild; or RuntimeAssetsMissing."""
    return _find_runtime(start.resolve())


def _esbuild(nm: Path) -> Path:
    return nm / ".bin" / "esbuild"


def editor_bundle(rt: Runtime) -> Path:
    """CodeMirror and its language support in one minified ES module, cached in node_modules.

    Rebuilt (about 0.1 s) when editor.js or the installed packages change.
    """
    entry = ASSETS / "editor.js"
    lock = rt.node_modules / ".package-lock.json"
    key = hashlib.sha256(entry.read_bytes() + (lock.read_bytes() if lock.is_file() else b"")).hexdigest()[:16]
    out = rt.node_modules / CACHE / f"editor-{key}.js"
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.tmp.js")  # two builds at once each write their own
    done = subprocess.run(
        [str(_esbuild(rt.node_modules)), str(entry), "--bundle", "--format=esm", "--minify",
         "--target=es2020", f"--outfile={tmp}", "--log-level=warning"],
        env={**os.environ, "NODE_PATH": str(rt.node_modules)}, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeAssetsMissing(f"coursekit: bundling the editor failed:\n{done.stderr.strip()}\n{SETUP_HINT}")
    tmp.replace(out)
    return out


def runtime_snapshot(rt: Runtime) -> Path | None:
    """The booted, warmed-up exercise Python as a gzipped memory snapshot, cached in node_modules.

    Made once per set of inputs (Pyodide, the wheels, boot.mjs, runner.py, snapshot.mjs) by
    running snapshot.mjs in Node, about 10 s. The page restores it instead of booting Python
    and importing pytest. None (with a warning) when Node cannot make it: the page then boots
    Python the slow way, with the same result.
    """
    digest = hashlib.sha256()
    # Pyodide is a pinned npm package: its version and file sizes name it (hashing its 14 MB
    # on every build would cost more than the rest of this step).
    digest.update((rt.pyodide / "package.json").read_bytes())
    for name in PYODIDE_FILES:
        digest.update(f"{name}:{(rt.pyodide / name).stat().st_size}\0".encode())
    for path in (*(ASSETS / n for n in ("snapshot.mjs", "boot.mjs", "runner.py")), *rt.wheels):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    out = rt.node_modules / CACHE / f"python-{digest.hexdigest()[:16]}.snapshot"
    if out.is_file():
        return out
    node = shutil.which("node")
    if node is None:
        log.warning("coursekit: Node.js not found; the site ships no Python snapshot, so a first Check takes longer")
        return None
    log.info("coursekit: making the exercise Python's memory snapshot (once, about 10 s)")
    out.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([node, str(ASSETS / "snapshot.mjs"), str(rt.pyodide), str(ASSETS / "runner.py"), str(out),
                           *map(str, rt.wheels)], capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not out.is_file():
        log.warning("coursekit: making the Python snapshot failed; the site ships none, so a first Check "
                    "takes longer:\n%s", done.stderr.strip()[-2000:])
        return None
    return out


def _copy_if_changed(src: Path, dst: Path) -> None:
    """Put the runtime file ``src`` (Pyodide, the wheels, the snapshot: 27 MB, never changed
    in place) at ``dst``: nothing to do when dst has src's size and modification time (serve
    rebuilds often); else a hard link where the file system allows one, or a copy."""
    if dst.is_file():
        a, b = src.stat(), dst.stat()
        if a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime):
            return
        dst.unlink()
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed
        shutil.copy2(src, dst)


# --- downloads ------------------------------------------------------------------------------


def data_files(ex: LoadedExercise) -> list[str]:
    """The exercise's data, with the README of each data folder (where every row comes from):
    shipped wherever the data goes, listed in exercise.yml or not."""
    files = list(ex.model.files.data)
    for folder in dict.fromkeys(str(PurePosixPath(name).parent) for name in ex.model.files.data):
        readme = (PurePosixPath(folder) / "README.md").as_posix()
        if readme not in files and ex.file(readme).is_file():
            files.append(readme)
    return files


def learner_files(ex: LoadedExercise) -> list[str]:
    """What a learner may have: the starter, the public tests, the data and its README. Never the
    solution or hidden tests."""
    f = ex.model.files
    return [f.starter, *f.tests, *data_files(ex)]


def conftest_for(ex: LoadedExercise) -> str:
    """The `learner` fixture for a standalone exercise folder (the page and the zip use the same file)."""
    template = (ASSETS / "conftest_template.py").read_text(encoding="utf-8")
    marker = 'LEARNER_FILE = "starter.py"'
    assert marker in template, "conftest_template.py must set LEARNER_FILE"
    return template.replace(marker, f"LEARNER_FILE = {json.dumps(ex.model.files.starter)}")


def _split_main(source: str) -> tuple[str, str | None]:
    """Split a script into (definitions, body of its top-level ``if __name__ == "__main__":``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, None
    for node in tree.body:
        if (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
                and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__"
                and not node.orelse):
            lines = source.splitlines(keepends=True)
            head = "".join(lines[: node.lineno - 1]).rstrip() + "\n"
            body = textwrap.dedent("".join(lines[node.body[0].lineno - 1: node.end_lineno]))
            return head, body.strip() + "\n"
    return source, None


def _py_literal(text: str) -> str:
    """A readable Python literal for a file's text: one string piece per line."""
    lines = text.splitlines(keepends=True) or [""]
    return "(\n" + "".join(f"    {json.dumps(line, ensure_ascii=False)}\n" for line in lines) + ")"


_NOTEBOOK_CONFTEST = '''\
"""The `learner` fixture for the notebook: the functions defined in the notebook."""
import sys
from pathlib import Path, PurePosixPath

import pytest


@pytest.fixture
def exercise_dir():
    return Path(__file__).resolve().parent


@pytest.fixture
def learner(exercise_dir, monkeypatch):
    monkeypatch.chdir(exercise_dir)
    return sys.modules["learner"]
'''


def exercise_notebook(ex: LoadedExercise):
    """The exercise as a Jupyter notebook: task, data, starter code, a cell that runs the tests."""
    import nbformat

    m = ex.model
    head, main = _split_main(ex.starter.read_text(encoding="utf-8"))
    hints = "\n".join(f"<details><summary>Hint {i}</summary>\n\n{h}\n\n</details>\n"
                      for i, h in enumerate(m.hints, start=1))
    cells = [_cell("markdown", 
        f"# {m.title}\n\n*{m.difficulty.value.capitalize()} · about {m.minutes} minutes*\n\n{m.summary.strip()}\n\n"
        "Edit the code cell under **Your code**, run it, then run the cell under **Check your work**.\n\n"
        "*Requirements:* Python 3.11 or later, Jupyter, and pytest for the last cell (`pip install pytest`). "
        "\"Run all\" runs every cell, the tests included.")]
    data = [n for n in data_files(ex) if PurePosixPath(n).name != "README.md"]
    readmes = [n for n in data_files(ex) if PurePosixPath(n).name == "README.md"]
    if data:
        texts, blobs = {}, {}
        for name in data:
            raw = ex.file(name).read_bytes()
            try:
                texts[name] = raw.decode("utf-8")
            except UnicodeDecodeError:
                blobs[name] = base64.b64encode(raw).decode("ascii")
        entries = "".join(f"    {json.dumps(n)}: {_py_literal(t).replace(chr(10), chr(10) + '    ')},\n"
                          for n, t in texts.items())
        blob_entries = "".join(f"    {json.dumps(n)}: {json.dumps(b)},\n" for n, b in blobs.items())
        source = (
            "# The exercise's data files, written next to this notebook unless they are already there.\n"
            "from pathlib import Path\n\n"
            f"DATA = {{\n{entries}}}\n"
            + (f"BINARY_DATA = {{  # base64\n{blob_entries}}}\n" if blobs else "")
            + "for name, text in DATA.items():\n"
            "    path = Path(name)\n"
            "    if not path.exists():\n"
            "        path.parent.mkdir(parents=True, exist_ok=True)\n"
            "        path.write_text(text, encoding=\"utf-8\")\n"
            + ("import base64\nfor name, b64 in BINARY_DATA.items():\n"
               "    path = Path(name)\n"
               "    if not path.exists():\n"
               "        path.parent.mkdir(parents=True, exist_ok=True)\n"
               "        path.write_bytes(base64.b64decode(b64))\n" if blobs else "")
            + "".join(f"print({json.dumps(n)}, 'starts with:')\n"
                      f"print(''.join(Path({json.dumps(n)}).read_text(encoding='utf-8').splitlines(keepends=True)[:5]))\n"
                      for n in texts)
        )
        about = "".join("\n\n" + _demote(ex.file(n).read_text(encoding="utf-8")) for n in readmes)
        cells += [_cell("markdown", "## The data\n\nRun this cell first: it puts the data files where the "
                                       "code expects them (" + ", ".join(f"`{n}`" for n in data) + ")." + about),
                  _cell("code", source)]
    cells += [_cell("markdown", "## Your code\n\nReplace the `# TODO` lines, then run the cell."),
              _cell("code", head.rstrip())]
    if main:
        # Guarded, so that "Run all" goes on to the tests while the functions are not written yet.
        guarded = ("try:\n" + textwrap.indent(main.rstrip(), "    ") + "\nexcept Exception:\n"
                   "    import traceback\n    traceback.print_exc()\n"
                   "    print(\"Not working yet: the tests below say which part.\")")
        cells += [_cell("markdown", "## Try it\n\nOnce your functions are written, this cell uses them."),
                  _cell("code", guarded)]
    tests = {name: ex.file(name).read_text(encoding="utf-8") for name in m.files.tests}
    test_source = (
        "# Runs the exercise's public tests, with pytest, against the functions defined above.\n"
        "# It writes the test files and a conftest.py next to this notebook.\n"
        "import sys\nimport types\nfrom pathlib import Path\n\n"
        "try:\n    import pytest\nexcept ImportError:\n"
        "    raise SystemExit(\"This cell needs pytest: run  %pip install pytest  in a cell, then this cell again.\")\n\n"
        "TESTS = {\n" + "".join(f"    {json.dumps(n)}: {_py_literal(t).replace(chr(10), chr(10) + '    ')},\n"
                                for n, t in tests.items()) + "}\n"
        f"CONFTEST = {_py_literal(_NOTEBOOK_CONFTEST)}\n\n"
        "for name, text in {**TESTS, \"conftest.py\": CONFTEST}.items():\n"
        "    Path(name).write_text(text, encoding=\"utf-8\")\n"
        "    sys.modules.pop(Path(name).stem, None)  # re-read them on every run\n"
        "learner = types.ModuleType(\"learner\")\n"
        "learner.__dict__.update({k: v for k, v in globals().items() if not k.startswith(\"_\")})\n"
        "sys.modules[\"learner\"] = learner\n"
        "result = pytest.main([\"-q\", \"-p\", \"no:cacheprovider\", *TESTS])"
    )
    cells += [_cell("markdown", "## Check your work\n\nRun this cell: every test should pass."),
              _cell("code", test_source)]
    if hints:
        cells.append(_cell("markdown", "## Hints\n\n" + hints))
    for i, cell in enumerate(cells, start=1):  # fixed ids: the same exercise gives the same file
        cell["id"] = f"cell-{i}"
    nb = nbformat.from_dict({"nbformat": 4, "nbformat_minor": 5, "cells": cells, "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "coursekit": {"exercise": ex.id},
    }})
    # Not validated here (nbformat's validator compiles its schema on every build): the cells
    # are valid by construction, and the tests validate every notebook of the course.
    return nb


def _demote(markdown_text: str) -> str:
    """A README's headings one level down, to sit under the notebook's own."""
    return re.sub(r"^(#{1,5}) ", r"#\1 ", markdown_text.strip(), flags=re.M)


def _cell(kind: str, source: str) -> dict:
    cell = {"cell_type": kind, "metadata": {}, "source": source}
    return cell | {"execution_count": None, "outputs": []} if kind == "code" else cell


_ZIP_README = """\
# {title}

{summary}

Your task is in `{starter}`: replace the `# TODO` lines. Then run the tests:

```sh
python -m pip install pytest   # once
python -m pytest               # in this folder
```

Every test passes when your code is right. The tests get your module through the `learner`
fixture defined in `conftest.py`, and run with this folder as the working directory.

## Hints

{hints}
"""


def exercise_zip(ex: LoadedExercise, target: Path) -> None:
    """A zip of the learner's files (in a folder named after the exercise), with the same bytes on every build."""
    m = ex.model
    entries = {name: ex.file(name).read_bytes() for name in learner_files(ex)}
    entries["conftest.py"] = conftest_for(ex).encode()
    entries["README.md"] = _ZIP_README.format(
        title=m.title, summary=m.summary.strip(), starter=m.files.starter,
        hints="\n".join(f"{i}. {h}" for i, h in enumerate(m.hints, start=1))).encode()
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{ex.id}/{name}", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[name])


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
        _copy_if_changed(snapshot, out / "snapshot" / snapshot.name)
    (widget / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for name in PYODIDE_FILES:
        _copy_if_changed(rt.pyodide / name, out / "pyodide" / name)
    for wheel in rt.wheels:
        _copy_if_changed(wheel, out / "wheels" / wheel.name)

    import nbformat

    for ex in catalog.exercises.values():
        folder = out / "exercises" / ex.id
        for name in learner_files(ex):
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ex.dir / name, target)
        (folder / "conftest.py").write_text(conftest_for(ex), encoding="utf-8")
        nbformat.write(exercise_notebook(ex), str(folder / f"{ex.id}.ipynb"))
        exercise_zip(ex, folder / f"{ex.id}.zip")


def _test_summaries(path: Path) -> list[tuple[str, str]]:
    """(name, first docstring line) of each test function in a file, without importing it."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.name, (ast.get_docstring(node) or "").split("\n")[0])
            for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test")]


def render_instructor_notes(ex: LoadedExercise) -> str:
    """For the instructor build only: the model solution and what the hidden tests check."""
    solution = highlight_python(ex.solution.read_text(encoding="utf-8"))
    hidden = [(p.name, _test_summaries(p)) for p in ex.hidden_tests]
    if hidden:
        rows = "".join(f"<li><code>{escape(f)}</code>: " + ", ".join(
            f"<code>{escape(n)}</code>" + (f" ({escape(d)})" if d else "") for n, d in tests) + "</li>"
            for f, tests in hidden)
        hidden_html = f"<p><strong>Hidden tests</strong> (run only by <code>coursekit grade exercise</code>):</p><ul>{rows}</ul>"
    else:
        hidden_html = "<p>This exercise has no hidden tests; grading runs its public tests.</p>"
    return (f'<details class="info ck-instructor-solution"><summary>Instructor: model solution and hidden tests'
            f"</summary>{solution}{hidden_html}</details>")
