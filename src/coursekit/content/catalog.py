"""The whole course, loaded and cross-checked: pages, quizzes, exercises.

``load_catalog`` never stops at the first problem: it gathers every error it can find, so
an author fixes a batch of mistakes in one pass.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.content.case_models import Fact, FactBase, Figure, FigureBase, Timeline
from coursekit.content.cross_check import cross_check
from coursekit.content.directives import Citation, Directive, find_citations, find_containers, find_directives
from coursekit.content.errors import ContentError
from coursekit.content.figure_checks import figure_problems
from coursekit.content.figures import unaccounted_figures
from coursekit.content.frontmatter import split_front_matter
from coursekit.content.loader import Loaded, load_model, parse_yaml, read_text
from coursekit.content.models import Exercise, ModulePage, Quiz
from coursekit.content.positions import Positions, duplicates
from coursekit.files import write_atomic


@dataclass(frozen=True)
class Layout:
    """Where the content lives. Defaults follow the repository layout."""

    root: Path
    course: str = "course"
    quizzes: str = "quizzes"
    exercises: str = "exercises"
    facts: str = "data/facts.yml"  # relative to the course folder
    timeline: str = "data/timeline.yml"
    figures: str = "data/figures.yml"

    @property
    def figures_file(self) -> Path:
        return self.course_dir / self.figures

    @property
    def facts_file(self) -> Path:
        return self.course_dir / self.facts

    @property
    def timeline_file(self) -> Path:
        return self.course_dir / self.timeline

    @property
    def course_dir(self) -> Path:
        return self.root / self.course

    @property
    def quizzes_dir(self) -> Path:
        return self.root / self.quizzes

    @property
    def exercises_dir(self) -> Path:
        return self.root / self.exercises


@dataclass
class LoadedQuiz:
    id: str
    path: Path
    model: Quiz
    pos: Positions


@dataclass
class LoadedExercise:
    id: str
    dir: Path
    model: Exercise
    pos: Positions

    def file(self, name: str) -> Path:
        return self.dir / name

    @property
    def starter(self) -> Path:
        return self.dir / self.model.files.starter

    @property
    def solution(self) -> Path:
        return self.dir / self.model.files.solution

    @property
    def tests(self) -> list[Path]:
        return [self.dir / t for t in self.model.files.tests]

    @property
    def hidden_tests(self) -> list[Path]:
        return [self.dir / t for t in self.model.files.hidden_tests]


@dataclass
class LoadedPage:
    path: Path  # absolute
    rel: str  # relative to the course dir, with forward slashes
    module: ModulePage | None
    pos: Positions | None
    directives: list[Directive]
    citations: list[Citation] = field(default_factory=list)
    title: str | None = None


@dataclass
class Catalog:
    layout: Layout
    quizzes: dict[str, LoadedQuiz] = field(default_factory=dict)
    exercises: dict[str, LoadedExercise] = field(default_factory=dict)
    pages: dict[str, LoadedPage] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    invalid_quizzes: list[Loaded] = field(default_factory=list)  # still cross-checked, from raw data
    facts: dict[str, Fact] = field(default_factory=dict)
    timeline: Timeline | None = None
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def modules(self) -> dict[int, LoadedPage]:
        return {p.module.module: p for p in self.pages.values() if p.module is not None}

    @property
    def references_page(self) -> LoadedPage | None:
        """The page that holds the references table (its directive), if one does."""
        found = [p for p in self.pages.values() if any(d.kind == "references" and not d.problem for d in p.directives)]
        return found[0] if found else None

    def citing_pages(self) -> dict[str, list[LoadedPage]]:
        """Fact id -> the pages that cite it, each once, in the course's order."""
        cited: dict[str, list[LoadedPage]] = {}
        for page in self.pages.values():
            for fact_id in dict.fromkeys(i for cite in page.citations for i in cite.ids):
                cited.setdefault(fact_id, []).append(page)
        return cited

    @property
    def objectives(self) -> dict[str, str]:
        return {o.id: o.text for p in self.modules.values() for o in p.module.objectives}


def _load_pages(layout: Layout, cat: Catalog) -> None:
    if not layout.course_dir.is_dir():
        cat.errors.append(ContentError(layout.course_dir, 1, 1, "course directory not found"))
        return
    for path in sorted(layout.course_dir.rglob("*.md")):
        rel = path.relative_to(layout.course_dir).as_posix()
        text = read_text(path)  # bounded, UTF-8, a regular file: else an error at its place
        if isinstance(text, ContentError):
            cat.errors.append(text)
            continue
        front, _, offset = split_front_matter(text)
        module = pos = data = None
        is_module = rel.startswith("modules/")
        if front is not None:
            data, pos, errs = parse_yaml(front, path, offset)
            cat.errors.extend(errs)
            is_module = is_module or (isinstance(data, dict) and "module" in data)
            if is_module and not errs:
                loaded = load_model(ModulePage, path, front, offset)
                module, pos = loaded.model, loaded.pos
                cat.errors.extend(loaded.errors)
        elif is_module:
            cat.errors.append(
                ContentError(
                    path, 1, 1, "a module page needs front matter (module, questions, objectives, key_points, minutes)"
                )
            )
        directives = list(find_directives(text))
        for d in directives:
            if d.problem:
                cat.errors.append(ContentError(path, d.line, d.col, d.problem))
        for block in find_containers(text):
            if block.problem:
                cat.errors.append(ContentError(path, block.start, 1, block.problem))
        citations = list(find_citations(text))
        for c in citations:
            for fid in c.ids:
                if fid not in cat.facts:
                    cat.errors.append(
                        ContentError(
                            path,
                            c.line,
                            c.col,
                            f"unknown fact {fid!r} in :fact[...] (facts are listed in {layout.facts})",
                        )
                    )
        if cat.facts:
            known = [f for fact in cat.facts.values() for f in fact.figures]
            for line, col, figure in unaccounted_figures(text, known):
                cat.errors.append(
                    ContentError(
                        path,
                        line,
                        col,
                        f"figure {figure!r} is not in the fact base, its paragraph cites no source, and it is "
                        'not in an illustrative block (cite it with :fact[ID], or use !!! example "Illustrative ...")',
                    )
                )
        title = None
        if front is not None and isinstance(data, dict) and isinstance(data.get("title"), str):
            title = data["title"]
        if title is None:
            h1 = re.search(r"^# (.+)$", text, re.M)
            title = h1.group(1).strip() if h1 else path.stem
        cat.pages[rel] = LoadedPage(path, rel, module, pos, directives, citations, title)


def _load_facts(layout: Layout, cat: Catalog) -> None:
    if layout.facts_file.is_file():
        loaded = load_model(FactBase, layout.facts_file)
        cat.errors.extend(loaded.errors)
        if loaded.model is not None:
            entries = [(f.id, loaded.pos.error(("facts", i, "id"), "")) for i, f in enumerate(loaded.model.facts)]
            cat.errors.extend(duplicates(entries, "fact id"))
            cat.facts = {f.id: f for f in loaded.model.facts}
    if layout.timeline_file.is_file():
        loaded = load_model(Timeline, layout.timeline_file)
        cat.errors.extend(loaded.errors)
        cat.timeline = loaded.model
        for i, event in enumerate(loaded.model.events if loaded.model else []):
            for j, fid in enumerate(event.facts):
                if fid not in cat.facts:
                    cat.errors.append(loaded.pos.error(("events", i, "facts", j), f"unknown fact {fid!r}"))


def _load_figures(layout: Layout, cat: Catalog) -> None:
    """figures.yml: every number a figure draws is a figure of the fact it names."""
    if not layout.figures_file.is_file():
        return
    loaded = load_model(FigureBase, layout.figures_file)
    cat.errors.extend(loaded.errors)
    if loaded.model is not None:
        cat.errors.extend(
            figure_problems(
                loaded.model, loaded.pos, cat.facts, cat.timeline is not None, layout.facts, layout.timeline
            )
        )
        cat.figures = {f.id: f for f in loaded.model.figures}


def _load_quizzes(layout: Layout, cat: Catalog) -> None:
    for path in sorted(layout.quizzes_dir.glob("*.y*ml")):
        loaded = load_model(Quiz, path)
        cat.errors.extend(loaded.errors)
        if loaded.model is not None:
            cat.quizzes[path.stem] = LoadedQuiz(path.stem, path, loaded.model, loaded.pos)
        else:
            cat.invalid_quizzes.append(loaded)


def _load_exercises(layout: Layout, cat: Catalog) -> None:
    for meta in sorted(layout.exercises_dir.glob("*/exercise.yml")):
        loaded = load_model(Exercise, meta)
        cat.errors.extend(loaded.errors)
        model, pos = loaded.model, loaded.pos
        if model is None:
            continue
        ex = LoadedExercise(meta.parent.name, meta.parent, model, pos)
        cat.exercises[ex.id] = ex
        f = model.files
        named = [("starter", f.starter), ("solution", f.solution)]
        named += [(("tests", i), t) for i, t in enumerate(f.tests)]
        named += [(("data", i), d) for i, d in enumerate(f.data)]
        named += [(("hidden_tests", i), h) for i, h in enumerate(f.hidden_tests)]
        for key, name in named:
            loc = ("files",) + (key if isinstance(key, tuple) else (key,))
            target = (ex.dir / name).resolve()
            if not target.is_relative_to(ex.dir.resolve()):
                cat.errors.append(pos.error(loc, f"files: {name!r} lies outside the exercise folder"))
            elif not target.is_file():
                cat.errors.append(pos.error(loc, f"files: {name!r} not found in {ex.dir.name}/"))


def load_catalog(layout: Layout) -> Catalog:
    cat = Catalog(layout)
    _load_facts(layout, cat)
    _load_figures(layout, cat)
    _load_pages(layout, cat)
    _load_quizzes(layout, cat)
    _load_exercises(layout, cat)
    cross_check(cat)
    cat.errors = sorted(set(cat.errors))
    return cat


def load_catalog_cached(layout: Layout, cache_dir: Path) -> Catalog:
    """``load_catalog``, or the catalog a build loaded before when none of its inputs changed.

    For builds, which load the same course over and over (``mkdocs serve``). The key is the
    layout and, for every file under the course, quiz and exercise folders and of this
    package's content code, its path, size, modification and change times and inode: an edit
    always changes the ctime, which no tool can set back. The cache is a pickle in the
    project's own cache folder (as trusted as the project's mkdocs.yml and hooks); one
    that cannot be read, or was made by other code, is ignored.
    """
    key = _inputs_key(layout)
    path = cache_dir / "catalog.pickle"
    try:
        with open(path, "rb") as f:
            stored_key, cat = pickle.load(f)
        if stored_key == key and isinstance(cat, Catalog):
            return cat
    except Exception:
        pass
    cat = load_catalog(layout)
    with contextlib.suppress(OSError):  # no cache this time; the build goes on
        write_atomic(path, pickle.dumps((key, cat), protocol=pickle.HIGHEST_PROTOCOL))
    return cat


def _inputs_key(layout: Layout) -> str:
    digest = hashlib.sha256(repr(layout).encode())
    files = [layout.facts_file, layout.timeline_file, layout.figures_file]
    for folder in (layout.course_dir, layout.quizzes_dir, layout.exercises_dir, Path(__file__).parent):
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if "__pycache__" not in p.parts)
    for p in files:
        try:
            st = p.stat()
        except OSError:
            digest.update(f"{p}\0missing\n".encode())
            continue
        digest.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n".encode())
    return digest.hexdigest()


def find_root(start: Path | None = None) -> Path:
    """The course repository: the nearest folder upwards that holds mkdocs.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    raise FileNotFoundError(f"no mkdocs.yml in {here} or any folder above it; run coursekit inside a course")
