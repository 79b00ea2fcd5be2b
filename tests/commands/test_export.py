"""`coursekit export` (coursekit.commands.export), run as a process."""

import xml.etree.ElementTree as ET

from .process import run


def test_export_every_format(minimal_site, tmp_path):
    for fmt, name in [("moodle", "q.xml"), ("gift", "q.gift"), ("qti", "q.zip"), ("qti12", "q12.zip")]:
        out = tmp_path / name
        r = run("export", "basics", "--format", fmt, "--out", out, cwd=minimal_site)
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 500
    ET.parse(tmp_path / "q.xml")  # strict XML
    r = run("export", "basics", "--format", "moodle", "--out", tmp_path / "q.xml", cwd=minimal_site)
    assert r.returncode == 1 and "exists" in r.stderr
    assert run("export", "basics", "--format", "pdf", "--out", tmp_path / "x", cwd=minimal_site).returncode == 2
