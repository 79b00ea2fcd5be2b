"""Exercises on the site: the HTML of an embedded exercise and the files the site ships for it.

Knows nothing of MkDocs (the plugin passes URLs and folders in).
"""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from coursekit.content.catalog import Catalog, LoadedExercise
from coursekit.site.render import markdown

_FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)


def render_exercise(ex: LoadedExercise, base_url: str) -> str:
    """base_url: the relative URL from the page to the site's coursekit asset folder."""
    starter_href = f"{base_url}/exercises/{ex.id}/{ex.model.files.starter}"
    m = ex.model
    code = highlight(ex.starter.read_text(encoding="utf-8"), PythonLexer(), _FORMATTER)
    hints = "".join(
        f'<details class="tip ck-hint"><summary>Hint {i}</summary>{markdown(h)}</details>'
        for i, h in enumerate(m.hints, start=1)
    )
    return (
        f'<section class="ck-exercise" data-exercise="{escape(ex.id)}" aria-labelledby="ck-ex-{escape(ex.id)}">'
        f'<h3 id="ck-ex-{escape(ex.id)}">Exercise: {escape(m.title)}</h3>'
        f'<p class="ck-exercise__meta">{m.difficulty.value.capitalize()} · about {m.minutes} minutes</p>'
        f"{markdown(m.summary)}"
        f'<p class="ck-exercise__file"><a href="{escape(starter_href)}" download>'
        f"Download {escape(m.files.starter)}</a></p>"
        f"{code}"
        f"<p>Working in a clone of the course? Edit <code>{escape(ex.dir.name)}/{escape(m.files.starter)}</code> "
        f"in the exercises folder, then run <code>coursekit exercise check {escape(ex.id)}</code>.</p>"
        f"{hints}</section>"
    )




def page_assets(base_url: str) -> str:
    """Tags appended to a page that embeds an exercise (base_url: the page's way to the asset folder)."""
    return ""


def write_site_files(catalog: Catalog, out: Path) -> None:
    """Files the site ships for exercises, under ``out`` (the site's assets/coursekit folder).

    What a learner may download: starter, public tests, data. Never the solution or hidden tests.
    """
    for ex in catalog.exercises.values():
        for name in [ex.model.files.starter, *ex.model.files.tests, *ex.model.files.data]:
            target = out / "exercises" / ex.id / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ex.dir / name, target)
