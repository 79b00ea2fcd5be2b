"""Regrading after a key correction, --regrade, an instructor's removals and overrides with
their reasons, the migration of an older gradebook, learner ids that differ only by case,
and `quiz take --submit`: all through the real CLI on a real SQLite file."""

import csv
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from coursekit.grading import gradebook

ANSWERS = {
    "ana": {"two-plus-two": "a", "pick-evens": ["two", "four"], "sky": False, "half": "0.5", "colour": "green"},
    "ben": {"two-plus-two": "b", "pick-evens": ["two"], "sky": True, "half": "2", "colour": "blue"},
    "cleo": {"two-plus-two": "a", "pick-evens": ["two", "five"], "sky": False, "half": "0.51", "colour": " Green"},
    "dev": {"colour": "teal"},
}
SCORES = {"ana": "5", "ben": "1/2", "cleo": "4", "dev": "0"}


def at(hours_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat(timespec="seconds")


def submission(learner, responses, when=None):
    return {
        "format": "coursekit-submission",
        "version": 1,
        "learner": learner,
        "quiz": "basics",
        "attempt": 1,
        "submitted_at": when or at(2),
        "responses": responses,
    }


def run(*args, cwd, env=None):
    return subprocess.run(
        [sys.executable, "-m", "coursekit", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def scores(book, column="score"):
    with sqlite3.connect(book) as conn:
        return dict(conn.execute(f"SELECT learner, {column} FROM quiz_grades WHERE quiz = 'basics'").fetchall())


def outcomes(r):
    return {o["learner"]: o for o in map(json.loads, r.stdout.splitlines())}


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for learner, responses in ANSWERS.items():
        (folder / f"{learner}.json").write_text(json.dumps(submission(learner, responses)))
    return folder


@pytest.fixture
def graded(minimal_site, inbox, tmp_path):
    book = tmp_path / "grades.sqlite"
    r = run("grade", "quiz", "basics", inbox, "--gradebook", book, cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    assert scores(book) == SCORES
    return book


def edit_quiz(site, old, new):
    path = site / "quizzes" / "basics.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_an_accepted_answer_added_regrades_the_rows_it_affects(minimal_site, inbox, graded):
    # the instructor decides "teal" is green enough: dev's unchanged file is worth a point now
    edit_quiz(minimal_site, "accept: [green]", "accept: [green, teal]")
    r = run("grade", "quiz", "basics", inbox, "--gradebook", graded, "--json", cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    assert "0 graded, 4 regraded, 0 unchanged" in r.stderr
    assert "4 rows regraded: the key changed (1 score changed)" in r.stderr
    assert {k: (o["status"], o["reason"]) for k, o in outcomes(r).items()} == dict.fromkeys(
        ANSWERS, ("regraded", "the key changed")
    )
    assert scores(graded) == {**SCORES, "dev": "1"}
    # once regraded, the same run again changes nothing
    again = run("grade", "quiz", "basics", inbox, "--gradebook", graded, cwd=minimal_site)
    assert "0 graded, 0 regraded, 4 unchanged" in again.stdout and "the key changed" not in again.stdout
    with sqlite3.connect(graded) as conn:
        action, reason, detail = conn.execute("SELECT action, reason, detail FROM audit").fetchone()
    assert (action, reason, json.loads(detail)["rows"]) == ("regrade", "the key changed", 4)


def test_a_wording_change_regrades_nobody(minimal_site, inbox, graded):
    edit_quiz(minimal_site, "prompt: Name the colour of grass.", "prompt: Name the colour of a lawn.")
    edit_quiz(minimal_site, "wrong_feedback: Look at a lawn.", "wrong_feedback: Look outside.")
    r = run("grade", "quiz", "basics", inbox, "--gradebook", graded, cwd=minimal_site)
    assert "0 graded, 0 regraded, 4 unchanged" in r.stdout, r.stdout


def test_a_key_change_to_a_row_not_in_the_batch_is_reported(minimal_site, inbox, graded):
    (inbox / "dev.json").unlink()
    edit_quiz(minimal_site, "tolerance: 0.01", "tolerance: 0.001")  # cleo's 0.51 is wrong now
    r = run("grade", "quiz", "basics", inbox, "--gradebook", graded, cwd=minimal_site)
    assert "3 rows regraded: the key changed (1 score changed)" in r.stdout
    assert "1 row(s) were graded with an older key and their submissions are not in this batch: dev" in r.stderr
    assert scores(graded)["cleo"] == "3"


def test_regrade_forces_every_row(minimal_site, inbox, graded):
    with sqlite3.connect(graded) as conn:
        conn.execute("UPDATE quiz_grades SET graded_at = 'then'")
    r = run("grade", "quiz", "basics", inbox, "--gradebook", graded, "--regrade", "--json", cwd=minimal_site)
    assert r.returncode == 0 and "0 graded, 4 regraded, 0 unchanged" in r.stderr
    assert {o["reason"] for o in outcomes(r).values()} == {"--regrade"}
    assert scores(graded) == SCORES and set(scores(graded, "graded_at").values()) != {"then"}


def test_remove_with_a_reason_keeps_that_file_out(minimal_site, inbox, graded):
    r = run("gradebook", "remove", "basics", "BEN", "--gradebook", graded, "--reason", "   ", cwd=minimal_site)
    assert r.returncode == 1 and "a reason is required" in r.stderr and "ben" in scores(graded)
    r = run(
        "gradebook",
        "remove",
        "basics",
        "BEN",
        "--gradebook",
        graded,
        "--reason",
        "submitted by a classmate",
        cwd=minimal_site,
    )
    assert r.returncode == 0, r.stderr
    assert "Removed ben's row" in r.stdout and "ben" not in scores(graded)
    with sqlite3.connect(graded) as conn:
        assert conn.execute("SELECT COUNT(*) FROM quiz_items WHERE learner = 'ben'").fetchone()[0] == 0
    # the same file is not graded again; it is reported, and it is no error
    r = run("grade", "quiz", "basics", inbox, "--gradebook", graded, cwd=minimal_site)
    assert r.returncode == 0 and "ben" not in scores(graded)
    assert "removed by an instructor (submitted by a classmate)" in r.stderr
    # ben's own new submission is graded
    (inbox / "ben.json").write_text(json.dumps(submission("ben", ANSWERS["ana"], when=at(1))))
    r = run("grade", "quiz", "basics", inbox, "--gradebook", graded, cwd=minimal_site)
    assert r.returncode == 0 and scores(graded)["ben"] == "5"
    r = run("gradebook", "remove", "basics", "nobody", "--gradebook", graded, "--reason", "x", cwd=minimal_site)
    assert r.returncode == 1 and "no row for learner 'nobody'" in r.stderr


def test_an_override_survives_grading_and_shows_in_csv_and_json(minimal_site, inbox, graded, tmp_path):
    r = run(
        "gradebook",
        "override",
        "basics",
        "ben",
        "--score",
        "9",
        "--reason",
        "x",
        "--gradebook",
        graded,
        cwd=minimal_site,
    )
    assert r.returncode == 1 and "between 0 and 5" in r.stderr
    r = run(
        "gradebook",
        "override",
        "basics",
        "ben",
        "--score",
        "7/2",
        "--reason",
        "appeal: the sky question was ambiguous",
        "--gradebook",
        graded,
        cwd=minimal_site,
    )
    assert r.returncode == 0, r.stderr
    assert scores(graded)["ben"] == "7/2"
    # a corrected key and a forced regrade both leave the override standing
    edit_quiz(minimal_site, "accept: [green]", "accept: [green, blue]")
    edit_quiz(
        minimal_site,
        "    mistakes:\n      - {answers: [blue], feedback: That is the sky., misconception: Confusing grass and sky.}",
        "",
    )
    out = tmp_path / "grades.csv"
    r = run("grade", "quiz", "basics", inbox, "--gradebook", graded, "--json", "--csv", out, cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    ben = outcomes(r)["ben"]
    assert (ben["status"], ben["score_exact"], ben["override_score"]) == ("regraded", "3/2", "7/2")
    assert ben["override_reason"].startswith("appeal")
    assert scores(graded)["ben"] == "7/2" and scores(graded, "graded_score")["ben"] == "3/2"
    table = {row["learner"]: row for row in csv.DictReader(io.StringIO(out.read_text()))}
    assert (table["ben"]["score"], table["ben"]["graded_score"], table["ben"]["percent"]) == ("3.5", "1.5", "70")
    assert table["ben"]["override"].startswith("appeal") and table["ana"]["override"] == ""
    run("grade", "quiz", "basics", inbox, "--gradebook", graded, "--regrade", cwd=minimal_site)
    assert scores(graded)["ben"] == "7/2"
    # clearing it gives the key's score back
    r = run(
        "gradebook",
        "override",
        "basics",
        "Ben",
        "--clear",
        "--reason",
        "appeal withdrawn",
        "--gradebook",
        graded,
        cwd=minimal_site,
    )
    assert r.returncode == 0 and scores(graded)["ben"] == "3/2"
    r = run("gradebook", "audit", "--gradebook", graded, "--json", cwd=minimal_site)
    log = [(e["action"], e["learner"], e["reason"]) for e in json.loads(r.stdout)]
    assert log == [
        ("override", "ben", "appeal: the sky question was ambiguous"),
        ("regrade", None, "the key changed"),
        ("regrade", None, "--regrade"),
        ("clear-override", "ben", "appeal withdrawn"),
    ]


V1_SCHEMA = """
CREATE TABLE quiz_grades (quiz TEXT NOT NULL, learner TEXT NOT NULL, attempt INTEGER NOT NULL, seed TEXT,
  score TEXT NOT NULL, score_value REAL NOT NULL, max_score INTEGER NOT NULL, submitted_at TEXT NOT NULL,
  graded_at TEXT NOT NULL, source TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (quiz, learner));
CREATE TABLE quiz_items (quiz TEXT NOT NULL, learner TEXT NOT NULL, question TEXT NOT NULL, response TEXT NOT NULL,
  score TEXT NOT NULL, max_score INTEGER NOT NULL, correct INTEGER NOT NULL, misconceptions TEXT NOT NULL,
  PRIMARY KEY (quiz, learner, question),
  FOREIGN KEY (quiz, learner) REFERENCES quiz_grades (quiz, learner) ON DELETE CASCADE);
CREATE TABLE exercise_grades (exercise TEXT NOT NULL, learner TEXT NOT NULL, status TEXT NOT NULL,
  passed INTEGER NOT NULL, total INTEGER NOT NULL, score TEXT NOT NULL, reason TEXT NOT NULL, sandbox TEXT NOT NULL,
  graded_at TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (exercise, learner));
PRAGMA user_version = 1;
"""


def test_a_version_1_gradebook_is_migrated_in_place(minimal_site, inbox, tmp_path):
    book = tmp_path / "old.sqlite"
    sha = hashlib.sha256((inbox / "ana.json").read_bytes()).hexdigest()
    with sqlite3.connect(book) as conn:
        conn.executescript(V1_SCHEMA)
        conn.execute(
            "INSERT INTO quiz_grades VALUES ('basics','ana',1,NULL,'4',4.0,5,'2026-01-01T00:00:00+00:00',"
            "'then','ana.json',?)",
            (sha,),
        )
        conn.execute(
            "INSERT INTO quiz_grades VALUES ('basics','zed',1,NULL,'3',3.0,5,'2026-01-01T00:00:00+00:00',"
            "'then','zed.json','abc')"
        )
        conn.execute("INSERT INTO exercise_grades VALUES ('ex','zed','passed',1,1,'1','', 'bwrap','then','abc')")
    r = run("grade", "quiz", "basics", inbox, "--gradebook", book, "--json", cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    assert outcomes(r)["ana"]["reason"] == "graded before key fingerprints were recorded"
    with sqlite3.connect(book) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == gradebook.SCHEMA_VERSION
        assert conn.execute("SELECT COUNT(*) FROM exercise_grades").fetchone()[0] == 1
    assert scores(book) == {**SCORES, "zed": "3"} and scores(book, "graded_score")["zed"] == "3"
    assert "zed" in r.stderr  # graded with a key that cannot be known: named for the instructor


def test_learner_ids_differing_only_by_case_are_one_learner(minimal_site, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a1.json").write_text(json.dumps(submission("Ana", ANSWERS["ben"], when=at(3))))
    (folder / "a2.json").write_text(json.dumps(submission("ana", ANSWERS["ana"], when=at(2))))
    book = tmp_path / "grades.sqlite"
    r = run("grade", "quiz", "basics", folder, "--gradebook", book, "--json", cwd=minimal_site)
    early = json.loads(r.stdout.splitlines()[0])
    assert early["status"] == "rejected" and "duplicate" in early["reason"] and "a2.json (as 'ana')" in early["reason"]
    assert scores(book) == {"ana": "5"}
    # a later batch: "ANA" is the same learner; the row keeps the id it was first graded under
    later = tmp_path / "later"
    later.mkdir()
    (later / "a3.json").write_text(json.dumps(submission("ANA", ANSWERS["cleo"], when=at(1))))
    r = run("grade", "quiz", "basics", later, "--gradebook", book, "--json", cwd=minimal_site)
    assert r.returncode == 0 and outcomes(r)["ANA"]["reason"] == "re-graded: replaces the earlier submission"
    assert scores(book) == {"ana": "4"}
    # an older file under another case does not replace the newer row
    r = run("grade", "quiz", "basics", folder / "a1.json", "--gradebook", book, "--json", cwd=minimal_site)
    assert outcomes(r)["Ana"]["status"] == "stale" and scores(book) == {"ana": "4"}


def test_quiz_take_submit_needs_a_learner_and_writes_what_the_reader_accepts(minimal_site, tmp_path):
    answers = tmp_path / "answers.yml"
    answers.write_text("two-plus-two: a\nsky: false\nhalf: '0.5'\n")
    out = tmp_path / "mine.json"
    env = {k: v for k, v in __import__("os").environ.items() if k != "COURSEKIT_LEARNER"}
    r = run("quiz", "take", "basics", "--answers", answers, "--submit", out, cwd=minimal_site, env=env)
    assert r.returncode == 2 and "--submit needs --learner" in r.stderr and not out.exists()
    r = run(
        "quiz", "take", "basics", "--answers", answers, "--submit", out, "--learner", "fay", cwd=minimal_site, env=env
    )
    assert r.returncode == 0 and out.exists(), r.stderr
    r = run("grade", "quiz", "basics", out, "--gradebook", tmp_path / "g.sqlite", "--json", cwd=minimal_site)
    assert r.returncode == 0 and outcomes(r)["fay"]["score_exact"] == "3"
    # an answer the grader would take but the strict reader would not is refused before writing
    answers.write_text("sky: 'false'\n")
    other = tmp_path / "other.json"
    r = run(
        "quiz", "take", "basics", "--answers", answers, "--submit", other, "--learner", "fay", cwd=minimal_site, env=env
    )
    assert r.returncode == 1 and "a true/false answer is true or false, not a string" in r.stderr
    assert not other.exists()
