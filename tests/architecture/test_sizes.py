"""Small, named pieces (DESIGN.md): no module of coursekit over MAX_LINES lines, and no function
over MAX_FUNCTION_LINES unless the line before its `def` (or before its first decorator) is a
comment that says why, e.g. `# long: one table of the rules, read top to bottom`.

KNOWN lists what was already over when the rule came in: each entry must still be over (so the
list shrinks as pieces are split, and never hides a new one); nothing may join it.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "coursekit"
MAX_LINES = 450
MAX_FUNCTION_LINES = 80
KNOWN: set[str] = set()


def _reason(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    before = lines[first - 2].strip() if first >= 2 else ""
    return before.startswith("# long:") and len(before) > len("# long:") + 3


def oversized(src: Path = SRC) -> set[str]:
    """Each module over MAX_LINES ('path'), and each function over MAX_FUNCTION_LINES without a
    reason ('path:name'), paths relative to src."""
    found = set()
    for path in sorted(src.rglob("*.py")):
        if "assets" in path.parts:  # the browser's Python, shipped as a file: not a module of the package
            continue
        rel = path.relative_to(src).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        if len(lines) > MAX_LINES:
            found.add(rel)
        functions = [n for n in ast.walk(ast.parse(text)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in functions:
            if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES and not _reason(lines, node):
                found.add(f"{rel}:{node.name}")
    return found


def test_no_module_or_function_grows_past_its_size():
    found = oversized()
    assert sorted(found - KNOWN) == [], f"split these, or give a long function its reason (# long: ...): {MAX_LINES=}"
    assert sorted(KNOWN - found) == [], "no longer over: take them off KNOWN"


def test_the_check_can_fail(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    (pkg / "big.py").write_text("\n" * MAX_LINES + "def f():\n" + body, encoding="utf-8")
    (pkg / "why.py").write_text("# long: one table of values, read top to bottom\ndef g():\n" + body, encoding="utf-8")
    (pkg / "bare.py").write_text("#\ndef h():\n" + body, encoding="utf-8")
    (pkg / "short.py").write_text("def k():\n" + "".join(body.splitlines(keepends=True)[1:]), encoding="utf-8")
    assert oversized(pkg) == {"big.py", "big.py:f", "bare.py:h"}
