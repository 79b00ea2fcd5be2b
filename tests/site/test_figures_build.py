"""A real build of the fixture course with a figure, the computed course length and a glossary:
the plugin is only the door, so this checks the wiring, not the drawing."""

from __future__ import annotations

import re

import pytest
from mkdocs.exceptions import Abort, PluginError

FIGURES = """\
figures:
  - id: lawns
    type: bars
    alt: A lawn costs US$5 billion, while grass grew by a share.
    caption: What a lawn costs.
    panels:
      - title: Lawns
        bars:
          - {label: One lawn, value: US$5 billion, fact: F2}
"""
GLOSSARY = """# Glossary

## Lawn

A patch of grass kept short. Module 1.
"""


@pytest.fixture
def site(minimal_site):
    course = minimal_site / "course"
    (course / "data" / "figures.yml").write_text(FIGURES, encoding="utf-8")
    (course / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    page = course / "modules" / "01-basics.md"
    page.write_text(page.read_text(encoding="utf-8") + '\nA lawn is green.\n\n::figure{id="lawns"}\n', encoding="utf-8")
    index = course / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n::course-minutes{}\n", encoding="utf-8")
    config = minimal_site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "markdown_extensions: [admonition, pymdownx.details]",
            "markdown_extensions: [abbr, admonition, pymdownx.details]",
        ),
        encoding="utf-8",
    )
    return minimal_site


def test_figure_minutes_and_glossary_reach_the_built_pages(site, tmp_path, build):
    out = build(site, tmp_path / "out")
    module = (out / "modules" / "01-basics" / "index.html").read_text(encoding="utf-8")
    assert '<figure class="ck-figure" id="figure-lawns">' in module and 'role="img"' in module
    assert '<title id="ck-fig-lawns-title">A lawn costs US$5 billion' in module
    assert '<figcaption>What a lawn costs. <span class="ck-cite">' in module
    assert ".ck-figure-svg" in module  # the figure styles are inline, as the quiz styles are
    assert '<abbr title="A patch of grass kept short.">lawn</abbr>' in module
    assert "::figure" not in module and "*[Lawn]" not in module
    home = (out / "index.html").read_text(encoding="utf-8")
    m = re.search(
        r'<p class="ck-course-minutes">The full course takes about <strong>(\d+) min</strong> over 1 '
        r"modules: (\d+) min of reading \(at 200 words a minute\), (\d+) min of exercises and (\d+) min",
        home,
    )
    assert m, home[home.find("ck-course-minutes") - 200 :][:600]
    assert int(m[3]) == 5
    assert ".ck-figure-svg" not in home  # no figure, no figure styles
    glossary = (out / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "<abbr" not in glossary  # the glossary itself is not annotated


def test_unknown_figure_stops_the_build_with_its_position(site, tmp_path, caplog, build):
    page = site / "course" / "modules" / "01-basics.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace('::figure{id="lawns"}', '::figure{id="grass"}'), encoding="utf-8"
    )
    with pytest.raises((PluginError, Abort)):
        build(site, tmp_path / "out")
    assert re.search(r"course/modules/01-basics\.md:\d+:1: unknown figure 'grass' \(known: lawns\)", caplog.text)
