"""`coursekit grade ...` (coursekit.commands.grade), run as a process; the grading itself is
tested in tests/grading/."""

import json
import shutil
import sqlite3

from .process import run


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
