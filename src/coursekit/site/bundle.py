"""The quiz widget's script, bundled: one classic script inlined in each quiz page.

Knows nothing of MkDocs (the plugin passes the course folder in and logs what it is told).

The widget is written as small ES modules in assets/: quiz.js (practice) imports grading.js,
responses.js and order.js; assess.js (assessment) imports responses.js, numbers.js and order.js, never the grader. A
browser asks for a module's imports only once it has parsed the module, and for the module
only once the HTML names it, so loading them as files costs the page round trips before the
quiz works. At build time esbuild bundles each entry script into one minified classic script
(an IIFE) that the page carries inline, after its quizzes: it runs while the page is parsed,
before Material's own script has arrived, with nothing to fetch (what mkdocs-quiz does too).
The bundle is cached in node_modules/.cache/coursekit/ and rebuilt only when a script,
esbuild's version or the options change.

Inline, the script is run again by Material's instant navigation (it re-creates the inline
scripts of each new page as classic scripts): the widget's attach is idempotent and it
subscribes to Material's document$ once per page load, so a re-run attaches nothing twice.

Without esbuild (a site with quizzes built where `npm ci` has not run), the modules ship as
written: the page loads the script as an async module and preloads its imports
(<link rel="modulepreload">), so they are fetched alongside it: slower than the inline
bundle, but the quiz works the same.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coursekit.site import runtime

SCRIPTS = Path(__file__).parent / "assets"
ESBUILD_OPTIONS = (
    "--bundle",
    "--format=iife",
    "--minify",
    "--target=es2020",
    "--log-level=warning",
    "--sourcefile=coursekit-entry.js",
)  # the entry comes on stdin; not a name in assets/
# What a bundle exports besides running its widget, and the global it exports it as. The practice
# bundle exports the grader it runs, so the shared grading vectors are checked against the code
# learners get (tests/e2e): window.coursekitQuiz.gradeQuestion.
EXPORTS = {"quiz.js": 'export { gradeQuestion } from "./grading.js";\n'}
GLOBALS = {"quiz.js": "coursekitQuiz"}
# What must not appear in a script inlined in HTML: the parser would end the script there (or
# enter a state where it might). esbuild escapes these in strings; the check makes sure.
UNSAFE_INLINE = re.compile(r"</script|<!--|<script", re.I)


class BundleFailed(Exception):
    """esbuild was found but could not bundle the script (its message is the exception's)."""


@dataclass(frozen=True)
class WidgetScript:
    """What a quiz page loads, and the files the site ships for it."""

    name: str  # the widget's script: quiz.js or assess.js
    files: dict[str, Path]  # file name in the site's asset folder -> the file to copy there (none when inline)
    preload: tuple[str, ...]  # modules to <link rel="modulepreload"> with it (none when bundled)
    sources: frozenset[str]  # the scripts in assets/ whose code it ships
    failed: bool = False  # unbundled because esbuild failed (not because it is missing)
    inline: str | None = None  # the bundle's code, for a classic <script> in the page (None: load the file)


@cache
def module_imports(script: str) -> tuple[str, ...]:
    """The sibling modules an asset script imports (`import ... from "./x.js";`), read from it."""
    return tuple(
        re.findall(r'^import [^;]* from "\./([\w.-]+\.js)";$', (SCRIPTS / script).read_text(encoding="utf-8"), re.M)
    )


def module_graph(script: str) -> tuple[str, ...]:
    """Every module the script imports, directly or through another, each once, nearest first."""
    found: list[str] = []
    todo = list(module_imports(script))
    while todo:
        name = todo.pop(0)
        if name not in found and name != script:
            found.append(name)
            todo += module_imports(name)
    return tuple(found)


def _candidates(start: Path) -> list[Path]:
    """The node_modules folders to look in, in the exercise runtime's order (see runtime.py)."""
    return runtime.candidates(start)


def find_esbuild(start: Path) -> Path | None:
    """esbuild from the first node_modules (looking from the course folder start) that has it."""
    for nm in _candidates(start):
        if runtime.esbuild_path(nm).is_file():
            return runtime.esbuild_path(nm)
    return None


def entry(script: str) -> str:
    """The bundle's entry module (resolved in assets/): the script, plus what the bundle exports."""
    return EXPORTS.get(script, "") + f'import "./{script}";\n'


def options(script: str) -> tuple[str, ...]:
    """esbuild's options for one script: the common ones, and the global its exports go to."""
    return (*ESBUILD_OPTIONS, *([f"--global-name={GLOBALS[script]}"] if script in GLOBALS else []))


def cache_key(script: str, esbuild: Path) -> str:
    """A hash of everything the bundle depends on: every script in assets/ (they are small, and
    hashing them all cannot miss an import), the entry's exports, esbuild's version, the options."""
    digest = hashlib.sha256()
    package = esbuild.parent.parent / "esbuild" / "package.json"  # node_modules/esbuild
    digest.update(package.read_bytes() if package.is_file() else str(esbuild.resolve()).encode())
    digest.update("\0".join((entry(script), *options(script))).encode())
    for path in sorted(SCRIPTS.glob("*.js")):
        digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def bundle(script: str, esbuild: Path) -> tuple[Path, frozenset[str]]:
    """The script and what it imports as one classic script, and the scripts it was made from.

    Cached in node_modules/.cache/coursekit/ (beside the editor bundle) under the inputs' hash.
    """
    try:
        out = runtime.esbuild_cached(
            esbuild,
            Path(script).stem,
            cache_key(script, esbuild),
            list(options(script)),
            stdin=entry(script),
            cwd=SCRIPTS,
            metafile=True,
        )
    except runtime.EsbuildFailed as exc:
        raise BundleFailed(str(exc)) from None
    inputs = json.loads(out.with_suffix(".meta.json").read_text(encoding="utf-8"))["inputs"]
    sources = frozenset(name for name in inputs if (SCRIPTS / name).is_file())
    if not sources >= {script, *module_graph(script)}:
        raise BundleFailed(f"the bundle holds {sorted(sources)}, not {script} and all it imports")
    return out, sources


def widget_script(script: str, start: Path) -> tuple[WidgetScript, str | None]:
    """The quiz script a page carries (quiz.js or assess.js): inline when esbuild bundles it.

    start: the course folder (node_modules is looked for from there). Returns the script and,
    when it ships unbundled, why (for the build's log).
    """
    esbuild = find_esbuild(start)
    if esbuild is None:
        why = "esbuild was not found in node_modules (`npm ci` installs it)"
    else:
        try:
            path, sources = bundle(script, esbuild)
            code = path.read_text(encoding="utf-8").strip()
            if found := UNSAFE_INLINE.search(code):
                raise BundleFailed(f"the bundle contains {found.group(0)!r}, which cannot be inlined in HTML")
            return WidgetScript(script, {}, (), sources, inline=code), None
        except BundleFailed as exc:
            why = f"esbuild ({esbuild}) could not bundle {script}: {exc}"
    modules = module_graph(script)
    files = {name: SCRIPTS / name for name in (script, *modules)}
    return WidgetScript(script, files, modules, frozenset(files), failed=esbuild is not None), why


def page_tags(script: WidgetScript, base_url: str) -> str:
    """The tags that load the script, for the end of a quiz page (base_url: the page's way to the
    asset folder). Inline, after the quizzes, it attaches to them while the page is parsed;
    unbundled, the modules it imports are fetched with it, not after it is parsed."""
    if script.inline is not None:
        return f"<script>{script.inline}</script>"
    preload = "".join(f'<link rel="modulepreload" href="{base_url}/{name}">' for name in script.preload)
    return preload + f'<script type="module" async src="{base_url}/{script.name}"></script>'


@cache
def inline_style(name: str) -> str:
    """A stylesheet of assets/ as a <style> element, for the pages that need it: the quiz styles
    are 1.7 KB gzipped, less than a request costs, and there is no stylesheet to wait for before
    the page paints. ValueError if it cannot be inlined."""
    css = (SCRIPTS / name).read_text(encoding="utf-8")
    if "</" in css:
        raise ValueError(f"{name} must not contain '</' (it is inlined in a <style> element)")
    return f"<style>{css}</style>"
