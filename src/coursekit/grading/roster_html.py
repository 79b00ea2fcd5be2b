"""The roster as one self-contained HTML page: a chart of completion per module and a
sortable table (Jinja2, escaped by default; no request leaves the file)."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from coursekit.files import write_atomic
from coursekit.grading.roster import Roster
from coursekit.scores import fmt_percent

_ENV = Environment(
    loader=PackageLoader("coursekit.grading", "templates"),
    autoescape=select_autoescape(["j2", "html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
LEFT, WIDTH, ROW = 90, 320, 28


def render(roster: Roster, title: str, source: Path) -> str:
    completion = roster.completion()
    bars = [
        {"module": m, "y": i * ROW + 4, "width": round(share * WIDTH, 1), "label": fmt_percent(share * 100)}
        for i, (m, share) in enumerate(completion.items())
    ]
    summary = "Completion by module: " + "; ".join(f"module {b['module']}, {b['label']}" for b in bars) + "."
    chart = {"bars": bars, "left": LEFT, "width": LEFT + WIDTH + 50, "height": len(bars) * ROW + 8, "summary": summary}
    return _ENV.get_template("roster.html.j2").render(
        title=title, source=source.name, modules=roster.modules, learners=roster.learners, chart=chart, pct=fmt_percent
    )


def course_name(root: Path) -> str:
    """The site's name from mkdocs.yml (read as text: its YAML may hold Python tags), or the folder's."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    m = re.search(r"^site_name:\s*['\"]?(.+?)['\"]?\s*$", text, re.M)
    return m.group(1) if m else root.name


def write_page(path: Path, roster: Roster, course_root: Path, source: Path) -> None:
    """Write the roster's page, titled with the course's name; ``source``: the gradebook."""
    write_atomic(path, render(roster, course_name(course_root), source))
