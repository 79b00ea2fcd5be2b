"""Every example the README shows is checked, so the docs cannot drift from the code."""

import re
from pathlib import Path

import yaml

from coursekit.content.directives import find_directives
from coursekit.content.models import Exercise, ModulePage, Quiz

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, re.S)


def yaml_blocks():
    return [body for lang, body in BLOCKS if lang == "yaml"]


def test_readme_names_the_two_commands_first():
    first_screen = "\n".join(README.splitlines()[:25])
    assert "make serve" in first_screen and "make test" in first_screen
    assert "Python 3.13+" in first_screen and "Node.js 20+" in first_screen


def test_module_front_matter_example_is_valid():
    block = next(b for b in yaml_blocks() if b.startswith("---"))
    ModulePage.model_validate(yaml.safe_load(block.strip().strip("-")))


def test_quiz_example_is_valid():
    block = next(b for b in yaml_blocks() if "quiz.schema.json" in b)
    Quiz.model_validate(yaml.safe_load(block))


def test_exercise_example_is_valid():
    block = next(b for b in yaml_blocks() if "exercise.schema.json" in b)
    Exercise.model_validate(yaml.safe_load(block))


def test_directive_example_parses():
    block = next(body for lang, body in BLOCKS if lang == "markdown" and "::quiz" in body)
    assert [(d.kind, d.id, d.problem) for d in find_directives(block)] == [
        ("quiz", "story-so-far", None),
        ("exercise", "gmv-growth", None),
    ]
