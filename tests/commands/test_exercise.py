"""The learner's local exercise loop and the instructor's commands, run as processes."""

import json
import shutil
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(*args, cwd, input=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "coursekit", *map(str, args)],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


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


def test_quiz_take_submit_then_grade(minimal_site, tmp_path):
    (minimal_site / "a.yml").write_text("two-plus-two: a\nsky: false\n")
    sub = tmp_path / "ana.json"
    r = run("quiz", "take", "basics", "--answers", "a.yml", "--learner", "ana", "--submit", sub, cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    assert json.loads(sub.read_text())["responses"] == {"two-plus-two": "a", "sky": False}
    again = run("quiz", "take", "basics", "--answers", "a.yml", "--submit", sub, cwd=minimal_site)
    assert again.returncode == 1 and "exists" in again.stderr  # never overwritten
    r = run("grade", "quiz", "basics", sub, "--gradebook", tmp_path / "g.sqlite", "--json", cwd=minimal_site)
    assert json.loads(r.stdout)["score_exact"] == "2"


def test_grade_exercise_folder_into_gradebook(minimal_site, tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    ex = minimal_site / "exercises" / "add-up"
    shutil.copy(ex / "solution.py", folder / "ana.py")
    shutil.copy(ex / "starter.py", folder / "ben.py")
    (folder / "cleo").mkdir()
    shutil.copy(ex / "solution.py", folder / "cleo" / "starter.py")
    (folder / "notes.txt").write_text("not code")
    book = tmp_path / "g.sqlite"
    r = run("grade", "exercise", "add-up", folder, "--gradebook", book, "--json", cwd=minimal_site, timeout=300)
    assert r.returncode == 1  # notes.txt was rejected
    got = {o["learner"]: o for o in map(json.loads, r.stdout.splitlines())}
    assert (got["ana"]["status"], got["ben"]["status"], got["cleo"]["status"]) == ("passed", "failed", "passed")
    assert got["notes"]["status"] == "rejected" and "not a .py file" in got["notes"]["reason"]
    assert all(0 < got[who]["seconds"] < 300 for who in ("ana", "ben", "cleo"))  # each grading's wall time
    with sqlite3.connect(book) as conn:
        assert dict(conn.execute("SELECT learner, score FROM exercise_grades")) == {"ana": "1", "ben": "0", "cleo": "1"}


def test_report_terminal_html_and_json(minimal_site, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    answers = [
        {"two-plus-two": "a", "sky": False, "half": "0.5"},
        {"two-plus-two": "b", "sky": True},
        {"two-plus-two": "a", "sky": False, "half": "2"},
        {"two-plus-two": "b", "sky": False},
    ]
    for i, responses in enumerate(answers):
        (subs / f"l{i}.json").write_text(
            json.dumps(
                {
                    "format": "coursekit-submission",
                    "version": 1,
                    "learner": f"l{i}",
                    "quiz": "basics",
                    "submitted_at": "2026-11-20T10:00:00+00:00",
                    "responses": responses,
                }
            )
        )
    book = tmp_path / "g.sqlite"
    assert run("grade", "quiz", "basics", subs, "--gradebook", book, cwd=minimal_site).returncode == 0
    html = tmp_path / "report.html"
    r = run("report", "basics", "--gradebook", book, "--html", html, cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    assert "two-plus-two" in r.stdout and "<svg" in html.read_text()
    data = json.loads(run("report", "basics", "--gradebook", book, "--json", cwd=minimal_site).stdout)
    assert data["submissions"] == 4


def test_export_every_format(repo, tmp_path):
    for fmt, name in [("moodle", "q.xml"), ("gift", "q.gift"), ("qti", "q.zip"), ("qti12", "q12.zip")]:
        out = tmp_path / name
        r = run("export", "story-so-far", "--format", fmt, "--out", out, cwd=repo)
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 500
    ET.parse(tmp_path / "q.xml")  # strict XML
    r = run("export", "story-so-far", "--format", "moodle", "--out", tmp_path / "q.xml", cwd=repo)
    assert r.returncode == 1 and "exists" in r.stderr
    assert run("export", "story-so-far", "--format", "pdf", "--out", tmp_path / "x", cwd=repo).returncode == 2


def test_a_build_that_fails_says_why(minimal_site, tmp_path):
    config = minimal_site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material", "  name: no-such-theme", 1))
    r = run("build", "--site-dir", tmp_path / "out", cwd=minimal_site)
    assert r.returncode == 1
    assert "not built" in r.stderr and "Unrecognised theme name: 'no-such-theme'" in r.stderr
