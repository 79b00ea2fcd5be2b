"""The course's notebook (executed by the build, see tests/site/test_notebooks.py)."""

from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]


def test_course_notebook_is_valid_unexecuted_and_in_the_nav():
    """The course's notebook is committed without outputs (the build executes it)."""
    path = REPO / "course" / "resources" / "case-data.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    assert "resources/case-data.ipynb" in (REPO / "mkdocs.yml").read_text()
