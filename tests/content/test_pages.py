"""Module pages as the catalog reads them: the overview after the title, never after a "# comment"
in code; a page that is not UTF-8 is an error at its place, not a traceback."""

from coursekit.content.directives import title_end


def test_the_title_line_outside_code():
    text = "```python\n# not a title\nx = 1\n```\n\n# The title\n\nBody\n"
    assert text[: title_end(text)].endswith("# The title")
    assert title_end("No title here\n```\n# code\n```\n") == 0
    assert title_end("# First\n# Second\n") == len("# First")


def test_a_page_that_is_not_utf8_is_an_error_at_its_place(tmp_path):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    site = tmp_path / "minimal"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "minimal", site)
    (site / "course" / "broken.md").write_bytes(b"# Broken\n\nCaf\xe9 in Latin-1\n")
    r = subprocess.run([sys.executable, "-m", "coursekit", "validate"], cwd=site, capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "broken.md:3:" in r.stderr, r.stderr
