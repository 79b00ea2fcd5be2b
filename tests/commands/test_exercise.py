"""`coursekit exercise ...` (coursekit.commands.exercise): the learner's local exercise loop,
run as processes."""

import json
import shutil
import subprocess
import sys
import time

from .process import run


def test_exercise_list_json(minimal_site):
    r = run("exercise", "list", "--json", cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    assert any(x["id"] == "add-up" for x in json.loads(r.stdout))


def test_exercise_check_starter_fails_solution_passes(minimal_site):
    r = run("exercise", "check", "add-up", cwd=minimal_site)
    assert r.returncode == 1
    assert "NotImplementedError" in r.stdout and "coursekit exercise hint add-up" in r.stdout
    r = run("exercise", "check", "add-up", "--file", "exercises/add-up/solution.py", cwd=minimal_site)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "All tests pass." in r.stdout


def test_exercise_check_time_limit(minimal_site):
    slow = minimal_site / "slow.py"
    slow.write_text("def add(a, b):\n    while True:\n        pass\n")
    r = run("exercise", "check", "add-up", "--file", str(slow), "--timeout", "3", cwd=minimal_site)
    assert r.returncode == 1
    assert "Stopped after 3 s: test_add_up.py::test_add was still running" in r.stdout  # names the test


def test_hints_progress_and_solution_gate(minimal_site):
    r = run("exercise", "hint", "add-up", cwd=minimal_site)
    assert r.returncode == 0 and "Hint 1 of 1" in r.stdout and "Use the + operator." in r.stdout
    assert run("exercise", "solution", "add-up", cwd=minimal_site).returncode == 1  # not passed yet
    assert "in progress" in run("exercise", "list", cwd=minimal_site).stdout
    mine = minimal_site / "work" / "add-up" / "starter.py"  # the learner's copy, where check looks
    mine.parent.mkdir(parents=True)
    shutil.copy(minimal_site / "exercises" / "add-up" / "solution.py", mine)
    assert run("exercise", "check", "--all", cwd=minimal_site).returncode == 0
    rows = json.loads(run("exercise", "list", "--json", cwd=minimal_site).stdout)
    assert rows[0]["status"] == "done"
    state = json.loads((minimal_site / ".coursekit" / "progress.json").read_text())
    assert state["add-up"]["passed"] is True and state["add-up"]["hints"] == 1
    r = run("exercise", "solution", "add-up", cwd=minimal_site)
    assert r.returncode == 0 and "return a + b" in r.stdout


def test_reset_starts_again_from_the_starter_and_keeps_a_backup(minimal_site):
    r = run("exercise", "check", "add-up", cwd=minimal_site)  # makes the learner's copy
    mine = minimal_site / "work" / "add-up" / "starter.py"
    starter = minimal_site / "exercises" / "add-up" / "starter.py"
    assert mine.read_text() == starter.read_text() and "work/add-up/starter.py" in r.stdout
    mine.write_text("def add(a, b):\n    return 'my attempt'\n")
    r = run("exercise", "reset", "add-up", "--yes", cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    assert mine.read_text() == starter.read_text()
    backups = list((minimal_site / ".coursekit" / "backups").glob("add-up-*.py"))
    assert len(backups) == 1 and "my attempt" in backups[0].read_text()


def test_edits_made_to_a_course_starter_are_moved_never_lost(minimal_site):
    git = lambda *a: subprocess.run(["git", *a], cwd=minimal_site, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("add", "-A")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "course")
    starter = minimal_site / "exercises" / "add-up" / "starter.py"
    original = starter.read_text()
    starter.write_text("def add(a, b):\n    return a + b  # my work, done the old way\n")
    r = run("exercise", "check", "add-up", cwd=minimal_site)  # not a terminal: it says what to do
    assert r.returncode == 1 and "coursekit exercise move-edits add-up" in r.stderr
    assert "my work" in starter.read_text()  # nothing touched
    r = run("exercise", "move-edits", "--all", cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    assert starter.read_text() == original
    assert "my work" in (minimal_site / "work" / "add-up" / "starter.py").read_text()
    assert any("my work" in b.read_text() for b in (minimal_site / ".coursekit" / "backups").glob("add-up-*.py"))
    r = run("exercise", "check", "add-up", cwd=minimal_site)
    assert r.returncode == 0, r.stdout


def test_watch_rechecks_on_save_until_green(minimal_site):
    mine = minimal_site / "work" / "add-up" / "starter.py"
    proc = subprocess.Popen(
        [sys.executable, "-m", "coursekit", "exercise", "watch", "add-up", "--interval", "0.2"],
        cwd=minimal_site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(4)  # the first check (failing) runs meanwhile, on the copy it made
        mine.write_text("def add(a, b):\n    return a + b\n")
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "Waiting for you to save" in out and "All tests pass." in out
    assert "return a + b" not in (minimal_site / "exercises" / "add-up" / "starter.py").read_text()
