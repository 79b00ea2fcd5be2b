"""An exercise as a Jupyter notebook: task, data, starter code, a cell that runs the tests.

The same exercise gives the same notebook, byte for byte (fixed cell ids). Standalone: the
notebook carries its data files and tests as text, and writes them next to itself when run.
"""

from __future__ import annotations

import ast
import base64
import json
import re
import textwrap
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from coursekit.exercise.handout import data_files

if TYPE_CHECKING:
    from coursekit.content.catalog import LoadedExercise


def split_main(source: str) -> tuple[str, str | None]:
    """Split a script into (definitions, body of its top-level ``if __name__ == "__main__":``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, None
    for node in tree.body:
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name)
            and node.test.left.id == "__name__"
            and not node.orelse
        ):
            lines = source.splitlines(keepends=True)
            head = "".join(lines[: node.lineno - 1]).rstrip() + "\n"
            body = textwrap.dedent("".join(lines[node.body[0].lineno - 1 : node.end_lineno]))
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
    head, main = split_main(ex.starter.read_text(encoding="utf-8"))
    hints = "\n".join(
        f"<details><summary>Hint {i}</summary>\n\n{h}\n\n</details>\n" for i, h in enumerate(m.hints, start=1)
    )
    cells = [
        _cell(
            "markdown",
            f"# {m.title}\n\n*{m.difficulty.value.capitalize()} · about {m.minutes} minutes*\n\n{m.summary.strip()}\n\n"
            "Edit the code cell under **Your code**, run it, then run the cell under **Check your work**.\n\n"
            "*Requirements:* Python 3.11 or later, Jupyter, and pytest for the last cell (`pip install pytest`). "
            '"Run all" runs every cell, the tests included.',
        )
    ]
    cells += _data_cells(ex)
    cells += [
        _cell("markdown", "## Your code\n\nReplace the `# TODO` lines, then run the cell."),
        _cell("code", head.rstrip()),
    ]
    if main:
        # Guarded, so that "Run all" goes on to the tests while the functions are not written yet.
        guarded = (
            "try:\n" + textwrap.indent(main.rstrip(), "    ") + "\nexcept Exception:\n"
            "    import traceback\n    traceback.print_exc()\n"
            '    print("Not working yet: the tests below say which part.")'
        )
        cells += [
            _cell("markdown", "## Try it\n\nOnce your functions are written, this cell uses them."),
            _cell("code", guarded),
        ]
    cells += [
        _cell("markdown", "## Check your work\n\nRun this cell: every test should pass."),
        _cell("code", _test_source(ex)),
    ]
    if hints:
        cells.append(_cell("markdown", "## Hints\n\n" + hints))
    for i, cell in enumerate(cells, start=1):  # fixed ids: the same exercise gives the same file
        cell["id"] = f"cell-{i}"
    nb = nbformat.from_dict(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "cells": cells,
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "python"},
                "coursekit": {"exercise": ex.id},
            },
        }
    )
    # Not validated here (nbformat's validator compiles its schema on every build): the cells
    # are valid by construction, and the tests validate every notebook of the course.
    return nb


def _data_cells(ex: LoadedExercise) -> list[dict]:
    """The data section: what the data is (its READMEs) and a cell that writes the data files
    next to the notebook; none when the exercise has no data."""
    data = [n for n in data_files(ex) if PurePosixPath(n).name != "README.md"]
    readmes = [n for n in data_files(ex) if PurePosixPath(n).name == "README.md"]
    if not data:
        return []
    texts, blobs = {}, {}
    for name in data:
        raw = ex.file(name).read_bytes()
        try:
            texts[name] = raw.decode("utf-8")
        except UnicodeDecodeError:
            blobs[name] = base64.b64encode(raw).decode("ascii")
    entries = "".join(
        f"    {json.dumps(n)}: {_py_literal(t).replace(chr(10), chr(10) + '    ')},\n" for n, t in texts.items()
    )
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
        '        path.write_text(text, encoding="utf-8")\n'
        + (
            "import base64\nfor name, b64 in BINARY_DATA.items():\n"
            "    path = Path(name)\n"
            "    if not path.exists():\n"
            "        path.parent.mkdir(parents=True, exist_ok=True)\n"
            "        path.write_bytes(base64.b64decode(b64))\n"
            if blobs
            else ""
        )
        + "".join(
            f"print({json.dumps(n)}, 'starts with:')\n"
            f"print(''.join(Path({json.dumps(n)}).read_text(encoding='utf-8').splitlines(keepends=True)[:5]))\n"
            for n in texts
        )
    )
    about = "".join("\n\n" + _demote(ex.file(n).read_text(encoding="utf-8")) for n in readmes)
    return [
        _cell(
            "markdown",
            "## The data\n\nRun this cell first: it puts the data files where the "
            "code expects them (" + ", ".join(f"`{n}`" for n in data) + ")." + about,
        ),
        _cell("code", source),
    ]


def _test_source(ex: LoadedExercise) -> str:
    """The last code cell: writes the public tests and a conftest.py, then runs pytest on the
    functions the notebook defined."""
    tests = {name: ex.file(name).read_text(encoding="utf-8") for name in ex.model.files.tests}
    return (
        "# Runs the exercise's public tests, with pytest, against the functions defined above.\n"
        "# It writes the test files and a conftest.py next to this notebook.\n"
        "import sys\nimport types\nfrom pathlib import Path\n\n"
        "try:\n    import pytest\nexcept ImportError:\n"
        '    raise SystemExit("This cell needs pytest: run  %pip install pytest  in a cell, then this cell again.")\n\n'
        "TESTS = {\n"
        + "".join(
            f"    {json.dumps(n)}: {_py_literal(t).replace(chr(10), chr(10) + '    ')},\n" for n, t in tests.items()
        )
        + "}\n"
        f"CONFTEST = {_py_literal(_NOTEBOOK_CONFTEST)}\n\n"
        'for name, text in {**TESTS, "conftest.py": CONFTEST}.items():\n'
        '    Path(name).write_text(text, encoding="utf-8")\n'
        "    sys.modules.pop(Path(name).stem, None)  # re-read them on every run\n"
        'learner = types.ModuleType("learner")\n'
        'learner.__dict__.update({k: v for k, v in globals().items() if not k.startswith("_")})\n'
        'sys.modules["learner"] = learner\n'
        'result = pytest.main(["-q", "-p", "no:cacheprovider", *TESTS])'
    )


def _demote(markdown_text: str) -> str:
    """A README's headings one level down, to sit under the notebook's own."""
    return re.sub(r"^(#{1,5}) ", r"#\1 ", markdown_text.strip(), flags=re.M)


def _cell(kind: str, source: str) -> dict:
    cell = {"cell_type": kind, "metadata": {}, "source": source}
    return cell | {"execution_count": None, "outputs": []} if kind == "code" else cell
