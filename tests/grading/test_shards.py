"""Sharded grading: 1,600 submissions (quiz and exercise) graded as 4 shards by 4 processes
at once, merged, equal one run over all of them, row for row. Merging again changes nothing.

Only the time of grading differs between the two ways (``graded_at`` in quiz_grades and
exercise_grades): the comparison leaves that column out and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coursekit.grading.shards import Shard, ShardError, parse_shard

N = 1600
SHARDS = 4
TIMESTAMP_COLUMNS = {"graded_at"}


def coursekit(*args, cwd, wait=True):
    cmd = [sys.executable, "-m", "coursekit", *map(str, args)]
    if wait:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    return subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def tables(book: Path) -> dict[str, list[tuple]]:
    """Every table of the gradebook, rows sorted, timestamps of grading left out."""
    out = {}
    with sqlite3.connect(book) as conn:
        for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ):
            cur = conn.execute(f"SELECT * FROM {table}")
            keep = [
                i
                for i, d in enumerate(cur.description)
                if d[0] not in TIMESTAMP_COLUMNS and not (table == "audit" and d[0] == "id")
            ]
            out[table] = sorted((tuple(row[i] for i in keep) for row in cur), key=repr)
    return out


def graded_in_shards(kind: str, item: str, batch: Path, tmp: Path, cwd: Path) -> tuple[list[Path], list[dict]]:
    """Grade the batch as SHARDS processes running at once; their gradebooks and outcomes."""
    books = [tmp / f"{kind}-shard{k}.sqlite" for k in range(1, SHARDS + 1)]
    procs = [
        coursekit(
            "grade", kind, item, batch, "--gradebook", book, "--shard", f"{k}/{SHARDS}", "--json", cwd=cwd, wait=False
        )
        for k, book in enumerate(books, start=1)
    ]
    outcomes = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode in (0, 1), stderr
        assert "Traceback" not in stderr, stderr
        outcomes.append([json.loads(line) for line in stdout.splitlines()])
    return books, outcomes


def check_merge(kind: str, item: str, batch: Path, tmp: Path, cwd: Path) -> None:
    books, outcomes = graded_in_shards(kind, item, batch, tmp, cwd)
    files = [[o["file"] for o in shard] for shard in outcomes]
    assert sum(map(len, files)) == len({f for shard in files for f in shard})  # no file in two shards
    assert all(250 < len(shard) < 550 for shard in files), [len(s) for s in files]  # about 400 each
    single = tmp / f"{kind}-single.sqlite"
    r = coursekit("grade", kind, item, batch, "--gradebook", single, "--json", cwd=cwd)
    assert r.returncode == 1, r.stderr  # the bad files
    everything = [json.loads(line) for line in r.stdout.splitlines()]
    assert sorted(f for shard in files for f in shard) == sorted(o["file"] for o in everything)

    merged = tmp / f"{kind}-merged.sqlite"
    r = coursekit("gradebook", "merge", merged, *books, cwd=cwd)
    assert r.returncode == 0, r.stderr
    want, got = tables(single), tables(merged)
    assert got.keys() == want.keys()
    for table in want:
        assert got[table] == want[table], table
    rows = want["quiz_grades" if kind == "quiz" else "exercise_grades"]
    assert len(rows) > N * 0.95

    # merging the same inputs again, into the merged gradebook, changes nothing (not a byte)
    before = hashlib.sha256(merged.read_bytes()).hexdigest()
    r = coursekit("gradebook", "merge", merged, merged, *books, "--json", cwd=cwd)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["changed"] is False
    assert hashlib.sha256(merged.read_bytes()).hexdigest() == before
    # and into a new file, the same again
    again = tmp / f"{kind}-again.sqlite"
    assert coursekit("gradebook", "merge", again, *reversed(books), cwd=cwd).returncode == 0
    assert tables(again) == want


def quiz_submission(learner: str, rng: random.Random, at: str) -> dict:
    responses = {
        "two-plus-two": rng.choice(["a", "b", None]),
        "pick-evens": rng.choice([["two", "four"], ["two"], ["five"], ["two", "four", "five"]]),
        "sky": rng.choice([True, False]),
        "half": rng.choice(["0.5", "2", "0,5", "0.51", 0.5]),
        "colour": rng.choice(["green", "Green ", "blue", "grass"]),
    }
    return {
        "format": "coursekit-submission",
        "version": 1,
        "learner": learner,
        "quiz": "basics",
        "attempt": 1,
        "submitted_at": at,
        "responses": {k: v for k, v in responses.items() if v is not None},
    }


def test_quiz_shards_merged_equal_one_run(minimal_site, tmp_path):
    rng = random.Random(18)
    batch = tmp_path / "quiz-subs"
    batch.mkdir()
    for i in range(N - 20):
        at = f"2026-11-{rng.randint(10, 20)}T{rng.randint(10, 23)}:00:00+00:00"
        (batch / f"s{i:04d}.json").write_text(json.dumps(quiz_submission(f"s{i:04d}", rng, at)))
    for i in range(6):  # one learner, two files, two cases of the id: the later one counts
        (batch / f"dup{i}-early.json").write_text(json.dumps(quiz_submission(f"Dup{i}", rng, "2026-11-10T09:00:00Z")))
        (batch / f"dup{i}-late.json").write_text(json.dumps(quiz_submission(f"dup{i}", rng, "2026-11-11T09:00:00Z")))
    for i in range(8):  # bad files, rejected in whichever shard they fall
        (batch / f"bad{i}.json").write_text('{"format": "coursekit-submission", ' if i % 2 else "[]")
    assert len(list(batch.iterdir())) == N
    check_merge("quiz", "basics", batch, tmp_path, minimal_site)


EXERCISE_VARIANTS = {
    "right": "def add(a, b):\n    return a + b\n",
    "right-alt": "def add(a, b):\n    return sum((a, b))\n",
    "starter": None,  # the untouched starter: raises NotImplementedError
    "minus": "def add(a, b):\n    return a - b\n",
    "raises": "def add(a, b):\n    raise ValueError('no')\n",
    "syntax": "def add(a, b)\n    return a + b\n",
}


def test_exercise_shards_merged_equal_one_run(minimal_site, tmp_path):
    """The exercise side in the sandbox: identical submissions run once per process, so the
    5 processes run about 6 distinct submissions each; the test's wall time is printed."""
    started = time.monotonic()
    ex = minimal_site / "exercises" / "add-up"
    codes = {k: v if v is not None else (ex / "starter.py").read_text() for k, v in EXERCISE_VARIANTS.items()}
    rng = random.Random(7)
    batch = tmp_path / "exercise-subs"
    batch.mkdir()
    kinds = list(codes)
    for i in range(N - 14):
        kind = rng.choices(kinds, weights=[40, 10, 20, 15, 10, 5])[0]
        if i % 50 == 0:  # one learner per folder, the starter's name inside
            (batch / f"l{i:04d}").mkdir()
            (batch / f"l{i:04d}" / "starter.py").write_text(codes[kind])
        else:
            (batch / f"l{i:04d}.py").write_text(codes[kind])
    for i in range(4):  # Ana.py and ana.py are one learner: the later file counts
        (batch / f"Case{i}.py").write_text(codes["right"])
        (batch / f"case{i}.py").write_text(codes["minus"])
        os.utime(batch / f"Case{i}.py", (1_700_000_000, 1_700_000_000 + i))
        os.utime(batch / f"case{i}.py", (1_700_000_100, 1_700_000_100 + i))
    for i in range(3):
        (batch / f"notes{i}.txt").write_text("not code")
    (batch / "bad name.py").write_text(codes["right"])
    (batch / "empty-folder").mkdir()
    (batch / "l9999.py").write_text(codes["right"])
    assert len(list(batch.iterdir())) == N
    check_merge("exercise", "add-up", batch, tmp_path, minimal_site)
    with sqlite3.connect(tmp_path / "exercise-merged.sqlite") as conn:
        got = dict(conn.execute("SELECT learner, status FROM exercise_grades WHERE lower(learner) LIKE 'case%'"))
    assert got == {f"case{i}": "failed" for i in range(4)}  # the later file, under its own id
    print(f"\nexercise shards, merge and single run of {N}: {time.monotonic() - started:.1f} s")


def test_parse_shard():
    assert parse_shard("2/4") == Shard(2, 4) and str(parse_shard(" 1 / 1 ")) == "1/1"
    for bad in ("0/4", "5/4", "4", "a/b", "1/0", "-1/4"):
        with pytest.raises(ShardError):
            parse_shard(bad)
    names = [f"s{i}.json" for i in range(1000)]
    held = [[n for n in names if Shard(k, 4).holds(n)] for k in range(1, 5)]
    assert sorted(sum(held, [])) == sorted(names)  # each name in exactly one shard
    assert all(200 < len(h) < 300 for h in held)


def test_bad_shard_is_a_usage_error(minimal_site, tmp_path):
    r = coursekit(
        "grade", "quiz", "basics", tmp_path, "--gradebook", tmp_path / "g.sqlite", "--shard", "5/4", cwd=minimal_site
    )
    assert r.returncode == 2 and "K must lie between 1 and N" in r.stderr and "Traceback" not in r.stderr
