"""Runs a learner's code, or an exercise's public tests with real pytest, in the page's Python.

The exercise worker (worker.mjs) loads this file into Pyodide once, as module
``coursekit_runner``; the test suite imports it in CPython too, to prove that its
verdicts are the ones `pytest` gives on a laptop.

Every call starts from a fresh namespace: modules imported from the exercises folder (the
learner's file, test modules, conftest) are dropped before and after, and the script runs
with new globals, so one exercise's state never leaks into the next.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import linecache
import os
import runpy
import sys
import traceback

HOME = os.getcwd()


def forget(root: str) -> None:
    """Drop every module loaded from under ``root``, and the names the fixtures use."""
    prefix = os.path.abspath(root) + os.sep
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if name in ("learner", "conftest") or (path and os.path.abspath(path).startswith(prefix)):
            sys.modules.pop(name, None)
    for entry in list(sys.path_importer_cache):  # not importlib.invalidate_caches(): it rereads the stdlib zip
        if isinstance(entry, str) and (entry + os.sep).startswith(prefix):
            del sys.path_importer_cache[entry]
    linecache.clearcache()  # tracebacks must quote the code as it is now, not as it was


def fresh_source(path: str) -> None:
    """Drop the cached bytecode of a file just rewritten: a .pyc is validated by the source's
    modification time in whole seconds and its size, so an edit within the same second that
    keeps the size would otherwise run the old code."""
    with contextlib.suppress(OSError, NotImplementedError, ValueError):
        os.remove(importlib.util.cache_from_source(path))


def _learner_frames(tb, folder: str):
    """Skip the frames of this runner (runpy, ...) so a traceback starts in the learner's code."""
    prefix = os.path.abspath(folder) + os.sep
    # co_filename is not always a path ("<frozen runpy>"): never resolve it against the cwd.
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith(prefix):
        tb = tb.tb_next
    return tb


def run_script(folder: str, filename: str, root: str | None = None) -> int:
    """Run ``folder/filename`` as ``__main__`` with ``folder`` as working directory.

    Returns the exit status as Python would give it: 0, the ``sys.exit`` code, or 1 after
    an uncaught exception (whose traceback goes to stderr).
    """
    forget(root or folder)
    os.chdir(folder)
    sys.path.insert(0, folder)
    try:
        runpy.run_path(os.path.join(folder, filename), run_name="__main__")
        return 0
    except SystemExit as e:
        code = e.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    except BaseException as e:  # the learner's error, reported as Python would
        tb = _learner_frames(e.__traceback__, folder)
        sys.stderr.write("".join(traceback.format_exception(type(e), e, tb)))
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        if folder in sys.path:
            sys.path.remove(folder)
        os.chdir(HOME)
        forget(root or folder)


def _message(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None and getattr(crash, "message", None):
        return crash.message
    return str(report.longrepr or "")


class _Collector:
    """A pytest plugin that records one verdict per test, as the terminal summary would."""

    def __init__(self, emit=None) -> None:
        self.emit = emit
        self.results: list[dict] = []
        self._open: dict[str, dict] = {}

    def pytest_configure(self, config) -> None:
        # pytest ends each session with a full gc.collect() to find unraisable exceptions
        # (about 50 ms in the page, on every Check); the worker's interpreter lives on, so
        # skip it. Failures and errors are unaffected.
        try:
            from _pytest.unraisableexception import gc_collect_iterations_key
        except ImportError:
            return
        config.stash[gc_collect_iterations_key] = 0

    def _finish(self, entry: dict) -> None:
        self.results.append(entry)
        if self.emit is not None:
            self.emit(json.dumps(entry))

    def pytest_keyboard_interrupt(self, excinfo) -> None:
        # The learner fixture stops the session when the learner's file does not import: one
        # verdict for the file, instead of the same error once per test.
        message = str(getattr(excinfo.value, "msg", "") or "")
        if message.startswith("Your file does not run"):
            first, _, rest = message.partition("\n")
            self._open.clear()
            self._finish(
                {
                    "nodeid": "(your file)",
                    "name": "your file",
                    "outcome": "error",
                    "when": "import",
                    "message": rest.splitlines()[0] if rest else first,
                    "details": rest or first,
                }
            )

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self._finish(
                {
                    "nodeid": report.nodeid or "(collection)",
                    "name": report.nodeid or "collection",
                    "outcome": "error",
                    "when": "collect",
                    "message": _message(report),
                    "details": report.longreprtext,
                }
            )

    def pytest_runtest_logreport(self, report) -> None:
        entry = self._open.setdefault(
            report.nodeid,
            {
                "nodeid": report.nodeid,
                "name": report.nodeid.rpartition("::")[2],
                "outcome": "passed",
                "when": "call",
                "message": "",
                "details": "",
            },
        )
        if report.skipped and entry["outcome"] == "passed":
            entry.update(outcome="skipped", when=report.when, message=_message(report))
        elif report.failed and entry["outcome"] in ("passed", "skipped"):
            # A failure in the test itself is "failed"; in its fixtures (setup, teardown) pytest
            # reports an "error" (and so do we).
            entry.update(
                outcome="failed" if report.when == "call" else "error",
                when=report.when,
                message=_message(report),
                details=report.longreprtext,
            )
        if report.when == "teardown":
            self._finish(self._open.pop(report.nodeid))


PYTEST_ARGS = ["-q", "-p", "no:cacheprovider", "--color=no"]


def run_tests(folder: str, tests: list[str], emit=None, root: str | None = None) -> str:
    """Run the public tests in ``folder`` with pytest; return the verdicts as JSON.

    ``emit`` (optional) receives each test's verdict as JSON as soon as it is known.
    """
    import pytest

    forget(root or folder)
    collector = _Collector(emit)
    os.chdir(folder)
    try:
        code = pytest.main([*PYTEST_ARGS, "--rootdir", folder, *tests], plugins=[collector])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.chdir(HOME)
        forget(root or folder)
    counts: dict[str, int] = {}
    for r in collector.results:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    return json.dumps({"exit_code": int(code), "results": collector.results, "counts": counts})
