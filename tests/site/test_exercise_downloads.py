"""What a learner downloads for an exercise: the data's README goes wherever the data goes, and the
notebook runs its tests on "Run all" even while the learner's functions are unwritten."""

import subprocess
import sys
import zipfile
from pathlib import Path

from coursekit.content.catalog import Layout, load_catalog
from coursekit.exercise import handout, notebook
from coursekit.site import downloads, exercises

REPO = Path(__file__).resolve().parents[2]
SUM = load_catalog(Layout(REPO / "tests" / "fixtures" / "sites" / "two-exercises")).exercises["sum-csv"]


def test_the_data_readme_goes_with_the_data(tmp_path):
    assert "data/README.md" not in SUM.model.files.data  # not listed: found beside the data
    assert "data/README.md" in handout.learner_files(SUM)
    assert "data/README.md" in exercises.exercise_data(SUM)["data"]  # written into the page's Python
    downloads.exercise_zip(SUM, tmp_path / "x.zip")
    with zipfile.ZipFile(tmp_path / "x.zip") as z:
        assert "Three illustrative rows" in z.read("sum-csv/data/README.md").decode()
    nb = notebook.exercise_notebook(SUM)
    assert any("Three illustrative rows" in c.source for c in nb.cells if c.cell_type == "markdown")


def test_run_all_reaches_the_tests_and_the_notebook_states_its_needs(tmp_path):
    nb = notebook.exercise_notebook(SUM)
    assert "pip install pytest" in nb.cells[0].source
    # Run every code cell in order, as "Run all" does, in a fresh interpreter and folder.
    script = "\n\n".join(c.source for c in nb.cells if c.cell_type == "code")
    (tmp_path / "run_all.py").write_text(script, encoding="utf-8")
    r = subprocess.run([sys.executable, "run_all.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr  # nothing stopped the run
    assert "Not working yet" in r.stdout  # the try-it cell raised and said so
    assert "failed" in r.stdout  # and the tests ran after it
