"""Exercise pages in real Chromium: Python in a worker, real pytest, Stop, time limit,
saved work, instant navigation. The `page` fixture fails a test on any request that
leaves 127.0.0.1 and on any JavaScript error.

The fixture course (tests/fixtures/sites/two-exercises) has one exercise per page:
sum-csv (reads data/numbers.csv) and greet.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "tests" / "fixtures" / "sites" / "two-exercises"
PAGE1 = "/modules/01-sums/"
PAGE2 = "/modules/02-greetings/"
BOOT_TIMEOUT_MS = 90_000  # a cold Pyodide boot takes seconds; on a busy 2-core machine, many


@pytest.fixture(scope="module")
def built_two(tmp_path_factory, build, serve) -> tuple[Path, str]:
    """The fixture course, built with site_url set to the address it is served from:
    Material's instant navigation only takes links whose host and port match the sitemap."""
    root = tmp_path_factory.mktemp("src") / "two-exercises"
    shutil.copytree(SITE, root)
    site = tmp_path_factory.mktemp("two") / "site"
    site.mkdir()
    url = serve(site)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("http://127.0.0.1:8000/", url + "/"))
    build(root, site)
    return site, url


@pytest.fixture(scope="module")
def site_url(built_two) -> str:
    return built_two[1]


def local_verdicts(exercise: str, code: str, tmp_path: Path) -> dict[str, str]:
    """What `pytest exercises/<id>` says about ``code``, test by test (the course's own fixture)."""
    learner = tmp_path / f"{exercise}-learner.py"
    learner.write_text(code, encoding="utf-8")
    report = tmp_path / f"{exercise}-report.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            str(SITE / "exercises" / exercise),
        ],
        env={**os.environ, "COURSEKIT_LEARNER_FILE": str(learner)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    verdicts = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        kinds = {child.tag for child in case}
        verdicts[case.get("name")] = (
            "failed"
            if "failure" in kinds
            else "error"
            if "error" in kinds
            else "skipped"
            if "skipped" in kinds
            else "passed"
        )
    return verdicts


def exercise(page, exercise_id: str):
    return page.locator(f'section.ck-exercise[data-exercise="{exercise_id}"]')


def wait_editor(page, section):
    section.scroll_into_view_if_needed()
    page.wait_for_function(
        "id => document.querySelector(`section.ck-exercise[data-exercise='${id}']`)?.dataset.editor === 'ready'",
        arg=section.get_attribute("data-exercise"),
        timeout=30_000,
    )


def replace_code(page, section, code: str) -> None:
    """Select everything in the editor and type the new code (as one text input, so that
    the editor's auto-indent and bracket closing do not change it)."""
    content = section.locator(".cm-content")
    content.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)


def editor_text(section) -> str:
    return section.evaluate("s => s.coursekit.code()")


def wait_state(page, exercise_id: str, states: tuple[str, ...], timeout: int = BOOT_TIMEOUT_MS) -> str:
    page.wait_for_function(
        "([id, states]) => states.includes(document.querySelector(`section.ck-exercise[data-exercise='${id}']`)"
        ".dataset.state)",
        arg=[exercise_id, list(states)],
        timeout=timeout,
    )
    return exercise(page, exercise_id).get_attribute("data-state")


def verdicts_in_page(section) -> dict[str, str]:
    return {
        li.get_attribute("data-test"): li.get_attribute("data-outcome") for li in section.locator(".ck-result").all()
    }


def test_check_gives_local_verdicts_and_work_survives_reload(page, site_url, tmp_path):
    starter = (SITE / "exercises/sum-csv/starter.py").read_text()
    solution = (SITE / "exercises/sum-csv/solution.py").read_text()
    page.goto(site_url + PAGE1)
    section = exercise(page, "sum-csv")
    status = section.locator(".ck-exercise__status")
    assert status.get_attribute("aria-live") == "polite"
    wait_editor(page, section)
    assert editor_text(section) == starter

    # The starter: every test fails, as locally, with the assertion message shown.
    section.locator(".ck-check").click()
    assert wait_state(page, "sum-csv", ("passed", "failed")) == "failed"
    assert verdicts_in_page(section) == local_verdicts("sum-csv", starter, tmp_path)
    assert "data/numbers.csv has 3 rows, not 0" in section.locator('.ck-result[data-test="test_count"]').inner_text()
    assert "NotImplementedError: total is not written yet" in section.locator(".ck-exercise__results").inner_text()
    assert section.locator(".ck-exercise__solution").count() == 0  # not yet: no pass, one check
    # That Python was restored from the build's memory snapshot, not booted.
    assert page.evaluate("coursekitRuntime.bootMarks.snapshot") is True

    # A partly right answer: the verdicts still match local pytest, test by test. With the
    # number of checks before the solution set to 2, this second check offers the solution.
    section.evaluate("s => { s.dataset.checksBeforeSolution = '2'; }")
    partial = solution.replace("sum(1 for _ in csv.DictReader(f))", "0")
    replace_code(page, section, partial)
    section.locator(".ck-check").click()
    assert wait_state(page, "sum-csv", ("passed", "failed")) == "failed"
    assert (
        verdicts_in_page(section)
        == local_verdicts("sum-csv", partial, tmp_path)
        == {"test_total": "passed", "test_total_of_given_path": "passed", "test_count": "failed"}
    )
    offered = section.locator(".ck-exercise__solution")
    assert offered.count() == 1 and offered.locator("summary").inner_text() == "A model solution"
    offered.locator("summary").click()
    assert offered.locator("code").inner_text() == solution

    # The solution, typed into the editor: every test passes (it reads data/numbers.csv).
    replace_code(page, section, solution)
    section.locator(".ck-check").click()
    assert wait_state(page, "sum-csv", ("passed", "failed")) == "passed"
    assert set(verdicts_in_page(section).values()) == {"passed"} and len(verdicts_in_page(section)) == 3
    assert " ".join(status.inner_text().split()) == "All 3 tests passed. Well done!"
    assert section.locator(".ck-exercise__solution").count() == 1

    # Run shows stdout and stderr as text, never as HTML.
    replace_code(page, section, solution + '\nimport sys\nprint("<b>bold</b>")\nprint("oops", file=sys.stderr)\n')
    section.locator(".ck-run").click()
    assert wait_state(page, "sum-csv", ("ran", "run-error")) == "ran"
    output = section.locator(".ck-exercise__output")
    assert "total: 10.5\n<b>bold</b>\noops" in output.inner_text()
    assert output.locator("b").count() == 0
    assert output.locator(".ck-exercise__stderr").inner_text() == "oops\n"

    # The work is saved in the browser and restored after a reload.
    page.wait_for_timeout(500)  # the editor saves shortly after typing stops
    page.reload()
    section = exercise(page, "sum-csv")
    wait_editor(page, section)
    assert "<b>bold</b>" in editor_text(section)
    assert section.locator(".ck-exercise__solution").count() == 1  # passed once: the solution stays offered

    # Reset asks first, then brings the starter back.
    page.once("dialog", lambda d: d.dismiss())
    section.locator(".ck-reset").click()
    assert "<b>bold</b>" in editor_text(section)
    page.once("dialog", lambda d: d.accept())
    section.locator(".ck-reset").click()
    page.wait_for_function("() => document.querySelector('.ck-exercise').coursekit.code().length < 400")
    assert editor_text(section) == starter


def test_stop_and_time_limit_end_an_endless_loop(page, site_url):
    page.goto(site_url + PAGE2)
    section = exercise(page, "greet")
    wait_editor(page, section)
    page.wait_for_function("() => coursekitRuntime.bootId", timeout=BOOT_TIMEOUT_MS)
    first_boot = page.evaluate("coursekitRuntime.bootId")
    replace_code(page, section, 'print("looping")\nwhile True:\n    pass\n')

    # Stop ends the loop at once. From the keyboard: Run moves focus to Stop, and back after.
    section.locator(".ck-run").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('ck-stop')")
    page.wait_for_function(
        "() => document.querySelector('.ck-exercise__status').textContent.startsWith('Running your')",
        timeout=BOOT_TIMEOUT_MS,
    )
    assert section.locator(".ck-stop").is_enabled()
    # Stop once the loop has printed, as a learner would: under load the line can lag the status.
    page.wait_for_function(
        "() => document.querySelector('[data-exercise=\"greet\"] .ck-exercise__output')"
        ".textContent.includes('looping')",
        timeout=BOOT_TIMEOUT_MS,
    )
    page.keyboard.press("Enter")
    assert wait_state(page, "greet", ("stopped",), timeout=5_000) == "stopped"
    assert page.evaluate("document.activeElement.classList.contains('ck-run')")
    assert section.locator(".ck-exercise__output").inner_text().strip() == "looping"  # printed before the hang
    assert section.locator(".ck-run").is_enabled() and not section.locator(".ck-stop").is_enabled()
    assert page.evaluate("coursekitRuntime.workersCreated") == 2

    # The time limit ends it too (set short here; the default is 10 s), even a loop that floods
    # the output, which is capped so the page stays responsive.
    section.evaluate("s => { s.dataset.timeLimit = '3'; }")
    replace_code(page, section, 'while True:\n    print("spam " * 20)\n')
    section.locator(".ck-run").click()
    assert wait_state(page, "greet", ("timeout",)) == "timeout"
    assert "time limit of 3 s" in section.locator(".ck-exercise__status").inner_text()
    flood = section.locator(".ck-exercise__output").evaluate("e => e.textContent")
    assert "[output limit reached" in flood and len(flood) < 250_000
    assert page.evaluate("coursekitRuntime.workersCreated") == 3

    # Run works again, in a new Python.
    replace_code(page, section, 'print("back again")\n')
    section.locator(".ck-run").click()
    assert wait_state(page, "greet", ("ran", "run-error")) == "ran"
    assert section.locator(".ck-exercise__output").inner_text().strip() == "back again"
    assert section.get_attribute("data-boot-id") not in (None, first_boot)


def test_instant_navigation_keeps_python_and_starts_each_exercise_fresh(page, site_url):
    page.goto(site_url + PAGE1)
    section = exercise(page, "sum-csv")
    wait_editor(page, section)
    replace_code(page, section, "LEAK = 42\nprint('set')\n")
    section.locator(".ck-run").click()
    assert wait_state(page, "sum-csv", ("ran", "run-error")) == "ran"
    boot = page.evaluate("coursekitRuntime.bootId")
    assert boot and page.evaluate("coursekitRuntime.workersCreated") == 1
    page.evaluate("window.__sameDocument = true")

    link = page.locator('a.md-nav__link[href$="02-greetings/"]:visible').first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**" + PAGE2)
    assert page.evaluate("window.__sameDocument === true"), "expected Material's instant navigation, got a page load"
    section = exercise(page, "greet")
    wait_editor(page, section)
    events_before = page.evaluate("coursekitRuntime.events.length")
    section.locator(".ck-check").click()
    assert wait_state(page, "greet", ("passed", "failed"), timeout=20_000) == "failed"
    # The same worker and the same Python answered: no second boot.
    assert page.evaluate("coursekitRuntime.workersCreated") == 1
    assert section.get_attribute("data-boot-id") == boot
    check = page.evaluate(f"coursekitRuntime.events[{events_before}]")
    assert check["mode"] == "check" and check["kind"] == "done"

    # A fresh namespace: nothing from the first exercise is visible here.
    replace_code(
        page,
        section,
        "import sys\nprint('LEAK' in globals(), 'learner' in sys.modules, "
        "sorted(m for m in sys.modules if m.startswith('test_') or m == 'conftest'))\n",
    )
    section.locator(".ck-run").click()
    assert wait_state(page, "greet", ("ran", "run-error"), timeout=20_000) == "ran"
    assert section.locator(".ck-exercise__output").inner_text().strip() == "False False []"
    assert page.evaluate("coursekitRuntime.workersCreated") == 1

    # And the solution passes here too, checked from the keyboard (Ctrl+Enter in the editor).
    replace_code(page, section, (SITE / "exercises/greet/solution.py").read_text())
    page.keyboard.press("Control+Enter")
    assert wait_state(page, "greet", ("passed", "failed"), timeout=20_000) == "passed"


@pytest.fixture(scope="module")
def unusable_snapshot_url(tmp_path_factory, built_two, serve) -> str:
    """The built fixture course with its memory snapshot replaced by gzipped junk (so it
    inflates but Pyodide refuses it), as when a snapshot does not fit the Pyodide it meets."""
    import gzip
    import json

    site = tmp_path_factory.mktemp("junk") / "site"
    shutil.copytree(built_two[0], site)
    manifest = json.loads((site / "assets/coursekit/exercise/manifest.json").read_text())
    assert manifest["snapshot"], "the build shipped no snapshot"
    (site / "assets/coursekit" / manifest["snapshot"]).write_bytes(gzip.compress(b"not a memory snapshot" * 4096))
    return serve(site)


def test_python_boots_when_the_snapshot_does_not_fit(page, unusable_snapshot_url, tmp_path):
    """The worker falls back to booting Python, and Check gives the same verdicts."""
    starter = (SITE / "exercises/sum-csv/starter.py").read_text()
    warnings = []
    page.context.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(unusable_snapshot_url + PAGE1)
    section = exercise(page, "sum-csv")
    wait_editor(page, section)
    section.locator(".ck-check").click()
    assert wait_state(page, "sum-csv", ("passed", "failed")) == "failed"
    assert page.evaluate("coursekitRuntime.bootMarks.snapshot") is False
    assert any("snapshot could not be restored" in w and "magic number" in w for w in warnings), warnings
    assert verdicts_in_page(section) == local_verdicts("sum-csv", starter, tmp_path)


def test_each_restored_python_has_its_own_random_seed(page, site_url):
    """Every restore starts from the same memory; random must not repeat itself across page loads."""
    draws = []
    for _ in range(2):
        page.goto(site_url + PAGE2)
        section = exercise(page, "greet")
        wait_editor(page, section)
        replace_code(page, section, "import random\nprint(random.random())\n")
        section.locator(".ck-run").click()
        assert wait_state(page, "greet", ("ran", "run-error")) == "ran"
        assert page.evaluate("coursekitRuntime.bootMarks.snapshot") is True
        draws.append(section.locator(".ck-exercise__output").inner_text().strip())
    assert draws[0] != draws[1]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_exercise_on_the_course_page_is_accessible(browser, built_course, serve, scheme):
    """axe-core on the real course's exercise, with results, a hint and output showing; hints come one at a time."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(serve(built_course) + "/modules/01-story-so-far/")
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    section = page.locator("section.ck-exercise").first
    wait_editor(page, section)
    hints = section.locator(".ck-hint")
    assert hints.count() >= 2 and all(h.is_hidden() for h in hints.all())
    section.locator(".ck-hint-button").click()
    assert hints.nth(0).is_visible() and all(h.is_hidden() for h in hints.all()[1:])
    section.locator(".ck-check").click()
    exercise_id = section.get_attribute("data-exercise")
    assert wait_state(page, exercise_id, ("passed", "failed")) == "failed"
    page.add_script_tag(path=str(REPO / "node_modules" / "axe-core" / "axe.min.js"))
    result = page.evaluate("""async () => await axe.run(document.querySelector('section.ck-exercise'),
        {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    context.close()
    violations = [
        (v["id"], v["help"], [(n["target"], n.get("failureSummary", "")[:200]) for n in v["nodes"]][:3])
        for v in result["violations"]
    ]
    assert violations == [], "\n".join(map(str, violations))
    assert errors == []


def test_a_syntax_error_is_one_message_at_the_learners_line(page, site_url):
    page.goto(site_url + PAGE2)
    section = exercise(page, "greet")
    wait_editor(page, section)
    replace_code(page, section, "def greet(name)\n    return name\n")
    section.locator(".ck-check").click()
    assert wait_state(page, "greet", ("passed", "failed")) == "failed"
    results = section.locator(".ck-result")
    assert results.count() == 1, section.locator(".ck-exercise__results").inner_text()
    text = results.first.inner_text()
    assert "starter.py:1:16: SyntaxError: expected ':'" in text, text
    assert "conftest" not in text and "_pytest" not in text and "coursekit" not in text


def test_on_a_phone_the_editor_keeps_a_bounded_height_and_check_in_view(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + PAGE1)
    section = exercise(page, "sum-csv")
    wait_editor(page, section)
    long_code = "\n".join(
        f"value_{i} = {i}  # a long line that wraps on a narrow screen, again and again" for i in range(80)
    )
    replace_code(page, section, long_code)
    editor = section.locator(".cm-editor").bounding_box()
    assert editor["height"] <= 0.6 * 740, editor
    section.locator(".cm-editor").scroll_into_view_if_needed()
    check = section.locator(".ck-check")
    check.scroll_into_view_if_needed()
    box, top = check.bounding_box(), section.locator(".cm-editor").bounding_box()
    assert box["y"] - (top["y"] + top["height"]) < 200  # Check sits right below the editor, not pages away
    context.close()
