"""Grades as CSV an LMS imports: ``plain`` (ours, every detail), ``moodle``, ``canvas``.

**Moodle** (Grades → Import → CSV file). Moodle imports the layout its own CSV grade export
writes: the user columns ``First name, Surname, ID number, Institution, Department, Email
address``, then one column per grade item named ``<Activity type>: <name>``, with grades as
decimals with a point and two places (``56.00``). On import the teacher maps one identifier
column to a user field ("Map from" ID number, "Map to" useridnumber; or Email address to
useremail) and the item column to the quiz's grade item. We write the learner id in ``ID
number`` (and in ``Email address`` when it is one); names are left empty. (Moodle's
documentation: docs.moodle.org "Grade import"; the header and number format are the ones of
the import's own test data, grade/import/csv/tests/load_data_test.php in Moodle's source.)

**Canvas** (Grades → Import). Canvas imports the layout of its Gradebook export: the columns
``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per assignment named
``<name> (<assignment id>)``; the second row holds ``Points Possible`` in the first cell and
each assignment's points under it; scores are plain numbers. Canvas matches a student by
ID, SIS User ID or SIS Login ID; we write the learner id in ``SIS Login ID`` (and as the
name in ``Student``), and leave the Canvas-internal ``ID`` empty. An assignment column whose
id Canvas does not know becomes a new assignment, named as the header says; to grade an
existing assignment, put its Canvas id in the parentheses (``--lms-item``). Any other column
would become an assignment too, so this CSV holds no other. (Canvas's documentation: the
Instructor Guide "How do I import grades in the Gradebook?"; the layout matches Canvas's own
test data, spec/fixtures/gradebooks/*.csv in canvas-lms.)
"""

from __future__ import annotations

import csv
import io
import sqlite3
from fractions import Fraction
from pathlib import Path

from coursekit.files import write_export
from coursekit.grading import gradebook

FORMATS = ("plain", "moodle", "canvas")
MOODLE_USER_COLUMNS = ["First name", "Surname", "ID number", "Institution", "Department", "Email address"]
CANVAS_USER_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _decimal(value: Fraction, places: int | None) -> str:
    if places is not None:
        return f"{float(value):.{places}f}"
    return gradebook._fmt(value)


def _writer() -> tuple[io.StringIO, csv.writer]:
    buf = io.StringIO()
    return buf, csv.writer(buf, lineterminator="\n")


def scores_csv(
    fmt: str,
    scores: list[tuple[str, Fraction]],
    item_title: str,
    item_id: str,
    points: Fraction | int,
    module_name: str = "Quiz",
) -> str:
    """One grade item's scores ((learner, score) pairs) as Moodle or Canvas import it."""
    buf, w = _writer()
    if fmt == "moodle":
        w.writerow([*MOODLE_USER_COLUMNS, f"{module_name}: {item_title}"])
        for learner, score in scores:
            w.writerow(["", "", learner, "", "", learner if "@" in learner else "", _decimal(score, 2)])
    elif fmt == "canvas":
        w.writerow([*CANVAS_USER_COLUMNS, f"{item_title} ({item_id})"])
        w.writerow(["Points Possible", "", "", "", "", _decimal(Fraction(points), None)])
        for learner, score in scores:
            w.writerow([learner, "", "", learner, "", _decimal(score, None)])
    else:
        raise ValueError(f"unknown LMS CSV format {fmt!r} (known: {', '.join(FORMATS)})")
    return buf.getvalue()


def quiz_csv(
    conn: sqlite3.Connection, fmt: str, quiz: str, title: str, questions: list[str], item_id: str | None = None
) -> str:
    """The quiz's grades in the chosen format; the score is what counts (an override where
    there is one)."""
    if fmt == "plain":
        return gradebook.quiz_csv(conn, quiz, questions)
    rows = conn.execute(
        "SELECT learner, score, max_score FROM quiz_grades WHERE quiz = ? ORDER BY learner", (quiz,)
    ).fetchall()
    points = max((mx for _, _, mx in rows), default=0)
    return scores_csv(fmt, [(learner, Fraction(score)) for learner, score, _ in rows], title, item_id or quiz, points)


EXERCISE_PLAIN = [
    "learner",
    "exercise",
    "status",
    "score",
    "passed",
    "total",
    "reason",
    "sandbox",
    "submitted_at",
    "graded_at",
]


def exercise_csv(conn: sqlite3.Connection, fmt: str, exercise: str, title: str, item_id: str | None = None) -> str:
    """The exercise's grades: ``score`` is the share of tests passed (0 to 1), Canvas's points
    possible 1."""
    rows = conn.execute(
        "SELECT learner, status, score, passed, total, reason, sandbox, submitted_at, graded_at "
        "FROM exercise_grades WHERE exercise = ? ORDER BY learner",
        (exercise,),
    ).fetchall()
    if fmt != "plain":
        return scores_csv(fmt, [(r[0], Fraction(r[2])) for r in rows], title, item_id or exercise, 1, "Exercise")
    buf, w = _writer()
    w.writerow(EXERCISE_PLAIN)
    for learner, status, score, passed, total, reason, sandbox, submitted, graded in rows:
        w.writerow(
            [
                learner,
                exercise,
                status,
                gradebook._fmt(Fraction(score)),
                passed,
                total,
                reason,
                sandbox,
                submitted,
                graded,
            ]
        )
    return buf.getvalue()


def write_quiz_csv(
    book: Path, path: Path, fmt: str, quiz: str, title: str, questions: list[str], item_id: str | None = None
) -> None:
    """Write the quiz's grades from the gradebook as CSV; a file at ``path`` is replaced only
    when it is this kind of export (the same header), else coursekit.files.NotOurs."""
    with gradebook.open_gradebook(book) as conn:
        text = quiz_csv(conn, fmt, quiz, title, questions, item_id)
    write_export(path, text)


def write_exercise_csv(book: Path, path: Path, fmt: str, exercise: str, title: str, item_id: str | None = None) -> None:
    """Write the exercise's grades from the gradebook as CSV, as write_quiz_csv does."""
    with gradebook.open_gradebook(book) as conn:
        text = exercise_csv(conn, fmt, exercise, title, item_id)
    write_export(path, text)
