"""`coursekit quiz list | take` (coursekit.commands.quiz), run as a user runs them."""

import json

from coursekit.content.catalog import Layout, load_catalog
from coursekit.quiz import variants
from coursekit.quiz.order import quiz_order

from .process import run


def test_quiz_list_json(minimal_site):
    quiz = minimal_site / "quizzes" / "basics.yml"
    quiz.write_text(quiz.read_text().replace("    type: multiple\n", "    type: multiple\n    points: 3\n", 1))
    r = run("quiz", "list", "--json", cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    rows = {row["id"]: row for row in json.loads(r.stdout)}
    assert list(rows) == list(load_catalog(Layout(minimal_site)).quizzes)  # every quiz, in the catalog's order
    assert rows["basics"] == {"id": "basics", "title": "Basics", "module": 1, "questions": 5, "points": 7}


ANSWERS = """\
two-plus-two: b
pick-evens: [two]
sky: false
half: "0.5"
colour: blue
"""


def test_quiz_take_with_answers_file(minimal_site):
    (minimal_site / "answers.yml").write_text(ANSWERS)
    r = run("quiz", "take", "basics", "--answers", "answers.yml", cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "That joins the digits." in out  # per-option feedback
    assert "2 is even." in out and "Right, it is not green." in out and "Exactly." in out
    assert "That is the sky." in out
    assert "Score: 2.5 / 5" in out


def test_quiz_take_json(minimal_site):
    (minimal_site / "answers.yml").write_text(ANSWERS)
    r = run("quiz", "take", "basics", "--answers", "answers.yml", "--json", cwd=minimal_site)
    data = json.loads(r.stdout)
    assert (data["score_exact"], data["max_score"]) == ("5/2", 5)
    assert [q["correct"] for q in data["questions"]] == [False, False, True, True, False]
    assert data["questions"][0]["misconceptions"] == ["Concatenating instead of adding."]


def test_quiz_take_rejects_unknown_question_ids(minimal_site):
    (minimal_site / "answers.yml").write_text("nope: 1\n")
    r = run("quiz", "take", "basics", "--answers", "answers.yml", cwd=minimal_site)
    assert r.returncode == 1 and "unknown question id(s) nope" in r.stderr


def test_quiz_take_rejects_bad_answers_file(minimal_site):
    (minimal_site / "answers.yml").write_text("a: [1,\n")
    r = run("quiz", "take", "basics", "--answers", "answers.yml", cwd=minimal_site)
    assert r.returncode == 1 and "answers.yml:" in r.stderr and "Traceback" not in r.stderr


def test_quiz_take_interactive(minimal_site):
    # The options come in this learner's own order: find the right ones' numbers in it.
    quiz = load_catalog(Layout(minimal_site)).quizzes["basics"].model
    order = quiz_order("basics", quiz, variants.seed_for("basics", "sam", 1))
    single = order["two-plus-two"].index("a") + 1
    evens = ",".join(str(order["pick-evens"].index(i) + 1) for i in ("two", "four"))
    # single; multiple; true/false: 2 (False); numeric; short text
    r = run("quiz", "take", "basics", "--learner", "sam", cwd=minimal_site, input=f"{single}\n{evens}\n2\n0.5\ngreen\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("✔ correct") == 5
    assert "Score: 5 / 5" in r.stdout


def test_quiz_take_unknown_quiz(minimal_site):
    r = run("quiz", "take", "nope", "--answers", "x.yml", cwd=minimal_site)
    assert r.returncode == 1 and "unknown quiz 'nope'" in r.stderr


def test_quiz_take_submit_then_grade(minimal_site, tmp_path):
    (minimal_site / "a.yml").write_text("two-plus-two: a\nsky: false\n")
    sub = tmp_path / "ana.json"
    r = run("quiz", "take", "basics", "--answers", "a.yml", "--learner", "ana", "--submit", sub, cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    assert json.loads(sub.read_text())["responses"] == {"two-plus-two": "a", "sky": False}
    again = run("quiz", "take", "basics", "--answers", "a.yml", "--submit", sub, cwd=minimal_site)
    assert again.returncode == 1 and "exists" in again.stderr  # never overwritten
    r = run("grade", "quiz", "basics", sub, "--gradebook", tmp_path / "g.sqlite", "--json", cwd=minimal_site)
    assert json.loads(r.stdout)["score_exact"] == "2"
