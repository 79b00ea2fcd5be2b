"""One module walked with the keyboard alone, in the learner build: the skip link, the navigation
tabs (Material's instant navigation), a quiz question answered and checked, a hint opened, the
exercise run and checked. After every key press the focused element must show a visible focus
indicator and must not sit under the sticky header."""

from __future__ import annotations

from course_builds import REPO, VIEWPORT
from test_exercise_page import BOOT_TIMEOUT_MS, wait_state

MODULE = "/modules/01-story-so-far/"

# Where focus is, what shows it, and whether the header covers it.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const drawn = e => {
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
                    && !/rgba\\(.*,\\s*0\\)$|transparent/.test(s.outlineColor);
    return outline || (s.boxShadow && s.boxShadow !== "none");
  };
  const editor = el.closest(".cm-editor");
  // In text being edited, what must show is the caret, not the whole (tall) editor.
  const sel = getSelection();
  const caret = el.isContentEditable && sel.rangeCount ? sel.getRangeAt(0).getClientRects()[0] : null;
  const r = caret && caret.height ? caret : el.getBoundingClientRect();
  const header = document.querySelector(".md-header").getBoundingClientRect();
  // Drawn on top at its own middle (a skip link over the header), it is in sight. Else the part
  // of it between the header and the bottom of the window must be there, and not under the header.
  const x = Math.min(Math.max(r.left + Math.min(r.width / 2, 20), 0), innerWidth - 1);
  const mid = (r.top + r.bottom) / 2;
  const atMid = mid >= 0 && mid < innerHeight ? document.elementFromPoint(x, mid) : null;
  const self = !!atMid && (el.contains(atMid) || atMid.contains(el));
  const top = Math.max(r.top, header.bottom), bottom = Math.min(r.bottom, innerHeight);
  const onTop = bottom > top ? document.elementFromPoint(x, (top + bottom) / 2) : null;
  const label = (el.getAttribute("aria-label") || el.innerText || el.value || "").trim().split("\\n")[0].slice(0, 50);
  return {
    what: `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : ""} "${label}"`,
    visible: drawn(el) || (!!editor && drawn(editor)),
    inHeader: !!el.closest(".md-header, .md-tabs"),
    top: r.top, bottom: r.bottom, height: r.height, headerBottom: header.bottom, viewport: innerHeight,
    shown: self || bottom > top,
    covered: !self && !!onTop && !el.contains(onTop) && !onTop.contains(el) && !!onTop.closest(".md-header"),
  };
}"""


class Walk:
    """Key presses with a check of the focus after each one; every problem is collected."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.presses = 0

    def focus(self) -> dict | None:
        return self.page.evaluate(FOCUS_STATE)

    def check(self, key: str) -> None:
        f = self.focus()
        if f is None:
            return
        where = f"after {key} (press {self.presses}) on {f['what']}"
        if not f["visible"]:
            self.problems.append(f"no visible focus indicator {where}")
        if not f["inHeader"] and f["height"] > 0 and (not f["shown"] or f["covered"]):
            self.problems.append(
                f"focus hidden (top {f['top']:.0f}, bottom {f['bottom']:.0f}; header ends at "
                f"{f['headerBottom']:.0f}, window at {f['viewport']}) {where}"
            )

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1
        # Let the scroll into view and any transition (Material's search overlay) end before measuring.
        self.page.evaluate("""async () => {
            const frame = () => new Promise(r => requestAnimationFrame(r));
            const where = () => `${scrollY} ${getSelection().rangeCount ? getSelection().getRangeAt(0).getClientRects()[0]?.top : ""}`;
            for (let i = 0, same = 0, last = null; i < 60 && same < 3; i++) {  // still for three frames
                await frame();
                const now = where();
                same = now === last ? same + 1 : 0;
                last = now;
            }
            await Promise.race([new Promise(r => setTimeout(r, 1000)), Promise.all(document.getAnimations()
                .filter(a => a.effect?.getTiming().iterations !== Infinity).map(a => a.finished.catch(() => null)))]);
        }""")
        self.check(key)

    def tab_to(self, selector: str, backwards: bool = False, limit: int = 400) -> None:
        """Tab (or Shift+Tab) until the focused element matches; leaves the code editor the
        way its help text says (Esc, then Tab)."""
        for _ in range(limit):
            if self.page.evaluate("s => !!document.activeElement?.matches(s)", selector):
                return
            if self.page.evaluate("() => !!document.activeElement?.closest('.cm-content')"):
                self.press("Escape")
            self.press("Shift+Tab" if backwards else "Tab")
        raise AssertionError(f"could not reach {selector} with the keyboard in {limit} presses")


def test_a_module_by_keyboard_alone(browser, built_course, serve):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = serve(built_course)
    walk = Walk(page)
    try:
        page.goto(base + "/")
        page.evaluate("window.__sameDocument = true")

        # The first Tab reaches the skip link, shown on screen; Enter goes to the content.
        walk.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('md-skip')"), walk.focus()
        assert page.locator(".md-skip").is_visible()
        walk.press("Enter")
        walk.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('.md-content')"), (
            f"after the skip link, Tab should land in the content, not on {walk.focus()}"
        )

        # Navigation: back to the tabs, then the Modules tab, by instant navigation.
        walk.tab_to('.md-tabs__link[href$="modules/01-story-so-far/"]', backwards=True)
        walk.press("Enter")
        page.wait_for_url("**" + MODULE)
        assert page.evaluate("window.__sameDocument === true"), "expected Material's instant navigation"
        page.locator("form.ck-quiz").wait_for()

        # Through the module's text (every link and control on the way) to the exercise.
        section = page.locator("section.ck-exercise").first
        exercise_id = section.get_attribute("data-exercise")
        scope = f'section.ck-exercise[data-exercise="{exercise_id}"]'
        walk.tab_to(f"{scope} .ck-hint-button")
        walk.press("Enter")
        assert section.locator(".ck-hint").first.is_visible(), "the hint did not open"
        walk.tab_to(f"{scope} .ck-run", backwards=True)
        walk.press("Enter")
        assert wait_state(page, exercise_id, ("ran", "run-error")) in ("ran", "run-error")
        walk.check("Run")
        walk.tab_to(f"{scope} .ck-check", backwards=True)
        walk.press("Enter")
        assert wait_state(page, exercise_id, ("passed", "failed")) == "failed"
        walk.check("Check")
        # The learner's code typed in the editor (reached by Shift+Tab), checked with Ctrl+Enter.
        walk.tab_to(f"{scope} .cm-content", backwards=True)
        page.keyboard.press("Control+A")
        page.keyboard.insert_text((REPO / "exercises" / exercise_id / "solution.py").read_text(encoding="utf-8"))
        walk.check("typing")
        walk.press("Control+Enter")
        assert wait_state(page, exercise_id, ("passed", "failed"), timeout=BOOT_TIMEOUT_MS) == "passed"
        walk.check("Check")

        # The quiz: a single-choice question answered with the arrow keys and checked with Enter.
        question = 'li.ck-question[data-type="single"]'
        walk.tab_to(f'{question} input[type="radio"]')
        walk.press("ArrowDown")
        walk.tab_to(f"{question} .ck-check")
        walk.press("Enter")
        feedback = page.locator(question).first.locator(".ck-feedback")
        assert feedback.inner_text().strip(), "checking by keyboard gave no feedback"
        hint = page.locator(f"{question} .ck-hint-button").first
        if hint.count():
            walk.tab_to(f"{question} .ck-hint-button")
            walk.press("Enter")
            assert page.locator(question).first.locator(".ck-hints").inner_text().strip()
    finally:
        context.close()
    assert walk.presses > 30
    assert not walk.problems, f"{len(walk.problems)} focus problem(s) in {walk.presses} key presses:\n" + "\n".join(
        dict.fromkeys(walk.problems)
    )
    assert errors == []


def test_the_editor_keeps_its_caret_below_the_header(browser, built_course, serve):
    """Moving the caret up in a long exercise editor scrolls the page: the caret line must stop
    below the sticky header, not under it (the editor scrolls itself, so its scroll margins
    decide, not the page's scroll-padding)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    walk = Walk(page)
    try:
        page.goto(serve(built_course) + MODULE)
        section = page.locator("section.ck-exercise").first
        section.scroll_into_view_if_needed()
        page.wait_for_function(
            "() => document.querySelector('section.ck-exercise').dataset.editor === 'ready'", timeout=30_000
        )
        section.locator(".cm-content").focus()
        walk.press("Control+End")  # the last line: the page scrolls down to it
        walk.press("Control+Home")  # the first line, now above the window: the page scrolls up to it
        walk.press("ArrowDown")
    finally:
        context.close()
    assert not walk.problems, "\n".join(dict.fromkeys(walk.problems))
