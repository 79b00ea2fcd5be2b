"""markup.inline's shortcut for plain text gives exactly what the Markdown converter gives,
on every string of the fixture courses and on strings made to trip it (the course's own
strings are checked in tests/course/test_course_text.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coursekit import markup

TESTS = Path(__file__).resolve().parent
FIXTURE_FILES = [
    *TESTS.glob("fixtures/sites/*/quizzes/*.yml"),
    *TESTS.glob("fixtures/sites/*/exercises/*/exercise.yml"),
    *TESTS.glob("fixtures/sites/*/course/data/*.yml"),
    TESTS / "fixtures" / "export" / "all-types.yml",
]


def strings_of(node):
    """Every string in a YAML document, stripped."""
    if isinstance(node, str):
        yield node.strip()
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings_of(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings_of(value)


def strings_in(paths) -> list[str]:
    found = set()
    for path in paths:
        found.update(strings_of(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return sorted(s for s in found if s)


def matches_markdown(text: str) -> None:
    slow = markup.markdown(text).strip()
    if slow.startswith("<p>") and slow.endswith("</p>") and slow.count("<p>") == 1:
        slow = slow[3:-4]
    assert markup.inline(text) == slow


TRICKY = [
    "1. first",
    "2) second",
    "- item",
    "+ item",
    "* item",
    ": definition",
    "= heading",
    "> quote",
    "--- rule",
    "    code",
    "a  b",
    "US$30 billion, up 30%",
    'Tom\'s "quoted" answer',
    "x\\y",
    "a_b_c",
    "see [link](x)",
    "<b>bold</b>",
    "AT&T",
    "#hashtag",
    "1.5 times",
    "3x",
    "https://example.com/a?b=c",
    "Fish & chips",
    "e.g. this",
    "ratio 1:2",
    "a -- b",
    "(a) one",
    "1a. not a list",
    "9.",
    "10. ten",
]


@pytest.mark.parametrize("text", [*strings_in(FIXTURE_FILES), *TRICKY])
def test_shortcut_matches_markdown(text):
    matches_markdown(text)


def test_the_fixture_strings_try_both_paths():
    """Plain strings take the shortcut and the rest go through Markdown: both are compared above."""
    strings = strings_in(FIXTURE_FILES)
    plain = sum(map(markup._plain, strings))
    assert len(strings) > 50 and 0 < plain < len(strings)
