"""markup.inline's shortcut for plain text gives exactly what the Markdown converter gives;
the conversions a build saves for the next one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from coursekit import markup
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
    slow = markup.markdown(text).strip()
    if slow.startswith("<p>") and slow.endswith("</p>") and slow.count("<p>") == 1:
        slow = slow[3:-4]
    assert markup.inline(text) == slow


def test_shortcut_is_taken_for_most_course_text():
    strings = _course_strings()
    assert sum(map(markup._plain, strings)) > len(strings) // 3


def test_a_rebuild_reuses_the_saved_conversions(minimal_site, build, tmp_path, monkeypatch):
    from coursekit.site import render

    cache = minimal_site / ".cache" / "coursekit" / "markdown.json"
    first = build(minimal_site, tmp_path / "one")
    assert cache.is_file()
    calls = []
    convert = markup._MD.convert
    monkeypatch.setattr(markup._MD, "convert", lambda text: calls.append(text) or convert(text))
    second = build(minimal_site, tmp_path / "two")
    assert calls == []  # every text came from the cache
    pages = sorted(p.relative_to(first) for p in first.rglob("*.html"))
    assert pages and all((first / p).read_bytes() == (second / p).read_bytes() for p in pages)
    # a changed text is converted, and the cache then holds it instead of the old one
    quiz = next((minimal_site / "quizzes").glob("*.yml"))
    text = quiz.read_text(encoding="utf-8")
    explanation = next(line for line in text.splitlines() if "explanation:" in line)
    quiz.write_text(text.replace(explanation, explanation + " *Changed*."), encoding="utf-8")
    build(minimal_site, tmp_path / "three")
    assert any("*Changed*" in t for t in calls)
    assert any("<em>Changed</em>" in html for html in json.loads(cache.read_text())["entries"].values())


def test_a_broken_cache_is_ignored(minimal_site, build, tmp_path):
    cache = minimal_site / ".cache" / "coursekit" / "markdown.json"
    cache.parent.mkdir(parents=True)
    cache.write_text('{"salt": "python-markdown 0.0", "entries": {"x": "<p>stale</p>"}}')
    build(minimal_site, tmp_path / "one")
    assert "stale" not in cache.read_text()
    cache.write_text("not json")
    build(minimal_site, tmp_path / "two")
    assert json.loads(cache.read_text())["entries"]
