"""`coursekit validate | build | stats | schema` (coursekit.commands.course), run as processes."""

import json

import pytest

from .process import run


@pytest.mark.content
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


def test_a_build_that_fails_says_why(minimal_site, tmp_path):
    config = minimal_site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material", "  name: no-such-theme", 1))
    r = run("build", "--site-dir", tmp_path / "out", cwd=minimal_site)
    assert r.returncode == 1
    assert "not built" in r.stderr and "Unrecognised theme name: 'no-such-theme'" in r.stderr
