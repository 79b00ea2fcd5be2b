"""The in-page Python runtime of the exercises: where it comes from, and what is built from it.

Pyodide, the pytest wheels and esbuild come from ``node_modules`` (``npm ci``, plus the
wheel download that ``make`` does): a build without them fails with a message that says so
(``RuntimeAssetsMissing``), rather than shipping exercises that cannot run. From them this
module makes, cached in node_modules/.cache/coursekit/, the editor bundle (CodeMirror, with
esbuild) and the booted Python's memory snapshot (with Node). The quiz bundles (``bundle``)
look for esbuild in the same places and run it through the same cache (``esbuild_cached``).

Where node_modules is looked for, first match wins: upwards from the course folder, the
COURSEKIT_NODE_MODULES environment variable, then the checkout that coursekit itself is
installed from (an editable install), so fixture courses built in a temporary folder work.
Knows nothing of MkDocs.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ASSETS = Path(__file__).parent / "assets" / "exercise"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
CACHE = Path(".cache") / "coursekit"  # inside node_modules
log = logging.getLogger("mkdocs.plugins.coursekit")  # a name only: the build shows these with its own
NODE_MODULES_ENV = "COURSEKIT_NODE_MODULES"
SETUP_HINT = (
    "run `make build` or `make serve` (they run `npm ci` and download the wheels), "
    "or by hand: `npm ci`, then `python -m pip download --only-binary=:all: --no-deps "
    "--require-hashes --dest node_modules/.cache/coursekit/wheels "
    "-r src/coursekit/site/assets/exercise/pyodide-wheels.txt`"
)


class RuntimeAssetsMissing(Exception):
    """The in-page Python runtime (Pyodide, the pytest wheels, the editor) cannot be found."""


@dataclass(frozen=True)
class Runtime:
    node_modules: Path
    wheels: tuple[Path, ...]

    @property
    def pyodide(self) -> Path:
        return self.node_modules / "pyodide"


def pinned_wheels() -> list[str]:
    """File names of the wheels pinned in pyodide-wheels.txt (all pure Python)."""
    names = []
    for line in (ASSETS / "pyodide-wheels.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if m:
            names.append(f"{re.sub(r'[-_.]+', '_', m[1]).lower()}-{m[2]}-py3-none-any.whl")
    return names


def candidates(start: Path) -> list[Path]:
    found = [folder / "node_modules" for folder in (start.resolve(), *start.resolve().parents)]
    if os.environ.get(NODE_MODULES_ENV):
        found.append(Path(os.environ[NODE_MODULES_ENV]))
    checkout = Path(__file__).resolve().parents[3]  # src/coursekit/site/runtime.py -> the checkout
    found.append(checkout / "node_modules")
    return found


@cache
def _find_runtime(start: Path) -> Runtime:
    tried = []
    for nm in candidates(start):
        if (nm / "pyodide" / "pyodide.mjs").is_file():
            break
        tried.append(str(nm))
    else:
        raise RuntimeAssetsMissing(
            "coursekit: the exercise runtime (Pyodide) was not found in node_modules "
            f"(looked in {', '.join(tried)}; set {NODE_MODULES_ENV} to point elsewhere): {SETUP_HINT}"
        )
    missing = [f for f in PYODIDE_FILES if not (nm / "pyodide" / f).is_file()]
    wheels = tuple(nm / CACHE / "wheels" / w for w in pinned_wheels())
    missing += [str(w.relative_to(nm)) for w in wheels if not w.is_file()]
    if not esbuild_path(nm).is_file():
        missing.append(".bin/esbuild")
    if missing:
        raise RuntimeAssetsMissing(
            f"coursekit: the exercise runtime in {nm} is incomplete (missing: {', '.join(missing)}): {SETUP_HINT}"
        )
    return Runtime(nm, wheels)


def find_runtime(start: Path) -> Runtime:
    """The node_modules folder that holds Pyodide, the pytest wheels and esbuild; or RuntimeAssetsMissing."""
    return _find_runtime(start.resolve())


def esbuild_path(nm: Path) -> Path:
    return nm / ".bin" / "esbuild"


class EsbuildFailed(Exception):
    """esbuild ran and failed, or could not run (its message is the exception's)."""


def esbuild_cached(
    esbuild: Path,
    name: str,
    key: str,
    args: list[str],
    *,
    stdin: str | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    metafile: bool = False,
) -> Path:
    """The output of ``esbuild *args``, made once per ``key`` (a hash of its inputs) and cached
    in node_modules/.cache/coursekit/ as <name>-<key>.js (and .meta.json, with ``metafile``):
    the editor bundle and the quiz bundles both come from here. Builds running at once each
    write a file of their own and move it into place; the name's earlier outputs are removed
    once a new one is in (each change of an input would otherwise leave one behind for good).
    """
    cache = esbuild.parent.parent / CACHE  # node_modules/.bin/esbuild -> node_modules/.cache/coursekit
    stem = f"{name}-{key}"
    out, meta = cache / f"{stem}.js", cache / f"{stem}.meta.json"
    if out.is_file() and (meta.is_file() or not metafile):
        return out
    cache.mkdir(parents=True, exist_ok=True)
    tmp_js, tmp_meta = cache / f"{stem}.{os.getpid()}.tmp.js", cache / f"{stem}.{os.getpid()}.tmp.json"
    command = [str(esbuild), *args, f"--outfile={tmp_js}", *([f"--metafile={tmp_meta}"] if metafile else [])]
    try:
        done = subprocess.run(command, input=stdin, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:  # not executable, built for another platform, stuck
        raise EsbuildFailed(str(exc)) from None
    if done.returncode != 0 or not tmp_js.is_file():
        for path in (tmp_js, tmp_meta):
            path.unlink(missing_ok=True)
        raise EsbuildFailed(done.stderr.strip() or f"esbuild exited with {done.returncode}")
    if metafile:
        tmp_meta.replace(meta)
    tmp_js.replace(out)
    old = re.compile(rf"{re.escape(name)}-[0-9a-f]{{16}}\.(?:js|meta\.json)")
    for path in cache.iterdir():
        if old.fullmatch(path.name) and not path.name.startswith(stem + "."):
            path.unlink(missing_ok=True)
    return out


def editor_bundle(rt: Runtime) -> Path:
    """CodeMirror and its language support in one minified ES module, cached in node_modules.

    Rebuilt (about 0.1 s) when editor.js or the installed packages change.
    """
    entry = ASSETS / "editor.js"
    lock = rt.node_modules / ".package-lock.json"
    key = hashlib.sha256(entry.read_bytes() + (lock.read_bytes() if lock.is_file() else b"")).hexdigest()[:16]
    args = [str(entry), "--bundle", "--format=esm", "--minify", "--target=es2020", "--log-level=warning"]
    try:
        return esbuild_cached(
            esbuild_path(rt.node_modules), "editor", key, args, env={**os.environ, "NODE_PATH": str(rt.node_modules)}
        )
    except EsbuildFailed as exc:
        raise RuntimeAssetsMissing(f"coursekit: bundling the editor failed:\n{exc}\n{SETUP_HINT}") from None


def runtime_snapshot(rt: Runtime) -> Path | None:
    """The booted, warmed-up exercise Python as a gzipped memory snapshot, cached in node_modules.

    Made once per set of inputs (Pyodide, the wheels, boot.mjs, runner.py, snapshot.mjs) by
    running snapshot.mjs in Node, about 10 s. The page restores it instead of booting Python
    and importing pytest. None (with a warning) when Node cannot make it: the page then boots
    Python the slow way, with the same result.
    """
    digest = hashlib.sha256()
    # Pyodide is a pinned npm package: its version and file sizes name it (hashing its 14 MB
    # on every build would cost more than the rest of this step).
    digest.update((rt.pyodide / "package.json").read_bytes())
    for name in PYODIDE_FILES:
        digest.update(f"{name}:{(rt.pyodide / name).stat().st_size}\0".encode())
    for path in (*(ASSETS / n for n in ("snapshot.mjs", "boot.mjs", "runner.py")), *rt.wheels):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    out = rt.node_modules / CACHE / f"python-{digest.hexdigest()[:16]}.snapshot"
    if out.is_file():
        return out
    node = shutil.which("node")
    if node is None:
        log.warning("coursekit: Node.js not found; the site ships no Python snapshot, so a first Check takes longer")
        return None
    log.info("coursekit: making the exercise Python's memory snapshot (once, about 10 s)")
    out.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            node,
            str(ASSETS / "snapshot.mjs"),
            str(rt.pyodide),
            str(ASSETS / "runner.py"),
            str(out),
            *map(str, rt.wheels),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 or not out.is_file():
        log.warning(
            "coursekit: making the Python snapshot failed; the site ships none, so a first Check takes longer:\n%s",
            done.stderr.strip()[-2000:],
        )
        return None
    return out


def copy_if_changed(src: Path, dst: Path) -> None:
    """Put the runtime file ``src`` (Pyodide, the wheels, the snapshot: 27 MB, never changed
    in place) at ``dst``: nothing to do when dst has src's size and modification time (serve
    rebuilds often); else a hard link where the file system allows one, or a copy."""
    if dst.is_file():
        a, b = src.stat(), dst.stat()
        if a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime):
            return
        dst.unlink()
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed
        shutil.copy2(src, dst)
