"""Notebook pages: mkdocs-jupyter executes them at build time, and a rebuild with unchanged
notebooks reuses the cached execution instead of starting a kernel again (issue 7)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[2]


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    shutil.copytree(REPO / "tests" / "fixtures" / "sites" / "minimal", root)
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"] = [
        {"mkdocs-jupyter": {"include": ["*.ipynb"], "execute": True, "cache_dir": str(tmp_path / "cache")}},
        *config["plugins"],
    ]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root


def _notebook(path: Path, title: str) -> None:
    nb = new_notebook(
        cells=[new_markdown_cell(f"# {title}"), new_code_cell("import uuid\nprint('run', uuid.uuid4().hex)")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, str(path))


def _run_id(site: Path) -> str:
    html = (site / "analysis" / "index.html").read_text(encoding="utf-8")
    found = re.findall(r"run ([0-9a-f]{32})", html)
    assert len(found) == 1, "the notebook's output is not on the page: it was not executed"
    return found[0]


def test_unchanged_notebook_reuses_its_execution(tmp_path, build):
    root = _site(tmp_path)
    _notebook(root / "course" / "analysis.ipynb", "Analysis")
    first = _run_id(build(root, tmp_path / "site1"))
    assert _run_id(build(root, tmp_path / "site2")) == first  # the same output: no new kernel run

    _notebook(root / "course" / "analysis.ipynb", "Analysis, revised")
    assert _run_id(build(root, tmp_path / "site3")) != first  # changed: executed again
