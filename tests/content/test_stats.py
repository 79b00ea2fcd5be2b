"""Time that adds up: minutes computed from words, exercises and quizzes, checked against what a
page states, on the small fixture course."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from coursekit.cli import app
from coursekit.content.catalog import Layout, load_catalog
from coursekit.content.stats import (
    QUIZ_MINUTES,
    READING_WPM,
    REFLECTION_MINUTES,
    course_stats,
    course_time,
    reading_words,
)

PAGE = "course/modules/01-basics.md"


def test_reading_words_count_what_a_learner_reads():
    text = (
        "---\nmodule: 1\ntitle: Not counted at all\n---\n# Five words in this heading\n\n"
        'Three more words :fact[P1, P2] [here](https://example.org/a-long-link).\n\n::quiz{id="basics"}\n\n<!-- a hidden comment of seven words -->\n'
        ":::instructor\nInstructor notes are never shown to learners.\n:::\n\n```python\nx = 1\n```\n"
    )
    # heading (5) + sentence (3, and the link's text) + code "x = 1" (2 words: x, 1)
    assert reading_words(text) == 11


def _stated(site, teaching: int, exercises: int) -> None:
    page = site / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(
        re.sub(
            r"minutes: \{teaching: \d+, exercises: \d+\}",
            f"minutes: {{teaching: {teaching}, exercises: {exercises}}}",
            text,
        ),
        encoding="utf-8",
    )


def _add_words(site, words: int) -> None:
    page = site / PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n" + " ".join(["word"] * words) + "\n", encoding="utf-8")


def test_module_minutes_add_reading_exercises_and_quiz(minimal_site):
    _add_words(minimal_site, 4 * READING_WPM)
    cat = load_catalog(Layout(minimal_site))
    assert not cat.errors
    m = course_time(cat)["modules"][1]
    expected_quiz = sum(
        QUIZ_MINUTES.get(q.type, 0) if q.type != "reflection" else REFLECTION_MINUTES
        for quiz in cat.quizzes.values()
        if quiz.model.module == 1
        for q in quiz.model.questions
    )
    assert m["minutes_reading"] == -(-m["words"] // READING_WPM) and m["words"] > 4 * READING_WPM
    assert m["minutes_exercises_computed"] == 5  # the fixture's one exercise states 5 minutes
    assert m["minutes_quiz"] == -(-expected_quiz // 1) and m["minutes_quiz"] > 0
    assert m["minutes_computed"] == m["minutes_reading"] + m["minutes_exercises_computed"] + m["minutes_quiz"]


def test_warning_only_when_stated_minutes_differ_by_more_than_a_quarter(minimal_site):
    cat = load_catalog(Layout(minimal_site))
    computed = course_time(cat)["minutes_computed"]
    _stated(minimal_site, computed - 5, 5)  # exactly as computed
    assert course_time(load_catalog(Layout(minimal_site)))["warnings"] == []
    near = int(computed * 1.2)
    _stated(minimal_site, near - 5, 5)
    assert course_time(load_catalog(Layout(minimal_site)))["warnings"] == []
    far = int(computed * 1.3) + 1
    _stated(minimal_site, far - 5, 5)
    warnings = course_time(load_catalog(Layout(minimal_site)))["warnings"]
    assert len(warnings) == 1 and warnings[0].startswith(f"modules/01-basics.md: states {far} min")
    assert f"add up to {computed} min" in warnings[0] and "more than a quarter apart" in warnings[0]


def test_stats_command_prints_the_rate_and_the_warning_and_puts_them_in_json(minimal_site):
    _stated(minimal_site, 200, 5)
    runner = CliRunner()
    result = runner.invoke(app, ["stats", "--root", str(minimal_site)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert f"Reading at {READING_WPM} words a minute" in flat
    assert "warning: modules/01-basics.md: states 205 min" in flat
    data = json.loads(runner.invoke(app, ["stats", "--root", str(minimal_site), "--json"]).output)
    assert data["timing"]["reading_words_per_minute"] == READING_WPM
    assert data["warnings"] and data["warnings"][0].startswith("modules/01-basics.md: states 205 min")
    assert data["per_module"][0]["minutes_stated"] == 205 and data["minutes"] == 205
    assert data["minutes_computed"] == data["per_module"][0]["minutes_computed"]


def test_course_stats_keeps_the_stated_totals(minimal_site):
    stats = course_stats(load_catalog(Layout(minimal_site)))
    assert stats["minutes"] == stats["minutes_teaching"] + stats["minutes_exercises"] == 10
