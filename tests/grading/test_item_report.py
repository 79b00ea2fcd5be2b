"""The item-statistics report: rich tables in a terminal, and one self-contained HTML page
that parses, escapes what the quiz says, draws its chart, and passes axe-core in light and
dark in real Chromium."""

from __future__ import annotations

import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console

from coursekit.content.models import Quiz
from coursekit.grading.analysis import analyse
from coursekit.grading.report_html import PANEL_W, render_html
from coursekit.grading.report_terminal import items_table, render_terminal

sys.path.insert(0, str(Path(__file__).parent))
from test_item_analysis import DICHOTOMOUS, RESPONSES, grade_submissions, simulate, simulation_quiz

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
NASTY = '</td></table><script>alert("x")</script> & [bold]not markup[/bold]'


def nasty_quiz() -> Quiz:
    """Quiz text that would break HTML or rich markup if it were not escaped."""

    def opt(oid, correct=False):
        return {
            "id": oid,
            "text": f"<b>{oid}</b> & co",
            "correct": correct,
            "feedback": "fb",
            **({} if correct else {"misconception": f"{NASTY} ({oid})"}),
        }

    return Quiz.model_validate(
        {
            "title": 'Tags <i>&</i> "quotes"',
            "module": 1,
            "questions": [
                {
                    "id": "pick",
                    "type": "single",
                    "objective": "o",
                    "prompt": "Which <em>one</em>?",
                    "explanation": "e",
                    "options": [opt("a", True), opt("b"), opt("c")],
                },
                {
                    "id": "also",
                    "type": "single",
                    "objective": "o",
                    "prompt": "And?",
                    "explanation": "e",
                    "options": [opt("a", True), opt("b")],
                },
                {"id": "think", "type": "reflection", "objective": "o", "prompt": "Why <script>?", "explanation": "e"},
            ],
        }
    )


def nasty_report():
    q = nasty_quiz()
    return analyse(
        q,
        grade_submissions(
            q,
            {
                "l1": {"pick": "a", "also": "a", "think": "because"},
                "l2": {"pick": "b", "also": "a"},
                "l3": {"pick": "b", "also": "b"},
            },
        ),
        quiz_id="nasty",
    )


class Tree(HTMLParser):
    """Records every start tag with its attributes, the text, and checks nesting."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "rect", "line", "path", "circle"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


def parse(html: str) -> Tree:
    tree = Tree()
    tree.feed(html)
    tree.close()
    assert tree.errors == [] and tree.stack == [], (tree.errors, tree.stack)
    return tree


# --- terminal --------------------------------------------------------------------------


def test_terminal_tables_show_statistics_counts_and_literal_text():
    console = Console(record=True, width=160, color_system=None)
    render_terminal(nasty_report(), console)
    out = console.export_text()
    assert 'Item statistics: Tags <i>&</i> "quotes"' in out
    assert "[bold]not markup[/bold]" in out  # quiz text is never read as rich markup
    assert "Difficulty p" in out and "Discrim. r" in out
    assert "Reflection think (not scored): 1 response" in out
    assert "Non-functioning distractor 'c'" in out
    assert "reliability (KR-20)" in out


def test_terminal_items_table_hand_worked_values():
    report = analyse(DICHOTOMOUS, grade_submissions(DICHOTOMOUS, RESPONSES))
    console = Console(record=True, width=140, color_system=None)
    console.print(items_table(report))
    out = console.export_text()
    # p = 0.75, 0.50, 0.25; r = 3/sqrt(33) = 0.52, 1/sqrt(2) = 0.71; KR-20 = 0.75 (see the analysis tests)
    rows = {line.split("│")[2].strip(): line for line in out.splitlines() if line.count("│") > 5}
    assert "0.75" in rows["q1"] and "0.52" in rows["q1"]
    assert "0.50" in rows["q2"] and "0.71" in rows["q2"]
    assert "0.25" in rows["q3"] and "0.52" in rows["q3"]
    assert "reliability (KR-20) 0.75" in out and "mean score 1.50 of 3 (SD 1.29)" in out


# --- HTML, parsed ----------------------------------------------------------------------


def test_html_parses_is_self_contained_and_escapes_quiz_text():
    html = render_html(nasty_report())
    tree = parse(html)
    assert html.startswith("<!doctype html>")
    assert tree.find("html", lang="en")
    assert not tree.find("script") and "<script" not in html  # the nasty text is escaped, no JS
    assert not tree.find("link") and not tree.find("img")
    assert all(a.get("href", "#").startswith("#") for _, a in tree.tags if "href" in a)
    assert not any("src" in a for _, a in tree.tags)
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", html)
    text = "".join(tree.text)
    assert NASTY + " (b)" in text  # the text survives, as text
    assert 'Item statistics: Tags <i>&</i> "quotes"' in text


def test_html_chart_and_tables():
    report = analyse(DICHOTOMOUS, grade_submissions(DICHOTOMOUS, RESPONSES), quiz_id="t")
    tree = parse(render_html(report))
    svg = tree.find("svg", role="img")
    assert len(svg) == 1 and svg[0]["aria-labelledby"] == "chart-title chart-desc"
    assert tree.find("title", id="chart-title") and tree.find("desc", id="chart-desc")
    text = "".join(tree.text)
    assert "q1: difficulty 0.75, discrimination 0.52" in text  # the description gives the values
    # one difficulty bar and one discrimination bar per item, drawn to scale
    p_bars = [a for t, a in tree.tags if t == "rect" and "bar-p" in a["class"]]
    r_bars = [a for t, a in tree.tags if t == "rect" and "bar-r" in a["class"]]
    assert [float(b["width"]) for b in p_bars] == pytest.approx(
        [0.75 * PANEL_W, 0.5 * PANEL_W, 0.25 * PANEL_W], abs=0.06
    )
    assert len(r_bars) == 3
    # tables: a summary, one answers table per item, every header cell scoped
    captions = [t for t in tree.tags if t[0] == "caption"]
    assert len(captions) == 1 + 3
    assert all(a.get("scope") in ("col", "row") for t, a in tree.tags if t == "th")
    assert "Believes b <is> right & more" in text
    assert "KR-20" in text and "0.75" in text


def test_html_flags_are_marked_in_chart_tables_and_lists():
    html = render_html(nasty_report())
    tree = parse(html)
    flagged_bars = [a for t, a in tree.tags if t == "rect" and "flagged" in a["class"].split()]
    report = nasty_report()
    assert report.items[0].flags  # 'c' was never chosen
    assert len(tree.find("ul", class_="flags")) == len([i for i in report.items if i.flags])
    assert "Non-functioning distractor 'c'" in "".join(tree.text)
    expected = sum(
        1
        for i in report.items
        for f in i.flags
        if f.code in ("too-hard", "too-easy", "low-discrimination", "negative-discrimination")
    )
    assert len(flagged_bars) == expected


def test_html_for_no_submissions_still_renders():
    html = render_html(analyse(DICHOTOMOUS, []))
    text = "".join(parse(html).text)
    assert "no data" in text and "Reliability is undefined" in text


# --- HTML, in Chromium -------------------------------------------------------------------


@pytest.fixture(scope="module")
def story_html() -> str:
    story = simulation_quiz()
    return render_html(analyse(story, simulate(story, 200, seed=20240912), quiz_id="all-types"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_report_in_chromium_light_and_dark(browser, story_html, scheme, tmp_path):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_content(story_html)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(13, 17, 23)")
    chart = page.locator("svg.chart")
    box = chart.bounding_box()
    assert box["width"] > 600 and box["height"] > 200
    scored = sum(q.type != "reflection" for q in simulation_quiz().questions)
    assert page.locator("svg.chart rect.bar-p").count() == scored  # one difficulty bar per scored question
    bar = page.locator("svg.chart rect.bar-p").first.evaluate("e => getComputedStyle(e).fill")
    assert bar == ("rgb(9, 105, 218)" if scheme == "light" else "rgb(68, 147, 248)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1100
    shot = page.screenshot(path=str(tmp_path / f"report-{scheme}.png"), full_page=True)
    if os.environ.get("COURSEKIT_SCREENSHOTS"):  # to look at them: COURSEKIT_SCREENSHOTS=/tmp/shots
        Path(os.environ["COURSEKIT_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
        (Path(os.environ["COURSEKIT_SCREENSHOTS"]) / f"report-{scheme}.png").write_bytes(shot)
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 50_000
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document,
        {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    context.close()
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []
    assert requests == []  # nothing fetched: the page is self-contained


def test_report_on_a_narrow_screen(browser, story_html):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_content(story_html)
    width = page.evaluate("document.documentElement.scrollWidth")
    chart = page.locator("svg.chart").bounding_box()
    context.close()
    assert chart["width"] <= 390  # the chart scales down with its viewBox
    assert width <= 390  # wide tables scroll inside their own regions, not the page
