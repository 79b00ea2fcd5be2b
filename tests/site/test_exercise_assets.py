"""What the site ships for exercises, without a browser: the runner's verdicts against
local pytest, the downloads (notebook, zip), the runtime files, and the set-up errors.

The browser half (the same runner inside Pyodide) is tests/e2e/test_exercise_page.py.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from html import unescape
from pathlib import Path

import nbformat
import pytest

from coursekit.content.catalog import Layout, load_catalog
from coursekit.exercise import handout, notebook
from coursekit.site import downloads, exercises, runtime

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "sites"
RUNNER = runtime.ASSETS / "runner.py"


def all_exercises(which: str = "fixtures"):
    """The exercises of the fixture courses, or (which="course") the real course's."""
    roots = (REPO,) if which == "course" else (FIXTURES / "two-exercises", FIXTURES / "minimal")
    found = []
    for root in roots:
        found += load_catalog(Layout(root)).exercises.values()
    assert len(found) >= 3
    return found


# The machinery's checks run on the fixture courses; the same checks on the real course are content.
WHICH = ["fixtures", pytest.param("course", marks=pytest.mark.content)]


def local_verdicts(ex, code: str, tmp: Path) -> dict[str, str]:
    """`pytest` on the exercise's public tests with the course's own fixture and COURSEKIT_LEARNER_FILE."""
    learner = tmp / "learner.py"
    learner.write_text(code, encoding="utf-8")
    report = tmp / "local.xml"
    public = [str(ex.dir / t) for t in ex.model.files.tests]  # what the page runs: never the hidden tests
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *public],
        env={**os.environ, "COURSEKIT_LEARNER_FILE": str(learner)},
        cwd=tmp,
        capture_output=True,
        check=False,
    )
    out = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        kinds = {c.tag for c in case}
        out[case.get("name")] = (
            "failed"
            if "failure" in kinds
            else "error"
            if "error" in kinds
            else "skipped"
            if "skipped" in kinds
            else "passed"
        )
    return out


def site_folder(ex, code: str, dest: Path) -> Path:
    """The exercise folder as the worker lays it out: learner files, conftest.py, the code as the starter."""
    folder = dest / ex.id
    for name in handout.learner_files(ex):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ex.dir / name, folder / name)
    (folder / "conftest.py").write_text(downloads.conftest_for(ex), encoding="utf-8")
    (folder / ex.model.files.starter).write_text(code, encoding="utf-8")
    return folder


def runner_verdicts(jobs: list[tuple[Path, list[str]]], tmp: Path) -> list[dict]:
    """runner.run_tests on each folder, in one CPython process (as the worker does in one Pyodide)."""
    script = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(RUNNER.parent)!r})
        import runner
        jobs = json.loads(sys.stdin.read())
        reports = [json.loads(runner.run_tests(folder, tests, root={str(tmp)!r})) for folder, tests in jobs]
        print("REPORTS " + json.dumps(reports))
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps([[str(f), t] for f, t in jobs]),
        capture_output=True,
        text=True,
        cwd=tmp,
        check=True,
    )
    return json.loads(done.stdout.rpartition("REPORTS ")[2])


@pytest.mark.parametrize("which", WHICH)
def test_runner_verdicts_match_local_pytest(which, tmp_path):
    """Check in the page runs real pytest through runner.py and conftest_template.py: on every
    exercise we ship, with its starter and its solution, the verdicts are local pytest's."""
    cases, jobs = [], []
    for i, ex in enumerate(all_exercises(which)):
        for variant in ("starter", "solution"):
            code = (ex.starter if variant == "starter" else ex.solution).read_text(encoding="utf-8")
            folder = site_folder(ex, code, tmp_path / "site" / f"{i}-{variant}")
            local = tmp_path / "local" / f"{i}-{variant}"
            local.mkdir(parents=True)
            cases.append((ex, variant, local_verdicts(ex, code, local)))
            jobs.append((folder, list(ex.model.files.tests)))
    reports = runner_verdicts(jobs, tmp_path / "site")
    for (ex, variant, local), report in zip(cases, reports, strict=True):
        in_page = {r["name"]: r["outcome"] for r in report["results"]}
        assert in_page == local, f"{ex.id} ({variant}): runner {in_page} != local pytest {local}"
        assert in_page, f"{ex.id}: no test ran"
        if variant == "solution":
            assert set(in_page.values()) == {"passed"}, f"{ex.id}: the solution should pass"
        else:
            assert "failed" in in_page.values() or "error" in in_page.values(), f"{ex.id}: the starter should fail"
            failed = [r for r in report["results"] if r["outcome"] != "passed"]
            assert all(r["message"] for r in failed), "every failure carries its message"


def test_a_file_that_does_not_import_is_one_message_at_the_learners_line(tmp_path):
    """A syntax error, or an exception or sys.exit at the top of the file, is reported once, at the
    learner's own line, in the page and on the command line alike (not once per test)."""
    from coursekit.exercise import runner as local_runner

    ex = load_catalog(Layout(FIXTURES / "two-exercises")).exercises["greet"]
    codes = {
        "syntax": ("def greet(name)\n    return name\n", "starter.py:1:16: SyntaxError: expected ':'"),
        "raises": ("X = 1\nY = X / 0\n", "starter.py:2: ZeroDivisionError: division by zero"),
        "exits": ("import sys\nsys.exit(3)\n", "starter.py:2: SystemExit: 3"),
    }
    folders = {k: site_folder(ex, code, tmp_path / k) for k, (code, _) in codes.items()}
    reports = runner_verdicts([(folders[k], ["test_greet.py"]) for k in codes], tmp_path)
    for (kind, (code, message)), report in zip(codes.items(), reports):
        assert [(r["name"], r["outcome"]) for r in report["results"]] == [("your file", "error")], kind
        assert report["results"][0]["message"] == message, kind
        assert report["exit_code"] != 0
        mine = tmp_path / f"{kind}-local" / "starter.py"
        mine.parent.mkdir()
        mine.write_text(code)
        local = local_runner.check(ex, mine)
        assert not local.passed and local.output.count("Error") + local.output.count("SystemExit") == 1, local.output
        assert (
            local.output.startswith("Your file does not run") and f"{mine}:{message.split(':', 1)[1]}" in local.output
        )


def test_runner_run_script_output_and_errors(tmp_path):
    folder = tmp_path / "ex"
    folder.mkdir()
    (folder / "starter.py").write_text("print('hello')\nraise ValueError('boom')\n")
    script = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {str(RUNNER.parent)!r})
        import runner
        code = runner.run_script({str(folder)!r}, "starter.py")
        print("exit", code)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.splitlines() == ["hello", "exit 1"]
    # The traceback starts in the learner's file, not in the runner.
    assert done.stderr.startswith("Traceback") and "runpy" not in done.stderr and "runner.py" not in done.stderr
    assert 'starter.py", line 2' in done.stderr and "ValueError: boom" in done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path_factory.mktemp("src") / "two-exercises"
    shutil.copytree(FIXTURES / "two-exercises", root)
    site = tmp_path_factory.mktemp("site")
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)))
    return site


def test_site_ships_runtime_and_learner_files_only(built):
    assets = built / "assets" / "coursekit"
    for name in ("exercise.js", "exercise.css", "editor.js", "worker.mjs", "boot.mjs", "runner.py", "manifest.json"):
        assert (assets / "exercise" / name).is_file(), name
    assert not (assets / "exercise" / "snapshot.mjs").exists()  # build time only
    for name in runtime.PYODIDE_FILES:
        assert (assets / "pyodide" / name).is_file(), name
    wheels = json.loads((assets / "exercise" / "manifest.json").read_text())["wheels"]
    assert {w.split("-")[0] for w in wheels} == {"pytest", "pluggy", "iniconfig", "packaging", "pygments"}
    assert all((assets / "wheels" / w).is_file() for w in wheels)
    # The booted Python's memory, gzipped (Pyodide's snapshot format checks its build id itself).
    snapshot = json.loads((assets / "exercise" / "manifest.json").read_text())["snapshot"]
    assert snapshot and [p.relative_to(assets).as_posix() for p in (assets / "snapshot").iterdir()] == [snapshot]
    assert len(gzip.decompress((assets / snapshot).read_bytes())) > 10_000_000
    shipped = {p.relative_to(assets / "exercises").as_posix() for p in (assets / "exercises").rglob("*") if p.is_file()}
    assert shipped == {
        "sum-csv/starter.py",
        "sum-csv/test_sum_csv.py",
        "sum-csv/data/numbers.csv",
        "sum-csv/data/README.md",
        "sum-csv/conftest.py",
        "sum-csv/sum-csv.ipynb",
        "sum-csv/sum-csv.zip",
        "greet/starter.py",
        "greet/test_greet.py",
        "greet/conftest.py",
        "greet/greet.ipynb",
        "greet/greet.zip",
    }
    # The editor's bundle is real CodeMirror, and it is not what the page loads first.
    assert (
        "EditorView" in (assets / "exercise" / "editor.js").read_text()
        or len((assets / "exercise" / "editor.js").read_bytes()) > 100_000
    )


def test_page_loads_only_the_small_widget_up_front(built):
    html = (built / "modules" / "01-sums" / "index.html").read_text(encoding="utf-8")
    assert '<script type="module" src="../../assets/coursekit/exercise/exercise.js"></script>' in html
    assert '<link rel="stylesheet" href="../../assets/coursekit/exercise/exercise.css">' in html
    for lazy in ("editor.js", "worker.mjs", "pyodide", ".whl"):
        assert lazy not in html, f"{lazy} must load lazily, not with the page"
    eager = sum(
        len(gzip.compress((built / "assets/coursekit/exercise" / n).read_bytes(), 9))
        for n in ("exercise.js", "exercise.css")
    )
    assert eager < 15_000, f"the eager widget weighs {eager} bytes gzipped"
    # The widget's data: the starter, the files, and the solution in its one named field.
    data = json.loads(
        unescape(re.search(r'<template class="ck-exercise__data" data-search-exclude>(.*?)</template>', html, re.S)[1])
    )
    assert data["tests"] == ["test_sum_csv.py"] and data["data"] == ["data/numbers.csv", "data/README.md"]
    assert data["solution"] == (FIXTURES / "two-exercises/exercises/sum-csv/solution.py").read_text()
    assert '<script type="application/json" class="ck-exercise' not in html
    # Downloads are linked from the exercise.
    for href in ("sum-csv/starter.py", "sum-csv/sum-csv.ipynb", "sum-csv/sum-csv.zip"):
        assert f'href="../../assets/coursekit/exercises/{href}" download' in html


def test_solution_can_be_left_out_of_the_page():
    ex = load_catalog(Layout(FIXTURES / "two-exercises")).exercises["greet"]
    html = exercises.render_exercise(ex, "../assets/coursekit", include_solution=False)
    assert "solution" not in unescape(html).split('class="ck-exercise__data" data-search-exclude>')[1]
    assert 'f"Hello, {name}!"' not in unescape(html)


def test_zip_holds_the_learner_files_and_works_with_pytest(built, tmp_path):
    ex = load_catalog(Layout(FIXTURES / "two-exercises")).exercises["sum-csv"]
    path = built / "assets/coursekit/exercises/sum-csv/sum-csv.zip"
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == sorted(
            f"sum-csv/{n}"
            for n in ("starter.py", "test_sum_csv.py", "data/numbers.csv", "data/README.md", "conftest.py", "README.md")
        )
        assert ex.solution.read_text() not in "".join(z.read(n).decode() for n in z.namelist())
        z.extractall(tmp_path)
    folder = tmp_path / "sum-csv"

    def run():
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=folder,
            capture_output=True,
            text=True,
        )

    assert run().returncode == 1  # the starter fails
    shutil.copyfile(ex.solution, folder / "starter.py")
    assert run().returncode == 0, run().stdout
    # The zip is the same, byte for byte, on every build.
    downloads.exercise_zip(ex, tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == path.read_bytes()


def test_notebook_is_valid_and_its_test_cell_runs_pytest(built, tmp_path):
    ex = load_catalog(Layout(FIXTURES / "two-exercises")).exercises["sum-csv"]
    nb = nbformat.read(built / "assets/coursekit/exercises/sum-csv/sum-csv.ipynb", as_version=4)
    nbformat.validate(nb)
    sources = [c.source for c in nb.cells]
    assert ex.solution.read_text().strip() not in "\n".join(sources)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert "raise NotImplementedError" in code_cells[1].source  # the starter, minus its __main__ block
    assert "__main__" not in code_cells[1].source and 'print("total:", total())' in code_cells[2].source
    assert "pytest.main" in code_cells[-1].source

    from nbclient import NotebookClient

    solved = nbformat.from_dict(json.loads(json.dumps(nb)))
    [c for c in solved.cells if c.cell_type == "code"][1].source = notebook.split_main(ex.solution.read_text())[0]
    NotebookClient(
        solved, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = "".join(o.get("text", "") for c in solved.cells if c.cell_type == "code" for o in c.outputs)
    assert "total: 10.5" in outputs
    assert re.search(r"\b3 passed\b", re.sub(r"\x1b\[[0-9;]*m", "", outputs)), outputs
    assert (tmp_path / "data" / "numbers.csv").read_text() == (ex.dir / "data/numbers.csv").read_text()


@pytest.mark.parametrize("which", WHICH)
def test_every_notebook_is_valid_and_holds_no_solution(which):
    for ex in all_exercises(which):
        nb = notebook.exercise_notebook(ex)
        nbformat.validate(nb)
        assert ex.solution.read_text().strip() not in "\n".join(c.source for c in nb.cells)


def test_a_notebook_is_the_same_file_on_every_build():
    ex = all_exercises()[0]
    first, second = (nbformat.writes(notebook.exercise_notebook(ex)) for _ in range(2))
    assert first == second  # fixed cell ids: a rebuild changes no download that did not change


def test_runtime_files_are_linked_not_copied(built):
    # 27 MB per build otherwise; the files are never changed in place
    wasm = next((built / "assets" / "coursekit" / "pyodide").glob("*.wasm"))
    assert wasm.stat().st_nlink > 1


def test_missing_node_modules_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "candidates", lambda start: [tmp_path / "node_modules"])
    runtime._find_runtime.cache_clear()
    try:
        with pytest.raises(runtime.RuntimeAssetsMissing, match=r"npm ci.*|make (build|serve)") as info:
            runtime.find_runtime(tmp_path / "course")
        assert "npm ci" in str(info.value) and "make serve" in str(info.value)
        # Pyodide present but the wheels not downloaded: the message names what is missing.
        (tmp_path / "node_modules" / "pyodide").mkdir(parents=True)
        for name in runtime.PYODIDE_FILES:
            (tmp_path / "node_modules" / "pyodide" / name).write_text("")
        with pytest.raises(runtime.RuntimeAssetsMissing, match=r"pytest-9\.2\.0-py3-none-any\.whl"):
            runtime.find_runtime(tmp_path / "other")
    finally:
        runtime._find_runtime.cache_clear()


def test_node_modules_from_the_environment_variable(tmp_path, monkeypatch):
    real = runtime.find_runtime(REPO).node_modules
    monkeypatch.setenv(runtime.NODE_MODULES_ENV, str(real))
    runtime._find_runtime.cache_clear()
    try:
        candidates = runtime.candidates(tmp_path)
        assert candidates.index(real) < len(candidates) - 1  # before the checkout fallback
        assert runtime.find_runtime(tmp_path).node_modules == real
    finally:
        runtime._find_runtime.cache_clear()


def test_an_edit_within_the_same_second_is_never_run_stale(tmp_path):
    """Bytecode caches are keyed by the source's mtime (whole seconds) and size; the worker
    keeps them (pytest's rewritten tests are slow to redo) but drops the learner's on every edit."""
    ex = load_catalog(Layout(FIXTURES / "two-exercises")).exercises["greet"]
    wrong = 'def greet(name):\n    return f"Hello, {name}?"\n'
    right = 'def greet(name):\n    return f"Hello, {name}!"\n'
    assert len(wrong) == len(right)
    folder = site_folder(ex, wrong, tmp_path)
    script = textwrap.dedent(f"""
        import json, os, sys
        sys.path.insert(0, {str(RUNNER.parent)!r})
        import runner
        sys.dont_write_bytecode = False  # as in the worker
        folder, learner = {str(folder)!r}, {str(folder / "starter.py")!r}
        def check(code, fresh):
            with open(learner, "w") as f:
                f.write(code)
            os.utime(learner, (1_700_000_000, 1_700_000_000))  # the same second, every time
            if fresh:
                runner.fresh_source(learner)
            return json.loads(runner.run_tests(folder, ["test_greet.py"]))["counts"]
        print("COUNTS " + json.dumps([check({wrong!r}, True), check({right!r}, False), check({right!r}, True)]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True)
    first, stale, fresh = json.loads(done.stdout.rpartition("COUNTS ")[2])
    assert first == {"failed": 2}
    assert stale == {"failed": 2}, "without fresh_source the old bytecode runs (the hazard is real)"
    assert fresh == {"passed": 2}


def _runtime_copy(tmp_path: Path) -> runtime.Runtime:
    """A node_modules that shares Pyodide and the wheels with the real one but has its own cache."""
    real = runtime.find_runtime(REPO)
    nm = tmp_path / "node_modules"
    (nm / runtime.CACHE / "wheels").mkdir(parents=True)
    (nm / "pyodide").symlink_to(real.pyodide)
    wheels = []
    for w in real.wheels:
        (nm / runtime.CACHE / "wheels" / w.name).symlink_to(w)
        wheels.append(nm / runtime.CACHE / "wheels" / w.name)
    return runtime.Runtime(nm, tuple(wheels))


def test_snapshot_is_made_once_and_reused(tmp_path):
    rt = _runtime_copy(tmp_path)
    first = runtime.runtime_snapshot(rt)
    assert first is not None and first.parent == rt.node_modules / runtime.CACHE
    memory = gzip.decompress(first.read_bytes())
    assert len(memory) > 10_000_000  # a booted Python with pytest imported, not a stub
    stamp = first.stat().st_mtime_ns
    assert runtime.runtime_snapshot(rt) == first and first.stat().st_mtime_ns == stamp
    assert [p.name for p in first.parent.iterdir() if ".tmp" in p.name] == []


def test_without_node_the_site_ships_no_snapshot(tmp_path, monkeypatch, caplog):
    rt = _runtime_copy(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with caplog.at_level("WARNING", logger="mkdocs.plugins.coursekit"):
        assert runtime.runtime_snapshot(rt) is None
    assert "Node.js not found" in caplog.text


@pytest.fixture(scope="module")
def built_with_search(tmp_path_factory, build) -> Path:
    """The two-exercises fixture course with Material's search plugin, as the course has it."""
    import yaml

    root = tmp_path_factory.mktemp("search") / "two-exercises"
    shutil.copytree(FIXTURES / "two-exercises", root)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", *config["plugins"]]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return build(root, root.parent / "site")


@pytest.mark.parametrize("which", WHICH)
def test_no_solution_reaches_the_search_index(which, request):
    """Material indexes the text of every page; the widget's data (with the solution, shown
    only after passing) is marked data-search-exclude, so searching cannot find a solution."""
    site = request.getfixturevalue("built_with_search" if which == "fixtures" else "built_course")
    catalog = load_catalog(Layout(FIXTURES / "two-exercises" if which == "fixtures" else REPO))
    shortest = 20 if which == "fixtures" else 25  # shorter lines are not evidence of a leak
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = unescape(" ".join(doc["text"] + " " + doc["title"] for doc in index["docs"]))
    pages = unescape(" ".join(p.read_text(encoding="utf-8") for p in site.rglob("index.html")))
    assert catalog.exercises
    # What learners see anyway: every starter (a line may be in another exercise's starter).
    starters = "\n".join(
        (ex.dir / ex.model.files.starter).read_text(encoding="utf-8") for ex in catalog.exercises.values()
    )
    for ex in catalog.exercises.values():
        solution_only = [
            line.strip()
            for line in (ex.dir / ex.model.files.solution).read_text().splitlines()
            if len(line.strip()) > shortest and line.strip() not in starters
        ]
        assert solution_only, ex.id
        # the page does carry them (as JSON in the widget's data): only the index must not
        assert all(json.dumps(line)[1:-1] in pages for line in solution_only), f"{ex.id}: not on its page"
        leaked = [line for line in solution_only if line in text]
        assert not leaked, f"{ex.id}: solution lines in the search index: {leaked[:3]}"
