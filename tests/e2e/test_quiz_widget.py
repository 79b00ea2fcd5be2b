"""The quiz widget in real Chromium: every type by keyboard alone, feedback read from the
aria-live regions, saved progress across reloads and instant navigation, accessibility
(axe-core), narrow screens, print, reduced motion, and the shared grading vectors."""

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from coursekit.site.quizzes import bounds

REPO = Path(__file__).resolve().parents[2]
VECTORS = json.loads((REPO / "tests" / "grading_vectors.json").read_text(encoding="utf-8"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGE = "/all-types/"


@pytest.fixture(scope="module")
def site(tmp_path_factory, served_build):
    import shutil

    root = tmp_path_factory.mktemp("widget") / "minimal"
    shutil.copytree(REPO / "tests" / "fixtures" / "sites" / "minimal", root)
    return served_build(root, root.parent / "site")


def q(page, qid):
    return page.locator(f'li.ck-question[data-question="{qid}"]')


def feedback(page, qid) -> str:
    region = q(page, qid).locator(".ck-feedback")
    assert region.get_attribute("aria-live") == "polite" and region.get_attribute("role") == "status"
    return " ".join(region.inner_text().split())


def tab_to(page, selector: str, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches the selector."""
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"could not reach {selector} with the keyboard")


def check(page, qid: str) -> str:
    tab_to(page, f'[data-question="{qid}"] .ck-check')
    page.keyboard.press("Enter")
    return feedback(page, qid)


def test_every_type_by_keyboard_alone(page, site):
    page.goto(site + PAGE)
    # single choice: wrong first, then right
    tab_to(page, 'input[name="ck-all-types-pick"]')
    # The options come in this browser's own order: Space takes the focused one, an arrow the other.
    first = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space" if first == "thirtythree" else "ArrowDown")  # selects "33"
    assert check(page, "pick").startswith("Not right yet. That joins the digits.")
    assert "Review the section" in feedback(page, "pick")
    tab_to(page, 'input[name="ck-all-types-pick"]', backwards=True)
    page.keyboard.press("ArrowDown")  # back to "6" (two options: an arrow moves to the other one)
    assert check(page, "pick").startswith("Correct. Six it is.")
    # progressive hints, one at a time
    tab_to(page, '[data-question="pick"] .ck-hint-button')
    page.keyboard.press("Enter")
    hints = q(page, "pick").locator(".ck-hints")
    assert "Count on your fingers." in hints.inner_text() and "more than five" not in hints.inner_text()

    # multiple select: space toggles the focused box
    tab_to(page, 'input[name="ck-all-types-evens"][value="two"]')
    page.keyboard.press("Space")
    tab_to(page, 'input[name="ck-all-types-evens"][value="four"]')
    page.keyboard.press("Space")
    assert check(page, "evens").startswith("Correct.")

    tab_to(page, 'input[name="ck-all-types-sky"][value="true"]')
    page.keyboard.press("Space")
    assert check(page, "sky").startswith("Correct. Yes.")

    # a seeded variant: the answer follows from the numbers this learner was shown
    prompt = q(page, "growth").locator(".ck-prompt").inner_text()
    before, after = map(int, re.findall(r"\d+", prompt)[:2])
    answer = round((after - before) / before * 100, 1)
    tab_to(page, '[data-question="growth"] input[type="text"]')
    page.keyboard.type(f"{answer}%")
    page.keyboard.press("Enter")
    assert feedback(page, "growth").startswith(f"Correct. Right, {answer:g}%.")

    tab_to(page, '[data-question="word"] input[type="text"]')
    page.keyboard.type("  Green ")
    page.keyboard.press("Enter")
    assert feedback(page, "word").startswith("Correct.")

    # ordering: move each item up with its button; focus stays on the moved item
    for position, item in enumerate(["one", "two", "three"]):
        current = q(page, "order").locator(".ck-order__item").evaluate_all("els => els.map(e => e.dataset.item)")
        steps = current.index(item) - position
        if steps > 0:
            tab_to(page, f'[data-question="order"] [data-item="{item}"] .ck-order__up')
            for _ in range(steps):
                page.keyboard.press("Enter")
            assert f"Moved to position {position + 1} of 3." in feedback(page, "order")
    assert check(page, "order").startswith("Correct. In order.")

    # matching: type ahead in each select
    tab_to(page, 'select[data-pair="fr"]')
    page.keyboard.type("Berlin")
    tab_to(page, 'select[data-pair="it"]')
    page.keyboard.type("Rome")
    text = check(page, "capitals")
    assert text.startswith("Partly right: 0.5 of 1.") and "Check each pair." in text
    tab_to(page, 'select[data-pair="fr"]', backwards=True)
    page.keyboard.type("Paris")
    assert check(page, "capitals").startswith("Correct.")

    tab_to(page, '[data-question="think"] textarea')
    page.keyboard.type("I learned how quizzes work.")
    assert check(page, "think").startswith("Saved. Saved for your instructor to read")

    score = " ".join(page.locator(".ck-quiz__score").inner_text().split())
    assert score == "Score: 7 / 7 (7 of 7 checked)"


def test_show_answer_after_the_configured_tries(page, site):
    page.goto(site + PAGE)
    li = q(page, "pick")
    reveal = li.locator(".ck-reveal")
    li.locator('input[value="thirtythree"]').check()
    li.locator(".ck-check").click()
    assert reveal.is_hidden()
    li.locator(".ck-check").click()
    assert reveal.is_visible()
    assert "Explanation" not in feedback(page, "pick")
    reveal.click()
    text = feedback(page, "pick")
    assert "Answer 6" in text and "Explanation Three and three make six." in text
    assert reveal.is_hidden()


def test_progress_survives_reload_and_instant_navigation(page, site):
    page.goto(site + PAGE)
    li = q(page, "pick")
    li.locator('input[value="six"]').check()
    li.locator(".ck-check").click()
    q(page, "word").locator("input").fill("gree")  # typed, not checked
    q(page, "word").locator("input").dispatch_event("change")
    page.reload()
    assert q(page, "pick").locator('input[value="six"]').is_checked()
    assert feedback(page, "pick").startswith("Correct.")
    assert q(page, "word").locator("input").input_value() == "gree"
    assert "Score: 1 / 7" in page.locator(".ck-quiz__score").inner_text()

    # instant navigation away and back: no full reload, widget re-attached, state intact
    page.evaluate("window.__stillHere = true")
    page.get_by_role("link", name="the basics").click()
    page.wait_for_url("**/modules/01-basics/")
    page.locator(".ck-quiz").first.wait_for()
    page.go_back()
    page.wait_for_url("**" + PAGE)
    q(page, "pick").wait_for()
    assert page.evaluate("window.__stillHere === true"), "navigation reloaded the page (instant navigation is off)"
    page.wait_for_function("document.querySelector('form.ck-quiz').dataset.ckAttached === '1'")
    assert feedback(page, "pick").startswith("Correct.")
    q(page, "word").locator(".ck-check").click()
    assert feedback(page, "word").startswith("Not right yet.")
    assert "Score: 1 / 7 (2 of 7 checked)" in page.locator(".ck-quiz__score").inner_text()


def test_reset_clears_progress(page, site):
    page.goto(site + PAGE)
    q(page, "pick").locator('input[value="six"]').check()
    q(page, "pick").locator(".ck-check").click()
    page.once("dialog", lambda d: d.accept())
    page.locator(".ck-reset").click()
    assert not q(page, "pick").locator('input[value="six"]').is_checked()
    page.reload()
    assert feedback(page, "pick") == ""
    assert "no question checked yet" in page.locator(".ck-quiz__score").inner_text()


def test_results_file_download(page, site):
    page.goto(site + PAGE)
    q(page, "pick").locator('input[value="six"]').check()
    q(page, "pick").locator(".ck-check").click()
    with page.expect_download() as info:
        page.locator(".ck-download").click()
    data = json.loads(Path(info.value.path()).read_text())
    assert (data["format"], data["quiz"], data["score"], data["max_score"]) == (
        "coursekit-practice-results",
        "all-types",
        "1",
        7,
    )
    assert data["questions"][0] == {
        "id": "pick",
        "type": "single",
        "response": "six",
        "score": "1",
        "max_score": 1,
        "correct": True,
        "tries": 1,
        "revealed": False,
        "variant": None,
    }
    assert data["questions"][3]["variant"]  # the variant's numbers travel with the results


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_a_or_aa_violation(browser, site, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(site + PAGE)
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected
    # feedback, hints and answers on the page too, so they are checked as well
    q(page, "pick").locator('input[value="thirtythree"]').check()
    for _ in range(2):
        q(page, "pick").locator(".ck-check").click()
    q(page, "pick").locator(".ck-hint-button").click()
    q(page, "sky").locator('input[value="true"]').check()
    q(page, "sky").locator(".ck-check").click()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document.querySelector('.ck-quiz'),
        {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    context.close()
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []


def test_narrow_screen_print_and_reduced_motion(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(site + PAGE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    fieldset = q(page, "pick").locator("fieldset")
    assert fieldset.evaluate("e => getComputedStyle(e).transitionDuration") == "0s"
    q(page, "pick").locator('input[value="six"]').check()
    q(page, "pick").locator(".ck-check").click()
    page.emulate_media(media="print")
    assert q(page, "pick").locator(".ck-feedback").is_visible()  # printed as the learner left it
    assert q(page, "pick").locator(".ck-check").is_hidden()
    assert page.locator(".ck-quiz__score").is_visible()
    assert q(page, "pick").locator("legend").is_visible()
    context.close()


def test_grading_vectors_in_the_browser(page, site):
    """The vectors run against the grader the page runs: the quiz script inline in it (a bundle
    of the widget and grading.js) exports it as window.coursekitQuiz."""
    page.goto(site + PAGE)
    got = page.evaluate(
        """async ({questions, cases}) => {
        const g = window.coursekitQuiz;
        return cases.map(c => {
            const r = g.gradeQuestion(questions[c.question], c.response);
            return {score: r.score, correct: r.correct, answered: r.answered,
                    feedback: r.feedback, misconceptions: r.misconceptions};
        });
    }""",
        # with the bounds on an answer that the page's data carries (coursekit.limits, via the build)
        {"questions": {k: q | bounds(q["type"]) for k, q in VECTORS["questions"].items()}, "cases": VECTORS["cases"]},
    )
    assert len(got) == len(VECTORS["cases"]) >= 60
    mismatches = []
    for case, r in zip(VECTORS["cases"], got):
        actual = (
            Fraction(r["score"][0], r["score"][1]),
            r["correct"],
            r["answered"],
            r["feedback"],
            r["misconceptions"],
        )
        expected = (
            Fraction(case["score"]),
            case["correct"],
            case["answered"],
            case["feedback"],
            case["misconceptions"],
        )
        if actual != expected:
            mismatches.append((case["question"], case["response"], expected, actual))
    assert mismatches == []
