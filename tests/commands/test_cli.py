"""The app as coursekit.cli assembles it: usage errors, and the options with a closed set of
values, which typer itself checks and lists."""

import pytest

from .process import run, unboxed


@pytest.mark.parametrize("args", [["quiz"], ["exercise", "check"]])
def test_usage_errors_exit_2(repo, args):
    assert run(*args, cwd=repo).returncode == 2


CSV = ["plain", "moodle", "canvas"]
CLOSED = {  # the command: (the arguments it needs besides, the option, its values)
    "build": ([], "--audience", ["learner", "instructor", "assessment"]),
    "export": (["some-quiz", "--out", "x.xml"], "--format", ["moodle", "gift", "qti", "qti12"]),
    "grade quiz": (["some-quiz", "x.json", "--gradebook", "g.sqlite"], "--csv-format", CSV),
    "grade exercise": (["some-exercise", ".", "--gradebook", "g.sqlite"], "--csv-format", CSV),
    "roster": (["--gradebook", "g.sqlite"], "--sort", ["learner", "progress"]),
}


@pytest.mark.parametrize("command", CLOSED)
def test_a_closed_option_refuses_a_wrong_value_and_names_the_choices(tmp_path, command):
    """typer rejects the value before any course is read (there is none here): exit 2, the
    choices named in the error and in --help."""
    needed, option, values = CLOSED[command]
    r = run(*command.split(), *needed, option, "nonsense", cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    said = unboxed(r.stderr)
    assert f"Invalid value for '{option}'" in said, said
    assert "'nonsense' is not one of " + ", ".join(f"'{v}'" for v in values) in said, said
    helped = run(*command.split(), "--help", cwd=tmp_path, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert f"{option} <{'|'.join(values)}>" in unboxed(helped.stdout), helped.stdout


@pytest.mark.parametrize("value", ["learner", "instructor", "assessment"])
def test_every_audience_is_accepted_as_spelt(tmp_path, value):
    """The accepted spellings are the site's: a right value gets past the parser, and the
    command then stops for want of a course (exit 1), not at the option."""
    r = run("build", "--audience", value, "--root", tmp_path / "none", cwd=tmp_path)
    assert r.returncode == 1 and "course directory not found" in r.stderr, r.stderr
