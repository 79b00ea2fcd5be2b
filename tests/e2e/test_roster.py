"""A team lead's roster: two learners hand in quizzes and exercises, from the command line and
from the assessment page; one gradebook holds them all; the roster reads it as terminal, JSON,
CSV and an HTML page that opens in Chromium without an error."""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

from coursekit.content.catalog import Layout, load_catalog
from coursekit.site.builds import build_assessment

REPO = Path(__file__).resolve().parents[2]


def run(*args, cwd, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "coursekit", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def test_two_learners_cli_and_page_into_one_roster(tmp_path, browser, serve):
    site = tmp_path / "minimal"
    shutil.copytree(REPO / "tests" / "fixtures" / "sites" / "minimal", site)
    # Ana works from the command line: a quiz and the exercise.
    (site / "ana.yml").write_text("two-plus-two: a\npick-evens: [two, four]\nsky: false\nhalf: '0.5'\n")
    assert (
        run(
            "quiz",
            "take",
            "basics",
            "--answers",
            "ana.yml",
            "--learner",
            "ana",
            "--submit",
            tmp_path / "q-ana.json",
            cwd=site,
        ).returncode
        == 0
    )
    run("exercise", "check", "add-up", cwd=site)
    shutil.copy(site / "exercises" / "add-up" / "solution.py", site / "work" / "add-up" / "starter.py")
    assert run("exercise", "submit", "add-up", "--learner", "ana", cwd=site).returncode == 0
    # Ben answers on the assessment page and downloads his file; his exercise is the starter.
    out = tmp_path / "assess"
    build_assessment(site, load_catalog(Layout(site)), ["basics"], out)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(serve(out) + "/basics/")
    page.fill(".ck-assess__learner", "Ben")
    page.locator('li[data-question="two-plus-two"] input[value="b"]').check()
    with page.expect_download() as info:
        page.locator(".ck-assess__download").click()
    info.value.save_as(tmp_path / "q-ben.json")
    context.close()
    shutil.copy(site / "exercises" / "add-up" / "starter.py", site / "handin" / "add-up" / "Ben.py")

    book = tmp_path / "class.sqlite"
    r = run("grade", "quiz", "basics", tmp_path / "q-ana.json", tmp_path / "q-ben.json", "--gradebook", book, cwd=site)
    assert r.returncode == 0, r.stdout + r.stderr
    r = run("grade", "exercise", "add-up", site / "handin" / "add-up", "--gradebook", book, cwd=site)
    assert r.returncode == 0, r.stdout + r.stderr

    r = run(
        "roster", "--gradebook", book, "--json", "--csv", tmp_path / "r.csv", "--html", tmp_path / "r.html", cwd=site
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    rows = {row["learner"]: row for row in doc["learners"]}
    assert set(rows) == {"ana", "Ben"}
    assert rows["ana"]["exercises_passed"] == 1 and rows["ana"]["quiz_percent"] > rows["Ben"]["quiz_percent"]
    assert rows["Ben"]["exercises_passed"] == 0 and "add-up" in rows["Ben"]["missing"]
    table = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert {t["learner"] for t in table} == {"ana", "Ben"}
    assert "ana" in run("roster", "--gradebook", book, cwd=site).stdout

    context = browser.new_context()
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto((tmp_path / "r.html").as_uri())
    assert page.locator("#roster tbody tr").count() == 2
    assert "Completion by module" in page.locator("svg title").text_content()
    page.locator("#roster thead button", has_text="Quizzes %").click()
    first = page.locator("#roster tbody tr").first.locator("th").inner_text()
    page.locator("#roster thead button", has_text="Quizzes %").click()
    assert page.locator("#roster tbody tr").first.locator("th").inner_text() != first  # sorted both ways
    page.screenshot(path=str(tmp_path / "roster.png"), full_page=True)
    context.close()
    assert problems == []
