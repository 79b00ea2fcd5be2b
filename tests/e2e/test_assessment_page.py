"""The assessment page in Chromium: a numeric answer the grader would not read is flagged before
the file leaves (saying nothing of the key), unanswered questions are listed, and "Clear answers"
also clears the learner id for the next person at a shared computer."""

import shutil
from pathlib import Path

import pytest

from coursekit.content.catalog import Layout, load_catalog
from coursekit.site.builds import build_assessment

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("assess-page") / "minimal"
    shutil.copytree(REPO / "tests" / "fixtures" / "sites" / "minimal", root)
    out = root.parent / "site"
    build_assessment(root, load_catalog(Layout(root)), ["basics"], out)
    return out


def test_unreadable_numbers_unanswered_questions_and_clear(browser, site, serve):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(serve(site) + "/basics/")
    page.fill(".ck-assess__learner", "sam")
    number = page.locator('li[data-question="half"] input[type="text"]')
    status = page.locator(".ck-assess__status")

    number.fill("0,5")
    number.blur()
    flag = page.locator('li[data-question="half"] .ck-assess__flag')
    assert "Not a number the grader can read" in flag.inner_text()
    assert number.get_attribute("aria-invalid") == "true"
    assert number.get_attribute("aria-describedby") == flag.get_attribute("id")
    page.locator(".ck-assess__download").click()  # refused: nothing is downloaded
    assert "Fix the answer to question 4 first" in status.inner_text()
    assert page.evaluate("document.activeElement.closest('li').dataset.question") == "half"

    number.fill("1" * 101)
    number.blur()
    assert "too long" in flag.inner_text()
    number.fill("0.5")
    number.blur()
    assert flag.count() == 0 and number.get_attribute("aria-invalid") is None

    page.locator('li[data-question="sky"] input[value="false"]').check()
    with page.expect_download():
        page.locator(".ck-assess__download").click()
    text = status.inner_text()
    assert "2 of 5 answered" in text and "not answered: questions 1, 2, 5" in text, text

    page.once("dialog", lambda d: d.accept())
    page.locator(".ck-assess__clear").click()
    assert page.locator(".ck-assess__learner").input_value() == ""
    assert number.input_value() == "" and not page.locator('li[data-question="sky"] input[value="false"]').is_checked()
    page.reload()
    assert page.locator(".ck-assess__learner").input_value() == "" and number.input_value() == ""
    assert errors == []
    context.close()
