"""Facts stated once and read by several rooms: an exercise submission's size bound (the batch
and the grader refuse the same files), and how a percentage is written (the item reports, the
roster's page and the roster in the terminal write it alike)."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from coursekit.commands import roster as command
from coursekit.content.catalog import Layout, load_catalog
from coursekit.exercise import grader
from coursekit.grading import exercise_batch, roster_html, statistics
from coursekit.grading.roster import LearnerRow, ModuleProgress, Roster
from coursekit.limits import MAX_SUBMISSION_BYTES
from coursekit.scores import fmt_percent

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"


def _file(folder: Path, name: str, size: int) -> Path:
    path = folder / name
    text = "x = 1\n"
    path.write_text(text + "#" * (size - len(text) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == size
    return path


def test_the_batch_and_the_grader_refuse_the_same_sizes(tmp_path):
    cat = load_catalog(Layout(SITES / "two-exercises"))
    assert not cat.errors, cat.errors
    ex = cat.exercises["greet"]
    at = _file(tmp_path, "at.py", MAX_SUBMISSION_BYTES)
    over = _file(tmp_path, "over.py", MAX_SUBMISSION_BYTES + 1)
    listed = {e.learner: e for e in exercise_batch.find_submissions(ex, tmp_path)}
    assert listed["at"].file == at and listed["at"].reason == ""
    assert listed["over"].file is None and listed["over"].reason.startswith("too large")
    assert isinstance(grader._read_submission(at), bytes)
    assert "larger than" in grader._read_submission(over)


@pytest.mark.parametrize(
    ("percent", "text"), [(75.0, "75%"), (0.0, "0%"), (100.0, "100%"), (66.66666666666667, "67%"), (None, "–")]
)
def test_a_percentage_is_whole_percents(percent, text):
    assert fmt_percent(percent) == text


def test_the_reports_and_the_roster_write_a_percentage_alike(tmp_path, monkeypatch):
    assert statistics.percent(Fraction(2, 3)) == fmt_percent(200 / 3) == "67%"
    module = ModuleProgress(1, 200 / 3, 0, 1, ["ex"], False)
    roster = Roster([1], [LearnerRow("ana", [module], 200 / 3, 0, 1, ["ex"]), LearnerRow("bo", [module], None, 0, 1)])
    page = roster_html.render(roster, "Course", tmp_path / "book.sqlite")
    assert re.search(r">67%</td>", page) and re.search(r">–</td>", page) and "module 1, 0%" in page

    monkeypatch.setattr(command, "catalog", lambda root: None)
    monkeypatch.setattr(command, "build_roster", lambda cat, book, sort: roster)
    app = typer.Typer()
    app.command()(command.roster)
    result = CliRunner().invoke(app, ["--gradebook", str(tmp_path / "book.sqlite")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    ana = next(line for line in result.output.splitlines() if "ana" in line)
    bo = next(line for line in result.output.splitlines() if "bo" in line)
    assert "67%" in ana and "–" in bo
