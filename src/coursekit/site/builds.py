"""The three builds from the same sources: learner, instructor and assessment.

learner     what `mkdocs build` gives: practice quizzes with instant feedback, and exercises
            whose widget offers the model solution once the tests pass (or after a few checks).
instructor  adds the teaching notes, and under each exercise its model solution and what its
            hidden tests check.
assessment  a small separate site: one page per selected quiz, with no answer key, feedback,
            explanation, hint or misconception anywhere; answers leave as submission files.
"""

from __future__ import annotations

import logging
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import yaml

from coursekit.content.catalog import Catalog

DEFAULT_DIRS = {"learner": "site", "instructor": "site-instructor", "assessment": "site-assessment"}


@contextmanager
def _audience(value: str):
    before = os.environ.get("COURSEKIT_AUDIENCE")
    os.environ["COURSEKIT_AUDIENCE"] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("COURSEKIT_AUDIENCE", None)
        else:
            os.environ["COURSEKIT_AUDIENCE"] = before


class BuildFailed(Exception):
    """The site could not be built; the message says why (MkDocs's own errors, as it logged them)."""


def _mkdocs_build(config_file: Path, site_dir: Path, **overrides) -> None:
    """Build as `mkdocs build` does. MkDocs reports what went wrong through its logger and then
    raises a bare "Aborted": keep what it logged, so the caller can say it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logged: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    keep = Keep(logging.ERROR)
    log = logging.getLogger("mkdocs")
    log.addHandler(keep)
    try:
        build(load_config(str(config_file), site_dir=str(site_dir), **overrides))
    except MkDocsException as exc:
        reasons = [m for m in logged if m.strip()] or [str(exc)]
        raise BuildFailed("\n".join(dict.fromkeys(reasons))) from None
    finally:
        log.removeHandler(keep)


def build_course(root: Path, audience: str, site_dir: Path) -> None:
    with _audience(audience):
        _mkdocs_build(root / "mkdocs.yml", site_dir)


def assessment_config(root: Path, docs: Path, quiz_titles: dict[str, str]) -> dict:
    """The course's own mkdocs.yml, narrowed to the assessment pages."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin_options = {}
    for entry in config.get("plugins", []):
        if isinstance(entry, dict) and "coursekit" in entry:
            plugin_options = dict(entry["coursekit"] or {})
    config.update(
        site_name=f"{config.get('site_name', 'Course')}: assessment",
        docs_dir=str(docs),
        nav=[{"Assessment": "index.md"}] + [{title: f"{qid}.md"} for qid, title in quiz_titles.items()],
        plugins=[
            "search",
            {
                "coursekit": plugin_options
                | {
                    "audience": "assessment",
                    "course_dir": str(root / config.get("docs_dir", "docs")),
                    "quizzes_dir": str(root / plugin_options.get("quizzes_dir", "quizzes")),
                    "exercises_dir": str(root / plugin_options.get("exercises_dir", "exercises")),
                }
            },
        ],
    )
    config.pop("exclude_docs", None)
    return config


def build_assessment(root: Path, catalog: Catalog, quiz_ids: list[str], site_dir: Path) -> None:
    titles = {qid: catalog.quizzes[qid].model.title for qid in quiz_ids}
    with tempfile.TemporaryDirectory(prefix="coursekit-assessment-") as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        links = "\n".join(f"- [{title}]({qid}.md)" for qid, title in titles.items())
        (docs / "index.md").write_text(
            "# Assessment\n\nAnswer each quiz on its page, enter your learner id, and press **Download "
            "submission**. Hand the file in as your instructor asks; your answers are graded from the key, "
            "which is not on this site. Your answers stay in this browser until you download them.\n\n"
            f"{links}\n",
            encoding="utf-8",
        )
        for qid, title in titles.items():
            (docs / f"{qid}.md").write_text(f'# {title}\n\n::quiz{{id="{qid}"}}\n', encoding="utf-8")
        config_file = Path(tmp) / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(assessment_config(root, docs, titles), sort_keys=False), encoding="utf-8")
        with _audience("assessment"):
            _mkdocs_build(config_file, site_dir)


def build(catalog: Catalog, audience: str, quiz_ids: list[str], site_dir: Path | None = None) -> Path:
    """Build the site for one audience into site_dir (default: its folder in DEFAULT_DIRS) and
    say where. The assessment build carries quiz_ids (every quiz when empty); the others, the course."""
    root = catalog.layout.root
    target = site_dir or root / DEFAULT_DIRS[audience]
    if audience == "assessment":
        build_assessment(root, catalog, quiz_ids or sorted(catalog.quizzes), target)
    else:
        build_course(root, audience, target)
    return target
