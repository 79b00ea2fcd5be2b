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


def test_a_large_batch_tables_only_the_rows_that_need_a_look():
    """Up to TABLE_ROWS submissions every learner is a row; past it, only those that are not
    routine (rejected, regraded, overridden), and the title says how many were left out."""
    import io
    from fractions import Fraction
    from pathlib import Path

    from rich.console import Console

    from coursekit.commands import grade
    from coursekit.grading.quiz_batch import Outcome

    def outcome(i: int, status: str = "graded", **extra) -> Outcome:
        return Outcome(Path(f"s{i}.json"), f"s{i}", status, **{"score": Fraction(3, 2), "max_score": 2, **extra})

    def shown(outcomes) -> str:
        console = Console(file=io.StringIO(), width=200)
        console.print(grade._quiz_table("q: Quiz", outcomes))
        return console.file.getvalue()

    small = shown([outcome(i) for i in range(grade.TABLE_ROWS)])
    assert small.count("graded") == grade.TABLE_ROWS and "not shown" not in small and "1.5 / 2" in small
    big = [outcome(i) for i in range(grade.TABLE_ROWS + 1)]
    big[7] = outcome(7, "rejected", score=None, reason="not JSON")
    big[9] = outcome(9, override_score=Fraction(2), override_reason="late pass")
    text = shown(big)
    assert "s7 " in text and "not JSON" in text and "late pass" in text
    assert "s8 " not in text and f"{grade.TABLE_ROWS - 1:,} of {grade.TABLE_ROWS + 1:,} rows not shown" in text
