"""Every exercise of the course runs as a plain script, its solution and a learner's solved
copy alike, from the course root and from any other folder (the machinery's side of this, on a
fixture course, is in tests/exercise/test_workspace.py)."""

import shutil
import subprocess
import sys
from pathlib import Path

from coursekit.content.catalog import Layout, load_catalog


def run(*args, cwd, timeout=180):
    return subprocess.run(
        [sys.executable, "-m", "coursekit", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


COURSE = Path(__file__).resolve().parents[2]


def course_exercises():
    return sorted(load_catalog(Layout(COURSE)).exercises.values(), key=lambda ex: ex.id)


def run_script(path: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(path)], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_every_solution_runs_as_a_script_from_any_folder(tmp_path):
    """`python exercises/<id>/solution.py` from the course root (or anywhere) finds its data."""
    for where in (COURSE, tmp_path):
        for ex in course_exercises():
            r = run_script(ex.file(ex.model.files.solution), where)
            assert r.returncode == 0, f"{ex.id} from {where}:\n{r.stderr[-1500:]}"


def test_a_learners_copy_runs_as_a_script_from_any_folder(tmp_path):
    """The copy `coursekit exercise check` makes in work/<id>/, once solved, runs from the course
    root and from elsewhere: it reads the data copied beside it, not the working folder's."""
    site = tmp_path / "course"
    site.mkdir()
    for part in ("course", "quizzes", "exercises"):
        shutil.copytree(COURSE / part, site / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(COURSE / "mkdocs.yml", site / "mkdocs.yml")
    r = run("exercise", "check", "--all", "--json", cwd=site, timeout=600)
    assert r.returncode == 1, r.stdout[-1000:] + r.stderr[-1000:]  # the starters: not done yet
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for ex in course_exercises():
        mine = site / "work" / ex.id / ex.model.files.starter
        assert mine.is_file(), mine
        shutil.copy(ex.file(ex.model.files.solution), mine)
        for where in (site, elsewhere):
            r = run_script(mine, where)
            assert r.returncode == 0, f"{ex.id} from {where}:\n{r.stderr[-1500:]}"
