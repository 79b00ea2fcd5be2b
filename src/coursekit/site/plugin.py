"""The MkDocs plugin: the door between MkDocs and the content and render rooms.

Configured in mkdocs.yml:

    plugins:
      - coursekit:
          quizzes_dir: quizzes      # relative to mkdocs.yml
          exercises_dir: exercises

Every build loads and cross-checks the whole course first; any content error stops the
build before a page is written, with every problem listed as path:line:col.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.utils import get_relative_url

from coursekit import markup
from coursekit.content.catalog import Catalog, Layout, load_catalog_cached
from coursekit.content.directives import replace_citations, replace_directives, title_end, transform_containers
from coursekit.content.glossary import abbreviation_block, definitions
from coursekit.content.stats import course_time
from coursekit.site import bundle, exercises, quizzes, render, theme
from coursekit.site.figures import render_figure
from coursekit.site.runtime import RuntimeAssetsMissing

log = get_plugin_logger(__name__)
ASSET_URL = "assets/coursekit"
AUDIENCES = ("learner", "instructor", "assessment")
CONTAINER_TITLES = {"instructor": "Instructor notes"}
# An assessment site ships the form, its styles and the submission export; no grader, no key.
# Its script's code may come from these files only, bundled or not.
ASSESSMENT_ASSETS = {"assess.js", "responses.js", "numbers.js", "order.js"}  # no grader, no key


class CoursekitConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off (directives then stay as plain text)."""
    quizzes_dir = c.Type(str, default="quizzes")
    """Folder of quiz YAML files, relative to mkdocs.yml."""
    exercises_dir = c.Type(str, default="exercises")
    """Folder of exercise folders, relative to mkdocs.yml."""
    audience = c.Choice(AUDIENCES, default="learner")
    """Who the build is for; the COURSEKIT_AUDIENCE environment variable overrides it."""
    course_dir = c.Optional(c.Type(str))
    """The course pages the catalog validates, when they are not the docs_dir (the assessment build)."""
    glossary = c.Type(str, default="glossary.md")
    """The glossary page, relative to the course folder: each of its '## Term' headings becomes an
    abbreviation on every other page, so the term shows its definition on hover ('' to turn off)."""


class CoursekitPlugin(BasePlugin[CoursekitConfig]):
    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.slots: dict[str, dict[str, str]] = {}  # page src_uri -> token -> html
        self.needs_quiz_assets: set[str] = set()
        self.needs_exercise_assets: set[str] = set()
        self.needs_figure_css: set[str] = set()
        self.abbreviations: list[tuple[str, str]] = []  # the glossary's (word, definition), for every page
        self.quiz_script: bundle.WidgetScript | None = None  # made once per build, when needed
        self._conversions = markup.Conversions()  # this build's Markdown conversions (markup.py)

    # -- set-up ------------------------------------------------------------------

    def _layout(self, config) -> Layout:
        root = Path(config.config_file_path).resolve().parent
        docs = (root / self.config.course_dir).resolve() if self.config.course_dir else Path(config.docs_dir).resolve()
        return Layout(
            root,
            course=str(docs.relative_to(root)) if docs.is_relative_to(root) else str(docs),
            quizzes=self.config.quizzes_dir,
            exercises=self.config.exercises_dir,
        )

    @staticmethod
    def _cache_dir(config) -> Path:
        """Where builds keep what the next build may reuse (next to mkdocs-jupyter's cache)."""
        return Path(config.config_file_path).resolve().parent / ".cache" / "coursekit"

    @property
    def audience(self) -> str:
        value = os.environ.get("COURSEKIT_AUDIENCE") or self.config.audience
        if value not in AUDIENCES:
            raise PluginError(f"coursekit: COURSEKIT_AUDIENCE must be one of {', '.join(AUDIENCES)}, not {value!r}")
        return value

    def on_pre_build(self, *, config) -> None:
        if not self.config.enabled:
            return
        layout = self._layout(config)
        self._conversions = markup.Conversions.load(self._cache_dir(config) / "markdown.json")
        markup.activate(self._conversions)
        self.catalog = load_catalog_cached(layout, self._cache_dir(config))
        self.slots.clear()
        self.needs_quiz_assets.clear()
        self.needs_exercise_assets.clear()
        self.needs_figure_css.clear()
        self.quiz_script = None
        glossary = layout.course_dir / self.config.glossary if self.config.glossary else None
        self.abbreviations = (
            definitions(glossary.read_text(encoding="utf-8")) if glossary and glossary.is_file() else []
        )
        if self.abbreviations and "abbr" not in config.markdown_extensions:
            log.warning("the glossary's terms need the 'abbr' Markdown extension in mkdocs.yml to show on hover")
            self.abbreviations = []
        if self.catalog.errors:
            listing = "\n".join(e.format(layout.root) for e in self.catalog.errors)
            raise PluginError(f"coursekit: {len(self.catalog.errors)} content problem(s):\n{listing}")

    def _quiz_script(self, config) -> bundle.WidgetScript:
        """The quiz pages' script: quiz.js, or assess.js in an assessment build; bundled if esbuild is there."""
        if self.quiz_script is None:
            name = "assess.js" if self.audience == "assessment" else "quiz.js"
            script, why = bundle.widget_script(name, self._layout(config).course_dir)
            if self.audience == "assessment" and not script.sources <= ASSESSMENT_ASSETS:
                raise PluginError(
                    f"coursekit: the assessment script would ship code from "
                    f"{', '.join(sorted(script.sources - ASSESSMENT_ASSETS))}"
                )
            if why is not None:  # the quiz still works; a missing esbuild is normal, a failing one is not
                (log.warning if script.failed else log.info)(
                    "%s; quiz pages load %s unbundled, with its modules (%s) preloaded",
                    why,
                    name,
                    ", ".join(script.preload),
                )
            self.quiz_script = script
        return self.quiz_script

    def on_config(self, config):
        if self.config.enabled:  # every page, every audience: Material's chrome made WCAG 2.1 AA
            theme.add_to_config(config, ASSET_URL)
        return config

    def on_serve(self, server, *, config, builder):
        if self.config.enabled:
            layout = self._layout(config)
            for folder in (layout.quizzes_dir, layout.exercises_dir):
                if folder.is_dir():
                    server.watch(str(folder))
        return server

    # -- pages -------------------------------------------------------------------

    def _slot(self, page, html: str) -> str:
        table = self.slots.setdefault(page.file.src_uri, {})
        token = f"coursekitslot{len(table)}x{hashlib.sha1(page.file.src_uri.encode()).hexdigest()[:8]}"
        table[token] = html
        return f"\n{token}\n"

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if not self.config.enabled or self.catalog is None:
            return markdown
        cat = self.catalog
        loaded = cat.pages.get(page.file.src_uri)

        refs_href = self._references_href(page, files)

        def embed(d) -> str:
            if d.kind == "references":
                return self._slot(page, render.render_references(list(cat.facts.values()), self._cited_on(page, files)))
            if d.kind == "figure":
                self.needs_figure_css.add(page.file.src_uri)
                cite = lambda used: render.render_citation(used, refs_href)  # noqa: E731
                return self._slot(page, render_figure(cat.figures[d.id], cat.facts, cat.timeline, cite))
            if d.kind == "course-minutes":
                return self._slot(page, render.render_course_minutes(course_time(cat)))
            if d.kind == "timeline":
                return self._slot(page, render.render_timeline(cat.timeline, cat.facts, refs_href))
            if d.kind == "quiz" and self.audience == "assessment":
                self.needs_quiz_assets.add(page.file.src_uri)
                return self._slot(page, quizzes.render_assessment_quiz(d.id, cat.quizzes[d.id].model))
            if d.kind == "exercise" and self.audience == "assessment":
                return ""  # exercises carry solutions and tests: never in an assessment build
            if d.kind == "quiz":
                self.needs_quiz_assets.add(page.file.src_uri)
                resolve = lambda link: self._resolve(link, page, files)  # noqa: E731
                return self._slot(page, quizzes.render_quiz(d.id, cat.quizzes[d.id].model, resolve))
            base = get_relative_url(ASSET_URL, page.url)
            self.needs_exercise_assets.add(page.file.src_uri)
            try:
                html = exercises.render_exercise(cat.exercises[d.id], base)
                if self.audience == "instructor":
                    html += exercises.render_instructor_notes(cat.exercises[d.id])
                return self._slot(page, html)
            except RuntimeAssetsMissing as exc:
                raise PluginError(str(exc)) from None

        keep = {"instructor"} if self.audience == "instructor" else set()
        markdown = transform_containers(markdown, keep, CONTAINER_TITLES)
        markdown = replace_directives(markdown, embed)
        markdown = replace_citations(
            markdown, lambda c: render.render_citation([cat.facts[i] for i in c.ids], refs_href)
        )
        if loaded is not None and loaded.module is not None:
            overview = self._slot(page, render.render_overview(loaded))
            at = title_end(markdown)
            markdown = markdown[:at] + "\n" + overview + "\n" + markdown[at:]
            markdown += "\n" + self._slot(page, render.render_key_points(loaded))
        if self.abbreviations and page.file.src_uri != self.config.glossary:
            markdown += "\n\n" + abbreviation_block(self.abbreviations, markdown)
        return markdown

    def _url_of(self, src_uri: str, page, files) -> str | None:
        target = files.get_file_from_path(src_uri)
        return get_relative_url(target.url, page.url) if target is not None else None

    def _resolve(self, link: str, page, files) -> str | None:
        """A course-relative link ('modules/01-story.md#launch') as a URL from this page."""
        path, _, anchor = link.partition("#")
        url = self._url_of(path, page, files)
        return None if url is None else url + (f"#{anchor}" if anchor else "")

    def _references_href(self, page, files) -> str | None:
        target = self.catalog.references_page
        return None if target is None else self._url_of(target.rel, page, files)

    def _cited_on(self, page, files) -> dict[str, list[tuple[str, str]]]:
        """Fact id -> (title, URL from this page) of each page that cites it."""
        urls = {rel: self._url_of(rel, page, files) for rel in self.catalog.pages}
        return {
            fact_id: [(p.title or p.rel, urls[p.rel]) for p in pages if urls[p.rel] is not None]
            for fact_id, pages in self.catalog.citing_pages().items()
        }

    def on_page_content(self, html: str, *, page, config, files) -> str:
        table = self.slots.get(page.file.src_uri)
        if not table:
            return html
        try:
            if page.file.src_uri in self.needs_figure_css:
                html = bundle.inline_style("figures.css") + html
            for token, fragment in table.items():
                html = html.replace(f"<p>{token}</p>", fragment).replace(token, fragment)
            if page.file.src_uri in self.needs_quiz_assets:
                base = get_relative_url(ASSET_URL, page.url)
                html = bundle.inline_style("quiz.css") + html + bundle.page_tags(self._quiz_script(config), base)
        except ValueError as exc:
            raise PluginError(f"coursekit: {exc}") from None
        if page.file.src_uri in self.needs_exercise_assets:
            html += exercises.page_assets(get_relative_url(ASSET_URL, page.url))
        return html

    def on_post_page(self, output: str, *, page, config) -> str:
        if not self.config.enabled:
            return output
        try:  # after mkdocs-jupyter's hook (it comes first in mkdocs.yml), which adds the loader
            return theme.accessible(theme.without_cdn_mathjax(output, page.file.src_uri))
        except ValueError as exc:
            raise PluginError(f"coursekit: {exc}") from None

    def on_post_template(self, output: str, *, template_name, config) -> str:
        return theme.accessible(output) if self.config.enabled and template_name == "404.html" else output

    # -- files -------------------------------------------------------------------

    def on_post_build(self, *, config) -> None:
        if not self.config.enabled or self.catalog is None:
            return
        self._conversions.save(self._cache_dir(config) / "markdown.json")
        out = Path(config.site_dir) / ASSET_URL
        out.mkdir(parents=True, exist_ok=True)
        theme.write_files(out)
        if self.catalog.quizzes:  # the quiz script's modules when it is not inline (the styles are inline)
            for name, source in self._quiz_script(config).files.items():
                shutil.copyfile(source, out / name)
        if self.audience != "assessment":
            try:
                exercises.write_site_files(self.catalog, out)
            except RuntimeAssetsMissing as exc:
                raise PluginError(str(exc)) from None
