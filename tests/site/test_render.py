"""The Markdown conversions a build saves for the next one."""

from __future__ import annotations

import json

from coursekit import markup


def test_a_rebuild_reuses_the_saved_conversions(minimal_site, build, tmp_path, monkeypatch):

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
