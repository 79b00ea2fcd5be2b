"""Batch quiz grading as an instructor runs it: `coursekit grade quiz`, a real SQLite file."""

import csv
import io
import json
import sqlite3
import subprocess
import sys

import pytest

GOOD = {
    "ana": {"two-plus-two": "a", "pick-evens": ["two", "four"], "sky": False, "half": "0.5", "colour": "green"},
    "ben": {"two-plus-two": "b", "pick-evens": ["two"], "sky": True, "half": "2", "colour": "blue"},
    "cleo": {"two-plus-two": "a", "pick-evens": ["two", "five"], "sky": False, "half": "0.51", "colour": " Green"},
    "dev": {},
    "eve.o'neil": None,  # replaced below: ids may not hold quotes, see the bad corpus
}
EXPECTED = {"ana": ("5", 5), "ben": ("1/2", 5), "cleo": ("4", 5), "dev": ("0", 5)}


def submission(learner, responses, quiz="basics", at="2026-11-20T10:00:00+00:00", **extra):
    return {
        "format": "coursekit-submission",
        "version": 1,
        "learner": learner,
        "quiz": quiz,
        "attempt": 1,
        "submitted_at": at,
        "responses": responses,
        **extra,
    }


def write(folder, name, data):
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


def bad_corpus(folder):
    """At least 15 bad submissions, each with the words its reason must contain."""
    ok = GOOD["ana"]
    cases = {
        "invalid-json.json": (b'{"format": "coursekit-submission", ', "invalid JSON"),
        "version.json": ({**submission("fay", ok), "version": 2}, "version"),
        "unknown-quiz.json": (submission("gus", ok, quiz="no-such-quiz"), "foreign"),
        "tampered.json": ({**submission("hal", GOOD["ben"]), "score": 5}, "tampered"),
        "huge.json": (None, "too large"),
        "latin1.json": ('{"learner": "ivé"}'.encode("latin-1"), "not UTF-8"),
        "traversal.json": (submission("../../etc/passwd", ok), "learner id"),
        "missing.json": ({k: v for k, v in submission("jo", ok).items() if k != "responses"}, "responses is missing"),
        "list.json": ([submission("kim", ok)], "JSON object"),
        "format.json": ({**submission("lee", ok), "format": "moodle"}, "not a coursekit-submission"),
        "naive-time.json": (submission("max", ok, at="2026-11-20T10:00:00"), "submitted_at"),
        "unknown-question.json": (submission("ned", {**ok, "q99": "a"}), "unknown question id"),
        "extra-key.json": ({**submission("ola", ok), "grader": "me"}, "unknown key 'grader'"),
        "quote-id.json": (submission("eve.o'neil", ok), "learner id"),
        "no-variants.json": ({**submission("pia", ok), "pool": {"two-plus-two": 0}}, "has no variants"),
        "empty.json": (b"", "invalid JSON"),
        "results.json": ({**submission("quin", ok), "results": {"two-plus-two": 1}}, "tampered"),
    }
    paths = {}
    for name, (data, reason) in cases.items():
        if data is None:  # a 50 MB file: rejected from its size, never read
            path = folder / name
            with path.open("wb") as fh:
                fh.truncate(50 * 1024 * 1024)
        else:
            path = write(folder, name, data)
        paths[path] = reason
    return paths


def grade(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "coursekit", "grade", "quiz", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def batch(minimal_site, tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    for learner, responses in GOOD.items():
        if responses is not None:
            write(folder, f"{learner}.json", submission(learner, responses))
    # a duplicate: ana submitted twice; the later file stands
    write(folder, "ana-early.json", submission("ana", GOOD["ben"], at="2026-11-20T09:00:00+00:00"))
    return folder


def rows(book):
    with sqlite3.connect(book) as conn:
        return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT learner, score, max_score FROM quiz_grades")}


def test_bad_corpus_rejected_with_reasons_and_good_graded(minimal_site, batch, tmp_path):
    bad = bad_corpus(batch)
    assert len(bad) >= 15
    book = tmp_path / "grades.sqlite"
    r = grade("basics", batch, "--gradebook", book, "--json", cwd=minimal_site)
    assert r.returncode == 1, r.stderr  # some were rejected
    outcomes = {json.loads(line)["file"]: json.loads(line) for line in r.stdout.splitlines()}
    for path, reason in bad.items():
        o = outcomes[str(path)]
        assert o["status"] == "rejected" and reason in o["reason"], (path.name, o)
    early = outcomes[str(batch / "ana-early.json")]
    assert early["status"] == "rejected" and "duplicate" in early["reason"] and "ana.json" in early["reason"]
    assert rows(book) == EXPECTED
    for learner, (score, mx) in EXPECTED.items():
        o = outcomes[str(batch / f"{learner}.json")]
        assert (o["learner"], o["status"], o["score_exact"], o["max_score"]) == (learner, "graded", score, mx)
    assert "Traceback" not in r.stderr


def test_rerun_is_idempotent_and_resubmission_updates(minimal_site, batch, tmp_path):
    book = tmp_path / "grades.sqlite"
    assert grade("basics", batch, "--gradebook", book, cwd=minimal_site).returncode == 1  # the duplicate
    first = rows(book)
    r = grade("basics", batch, "--gradebook", book, cwd=minimal_site)
    assert "0 graded, 0 regraded, 4 unchanged" in r.stdout
    assert rows(book) == first
    # ben re-submits, later and better: his row is updated, not duplicated
    write(batch, "ben.json", submission("ben", GOOD["ana"], at="2026-11-21T10:00:00+00:00"))
    grade("basics", batch, "--gradebook", book, cwd=minimal_site)
    assert rows(book)["ben"] == ("5", 5) and len(rows(book)) == 4
    with sqlite3.connect(book) as conn:
        assert conn.execute("SELECT COUNT(*) FROM quiz_items WHERE learner = 'ben'").fetchone()[0] == 5
    # an older submission never replaces a newer one
    write(batch, "ben.json", submission("ben", GOOD["ben"], at="2026-11-19T10:00:00+00:00"))
    r = grade("basics", batch, "--gradebook", book, "--json", cwd=minimal_site)
    stale = [json.loads(line) for line in r.stdout.splitlines() if '"ben"' in line][0]
    assert stale["status"] == "stale" and rows(book)["ben"] == ("5", 5)


def test_csv_export(minimal_site, batch, tmp_path):
    book, out = tmp_path / "grades.sqlite", tmp_path / "grades.csv"
    grade("basics", batch, "--gradebook", book, "--csv", out, cwd=minimal_site)
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["learner"] for r in table] == ["ana", "ben", "cleo", "dev"]
    cleo = table[2]
    assert (cleo["score"], cleo["max_score"], cleo["percent"], cleo["q:pick-evens"]) == ("4", "5", "80", "0")
    # a file that is not a coursekit export is never overwritten
    other = tmp_path / "mine.csv"
    other.write_text("precious,data\n")
    r = grade("basics", batch, "--gradebook", book, "--csv", other, cwd=minimal_site)
    assert r.returncode == 1 and other.read_text() == "precious,data\n"


def test_not_a_gradebook_is_refused(minimal_site, batch, tmp_path):
    book = tmp_path / "other.sqlite"
    with sqlite3.connect(book) as conn:
        conn.execute("CREATE TABLE mine (x)")
    r = grade("basics", batch, "--gradebook", book, cwd=minimal_site)
    assert r.returncode == 1 and "not a coursekit gradebook" in r.stderr


def test_parallel_path_gives_the_same_grades(minimal_site, batch, tmp_path, monkeypatch):
    from coursekit.content.catalog import Layout, load_catalog
    from coursekit.grading import quiz_batch

    quiz = load_catalog(Layout(minimal_site)).quizzes["basics"].model
    files = sorted(batch.glob("*.json"))
    monkeypatch.setattr(quiz_batch, "PARALLEL_FROM", 2)
    outcomes = quiz_batch.grade_files("basics", quiz, files, tmp_path / "p.sqlite").outcomes
    assert rows(tmp_path / "p.sqlite") == EXPECTED
    assert sorted(o.status for o in outcomes) == ["graded"] * 4 + ["rejected"]
