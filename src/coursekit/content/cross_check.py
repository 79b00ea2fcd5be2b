"""The checks across files, once every file is read: ids unique across the course, and every
reference (a module, an objective, a quiz, an exercise, a figure, a data file) resolved."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coursekit.content.errors import ContentError
from coursekit.content.formula import formula_problems
from coursekit.content.lint import duplicate_ids
from coursekit.content.positions import Positions, duplicates

if TYPE_CHECKING:
    from coursekit.content.catalog import Catalog, Layout
    from coursekit.content.directives import Directive


def cross_check(cat: Catalog) -> None:
    """Every problem found across the catalog's files, added to ``cat.errors``."""
    cat.errors += _module_pages(cat)
    cat.errors += _quizzes(cat)
    cat.errors += _exercises(cat)
    for page in cat.pages.values():
        for d in page.directives:
            cat.errors += _directive(cat, page.path, d)


def _module_pages(cat: Catalog) -> list[ContentError]:
    """Module numbers and objective ids, each unique across the module pages."""
    modules, objectives = [], []
    for page in cat.pages.values():
        if page.module is None:
            continue
        modules.append((str(page.module.module), page.pos.error(("module",), "")))
        for i, o in enumerate(page.module.objectives):
            objectives.append((o.id, page.pos.error(("objectives", i, "id"), "")))
    return duplicates(modules, "module number") + duplicates(objectives, "objective id")


def _unknown_module(modules: dict[int, object], n: int, pos: Positions) -> list[ContentError]:
    if modules and n not in modules:
        return [pos.error(("module",), f"module: no module page has 'module: {n}'")]
    return []


def _unknown_objective(objectives: dict[str, str], objective: object, pos: Positions, qi: int) -> list[ContentError]:
    if isinstance(objective, str) and objective not in objectives:
        message = (
            f"questions[{qi}].objective: unknown objective {objective!r} "
            "(objectives are declared in module pages' front matter)"
        )
        return [pos.error(("questions", qi, "objective"), message)]
    return []


def _quizzes(cat: Catalog) -> list[ContentError]:
    """Each quiz's module and objectives exist; its question, option, item and pair ids are
    unique where a response names them; its formulas hold. A quiz with other errors still
    gets its objectives checked, from its raw data."""
    errors, modules, objectives = [], cat.modules, cat.objectives
    for bad in cat.invalid_quizzes:
        raw = bad.data.get("questions") if isinstance(bad.data, dict) else None
        for qi, q in enumerate(raw if isinstance(raw, list) else []):
            if isinstance(q, dict):
                errors += _unknown_objective(objectives, q.get("objective"), bad.pos, qi)
    for quiz in cat.quizzes.values():
        pos = quiz.pos
        errors += _unknown_module(modules, quiz.model.module, pos)
        qids = []
        for qi, q in enumerate(quiz.model.questions):
            qids.append((q.id, pos.error(("questions", qi, "id"), "")))
            errors += _unknown_objective(objectives, q.objective, pos, qi)
            if getattr(q, "formula", None):
                for problem in formula_problems(q):
                    errors.append(pos.error(("questions", qi, "formula"), f"questions[{qi}].formula: {problem}"))
            options = getattr(q, "options", [])
            errors += duplicates(
                [(o.id, pos.error(("questions", qi, "options", oi, "id"), "")) for oi, o in enumerate(options)],
                f"option id in question {q.id!r}:",
            )
        errors += duplicate_ids(quiz.model, pos)  # items, pairs and distractors
        errors += duplicates(qids, "question id")
    return errors


def _exercises(cat: Catalog) -> list[ContentError]:
    errors, modules, objectives = [], cat.modules, cat.objectives
    for ex in cat.exercises.values():
        errors += _unknown_module(modules, ex.model.module, ex.pos)
        for i, oid in enumerate(ex.model.objectives):
            if oid not in objectives:
                errors.append(ex.pos.error(("objectives", i), f"objectives[{i}]: unknown objective {oid!r}"))
    return errors


def _directive(cat: Catalog, path: Path, d: Directive) -> list[ContentError]:
    """A page's ``::figure``, ``::quiz`` or ``::exercise`` names one that exists; ``::timeline``
    and ``::references`` have their data file. (A directive with a problem is reported as it
    was read.)"""
    if d.problem:
        return []
    layout = cat.layout
    if d.kind == "figure" and d.id not in cat.figures:
        hint = ", ".join(sorted(cat.figures)) or f"none defined in {_shown(layout, layout.figures_file)}"
        return [ContentError(path, d.line, d.col, f"unknown figure {d.id!r} (known: {hint})")]
    if d.kind == "timeline" and not layout.timeline_file.is_file():
        return [ContentError(path, d.line, d.col, f"::timeline needs {_shown(layout, layout.timeline_file)}")]
    if d.kind == "references" and not layout.facts_file.is_file():
        return [ContentError(path, d.line, d.col, f"::references needs {_shown(layout, layout.facts_file)}")]
    known = {"quiz": cat.quizzes, "exercise": cat.exercises}.get(d.kind)
    if known is not None and d.id not in known:
        hint = ", ".join(sorted(known)) or "none defined"
        return [ContentError(path, d.line, d.col, f"unknown {d.kind} {d.id!r} (known: {hint})")]
    return []


def _shown(layout: Layout, path: Path) -> str:
    return path.relative_to(layout.root).as_posix() if path.is_relative_to(layout.root) else str(path)
