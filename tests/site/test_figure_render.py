"""Figures drawn from the fact base: the renderer (no MkDocs), the checks of figures.yml, and the
course's own figures (each exists, says its point, and draws only numbers of the fact base)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coursekit.content.case_models import BarFigure, FlowFigure, StackedFigure
from coursekit.content.catalog import Layout, load_catalog
from coursekit.site import render
from coursekit.site.figures import render_figure

SVG = "{http://www.w3.org/2000/svg}"


def _figure_html(fig, cat) -> str:
    return render_figure(fig, cat.facts, cat.timeline, lambda used: render.render_citation(used, "references/"))


# --- the renderer ----------------------------------------------------------------------


def _bars(scale="shared", values=(("A", "US$10 billion", "F1"), ("B", "US$5 billion", "F1"))) -> BarFigure:
    return BarFigure.model_validate(
        {
            "id": "demo",
            "type": "bars",
            "alt": "A is twice B.",
            "caption": "A against B.",
            "scale": scale,
            "panels": [
                {"title": "One", "bars": [{"label": label, "value": v, "fact": f} for label, v, f in values]},
                {"title": "Two", "bars": [{"label": "C", "value": "US$1 billion", "fact": "F1"}]},
            ],
        }
    )


def _widths(svg: ET.Element) -> dict[str, float]:
    return {r.get("data-value"): float(r.get("width")) for r in svg.iter(f"{SVG}rect") if r.get("data-value")}


def test_bar_lengths_follow_the_values_on_a_shared_scale():
    from coursekit.site.figures import bars_svg

    widths = _widths(ET.fromstring(bars_svg(_bars())))
    assert widths["US$10 billion"] == pytest.approx(2 * widths["US$5 billion"], rel=1e-3)
    assert widths["US$10 billion"] == pytest.approx(10 * widths["US$1 billion"], rel=1e-3)


def test_per_panel_scale_draws_each_panel_to_its_own_largest_value():
    from coursekit.site.figures import bars_svg

    widths = _widths(ET.fromstring(bars_svg(_bars("per-panel"))))
    assert widths["US$1 billion"] == pytest.approx(widths["US$10 billion"], rel=1e-3)


def test_the_svg_is_named_by_its_point_and_described_by_its_data():
    from coursekit.site.figures import bars_svg

    svg = ET.fromstring(bars_svg(_bars()))
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (title_id, "A is twice B.")
    assert desc.get("id") == desc_id and "US$10 billion" in desc.text and "US$1 billion" in desc.text


def test_stacked_segments_split_the_bar_by_share():
    from coursekit.site.figures import stacked_svg

    fig = StackedFigure.model_validate(
        {
            "id": "mix",
            "type": "stacked",
            "alt": "Mostly video.",
            "caption": "Channels.",
            "stacks": [
                {
                    "label": "All",
                    "segments": [
                        {"label": "Video", "value": "58%", "fact": "F1"},
                        {"label": "Pages", "value": "32%", "fact": "F1"},
                        {"label": "Live", "value": "10%", "fact": "F1"},
                    ],
                }
            ],
        }
    )
    widths = _widths(ET.fromstring(stacked_svg(fig)))
    assert widths["58%"] / widths["10%"] == pytest.approx(5.8, rel=1e-3)
    assert widths["58%"] + widths["32%"] + widths["10%"] == pytest.approx(720 - 2, rel=1e-3)


def test_flow_boxes_and_arrows_are_drawn_for_every_node_and_edge():
    from coursekit.site.figures import flow_svg

    fig = FlowFigure.model_validate(
        {
            "id": "path",
            "type": "flow",
            "alt": "Cart leads to pay.",
            "caption": "Path.",
            "nodes": [
                {"id": "cart", "label": "Cart", "col": 1, "row": 1},
                {"id": "pay", "label": "Pay", "col": 2, "row": 1},
            ],
            "edges": [{"from": "cart", "to": "pay", "label": "ok"}, {"from": "pay", "to": "cart", "style": "dashed"}],
        }
    )
    svg = ET.fromstring(flow_svg(fig))
    assert len([r for r in svg.iter(f"{SVG}rect") if r.get("class") == "ck-box"]) == 2
    assert len(list(svg.iter(f"{SVG}polygon"))) == 2
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"Cart", "Pay", "ok"} <= set(texts)
    lines = [ln for ln in svg.iter(f"{SVG}line") if "ck-edge" in ln.get("class")]
    assert lines[0].get("y1") != lines[1].get("y1")  # the two arrows of a pair run side by side


# --- figures.yml, checked by the catalog -------------------------------------------------

GOOD = """\
figures:
  - id: lawns
    type: bars
    alt: A lawn costs US$5 billion.
    caption: What a lawn costs.
    panels:
      - title: Lawns
        bars:
          - {label: One lawn, value: US$5 billion, fact: F2}
"""


def _with_figures(site: Path, text: str, page_line: str | None = None) -> list[str]:
    (site / "course" / "data" / "figures.yml").write_text(text, encoding="utf-8")
    if page_line is not None:
        page = site / "course" / "modules" / "01-basics.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n" + page_line + "\n", encoding="utf-8")
    return [e.format(site) for e in load_catalog(Layout(site)).errors]


def test_a_valid_figure_is_loaded_and_its_directive_known(minimal_site):
    assert _with_figures(minimal_site, GOOD, '::figure{id="lawns"}') == []
    cat = load_catalog(Layout(minimal_site))
    html = _figure_html(cat.figures["lawns"], cat)
    assert 'data-fact="F2"' in html and "<figcaption>What a lawn costs." in html and "Lawn Weekly" in html


def test_a_number_that_is_not_its_facts_figure_is_reported_at_its_position(minimal_site):
    errors = _with_figures(minimal_site, GOOD.replace("US$5 billion, fact: F2", "US$6 billion, fact: F2"))
    assert errors == [
        "course/data/figures.yml:9:38: 'US$6 billion' is not a figure of fact F2 (its figures: "
        "US$5 billion); a figure draws only numbers from the fact base"
    ]


def test_unknown_fact_and_unknown_figure_are_reported(minimal_site):
    errors = _with_figures(minimal_site, GOOD.replace("fact: F2", "fact: F9"), '::figure{id="lawn"}')
    assert "course/data/figures.yml:9:58: unknown fact 'F9' (facts are listed in data/facts.yml)" in errors
    assert any(
        e.startswith("course/modules/01-basics.md:") and e.endswith(":1: unknown figure 'lawn' (known: lawns)")
        for e in errors
    ), errors


def test_broken_yaml_and_unknown_keys_give_path_line_col(minimal_site):
    [broken] = _with_figures(minimal_site, GOOD.replace("    type: bars\n", "    type: bars\n   bad: [\n"))
    assert broken.startswith("course/data/figures.yml:4:4: YAML syntax: did not find expected '-' indicator")
    errors = _with_figures(minimal_site, GOOD.replace("    caption:", "    colour: red\n    caption:"))
    assert errors == [
        "course/data/figures.yml:5:5: figures[0].colour: unknown key (check its spelling; "
        "the schema lists the allowed keys)"
    ]


def test_an_uncited_number_in_the_alt_text_is_reported(minimal_site):
    errors = _with_figures(
        minimal_site, GOOD.replace("alt: A lawn costs US$5 billion.", "alt: A lawn costs US$7 billion.")
    )
    assert errors == [
        "course/data/figures.yml:4:10: alt: figure 'US$7 billion' is not in the fact base "
        "(write it as one of the figures in facts.yml)"
    ]


def test_shares_over_100_and_unknown_nodes_are_reported(minimal_site):
    text = (
        GOOD
        + """\
  - id: mix
    type: stacked
    alt: Grass.
    caption: Grass.
    stacks:
      - label: All
        segments:
          - {label: A, value: 30%, fact: F1}
          - {label: B, value: 30%, fact: F1}
          - {label: C, value: 30%, fact: F1}
          - {label: D, value: 30%, fact: F1}
  - id: path
    type: flow
    alt: A then B.
    caption: Path.
    nodes:
      - {id: a, label: A, col: 1, row: 1}
      - {id: b, label: B, col: 1, row: 1}
    edges:
      - {from: a, to: c}
"""
    )
    errors = _with_figures(minimal_site, text)
    assert "course/data/figures.yml:15:9: the shares add up to 120%, more than 100%" in errors
    assert "course/data/figures.yml:27:32: duplicate grid cell (col,row) '1,1'" in errors
    assert "course/data/figures.yml:29:23: unknown node 'c' (known: a, b)" in errors
