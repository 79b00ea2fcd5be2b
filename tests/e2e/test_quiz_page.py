"""A module page of the fixture course in real Chromium: answer wrongly, then rightly; read
feedback and score."""

import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from coursekit.content.catalog import Layout, load_catalog
from coursekit.markup import inline

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "minimal"
QUIZ = load_catalog(Layout(MINIMAL)).quizzes["basics"].model
PAGE = "/modules/01-basics/"


@pytest.fixture(scope="module")
def base(tmp_path_factory, served_build) -> str:
    root = tmp_path_factory.mktemp("quiz-page") / "minimal"
    shutil.copytree(MINIMAL, root)
    return served_build(root, root.parent / "site")


def text_of(markdown: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", inline(markdown))).split())


def squash(s: str) -> str:
    return " ".join(s.split())


def question(page, qid):
    return page.locator(f'li.ck-question[data-question="{qid}"]')


def test_quiz_wrong_then_right(page, base):
    page.goto(base + PAGE)
    total = sum(q.points for q in QUIZ.questions)
    score = page.locator(".ck-quiz__score")
    assert squash(score.inner_text()) == f"Score: 0 / {total} (no question checked yet)"

    single = next(q for q in QUIZ.questions if q.type == "single")
    wrong = next(o for o in single.options if not o.correct)
    right = next(o for o in single.options if o.correct)
    li = question(page, single.id)
    feedback = li.locator(".ck-feedback")
    assert feedback.get_attribute("aria-live") == "polite"

    li.locator(f'input[value="{wrong.id}"]').check()
    li.locator(".ck-check").click()
    assert squash(feedback.locator(".ck-feedback__verdict").inner_text()) == "Not right yet."
    assert text_of(wrong.feedback) in squash(feedback.inner_text())
    assert squash(score.inner_text()) == f"Score: 0 / {total} (1 of {len(QUIZ.questions)} checked)"
    assert li.get_attribute("data-state") == "wrong"

    li.locator(f'input[value="{right.id}"]').check()
    li.locator(".ck-check").click()
    assert squash(feedback.locator(".ck-feedback__verdict").inner_text()) == "Correct."
    assert text_of(right.feedback) in squash(feedback.inner_text())
    assert text_of(single.explanation)[:60] in squash(feedback.inner_text())
    assert squash(score.inner_text()) == f"Score: {single.points} / {total} (1 of {len(QUIZ.questions)} checked)"


def test_numeric_answer_by_keyboard(page, base):
    page.goto(base + PAGE)
    q = next(q for q in QUIZ.questions if q.type == "numeric")
    li = question(page, q.id)
    field = li.locator('input[type="text"]')
    field.focus()
    page.keyboard.type("not a number")
    page.keyboard.press("Enter")  # Enter checks the question, it does not submit the page
    assert "That is not a number." in li.locator(".ck-feedback").inner_text()
    field.fill("")
    page.keyboard.type(str(q.answer))
    page.keyboard.press("Enter")
    assert squash(li.locator(".ck-feedback__verdict").inner_text()) == "Correct."
    assert page.url.endswith(PAGE)
