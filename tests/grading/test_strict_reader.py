"""The strict submission reader, through `coursekit grade quiz` on a real SQLite gradebook:
a corpus of bad files (tests/fixtures/bad-submissions/, plus pipes, folders, links and a huge
file made here), each rejected with its own reason while the good files beside it are graded."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "bad-submissions"
GOOD = {
    "ana": ({"two-plus-two": "a", "pick-evens": ["two", "four"], "sky": False, "half": "0.5", "colour": "green"}, "5"),
    "ben": ({"two-plus-two": "b", "pick-evens": ["two"], "sky": True, "half": 2, "colour": "blue"}, "1/2"),
    "cleo": ({"two-plus-two": None, "pick-evens": [], "sky": None, "half": 0.5, "colour": ""}, "1"),
}


def submission(learner, responses, at=None, **extra):
    at = at or (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    return {
        "format": "coursekit-submission",
        "version": 1,
        "learner": learner,
        "quiz": "basics",
        "attempt": 1,
        "submitted_at": at,
        "responses": responses,
        **extra,
    }


def grade(*args, cwd, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "coursekit", "grade", "quiz", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def expected_reasons() -> dict[str, str]:
    lines = (CORPUS / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if line and not line.startswith("#"))


def dump_gradebook(book: Path) -> dict[str, list]:
    with sqlite3.connect(book) as conn:
        return {
            t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall())
            for t in ("quiz_grades", "quiz_items", "quiz_removed", "audit")
        }


class Planted:
    """A named pipe outside the batch folder, with a writer blocked on it: the writer's open
    returns only once something opens the pipe for reading. Any reader (an open, whatever
    its flags) lets the writer through, so a writer still blocked after the run proves the
    grader never opened it."""

    def __init__(self, path: Path):
        self.path = path
        os.mkfifo(path)
        self.opened = threading.Event()
        self.thread = threading.Thread(target=self._wait, daemon=True)
        self.thread.start()

    def _wait(self):
        fd = os.open(self.path, os.O_WRONLY)  # blocks until a reader opens the pipe
        self.opened.set()
        os.close(fd)

    def release(self):
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        self.thread.join(5)
        os.close(fd)


@pytest.fixture
def batch(minimal_site, tmp_path):
    """The corpus and the good files together in one folder, plus the files made here;
    returns (folder, planted pipe, {file name: reason words})."""
    folder = tmp_path / "inbox"
    shutil.copytree(CORPUS, folder, ignore=shutil.ignore_patterns("*.tsv"))
    reasons = expected_reasons()
    for learner, (responses, _) in GOOD.items():
        (folder / f"{learner}.json").write_text(json.dumps(submission(learner, responses)))
    # a link inside the folder to a file inside it is read like any file
    (folder / "sub").mkdir()
    (folder / "sub" / "dee.data").write_text(json.dumps(submission("dee", GOOD["ana"][0])))
    (folder / "dee.json").symlink_to(folder / "sub" / "dee.data")
    now = datetime.now(UTC)
    made = {
        "future-beyond-skew.json": (
            submission("skew1", GOOD["ana"][0], at=(now + timedelta(minutes=15)).isoformat()),
            "is in the future",
        ),
        "very-deep.json": (
            b'{"format": "coursekit-submission", "responses": {"half": ' + b"[" * 200_000 + b"]" * 200_000 + b"}}",
            "nesting: far deeper than 3 levels",
        ),
    }
    for name, (data, reason) in made.items():
        (folder / name).write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
        reasons[name] = reason
    with (folder / "huge.json").open("wb") as fh:  # 50 MB, sparse: refused from its size, never read
        fh.truncate(50 * 1024 * 1024)
    reasons["huge.json"] = "too large: 52,428,800 bytes (the limit is 1,000,000); not read"
    os.mkfifo(folder / "pipe.json")  # opening it to read would hang the grader
    reasons["pipe.json"] = "not a regular file: a named pipe; not read"
    (folder / "folder.json").mkdir()
    reasons["folder.json"] = "not a regular file: a folder; not read"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    planted = Planted(outside / "planted.json")
    (folder / "link-out.json").symlink_to(planted.path)
    reasons["link-out.json"] = "outside: a symbolic link to"
    (outside / "mallory.json").write_text(json.dumps(submission("mallory", GOOD["ana"][0])))
    (folder / "link-out-valid.json").symlink_to(outside / "mallory.json")
    reasons["link-out-valid.json"] = "outside the batch folder"
    (folder / "link-up.json").symlink_to(Path("..") / "elsewhere" / "mallory.json")  # relative, climbing out
    reasons["link-up.json"] = "outside the batch folder"
    (folder / "dangling.json").symlink_to(folder / "no-such-file")
    reasons["dangling.json"] = "unreadable: No such file or directory"
    yield folder, planted, reasons
    if not planted.opened.is_set():
        planted.release()


def test_corpus_is_large_and_varied():
    assert len(expected_reasons()) >= 25
    assert len(set(expected_reasons().values())) >= 40  # distinct reasons, not one message for all


def test_each_bad_file_rejected_with_its_reason_and_the_good_graded(minimal_site, batch, tmp_path):
    folder, planted, reasons = batch
    book = tmp_path / "grades.sqlite"
    start = time.monotonic()
    r = grade("basics", folder, "/dev/null", "--gradebook", book, "--json", cwd=minimal_site)
    assert time.monotonic() - start < 60
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    outcomes = {Path(o["file"]).name: o for o in map(json.loads, r.stdout.splitlines())}
    reasons["null"] = "not a regular file: a character device; not read"  # /dev/null, named on the command line
    for name, reason in reasons.items():
        o = outcomes.pop(name)
        assert o["status"] == "rejected" and reason in o["reason"], (name, o["reason"])
    graded = {o["learner"]: (o["status"], o["score_exact"]) for o in outcomes.values()}
    assert graded == {**{k: ("graded", v[1]) for k, v in GOOD.items()}, "dee": ("graded", "5")}
    # the gradebook holds the good files only
    rows = dump_gradebook(book)
    assert sorted(r[1] for r in rows["quiz_grades"]) == ["ana", "ben", "cleo", "dee"]
    assert {r[1] for r in rows["quiz_items"]} == {"ana", "ben", "cleo", "dee"}
    # the planted pipe outside the folder was never opened
    assert not planted.opened.is_set() and planted.thread.is_alive()
    assert "4 graded, 0 regraded, 0 unchanged" in r.stderr


def test_a_second_run_changes_nothing(minimal_site, batch, tmp_path):
    folder, planted, reasons = batch
    book = tmp_path / "grades.sqlite"
    first = grade("basics", folder, "--gradebook", book, cwd=minimal_site)
    assert first.returncode == 1
    before = dump_gradebook(book)
    second = grade("basics", folder, "--gradebook", book, cwd=minimal_site)
    assert second.returncode == 1 and "0 graded, 0 regraded, 4 unchanged" in second.stdout
    assert dump_gradebook(book) == before
    assert second.stderr.count("rejected: ") == len(reasons)
    assert not planted.opened.is_set()


def test_clock_skew_is_allowed_and_a_future_row_does_not_lock_a_learner(minimal_site, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    now = datetime.now(UTC)
    ana = GOOD["ana"][0]
    (folder / "ana.json").write_text(json.dumps(submission("ana", ana, at=(now + timedelta(minutes=5)).isoformat())))
    book = tmp_path / "grades.sqlite"
    r = grade("basics", folder, "--gradebook", book, cwd=minimal_site)
    assert r.returncode == 0, r.stderr  # five minutes ahead: a learner's clock, not a lock
    # a classmate's far-future file under ana's id is rejected, and never blocks her later work
    (folder / "forged.json").write_text(json.dumps(submission("ANA", GOOD["ben"][0], at="2099-01-01T00:00:00Z")))
    r = grade("basics", folder, "--gradebook", book, "--json", cwd=minimal_site)
    assert r.returncode == 1 and "in the future" in r.stdout
    with sqlite3.connect(book) as conn:
        assert conn.execute("SELECT score FROM quiz_grades").fetchall() == [("5",)]


def test_read_bytes_refuses_what_is_not_a_regular_file(tmp_path):
    from coursekit.grading.submissions import read_bytes

    os.mkfifo(tmp_path / "p.json")
    assert read_bytes(tmp_path / "p.json").startswith("not a regular file: a named pipe")
    (tmp_path / "small.json").write_bytes(b"{}")
    assert read_bytes(tmp_path / "small.json") == b"{}"
    assert read_bytes(tmp_path / "small.json", max_bytes=1).startswith("too large: 2 bytes")
    inside = tmp_path / "in"
    inside.mkdir()
    (inside / "link.json").symlink_to(tmp_path / "small.json")
    assert read_bytes(inside / "link.json", within=inside).startswith("outside:")
    assert read_bytes(inside / "link.json") == b"{}"  # named by the user, not found in a folder


def test_the_planted_pipe_notices_an_open(tmp_path):
    """The witness above can fail: any open for reading, even non-blocking, releases its writer."""
    planted = Planted(tmp_path / "planted.json")
    time.sleep(0.1)
    assert not planted.opened.is_set()
    fd = os.open(planted.path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        assert planted.opened.wait(5)
    finally:
        os.close(fd)
