"""The course's own figures: each is shown, says its point, and draws only numbers of the fact
base (the renderer and the checks of figures.yml are tested on fixtures in test_figure_render.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from coursekit.content.case_models import figure_number
from coursekit.content.catalog import Layout, load_catalog
from coursekit.content.figures import FIGURE, normalise
from coursekit.site import render
from coursekit.site.figures import figure_facts, render_figure

SVG = "{http://www.w3.org/2000/svg}"


def _svg(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*</svg>", html, re.S).group())


def _figure_html(fig, cat) -> str:
    return render_figure(fig, cat.facts, cat.timeline, lambda used: render.render_citation(used, "references/"))


@pytest.fixture(scope="module")
def course(repo):
    cat = load_catalog(Layout(repo))
    assert not cat.errors, "\n".join(e.format(repo) for e in cat.errors)
    return cat


def test_every_value_in_figures_yml_names_a_fact_that_lists_it(repo):
    """Read straight from the YAML, apart from the catalog's own check."""
    facts = {f["id"]: f for f in yaml.safe_load((repo / "course/data/facts.yml").read_text())["facts"]}
    data = yaml.safe_load((repo / "course/data/figures.yml").read_text())
    drawn = [item for fig in data["figures"] for panel in fig.get("panels", []) for item in panel["bars"]]
    drawn += [item for fig in data["figures"] for stack in fig.get("stacks", []) for item in stack["segments"]]
    assert len(drawn) >= 12
    for item in drawn:
        assert item["fact"] in facts, item
        assert normalise(item["value"]) in {normalise(f) for f in facts[item["fact"]]["figures"]}, item


def test_each_figure_renders_with_its_point_caption_and_only_fact_base_numbers(course):
    assert {f.type for f in course.figures.values()} == {"bars", "stacked", "flow", "timeline"}
    for fig in course.figures.values():
        html = _figure_html(fig, course)
        assert html.startswith(f'<figure class="ck-figure" id="figure-{fig.id}">'), fig.id
        assert re.search(r"<figcaption>.+</figcaption></figure>$", html, re.S), fig.id
        svg = _svg(html)
        assert svg.get("role") == "img" and svg.get("aria-labelledby"), fig.id
        assert svg.find(f"{SVG}title").text == fig.alt and len(fig.alt.split()) >= 12, fig.id
        assert not re.match(r"(a |the )?(chart|figure|diagram|graph)\b", fig.alt, re.I), fig.id
        assert svg.find(f"{SVG}desc").text, fig.id
        # every drawn mark names a fact, and its value is one of that fact's figures
        for el in svg.iter():
            if el.get("data-value") is not None:
                fact = course.facts[el.get("data-fact")]
                assert normalise(el.get("data-value")) in {normalise(f) for f in fact.figures}, (fig.id, el.attrib)
        # every amount or share written in the drawing is a figure of the facts the figure rests on
        known = {normalise(f) for fid in figure_facts(fig, course.timeline) for f in course.facts[fid].figures}
        for text in svg.iter(f"{SVG}text"):
            for m in FIGURE.finditer(text.text or ""):
                assert normalise(m.group()) in known, (fig.id, m.group())


def test_bar_lengths_in_the_course_are_proportional_to_the_facts(course):
    """On a shared scale (and within a stack) every mark's length over its value is the same."""
    checked = 0
    for fig in course.figures.values():
        if fig.type == "stacked" or (fig.type == "bars" and fig.scale == "shared"):
            marks = [el for el in _svg(_figure_html(fig, course)).iter(f"{SVG}rect") if el.get("data-value")]
            ratios = [float(el.get("width")) / float(figure_number(el.get("data-value"))[0]) for el in marks]
            assert len(ratios) >= 3 and max(ratios) == pytest.approx(min(ratios), rel=1e-2), fig.id
            checked += 1
    assert checked >= 2


def test_every_module_page_and_the_timeline_page_show_a_figure(course):
    shown = {
        page.rel: [d.id for d in page.directives if d.kind == "figure" and not d.problem]
        for page in course.pages.values()
    }
    for number, page in course.modules.items():
        assert shown[page.rel], f"module {number} ({page.rel}) has no ::figure"
    assert shown.get("timeline.md"), "the timeline page has no ::figure"
    used = {i for ids in shown.values() for i in ids}
    assert used == set(course.figures), f"figures never shown: {set(course.figures) - used}"
