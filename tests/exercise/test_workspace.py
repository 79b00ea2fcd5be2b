"""Learners and teams working locally: the workspace keeps the course's files the author's,
hand-ins grade, `check --all --json` is what CI reads, and the small promises of the CLI."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from coursekit.content.catalog import Layout, load_catalog
from coursekit.site import exercises as site_exercises

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"


def run(*args, cwd, env=None, timeout=180):
    return subprocess.run(
        [sys.executable, "-m", "coursekit", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def solve(site: Path, exercise_id: str) -> Path:
    """Do an exercise as a learner does: check (which makes the copy), write the answer there."""
    run("exercise", "check", exercise_id, cwd=site)
    mine = site / "work" / exercise_id / "starter.py"
    shutil.copy(site / "exercises" / exercise_id / "solution.py", mine)
    assert run("exercise", "check", exercise_id, cwd=site).returncode == 0
    return mine


def test_solved_work_never_reaches_the_site_or_the_course_checks(tmp_path, build):
    site = tmp_path / "two-exercises"
    shutil.copytree(FIXTURES / "two-exercises", site)
    for ex in ("sum-csv", "greet"):
        solve(site, ex)
    cat = load_catalog(Layout(site))
    out = build(site, tmp_path / "out")
    for ex in cat.exercises.values():
        course = ex.starter.read_text(encoding="utf-8")
        assert "NotImplementedError" in course or "TODO" in course  # the course's starter is untouched
        shipped = out / "assets" / "coursekit" / "exercises" / ex.id / ex.model.files.starter
        assert shipped.read_text(encoding="utf-8") == course
        assert site_exercises.exercise_data(ex)["starter"] == course
    # The authoring check still sees every starter fail, whatever the learner has done.
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "exercises/"],
        cwd=site,
        env={**__import__("os").environ, "COURSEKIT_STARTERS": "1"},
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1 and " passed" not in r.stdout.splitlines()[-1], r.stdout[-500:]
    # Plain pytest, as a learner runs it, checks their copies: all pass.
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "exercises/"],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout[-1000:]


def test_submit_then_grade_and_check_all_json(tmp_path):
    site = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", site)
    assert run("exercise", "submit", "add-up", "--learner", "ana", cwd=site).returncode == 1  # no file yet
    solve(site, "add-up")
    assert run("exercise", "submit", "add-up", cwd=site).returncode == 2  # who is it?
    r = run("exercise", "submit", "add-up", "--learner", "ana", cwd=site)
    assert r.returncode == 0, r.stderr
    assert (site / "handin" / "add-up" / "ana.py").read_text() == (site / "work" / "add-up" / "starter.py").read_text()
    again = run("exercise", "submit", "add-up", "--learner", "ana", cwd=site)
    assert again.returncode == 1 and "--replace" in again.stderr  # never overwritten silently
    assert run("exercise", "submit", "--all", "--learner", "ana", "--replace", cwd=site).returncode == 0
    r = run(
        "grade",
        "exercise",
        "add-up",
        site / "handin" / "add-up",
        "--gradebook",
        tmp_path / "g.sqlite",
        "--json",
        cwd=site,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    [graded] = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert graded["learner"] == "ana" and graded["status"] == "passed"
    r = run("exercise", "check", "--all", "--json", cwd=site)
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["passed"] == doc["total"] == 1
    assert {"id", "module", "status", "passed", "summary", "file"} <= doc["exercises"][0].keys()
    assert doc["exercises"][0]["status"] == "done" and doc["exercises"][0]["summary"] == "1 passed"


def test_list_in_module_order_with_ids_whole_and_one_notion_of_done(tmp_path):
    site = tmp_path / "two-exercises"
    shutil.copytree(FIXTURES / "two-exercises", site)
    rows = json.loads(run("exercise", "list", "--json", cwd=site).stdout)
    assert [r["module"] for r in rows] == sorted(r["module"] for r in rows)
    narrow = run("exercise", "list", cwd=site, env={**__import__("os").environ, "COLUMNS": "40"})
    for r in rows:
        assert r["id"] in narrow.stdout  # never cut at the terminal's edge
    mine = solve(site, "greet")
    mine.write_text(mine.read_text() + "\nraise RuntimeError('a later change breaks it')\n")
    run("exercise", "check", "--all", cwd=site)
    status = {r["id"]: r["status"] for r in json.loads(run("exercise", "list", "--json", cwd=site).stdout)}
    assert status["greet"] == "in progress"  # list and check --all agree: it does not pass now


def test_the_last_hint_says_so(tmp_path):
    site = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", site)
    assert "(the last one)" in run("exercise", "hint", "add-up", cwd=site).stdout
    assert "That was the last hint" in run("exercise", "hint", "add-up", cwd=site).stdout


def test_the_learners_copy_runs_from_its_own_folder(tmp_path):
    site = tmp_path / "two-exercises"
    shutil.copytree(FIXTURES / "two-exercises", site)
    run("exercise", "check", "sum-csv", cwd=site)
    folder = site / "work" / "sum-csv"
    assert (folder / "data" / "numbers.csv").is_file() and (folder / "data" / "README.md").is_file()
