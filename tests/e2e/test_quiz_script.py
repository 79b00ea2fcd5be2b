"""The quiz page's script in real Chromium: bundled, it is inline and attaches while the page is
still being parsed, fetching nothing; without esbuild, the modules as written, preloaded with
the script; the quiz answers either way."""

import shutil
from pathlib import Path

from coursekit.site import bundle

REPO = Path(__file__).resolve().parents[2]
PAGE = "/all-types/"
# The coursekit scripts the page fetched: name -> (initiator, start, response end in ms).
RESOURCES = """() => Object.fromEntries(performance.getEntriesByType('resource')
    .filter(e => new URL(e.name).pathname.startsWith('/assets/coursekit/') && e.name.endsWith('.js'))
    .map(e => [new URL(e.name).pathname.split('/').pop(), [e.initiatorType, e.startTime, e.responseEnd]]))"""


def make_site(tmp_path: Path, served_build) -> str:
    root = tmp_path / "minimal"
    shutil.copytree(REPO / "tests" / "fixtures" / "sites" / "minimal", root)
    return served_build(root, tmp_path / "site")


def answer_wrong_then_right(page) -> None:
    li = page.locator('li.ck-question[data-question="pick"]')
    feedback = li.locator(".ck-feedback")
    li.locator('input[value="thirtythree"]').check()
    li.locator(".ck-check").click()
    assert " ".join(feedback.inner_text().split()).startswith("Not right yet. That joins the digits.")
    li.locator('input[value="six"]').check()
    li.locator(".ck-check").click()
    assert " ".join(feedback.inner_text().split()).startswith("Correct. Six it is.")
    assert "Score: 1 / 7" in page.locator(".ck-quiz__score").inner_text()


# Before any page script: note the document's state when the quiz form is marked attached, and
# whether Material's script had run by then.
WATCH_ATTACH = """new MutationObserver((changes, observer) => {
    for (const c of changes) if (c.target.matches && c.target.matches('form.ck-quiz') && c.target.dataset.ckAttached) {
        window.__ckAttachedWhile = {readyState: document.readyState, material: typeof window.document$ !== 'undefined'};
        observer.disconnect();
    }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-ck-attached']});"""


def test_bundled_quiz_page_fetches_no_script_and_attaches_while_parsing(page, tmp_path, served_build):
    base = make_site(tmp_path, served_build)
    page.add_init_script(WATCH_ATTACH)
    page.goto(base + PAGE)
    page.wait_for_function("document.querySelector('form.ck-quiz').dataset.ckAttached === '1'")
    assert page.evaluate(RESOURCES) == {}
    # inline after the quiz: attached before the page was parsed and before Material's script ran
    assert page.evaluate("window.__ckAttachedWhile") == {"readyState": "loading", "material": False}
    answer_wrong_then_right(page)


def test_without_esbuild_the_preloaded_modules_work(page, tmp_path, served_build, monkeypatch):
    monkeypatch.setattr(bundle, "_candidates", lambda start: [tmp_path / "no" / "node_modules"])
    base = make_site(tmp_path, served_build)
    page.goto(base + PAGE)
    page.wait_for_function("document.querySelector('form.ck-quiz').dataset.ckAttached === '1'")
    fetched = page.evaluate(RESOURCES)
    assert sorted(fetched) == ["grading.js", "numbers.js", "order.js", "quiz.js", "responses.js"]
    # The imports come from their <link rel="modulepreload">, requested before quiz.js had even
    # arrived; found as imports of quiz.js they would show as "script", requested after it.
    quiz_arrived = fetched["quiz.js"][2]
    for module in ("grading.js", "numbers.js", "order.js", "responses.js"):
        initiator, start, _ = fetched[module]
        assert initiator != "script" and start < quiz_arrived, (module, fetched)
    answer_wrong_then_right(page)
