"""The plugin builds real small sites, as mkdocs build does (after mkdocstrings' tests)."""

import re

import pytest
from mkdocs.exceptions import Abort, PluginError


def test_minimal_site_embeds_quiz_and_exercise(minimal_site, tmp_path, build):
    site = build(minimal_site, tmp_path / "out")
    html = (site / "modules" / "01-basics" / "index.html").read_text(encoding="utf-8")
    # the quiz is a real form: fieldsets with legends, labelled inputs
    assert html.count('<li class="ck-question"') == 5
    assert html.count("<fieldset>") == 5 and html.count("<legend>") == 5
    assert re.search(r'<label class="ck-option"><input type="radio" name="ck-basics-two-plus-two" value="a">', html)
    assert re.search(r'<label for="ck-basics-half-input">Your answer</label>', html)
    assert 'role="status" aria-live="polite"' in html
    # the exercise shows its starter, a download link and its hints
    assert 'data-exercise="add-up"' in html and "Hint 1" in html
    assert (site / "assets" / "coursekit" / "exercises" / "add-up" / "starter.py").is_file()
    assert not (site / "assets" / "coursekit" / "exercises" / "add-up" / "solution.py").exists()
    # the module overview and key points come from the front matter
    assert 'id="objective-add"' in html and "Key points" in html
    # no directive or slot token is left behind
    assert "::quiz" not in html and "coursekitslot" not in html
    # the quiz script is inline in this page, after the quiz (tests/site/test_quiz_bundle.py)
    assert "<script>var coursekitQuiz=" in html and html.index("<script>var coursekitQuiz=") > html.index(
        '<form class="ck-quiz'
    )
    assert not (site / "assets" / "coursekit" / "quiz.js").exists()
    # the quiz styles are inline (no stylesheet request to wait for), once per page
    assert html.count("<style>") == 1 and ".ck-quiz" in html.split("<style>")[1].split("</style>")[0]
    assert "quiz.css" not in html and not (site / "assets" / "coursekit" / "quiz.css").exists()
    # quiz.js is bundled with the modules it imports: nothing to preload
    assert "modulepreload" not in html
    # the import lists the unbundled fallback preloads are the scripts' real imports
    from coursekit.site.bundle import SCRIPTS, module_imports

    for script in ("quiz.js", "assess.js"):
        source = (SCRIPTS / script).read_text(encoding="utf-8")
        imports = re.findall(r'from "\./([\w.]+)"', source)
        assert imports and sorted(module_imports(script)) == sorted(imports), script


def test_quiz_assets_only_on_quiz_pages(minimal_site, tmp_path, build):
    site = build(minimal_site, tmp_path / "out")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "quiz.js" not in home and ".ck-quiz" not in home and "coursekitQuiz" not in home
    # the directive shown inside a code block stays as text
    assert "::quiz{id=&quot;not-a-quiz&quot;}" in home or '::quiz{id="not-a-quiz"}' in home


def test_unknown_quiz_fails_the_build_with_page_and_line(tmp_path, caplog, fixture_site, build):
    root = fixture_site("unknown-quiz")
    with pytest.raises((PluginError, Abort)):
        build(root, tmp_path / "out")
    message = caplog.text
    assert "course/modules/01-basics.md:23:1: unknown quiz 'basic' (known: basics)" in message
    assert not (tmp_path / "out" / "modules").exists()


def test_disabled_plugin_leaves_directives(minimal_site, tmp_path, build):
    config = minimal_site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - coursekit\n", "  - coursekit:\n      enabled: false\n"))
    site = build(minimal_site, tmp_path / "out")
    html = (site / "modules" / "01-basics" / "index.html").read_text(encoding="utf-8")
    assert "ck-quiz" not in html


def test_instructor_notes_only_in_instructor_build(minimal_site, tmp_path, build, monkeypatch):
    learner = build(minimal_site, tmp_path / "learner")
    html = (learner / "modules" / "01-basics" / "index.html").read_text(encoding="utf-8")
    assert "SECRET-TEACHING-NOTE" not in html and ":::" not in html
    monkeypatch.setenv("COURSEKIT_AUDIENCE", "instructor")
    teacher = build(minimal_site, tmp_path / "instructor")
    html = (teacher / "modules" / "01-basics" / "index.html").read_text(encoding="utf-8")
    assert "Instructor notes" in html and "SECRET-TEACHING-NOTE" in html


def test_citations_references_and_timeline(minimal_site, tmp_path, build):
    site = build(minimal_site, tmp_path / "out")
    module = (site / "modules" / "01-basics" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../references/#fact-f1" title="Grass grew 30% in 2024.">Garden Gazette, Jan 2025</a>' in module
    assert ":fact[" not in module
    refs = (site / "references" / "index.html").read_text(encoding="utf-8")
    assert '<tr id="fact-f1">' in refs and '<a href="../modules/01-basics/">Basics</a>' in refs
    timeline = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    assert timeline.index('datetime="2024"') < timeline.index('datetime="2025-02-02"')  # sorted by date
    assert "2 Feb 2025" in timeline


def test_instructor_build_shows_solution_learner_build_does_not(minimal_site, tmp_path, build, monkeypatch):
    learner = (build(minimal_site, tmp_path / "l") / "modules" / "01-basics" / "index.html").read_text()
    assert "Instructor: model solution" not in learner
    monkeypatch.setenv("COURSEKIT_AUDIENCE", "instructor")
    teacher = (build(minimal_site, tmp_path / "i") / "modules" / "01-basics" / "index.html").read_text()
    assert "Instructor: model solution" in teacher and "no hidden tests" in teacher


def test_search_finds_a_question_not_the_quiz_controls(minimal_site, tmp_path, build):
    """Material's search indexes the page: the question and its options are found, the
    widget's controls ("Your answer", "Check", the footer's buttons) are not."""
    import json

    config = minimal_site / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n", "plugins:\n  - search\n"))
    site = build(minimal_site, tmp_path / "out")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("modules/01-basics/"))
    assert "What is 2 + 2?" in text and "Which are even?" in text
    for control in ("Your answer", "Check", "Show a hint", "Show answer", "Download practice record", "Reset quiz"):
        assert control not in text, control
