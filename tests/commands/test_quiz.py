"""Every CLI command, run as a user runs it: a real process, real files."""

import json
import subprocess
import sys

import pytest


def run(*args, cwd, input=None):
    return subprocess.run(
        [sys.executable, "-m", "coursekit", *args], cwd=cwd, input=input, capture_output=True, text=True, timeout=120
    )


def test_validate_repo(repo):
    r = run("validate", cwd=repo)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("OK:")


def test_validate_broken_copy_lists_every_problem(minimal_site):
    quiz = minimal_site / "quizzes" / "basics.yml"
    text = quiz.read_text()
    text = text.replace(
        "    explanation: Two and two make four.", "    explanaton: Two and two make four."
    )  # misspelt key
    text = text.replace("    answer: false\n", "    answer: maybe\n")  # wrong type
    text = text.replace(
        "objective: name\n    prompt: Name", "objective: colours\n    prompt: Name"
    )  # unknown objective
    quiz.write_text(text)
    r = run("validate", cwd=minimal_site)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    lines = [line for line in r.stderr.splitlines() if line.startswith("quizzes/basics.yml:")]
    assert any(":8:5: questions[0].explanaton: unknown key" in line for line in lines), lines
    assert any("questions[2].answer: input should be a valid boolean" in line for line in lines), lines
    assert any("unknown objective 'colours'" in line for line in lines), lines
    assert "problem(s) found" in r.stderr


def test_schema_written_and_committed_copy_current(repo, tmp_path):
    r = run("schema", "--out", str(tmp_path), cwd=repo)
    assert r.returncode == 0, r.stderr
    for name in ("quiz.schema.json", "exercise.schema.json", "submission.schema.json"):
        fresh = json.loads((tmp_path / name).read_text())
        assert fresh["additionalProperties"] is False
        assert (repo / "schemas" / name).read_text() == (tmp_path / name).read_text(), (
            f"schemas/{name} is stale: run 'coursekit schema'"
        )


def test_quiz_list_json(repo):
    r = run("quiz", "list", "--json", cwd=repo)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {"id": "story-so-far"}.items() <= rows[0].items() or any(x["id"] == "story-so-far" for x in rows)


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
    from coursekit.content.catalog import Layout, load_catalog
    from coursekit.quiz import variants
    from coursekit.quiz.order import quiz_order

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


def test_quiz_take_unknown_quiz(repo):
    r = run("quiz", "take", "nope", "--answers", "x.yml", cwd=repo)
    assert r.returncode == 1 and "unknown quiz 'nope'" in r.stderr


def test_exercise_list_json(repo):
    r = run("exercise", "list", "--json", cwd=repo)
    assert r.returncode == 0, r.stderr
    assert any(x["id"] == "gmv-growth" for x in json.loads(r.stdout))


def test_exercise_check_starter_fails_solution_passes(minimal_site):
    r = run("exercise", "check", "add-up", cwd=minimal_site)
    assert r.returncode == 1
    assert "NotImplementedError" in r.stdout and "coursekit exercise hint add-up" in r.stdout
    r = run("exercise", "check", "add-up", "--file", "exercises/add-up/solution.py", cwd=minimal_site)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "All tests pass." in r.stdout


def test_exercise_check_time_limit(minimal_site):
    slow = minimal_site / "slow.py"
    slow.write_text("def add(a, b):\n    while True:\n        pass\n")
    r = run("exercise", "check", "add-up", "--file", str(slow), "--timeout", "3", cwd=minimal_site)
    assert r.returncode == 1
    assert "Stopped after 3 s: test_add_up.py::test_add was still running" in r.stdout  # names the test


@pytest.mark.parametrize("args", [["quiz"], ["exercise", "check"]])
def test_usage_errors_exit_2(repo, args):
    assert run(*args, cwd=repo).returncode == 2
