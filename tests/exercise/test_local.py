"""exercise.local, called directly on a copy of the two-exercise fixture course: progress,
hints, the solution's gate, moving in-place edits, hand-ins (the commands' tests drive the
same through a process)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from coursekit.content.catalog import Layout, load_catalog
from coursekit.exercise import local, progress, workspace

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "two-exercises"


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A git clone-like copy of the fixture course (the starters committed), with its catalog."""
    monkeypatch.delenv("COURSEKIT_WORKSPACE", raising=False)
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "course"], cwd=root, check=True)
    return load_catalog(Layout(root))


def test_exercises_come_in_course_order_with_the_learners_status(course):
    rows = local.listing(course)
    assert [(r["id"], r["module"], r["status"]) for r in rows] == [
        ("sum-csv", 1, "not started"),
        ("greet", 2, "not started"),
    ]
    assert rows[1]["file"].endswith("work/greet/starter.py")


def test_a_check_records_progress_and_the_solution_opens_only_after_a_pass(course):
    root, ex = course.layout.root, course.exercises["greet"]
    mine, _ = workspace.ensure(root, ex)
    assert local.as_started(root, ex)
    assert not local.check(root, ex, mine, timeout=60).passed
    assert progress.status(progress.load(root), "greet") == "in progress" and not local.solution_open(root, ex)
    mine.write_text((ex.dir / "solution.py").read_text(encoding="utf-8"), encoding="utf-8")
    assert not local.as_started(root, ex)
    assert local.check(root, ex, mine, timeout=60).passed
    assert progress.status(progress.load(root), "greet") == "done" and local.solution_open(root, ex)
    mine.write_text("def greet(name):\n    return ''\n", encoding="utf-8")  # broken again later
    assert not local.check(root, ex, mine, timeout=60).passed
    assert progress.status(progress.load(root), "greet") == "in progress"
    assert local.solution_open(root, ex)  # once earned, the solution stays open


def test_check_all_gives_one_row_per_exercise_in_course_order(course):
    rows = local.check_all(course, 60, lambda ex: ex.dir / "solution.py")
    assert [(r["id"], r["passed"], r["status"]) for r in rows] == [("sum-csv", True, "done"), ("greet", True, "done")]


def test_hints_advance_to_the_last_and_stay_there(course):
    root, ex = course.layout.root, course.exercises["greet"]
    first = local.next_hint(root, ex)
    assert (first.number, first.count, first.again, first.text) == (1, 1, False, "Use an f-string.")
    again = local.next_hint(root, ex)
    assert (again.number, again.again) == (1, True)


def test_edits_to_a_course_starter_move_to_the_workspace_and_nothing_is_lost(course):
    root = course.layout.root
    greet, sums = course.exercises["greet"], course.exercises["sum-csv"]
    original = greet.starter.read_bytes()
    older = b"def greet(name):\n    return 'an older attempt'\n"
    mine = workspace.learner_path(root, greet)
    mine.parent.mkdir(parents=True)
    mine.write_bytes(older)  # a workspace file already there: it is replaced, with a backup
    edited = b"def greet(name):\n    return f'Hello, {name}!'\n"
    greet.starter.write_bytes(edited)
    assert local.starter_edits_to_move(root, greet) is False  # a workspace file exists
    moved = list(local.move_edits(root, [greet, sums]))
    assert [(m.exercise.id, m.path is not None) for m in moved] == [("greet", True), ("sum-csv", False)]
    assert moved[0].path == mine and mine.read_bytes() == edited
    assert greet.starter.read_bytes() == original  # the course's starter, as git has it
    assert moved[0].replaced.read_bytes() == older


def test_hand_in_writes_each_file_once_and_keeps_an_earlier_one(course, tmp_path):
    root, greet, sums = course.layout.root, course.exercises["greet"], course.exercises["sum-csv"]
    out = tmp_path / "handin"
    with pytest.raises(local.NothingToHandIn) as info:
        list(local.hand_in(root, [greet], out, "ana", replace=False, skip_missing=False))
    assert info.value.exercise is greet and not out.exists()
    mine, _ = workspace.ensure(root, greet)
    done = list(local.hand_in(root, [sums, greet], out, "ana", replace=False, skip_missing=True))
    assert [(h.exercise.id, h.target, h.previous) for h in done] == [("greet", out / "greet" / "ana.py", None)]
    mine.write_text("# second go\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        list(local.hand_in(root, [greet], out, "ana", replace=False, skip_missing=False))
    assert (out / "greet" / "ana.py").read_bytes() == greet.starter.read_bytes()  # not overwritten
    (again,) = local.hand_in(root, [greet], out, "ana", replace=True, skip_missing=False)
    assert again.target.read_text(encoding="utf-8") == "# second go\n"
    assert again.previous.read_bytes() == greet.starter.read_bytes()
    with pytest.raises(ValueError, match="not a learner id"):
        list(local.hand_in(root, [greet], out, "../eve", replace=False, skip_missing=False))
