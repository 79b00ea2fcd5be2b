"""What every page gets from coursekit.site.theme: the stylesheet for Material's chrome, a name
for the progress bar, keyboard-reachable notebook cells, and no MathJax from a CDN (a notebook
with math stops the build instead)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from mkdocs.exceptions import Abort, PluginError
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit.site import theme

REPO = Path(__file__).resolve().parents[2]


def _site(tmp_path: Path, markdown: str) -> Path:
    root = tmp_path / "course"
    shutil.copytree(REPO / "tests" / "fixtures" / "sites" / "minimal", root)
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"] = [
        {"mkdocs-jupyter": {"include": ["*.ipynb"], "execute": False, "cache_dir": str(tmp_path / "cache")}},
        *config["plugins"],
    ]
    theme_config = config.setdefault("theme", {"name": "material"})
    theme_config["features"] = [*theme_config.get("features", []), "navigation.instant", "navigation.instant.progress"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Numbers"),
            new_markdown_cell(markdown),
            new_code_cell("price = '$5'\nprint(f'cost: $ {price}$')"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, str(root / "course" / "numbers.ipynb"))
    return root


def test_every_page_has_the_stylesheet_a_named_progress_bar_and_no_cdn_mathjax(tmp_path, build):
    root = _site(tmp_path, "Sales rose from US\\$5 to US\\$7 billion; `$x$` in code is code.")
    site = build(root, tmp_path / "site")
    assert (site / "assets/coursekit/theme/theme.css").read_text() == (theme.ASSETS / "theme.css").read_text()
    pages = [p for p in site.rglob("index.html") if "assets" not in p.parts] + [site / "404.html"]
    assert len(pages) >= 4
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "assets/coursekit/theme/theme.css" in html, page
        assert 'role="progressbar" aria-label="Loading the page"' in html, page
        assert "mathjax" not in html.lower(), page
    notebook = (site / "numbers" / "index.html").read_text(encoding="utf-8")
    assert '<div class="highlight-ipynb hl-python" tabindex="0">' in notebook


@pytest.mark.parametrize("markdown", ["The area is $\\pi r^2$.", "$$E = mc^2$$", "\\begin{equation}x^2\\end{equation}"])
def test_a_notebook_with_math_stops_the_build(tmp_path, build, markdown, caplog):
    root = _site(tmp_path, markdown)
    with pytest.raises((PluginError, Abort)):
        build(root, tmp_path / "site")
    assert "numbers.ipynb: the notebook has math" in caplog.text
    assert "never fetches from a CDN" in caplog.text


def test_math_is_found_where_mathjax_would_typeset_it():
    cell = '<div class="jupyter-wrapper"><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown">{}</div></div>'
    assert theme.notebook_math(cell.format("<p>area \\(\\pi r^2\\)</p>")) == "\\("
    assert theme.notebook_math(cell.format("<p>from US$5 to US$7</p><code>\\(x\\)</code><pre>$$y$$</pre>")) is None
    assert theme.notebook_math('<style>.x:before{content:"$"} .y:before{content:"$"}</style>') is None
    assert theme.notebook_math("<p>$x$ outside any notebook</p>") is None
