"""WCAG 2.1 AA across the whole course: axe-core (from node_modules, injected by Playwright) on
every page of the learner, instructor and assessment builds, in the light and the dark scheme,
and on a module page in the states a learner brings it to: quiz feedback, hints open, a failing
and a passing Check, exercise output, buttons focused and hovered.

Any serious or critical violation fails, listed with its rule, page (or state) and element.
"""

from __future__ import annotations

import pytest
from course_builds import AUDIENCES, REPO, SCHEMES, VIEWPORT, course_site, describe, run_axe, site_pages
from test_exercise_page import BOOT_TIMEOUT_MS, replace_code, wait_editor, wait_state

MODULE = "/modules/01-story-so-far/"


def open_page(browser, scheme: str, **options):
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORT, **options)
    return context, context.new_page()


def settle(page) -> None:
    """Wait until the page looks as a reader sees it: each exercise's editor mounted (it mounts
    when the exercise comes near the viewport), then back to the top."""
    for section in page.locator("section.ck-exercise").all():
        wait_editor(page, section)
    page.evaluate("window.scrollTo(0, 0)")
    # Material hides the tabs while scrolled down and fades them back in at the top.
    page.wait_for_function("() => !document.querySelector('.md-tabs')?.hasAttribute('hidden')")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_page_passes_axe(browser, built_course, tmp_path_factory, serve, audience, scheme):
    site, url = course_site(audience, built_course, tmp_path_factory, serve)
    pages = site_pages(site)
    context, page = open_page(browser, scheme)
    problems: list[str] = []
    try:
        for path in pages:
            page.goto(url + path)
            assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
            settle(page)
            problems += describe(run_axe(page), f"{audience} site, {scheme}, {path}")
    finally:
        context.close()
    assert not problems, f"{len(problems)} serious or critical axe violation(s) over {len(pages)} pages:\n" + "\n".join(
        problems
    )


def answer_quiz(page) -> None:
    """Every question of the page's quiz checked: some wrong, some unanswered, one right, with
    every hint shown; then the answer revealed where the quiz offers it."""
    quiz = page.locator("form.ck-quiz").first
    for li in quiz.locator("li.ck-question").all():
        hint = li.locator(".ck-hint-button")
        while hint.count() and hint.is_visible():
            hint.click()
        choices = li.locator('input[type="radio"], input[type="checkbox"]')
        if choices.count():
            choices.last.check()
        text = li.locator('input[type="text"]')
        if text.count():
            text.first.fill("7")
        li.locator(".ck-check").click()
        li.locator(".ck-feedback").wait_for()
    for reveal in quiz.locator(".ck-reveal").all():
        if reveal.is_visible():
            reveal.click()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_module_page_in_a_learners_states_passes_axe(browser, built_course, serve, scheme):
    context, page = open_page(browser, scheme)
    problems: list[str] = []

    def axe(state: str, scope: str | None = None) -> None:
        problems.extend(describe(run_axe(page, scope), f"{MODULE} ({scheme}) {state}"))

    try:
        page.goto(serve(built_course) + MODULE)
        answer_quiz(page)
        assert page.locator(".ck-feedback__verdict").count() >= 2
        axe("with quiz feedback, hints and answers shown")

        section = page.locator("section.ck-exercise").first
        exercise_id = section.get_attribute("data-exercise")
        wait_editor(page, section)
        section.locator(".ck-hint-button").click()
        section.locator(".ck-check").click()
        assert wait_state(page, exercise_id, ("passed", "failed")) == "failed"
        axe("after a failing Check, with a hint open")

        # Every control focused, then hovered: the widget's colours, not only Material's.
        for button in section.locator(".ck-exercise__controls button:enabled").all():
            button.focus()
            axe(f"with {button.inner_text().strip()!r} focused", f'section.ck-exercise[data-exercise="{exercise_id}"]')
            button.hover()
            axe(f"with {button.inner_text().strip()!r} hovered", f'section.ck-exercise[data-exercise="{exercise_id}"]')
        page.mouse.move(0, 0)

        replace_code(page, section, (REPO / "exercises" / exercise_id / "solution.py").read_text(encoding="utf-8"))
        section.locator(".ck-check").click()
        assert wait_state(page, exercise_id, ("passed", "failed"), timeout=BOOT_TIMEOUT_MS) == "passed"
        solution = section.locator(".ck-exercise__solution")
        if solution.count():
            solution.locator("summary").click()
        axe("after a passing Check, with the model solution open")

        section.locator(".ck-run").click()
        assert wait_state(page, exercise_id, ("ran", "run-error"), timeout=BOOT_TIMEOUT_MS) == "ran"
        assert section.locator(".ck-exercise__output").inner_text().strip()
        axe("with the exercise's output shown")
    finally:
        context.close()
    assert not problems, f"{len(problems)} serious or critical axe violation(s):\n" + "\n".join(problems)
