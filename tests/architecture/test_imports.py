"""The house as drawn in DESIGN.md: the import graph of coursekit has no cycle, and no module
imports from a room above its own, or from another room of its own layer.

Layers, bottom up (a room may import its own modules and any room of a lower layer):
  0  base      files, ids, limits, markup, scores: shared low-level helpers and facts
  1  content   models, loader, catalog, the content rules
  2  quiz, exercise   what one question or one exercise does (they never import each other)
  3  grading, site    batches, gradebooks, reports; pages and widgets (never each other)
  4  doors     cli, commands/, site/plugin.py, __main__: parse, call a room, print
Imports under `if TYPE_CHECKING:` are for type checkers only and do not count.
"""

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "coursekit"
LAYER = {"base": 0, "content": 1, "quiz": 2, "exercise": 2, "grading": 3, "site": 3, "door": 4}
DOORS = {"coursekit.cli", "coursekit.__main__", "coursekit.site.plugin", "coursekit"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room(module: str) -> str:
    parts = module.split(".")
    if module in DOORS or (len(parts) > 1 and parts[1] == "commands"):
        return "door"
    if parts[1] in ("files", "ids", "limits", "markup", "scores"):
        return "base"
    return parts[1]


def _resolve(module: str, name: str) -> str:
    """`from coursekit.x import y`: the module coursekit.x.y if there is one, else coursekit.x."""
    candidate = f"{module}.{name}"
    path = SRC.parent / candidate.replace(".", "/")
    return candidate if path.with_suffix(".py").is_file() or path.is_dir() else module


def imports() -> dict[str, set[str]]:
    graph = {}
    for path in SRC.rglob("*.py"):
        if "assets" in path.parts:  # files shipped to the browser's Python, not modules of the package
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)
        }
        found = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.split(".")[0] == "coursekit"}
            elif (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and (node.module or "").split(".")[0] == "coursekit"
            ):
                found |= {_resolve(node.module, a.name) for a in node.names}
        graph[module_name(path)] = found - {module_name(path)}
    return graph


def test_the_graph_is_read():
    graph = imports()
    assert len(graph) > 40 and "coursekit.quiz.grading" in graph["coursekit.grading.quiz_batch"]


def test_no_import_goes_up_a_layer_or_across_rooms_of_one_layer():
    bad = []
    for module, targets in sorted(imports().items()):
        for target in sorted(targets):
            a, b = room(module), room(target)
            if a != b and LAYER[b] >= LAYER[a] and a != "door":
                bad.append(f"{module} ({a}) imports {target} ({b})")
            if a != b and b == "door":
                bad.append(f"{module} imports the door {target}")
    assert bad == []


def test_no_import_cycle():
    graph = imports()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_check_can_fail(tmp_path, monkeypatch):
    """A planted upward import and a planted cycle are both caught."""
    import shutil

    fake = tmp_path / "coursekit"
    shutil.copytree(SRC, fake, ignore=shutil.ignore_patterns("__pycache__", "assets"))
    (fake / "content" / "bad_upward.py").write_text("from coursekit.grading import gradebook\n")
    (fake / "quiz" / "loop_a.py").write_text("import coursekit.quiz.loop_b\n")
    (fake / "quiz" / "loop_b.py").write_text("import coursekit.quiz.loop_a\n")
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    import pytest

    with pytest.raises(AssertionError, match="bad_upward"):
        test_no_import_goes_up_a_layer_or_across_rooms_of_one_layer()
    with pytest.raises(AssertionError, match="loop_a"):
        test_no_import_cycle()
