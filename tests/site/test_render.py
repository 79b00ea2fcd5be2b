"""render.inline's shortcut for plain text gives exactly what the Markdown converter gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coursekit.site import render

REPO = Path(__file__).resolve().parents[2]


def _strings(node):
    if isinstance(node, str):
        yield node.strip()
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _course_strings() -> list[str]:
    found = set()
    for path in [*REPO.glob("quizzes/*.yml"), *REPO.glob("exercises/*/exercise.yml"), *REPO.glob("course/data/*.yml"),
                 *REPO.glob("tests/fixtures/sites/*/quizzes/*.yml")]:
        found.update(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return sorted(s for s in found if s)


TRICKY = ["1. first", "2) second", "- item", "+ item", "* item", ": definition", "= heading", "> quote",
          "--- rule", "    code", "a  b", "US$30 billion, up 30%", "Tom's \"quoted\" answer", "x\\y", "a_b_c",
          "see [link](x)", "<b>bold</b>", "AT&T", "#hashtag", "1.5 times", "3x", "https://example.com/a?b=c",
          "Fish & chips", "e.g. this", "ratio 1:2", "a -- b", "(a) one", "1a. not a list", "9.", "10. ten"]


@pytest.mark.parametrize("text", [*_course_strings(), *TRICKY])
def test_shortcut_matches_markdown(text):
    slow = render.markdown(text).strip()
    if slow.startswith("<p>") and slow.endswith("</p>") and slow.count("<p>") == 1:
        slow = slow[3:-4]
    assert render.inline(text) == slow


def test_shortcut_is_taken_for_most_course_text():
    strings = _course_strings()
    assert sum(map(render._plain, strings)) > len(strings) // 3
