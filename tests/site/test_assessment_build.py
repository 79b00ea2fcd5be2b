"""The assessment build carries no key, and what it exports is graded by `coursekit grade quiz`: on the
fixture course, and (content) on the real one."""

import json
import re
import sqlite3
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest

from coursekit.content.catalog import Layout, load_catalog
from coursekit.ids import LEARNER_RULE
from coursekit.markup import inline, markdown

REPO = Path(__file__).resolve().parents[2]


def strings_under(quiz, wanted) -> set[str]:
    """Every string of the quiz under a key for which wanted(key) holds, as text and as HTML."""
    found: set[str] = set()

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and wanted(key):
            found.add(node)

    walk(quiz.model_dump(mode="json"))
    out = set()
    for text in found:
        out |= {text.strip(), escape(text.strip()), inline(text).strip(), markdown(text).strip()}
    return out


def secret_strings(quizzes) -> set[str]:
    """Every explanation, feedback, hint and misconception of the quizzes, as text and as
    rendered HTML, less any that is also a prompt or an option (shown to the learner anyway)."""
    secret = set().union(
        *(
            strings_under(q, lambda k: k in ("explanation", "misconception", "hints") or "feedback" in k)
            for q in quizzes
        )
    )
    shown = set().union(
        *(strings_under(q, lambda k: k in ("prompt", "text", "left", "right", "title")) for q in quizzes)
    )
    return {s for s in secret - shown if len(s) >= 12}  # shorter strings ("Right.") are not evidence of a leak


FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "minimal"
# (course root, a quiz on it, the least number of secret strings the leak search looks for)
WHICH = {"fixture": (FIXTURE, "basics", 30), "course": (REPO, "story-so-far", 500)}


@pytest.fixture(scope="module", params=["fixture", pytest.param("course", marks=pytest.mark.content)])
def which(request):
    return request.param


@pytest.fixture(scope="module")
def assessment(which, tmp_path_factory):
    out = tmp_path_factory.mktemp("assessment") / "site"
    r = subprocess.run(
        [sys.executable, "-m", "coursekit", "build", "--audience", "assessment", "--site-dir", str(out)],
        cwd=WHICH[which][0],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    return out


def test_no_key_feedback_explanation_or_misconception_anywhere(which, assessment):
    root, _, least = WHICH[which]
    cat = load_catalog(Layout(root))
    secrets = secret_strings([q.model for q in cat.quizzes.values()])
    assert len(secrets) > least  # the search is over the whole text of the quizzes
    files = [p for p in assessment.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".json", ".css", ".xml")]
    leaks = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        leaks += [(path.name, s[:60]) for s in secrets if s in text]
        # no key fields in the widget data either
        for attr in re.findall(r'data-ck-assessment="([^"]*)"', text):
            data = json.loads(
                attr.replace("&quot;", '"')
                .replace("&amp;", "&")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
            )
            for q in data["questions"]:
                assert set(q) <= {"id", "type", "prompts"}, q
    assert leaks == []
    # no grader, exercise or practice widget in an assessment build
    names = {p.name for p in files}
    assert {"grading.js", "quiz.js"}.isdisjoint(names)
    assert not list(assessment.rglob("solution.py"))


def test_downloaded_submission_is_graded(which, assessment, serve, browser, tmp_path):
    root, quiz_id, _ = WHICH[which]
    base = serve(assessment)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(base + f"/{quiz_id}/")
    quiz = load_catalog(Layout(root)).quizzes[quiz_id].model
    single = next(q for q in quiz.questions if q.type == "single")
    right = next(o for o in single.options if o.correct)
    page.locator(f'li[data-question="{single.id}"] input[value="{right.id}"]').check()
    status = page.locator(".ck-assess__status")
    page.locator(".ck-assess__download").click()
    assert status.inner_text() == f"Enter your learner id first: {LEARNER_RULE}."  # the rule from coursekit.ids
    page.locator(".ck-assess__learner").fill("ana.lopez")
    page.reload()  # answers and id survive a reload
    assert page.locator(f'li[data-question="{single.id}"] input[value="{right.id}"]').is_checked()
    with page.expect_download() as info:
        page.locator(".ck-assess__download").click()
    path = tmp_path / "ana.json"
    info.value.save_as(path)
    context.close()
    sub = json.loads(path.read_text())
    assert (sub["format"], sub["learner"], sub["quiz"], sub["responses"][single.id]) == (
        "coursekit-submission",
        "ana.lopez",
        quiz_id,
        right.id,
    )
    book = tmp_path / "g.sqlite"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "coursekit",
            "grade",
            "quiz",
            quiz_id,
            str(path),
            "--gradebook",
            str(book),
            "--json",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    outcome = json.loads(r.stdout.splitlines()[0])
    assert outcome["status"] == "graded" and outcome["score"] >= single.points
    with sqlite3.connect(book) as conn:
        assert conn.execute("SELECT correct FROM quiz_items WHERE question = ?", (single.id,)).fetchone() == (1,)
