"""A module page printed, and the page for a reader who asks for less motion (learner build).

Printed, the page drops the site around it (header, tabs, sidebars, footer) and the buttons, and
keeps the learner's answers, hints, feedback, test results and output as they were left, legible
on paper in either scheme. With prefers-reduced-motion, nothing on the page transitions or
animates, the widgets included.
"""

from __future__ import annotations

import pytest
from course_builds import SCHEMES, VIEWPORT, run_axe
from test_accessibility import MODULE, answer_quiz
from test_exercise_page import wait_editor, wait_state

CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"]

# What the widgets show the learner: feedback, hints, results, output (each one that is visible).
SHOWN = """() => [...document.querySelectorAll('.ck-feedback, .ck-hint, .ck-hints, .ck-result, .ck-exercise__output,'
  + ' .ck-exercise__status, .ck-exercise__solution, .ck-quiz__score')]
  .filter(e => e.checkVisibility() && e.getClientRects().length)
  .map((e, i) => `.${e.className.trim().split(/\\s+/).join('.')} ${i}: ${e.textContent.trim().slice(0, 40)}`)"""

# Elements that move: a transition or an animation that takes time.
MOVING = """() => [...document.querySelectorAll('*')].flatMap(el => {
  const s = getComputedStyle(el);
  const secs = v => v.split(',').map(t => parseFloat(t) * (t.trim().endsWith('ms') ? 0.001 : 1));
  const transition = s.transitionProperty !== 'none' && secs(s.transitionDuration).some(t => t > 0);
  const animation = s.animationName !== 'none' && secs(s.animationDuration).some(t => t > 0);
  if (!transition && !animation) return [];
  const what = el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className.trim()
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  return [`${what}: ${transition ? 'transition ' + s.transitionDuration : ''}${animation ? ' animation ' + s.animationName : ''}`];
})"""


def learner_at_work(page, base: str) -> tuple[str, str]:
    """The module page as a learner leaves it: quiz answered (feedback, hints), a number typed,
    the exercise run (output) and checked (failing results). Returns the exercise id and the typed answer."""
    page.goto(base + MODULE)
    answer_quiz(page)
    section = page.locator("section.ck-exercise").first
    exercise_id = section.get_attribute("data-exercise")
    wait_editor(page, section)
    section.locator(".ck-hint-button").click()
    section.locator(".ck-run").click()
    wait_state(page, exercise_id, ("ran", "run-error"))
    section.locator(".ck-check").click()
    assert wait_state(page, exercise_id, ("passed", "failed")) == "failed"
    typed = page.locator('form.ck-quiz input[type="text"]').first.input_value()
    assert typed
    return exercise_id, typed


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_module_page_prints_as_the_learner_left_it(browser, built_course, serve, scheme, tmp_path):
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORT)
    page = context.new_page()
    try:
        exercise_id, typed = learner_at_work(page, serve(built_course))
        section = page.locator(f'section.ck-exercise[data-exercise="{exercise_id}"]')
        quiz = page.locator("form.ck-quiz").first
        checked_before = quiz.locator("input:checked").evaluate_all("els => els.map(e => e.name + '=' + e.value)")
        assert checked_before
        shown = page.evaluate(SHOWN)
        assert any(".ck-result" in k for k in shown) and any("ck-exercise__output" in k for k in shown), shown

        page.emulate_media(media="print")
        # The site around the page, and every button, is gone.
        for selector in CHROME:
            assert all(el.is_hidden() for el in page.locator(selector).all()), f"{selector} is printed"
        assert all(b.is_hidden() for b in quiz.locator("button").all()), "quiz buttons are printed"
        assert section.locator(".ck-exercise__controls").is_hidden()
        # The answers as given, hints and feedback as shown.
        assert (
            quiz.locator("input:checked").evaluate_all("els => els.map(e => e.name + '=' + e.value)") == checked_before
        )
        assert all(i.is_visible() for i in quiz.locator("input:checked").all())
        # Native controls drawn for paper: a reader's dark preference must not print an unticked
        # box filled in.
        assert (
            quiz.locator('input[type="radio"]:not(:checked)').first.evaluate("e => getComputedStyle(e).colorScheme")
            == "light"
        )
        field = quiz.locator('input[type="text"]').first
        assert field.is_visible() and field.input_value() == typed
        assert field.evaluate("e => getComputedStyle(e).color") not in ("rgba(0, 0, 0, 0)", "transparent")
        verdicts = quiz.locator(".ck-feedback__verdict")
        assert verdicts.count() >= 2 and all(v.is_visible() for v in verdicts.all())
        assert all(h.is_visible() for h in quiz.locator(".ck-hint").all()) and quiz.locator(".ck-hint").count()
        assert quiz.locator(".ck-quiz__score").is_visible()
        # Everything the learner had on screen from the widgets is on paper too, and the exercise's
        # code and output are whole, not cut to a scroll box.
        printed = page.evaluate(SHOWN)
        assert [k for k in shown if k not in printed] == []
        assert section.locator(".cm-content").is_visible()
        output = section.locator(".ck-exercise__output")
        assert output.is_visible() and output.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
        # Legible on paper: dark text on a white page, in either scheme (Material prints light).
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
            "rgb(255, 255, 255)",
            "rgba(0, 0, 0, 0)",
        )
        problems = [
            f"{v['id']}: {n['target']} {' '.join((n.get('failureSummary') or '').split())[:200]}"
            for v in run_axe(page)
            for n in v["nodes"]
            if v["id"] == "color-contrast"
        ]
        assert not problems, "printed text below 4.5:1:\n" + "\n".join(problems)
        pdf = page.pdf(path=str(tmp_path / "module.pdf"), format="A4", print_background=False)
        assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page") >= 3
    finally:
        context.close()


def test_nothing_moves_for_a_reader_who_asks_for_less_motion(browser, built_course, serve):
    base = serve(built_course)
    moving: dict[str, list[str]] = {}
    for motion in ("no-preference", "reduce"):
        context = browser.new_context(viewport=VIEWPORT, reduced_motion=motion)
        page = context.new_page()
        try:
            learner_at_work(page, base)
            page.locator("section.ck-exercise .ck-run").first.hover()
            page.locator("form.ck-quiz .ck-check").first.hover()
            page.locator("section.ck-exercise .cm-content").first.focus()  # the editor's caret blinks
            moving[motion] = page.evaluate(MOVING)
            quiz_card = page.evaluate(
                "getComputedStyle(document.querySelector('form.ck-quiz fieldset')).transitionDuration"
            )
            assert (quiz_card == "0s") is (motion == "reduce"), (motion, quiz_card)
            if motion == "reduce":
                running = page.evaluate(
                    "document.getAnimations().filter(a => a.playState === 'running')"
                    ".map(a => a.animationName || a.transitionProperty)"
                )
                assert running == [], f"still moving: {running}"
        finally:
            context.close()
    # The check can see motion: the widgets and Material do move by default.
    assert any("md-button" in m for m in moving["no-preference"]), moving["no-preference"][:10]
    # (The editor's caret blinks only while it holds focus, which a busy machine may not have
    # settled by then: it is no reliable evidence, so only the reduced side checks it, above.)
    assert moving["reduce"] == [], "elements that still move with reduced motion:\n" + "\n".join(moving["reduce"])
