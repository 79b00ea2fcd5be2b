"""Grades an LMS imports (checked against the layouts of Canvas's and Moodle's own examples),
the rules of `gradebook merge`, and exercises not run again when nothing changed."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "lms"
ASSIGNMENT = re.compile(r"^(.+) \((\S+)\)$")  # Canvas: "<name> (<assignment id>)"
MOODLE_ITEM = re.compile(r"^[A-Z][a-z]+: .+$")  # Moodle: "<activity type>: <name>"
MOODLE_NUMBER = re.compile(r"^\d+\.\d{2}$")
CANVAS_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def coursekit(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "coursekit", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def submission(learner, responses, at="2026-11-20T10:00:00+00:00"):
    return {
        "format": "coursekit-submission",
        "version": 1,
        "learner": learner,
        "quiz": "basics",
        "attempt": 1,
        "submitted_at": at,
        "responses": responses,
    }


RIGHT = {"two-plus-two": "a", "pick-evens": ["two", "four"], "sky": False, "half": "0.5", "colour": "green"}
HALF = {"two-plus-two": "b", "pick-evens": ["two"], "sky": True, "half": "2", "colour": "blue"}


def batch(folder: Path, subs: dict[str, dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in subs.items():
        (folder / f"{name}.json").write_text(json.dumps(data))
    return folder


def read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


# --- LMS CSVs -----------------------------------------------------------------------


@pytest.fixture
def graded(minimal_site, tmp_path):
    folder = batch(
        tmp_path / "subs",
        {
            "ana": submission("ana", RIGHT),
            "ben": submission("ben", HALF),
            "cleo@uni.example": submission("cleo@uni.example", RIGHT),
        },
    )
    book = tmp_path / "g.sqlite"
    r = coursekit("grade", "quiz", "basics", folder, "--gradebook", book, cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    r = coursekit(
        "gradebook",
        "override",
        "basics",
        "ben",
        "--score",
        "3",
        "--reason",
        "appeal",
        "--gradebook",
        book,
        cwd=minimal_site,
    )
    assert r.returncode == 0, r.stderr
    return minimal_site, folder, book


def test_canvas_csv_has_the_documented_layout(graded, tmp_path):
    site, folder, book = graded
    out = tmp_path / "canvas.csv"
    r = coursekit(
        "grade", "quiz", "basics", folder, "--gradebook", book, "--csv", out, "--csv-format", "canvas", cwd=site
    )
    assert r.returncode == 0, r.stderr
    ours, theirs = read(out), read(FIXTURES / "canvas-gradebook.csv")
    assert ours[0][:5] == theirs[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert len(ours[0]) == 6  # one assignment column, nothing Canvas would take for another assignment
    assert ASSIGNMENT.match(theirs[0][5]) and ASSIGNMENT.match(ours[0][5]).groups() == ("Basics", "basics")
    assert ours[1][0] == theirs[1][0] == "Points Possible" and ours[1][1:5] == ["", "", "", ""] == theirs[1][1:5]
    assert ours[1][5] == "5" and CANVAS_NUMBER.match(theirs[1][5])
    login = theirs[0].index("SIS Login ID")
    rows = {row[login]: row for row in ours[2:]}
    assert set(rows) == {"ana", "ben", "cleo@uni.example"}
    assert (rows["ana"][5], rows["ben"][5]) == ("5", "3")  # the override counts
    assert all(CANVAS_NUMBER.match(row[5]) for row in ours[1:]) and all(CANVAS_NUMBER.match(r[5]) for r in theirs[2:])
    # an existing Canvas assignment: its id in the parentheses
    r = coursekit(
        "grade",
        "quiz",
        "basics",
        folder,
        "--gradebook",
        book,
        "--csv",
        tmp_path / "c2.csv",
        "--csv-format",
        "canvas",
        "--lms-item",
        "4471",
        cwd=site,
    )
    assert read(tmp_path / "c2.csv")[0][5] == "Basics (4471)"


def test_moodle_csv_has_the_documented_layout(graded, tmp_path):
    site, folder, book = graded
    out = tmp_path / "moodle.csv"
    r = coursekit(
        "grade", "quiz", "basics", folder, "--gradebook", book, "--csv", out, "--csv-format", "moodle", cwd=site
    )
    assert r.returncode == 0, r.stderr
    ours, theirs = read(out), read(FIXTURES / "moodle-grades.csv")
    assert ours[0][:6] == theirs[0][:6]
    assert MOODLE_ITEM.match(theirs[0][6]) and ours[0][6] == "Quiz: Basics" and MOODLE_ITEM.match(ours[0][6])
    idnumber, email = theirs[0].index("ID number"), theirs[0].index("Email address")
    rows = {row[idnumber]: row for row in ours[1:]}
    assert {k: v[6] for k, v in rows.items()} == {"ana": "5.00", "ben": "3.00", "cleo@uni.example": "5.00"}
    assert rows["cleo@uni.example"][email] == "cleo@uni.example" and rows["ana"][email] == ""
    assert all(MOODLE_NUMBER.match(r[6]) for r in ours[1:]) and all(MOODLE_NUMBER.match(r[6]) for r in theirs[1:])


def test_csv_format_refused_when_unknown_and_foreign_file_kept(graded, tmp_path):
    site, folder, book = graded
    r = coursekit(
        "grade",
        "quiz",
        "basics",
        folder,
        "--gradebook",
        book,
        "--csv",
        tmp_path / "x.csv",
        "--csv-format",
        "blackboard",
        cwd=site,
    )
    said = " ".join(re.sub(r"[│╭╮╰╯─]", " ", r.stderr).split())
    assert r.returncode == 2 and "'blackboard' is not one of 'plain', 'moodle', 'canvas'" in said
    foreign = tmp_path / "mine.csv"
    foreign.write_text("my,own\n")
    r = coursekit("grade", "quiz", "basics", folder, "--gradebook", book, "--csv", foreign, cwd=site)
    assert r.returncode == 1 and foreign.read_text() == "my,own\n"


def test_table_without_json(graded):
    site, folder, book = graded
    r = coursekit("grade", "quiz", "basics", folder, "--gradebook", book, cwd=site)
    assert r.returncode == 0, r.stderr
    assert "learner" in r.stdout and "score" in r.stdout and "status" in r.stdout
    line = next(line for line in r.stdout.splitlines() if " ben " in line)
    assert "3 / 5" in line and "unchanged" in line and "override: appeal" in r.stdout
    assert "\x1b[" not in r.stderr and "grading" not in r.stderr  # no progress bar into a pipe


# --- merge ---------------------------------------------------------------------------


def test_merge_rules(minimal_site, tmp_path):
    site = minimal_site
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert (
        coursekit(
            "grade",
            "quiz",
            "basics",
            batch(
                tmp_path / "one",
                {"ana": submission("ana", RIGHT), "ben": submission("ben", HALF), "dev": submission("dev", HALF)},
            ),
            "--gradebook",
            a,
            cwd=site,
        ).returncode
        == 0
    )
    assert (
        coursekit(
            "grade",
            "quiz",
            "basics",
            batch(
                tmp_path / "two",
                {"ben": submission("Ben", RIGHT, at="2026-11-21T10:00:00+00:00"), "dev": submission("dev", HALF)},
            ),
            "--gradebook",
            b,
            cwd=site,
        ).returncode
        == 0
    )
    assert (
        coursekit(
            "gradebook", "override", "basics", "ana", "--score", "4", "--reason", "late", "--gradebook", a, cwd=site
        ).returncode
        == 0
    )
    assert (
        coursekit("gradebook", "remove", "basics", "dev", "--reason", "copied", "--gradebook", a, cwd=site).returncode
        == 0
    )
    out = tmp_path / "m.sqlite"
    r = coursekit("gradebook", "merge", out, a, b, cwd=site)
    assert r.returncode == 0, r.stderr
    assert "conflict: basics: Ben: two submissions" in r.stderr  # reported, the newer kept
    with sqlite3.connect(out) as conn:
        got = {
            row[0]: row[1:]
            for row in conn.execute("SELECT learner, score, graded_score, override_reason FROM quiz_grades")
        }
        assert got == {"ana": ("4", "5", "late"), "Ben": ("5", "5", None)}  # dev: removed in a, the same file in b
        assert conn.execute("SELECT COUNT(*) FROM quiz_items WHERE learner = 'Ben'").fetchone()[0] == 5
        actions = sorted(r[0] for r in conn.execute("SELECT action FROM audit"))
        assert actions == ["override", "remove"]
        assert conn.execute("SELECT COUNT(*) FROM quiz_removed").fetchone()[0] == 1
    # a re-run of the removed file into the merged gradebook keeps it out
    r = coursekit("grade", "quiz", "basics", tmp_path / "two" / "dev.json", "--gradebook", out, cwd=site)
    assert "removed by an instructor (copied)" in r.stderr
    # OUT is never a stranger's file: refused unless it is among the inputs
    r = coursekit("gradebook", "merge", a, b, cwd=site)
    assert r.returncode == 1 and "exists and is not among the gradebooks to merge" in r.stderr
    before = sqlite3.connect(b).execute("SELECT COUNT(*) FROM quiz_grades").fetchone()
    r = coursekit("gradebook", "merge", b, b, a, cwd=site)
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(b) as conn:  # merged into b: b's own id for ben kept
        assert {r[0] for r in conn.execute("SELECT learner FROM quiz_grades")} == {"ana", "Ben"}
    assert before == (2,)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".merging")]  # no temporary file left
    r = coursekit("gradebook", "merge", tmp_path / "x.sqlite", tmp_path / "missing.sqlite", cwd=site)
    assert r.returncode == 1 and "no such gradebook" in r.stderr and "Traceback" not in r.stderr


# --- exercises: not run again when unchanged; ids without case -------------------------


def grade_ex(site, folder, book, *extra):
    r = coursekit("grade", "exercise", "add-up", folder, "--gradebook", book, "--json", *extra, cwd=site)
    assert "Traceback" not in r.stderr, r.stderr
    return {o["learner"]: o for o in map(json.loads, r.stdout.splitlines())}, r


def test_exercise_rerun_only_what_changed(minimal_site, tmp_path):
    ex = minimal_site / "exercises" / "add-up"
    folder = tmp_path / "subs"
    folder.mkdir()
    shutil.copy(ex / "solution.py", folder / "ana.py")
    shutil.copy(ex / "starter.py", folder / "ben.py")
    shutil.copy(ex / "solution.py", folder / "cleo.py")
    book = tmp_path / "g.sqlite"
    first, _ = grade_ex(minimal_site, folder, book)
    assert sorted(o["run"] for o in first.values()) == ["graded", "graded", "reused"]  # ana and cleo: same bytes
    again, r = grade_ex(minimal_site, folder, book)
    assert {o["run"] for o in again.values()} == {"unchanged"} and again["ben"]["status"] == "failed"
    (folder / "ben.py").write_text("def add(a, b):\n    return b + a\n")
    changed, _ = grade_ex(minimal_site, folder, book)
    assert changed["ben"]["run"] == "graded" and changed["ben"]["status"] == "passed"
    assert changed["ana"]["run"] == changed["cleo"]["run"] == "unchanged"
    coursekit(
        "grade", "exercise", "add-up", folder, "--gradebook", book, "--csv", tmp_path / "ex.csv", cwd=minimal_site
    )
    plain = read(tmp_path / "ex.csv")
    assert plain[0][:4] == ["learner", "exercise", "status", "score"]
    assert {row[0]: (row[2], row[3]) for row in plain[1:]} == {
        "ana": ("passed", "1"),
        "ben": ("passed", "1"),
        "cleo": ("passed", "1"),
    }
    coursekit(
        "grade",
        "exercise",
        "add-up",
        folder,
        "--gradebook",
        book,
        "--csv",
        tmp_path / "ex-canvas.csv",
        "--csv-format",
        "canvas",
        cwd=minimal_site,
    )
    canvas = read(tmp_path / "ex-canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Add up (add-up)"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "1"]
    forced, _ = grade_ex(minimal_site, folder, book, "--regrade")
    assert {o["run"] for o in forced.values()} <= {"graded", "reused"}
    # the tests changed (their bytes): everyone runs again
    test_file = ex / "test_add_up.py"
    test_file.write_text(test_file.read_text() + "\n\ndef test_zero(learner):\n    assert learner.add(0, 0) == 0\n")
    retest, _ = grade_ex(minimal_site, folder, book)
    assert {o["run"] for o in retest.values()} <= {"graded", "reused"} and retest["ana"]["total"] == 2
    with sqlite3.connect(book) as conn:
        assert conn.execute("SELECT COUNT(DISTINCT fingerprint) FROM exercise_grades").fetchone()[0] == 2


def test_exercise_learner_ids_without_case(minimal_site, tmp_path):
    ex = minimal_site / "exercises" / "add-up"
    folder = tmp_path / "subs"
    folder.mkdir()
    shutil.copy(ex / "starter.py", folder / "Ana.py")
    shutil.copy(ex / "solution.py", folder / "ana.py")
    os.utime(folder / "Ana.py", (1_700_000_000, 1_700_000_000))
    os.utime(folder / "ana.py", (1_700_000_500, 1_700_000_500))
    book = tmp_path / "g.sqlite"
    got, r = grade_ex(minimal_site, folder, book)
    assert r.returncode == 1  # the earlier file is rejected as a duplicate
    rejected = [o for o in map(json.loads, r.stdout.splitlines()) if o["status"] == "rejected"]
    assert len(rejected) == 1 and "duplicate" in rejected[0]["reason"] and "ana.py" in rejected[0]["reason"]
    (folder / "Ana.py").unlink()
    shutil.copy(ex / "starter.py", folder / "ANA.py")  # an earlier file under another case
    os.utime(folder / "ANA.py", (1_700_000_100, 1_700_000_100))
    got, _ = grade_ex(minimal_site, folder, book)
    with sqlite3.connect(book) as conn:
        assert conn.execute("SELECT learner, status FROM exercise_grades").fetchall() == [("ana", "passed")]
    assert got["ana"]["run"] == "unchanged"  # ana.py is still the later one; ANA.py is rejected
    os.utime(folder / "ANA.py", (1_700_000_900, 1_700_000_900))  # now the later one: the same row
    got, _ = grade_ex(minimal_site, folder, book)
    with sqlite3.connect(book) as conn:  # one row, under the id first graded, now the later file's grade
        assert conn.execute("SELECT learner, status FROM exercise_grades").fetchall() == [("ana", "failed")]


def test_version_2_gradebook_gets_the_fingerprint_column(minimal_site, tmp_path):
    book = tmp_path / "old.sqlite"
    with sqlite3.connect(book) as conn:
        conn.executescript("""
CREATE TABLE exercise_grades (exercise TEXT NOT NULL, learner TEXT NOT NULL, status TEXT NOT NULL,
    passed INTEGER NOT NULL, total INTEGER NOT NULL, score TEXT NOT NULL, reason TEXT NOT NULL,
    sandbox TEXT NOT NULL, graded_at TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (exercise, learner));
INSERT INTO exercise_grades VALUES ('add-up','ana','failed',0,1,'0','old','bwrap','then','abc');
PRAGMA user_version = 2;""")
    folder = tmp_path / "subs"
    folder.mkdir()
    shutil.copy(minimal_site / "exercises" / "add-up" / "solution.py", folder / "Ana.py")
    got, r = grade_ex(minimal_site, folder, book)
    assert got["ana"]["run"] == "graded" and got["ana"]["status"] == "passed", r.stderr
    with sqlite3.connect(book) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(exercise_grades)")}
        assert {"fingerprint", "submitted_at"} <= columns
        assert conn.execute("SELECT learner, fingerprint != '' FROM exercise_grades").fetchall() == [("ana", 1)]
