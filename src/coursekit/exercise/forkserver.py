"""The trusted pytest process, forked from a warm server instead of started cold.

Grading a submission runs the exercise's tests with pytest in a trusted process of its
own (see ``grader``). Starting Python and importing pytest costs about a quarter of a
second of CPU, more than the tests themselves, so a batch would spend most of its time
there. This module keeps one *server* process that has imported pytest, its built-in
plugins and the grading plugin once, and has run one warm-up session of its own (two fixed
tests, never an exercise's); for each submission it forks a fresh child, which runs one
pytest session and exits. No learner code ever runs in the server or its children (the
learner's module runs in its own sandboxed process, started by the child), no exercise's
test runs in the server, and each child is forked from the same server, so nothing
carries over from one submission to the next.

The server is single-threaded (forking a threaded process is unsafe). It reads requests,
one JSON object per line, on stdin and writes one reply line per request on stdout:

    {"id": 7, "cwd": ..., "log": ..., "argv": [...], "plugins": [...], "env": {...}, "seconds": 310}
    {"id": 7, "code": 1}            pytest's exit code (or the child's signal, negated)
    {"id": 7, "timeout": true}      the child ran past "seconds" and was killed, with its group

The server waits for its children (so their CPU time is counted where the grader's
caller looks for it) and, when stdin closes, kills whatever still runs and exits.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from coursekit.exercise import learner_process

READY = "coursekit-forkserver-ready"


# --- the server side -----------------------------------------------------------------


def _preload(plugins: list[str]) -> None:
    """Import what every pytest session needs, once, before the first fork: pytest and the
    plugin modules the client named (the grading plugin; this module imports none)."""
    import _pytest.config

    for name in (*_pytest.config.essential_plugins, *_pytest.config.default_plugins):
        __import__(f"_pytest.{name}")
    import _pytest.assertion.rewrite
    import pytest  # noqa: F401

    modules = [importlib.import_module(name) for name in plugins]
    _warm_up(modules)
    # Everything imported so far is permanent: a child's garbage collections (pytest runs
    # several at the end of a session) then skip it, and do not touch its pages either.
    gc.collect()
    gc.freeze()


_WARM_UP_TESTS = """\
def test_coursekit_warm_up_passes():
    assert [1, 2] == [1, 2]


def test_coursekit_warm_up_fails():
    assert {"a": 1} == {"a": 2}
"""


def _warm_up(plugins: list) -> None:
    """Run one pytest session of the server's own (a passing and a failing test, never an
    exercise's), output discarded: pytest's first session in a process costs about twice
    what later ones do (lazy imports, compiled patterns), and every child inherits the
    difference. pytest removes what a session registers when it ends."""
    import tempfile

    import pytest

    with tempfile.TemporaryDirectory(prefix="coursekit-forkserver-") as tmp:
        Path(tmp, "test_coursekit_warm_up.py").write_text(_WARM_UP_TESTS, encoding="utf-8")
        Path(tmp, "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        saved = os.dup(1), os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
            os.dup2(null, 2)
            pytest.main(
                [
                    "-p",
                    "no:cacheprovider",
                    "-c",
                    f"{tmp}/pytest.ini",
                    "--rootdir",
                    tmp,
                    "--import-mode=importlib",
                    "-q",
                    "--no-header",
                    "--tb=short",
                    f"{tmp}/test_coursekit_warm_up.py",
                ],
                plugins=plugins,
            )
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in (*saved, null):
                os.close(fd)
    for name in [m for m in sys.modules if "test_coursekit_warm_up" in m]:
        del sys.modules[name]


def _child(request: dict, server: int) -> None:
    """In the forked child: become a fresh pytest process for one submission. Never returns."""
    code = 70
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the server
        if os.getppid() != server:
            os._exit(code)
        os.setsid()  # a group of its own: a kill on timeout reaches whatever it started
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.closerange(3, 65536)  # the server's pipes and its other children's pidfds
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.dont_write_bytecode = True
        import pytest

        plugins = [importlib.import_module(name) for name in request.get("plugins", ())]
        code = int(pytest.main(request["argv"], plugins=plugins))
    except BaseException:
        try:
            import traceback

            traceback.print_exc()
        except BaseException:
            pass
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(plugins: list[str]) -> int:
    """The server's loop (``python -m coursekit.exercise.forkserver [PLUGIN-MODULE ...]``)."""
    if not hasattr(os, "pidfd_open"):  # Linux 5.3 and later; the grader then starts cold processes
        print("coursekit: the fork server needs os.pidfd_open (Linux 5.3+)", file=sys.stderr)
        return 3
    _preload(plugins)
    # A child killed on timeout cannot end the learner processes it started (bwrap is in a
    # session of its own, and dies with its parent only asynchronously). As a subreaper the
    # server adopts them and ends them before it replies, so a grading that returns has left
    # no process behind.
    learner_process.become_subreaper()
    out = sys.stdout.buffer
    stdin = sys.stdin.fileno()
    running: dict[int, tuple[int, int, float]] = {}  # pidfd -> (pid, request id, deadline)
    buffer = b""

    def reply(message: dict) -> None:
        out.write(json.dumps(message).encode() + b"\n")
        out.flush()

    def end(fd: int, timed_out: bool) -> None:
        pid, rid, _ = running.pop(fd)
        if timed_out:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        # What it left (after a kill on timeout: its sandboxes) was adopted by us: end it before replying.
        learner_process.reap_children(keep={p for p, _, _ in running.values()})
        reply({"id": rid, "timeout": True} if timed_out else {"id": rid, "code": os.waitstatus_to_exitcode(status)})

    me = os.getpid()
    reply({"ready": READY, "pid": me})
    open_input = True
    while open_input or running:
        now = time.monotonic()
        for fd in [fd for fd, (_, _, deadline) in running.items() if deadline <= now]:
            end(fd, timed_out=True)
        wait = min((d for _, _, d in running.values()), default=now + 60) - now
        readers = [*running, *([stdin] if open_input else [])]
        ready, _, _ = select.select(readers, [], [], max(0.0, wait))
        for fd in ready:
            if fd in running:
                end(fd, timed_out=False)
        if stdin in ready:
            chunk = os.read(stdin, 65536)
            if not chunk:  # the grader is done (or gone): stop everything still running
                open_input = False
                for fd in list(running):
                    end(fd, timed_out=True)
                continue
            buffer += chunk
            while b"\n" in buffer:
                line, _, buffer = buffer.partition(b"\n")
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    _child(request, me)
                running[os.pidfd_open(pid)] = (pid, request["id"], time.monotonic() + float(request["seconds"]))
    return 0


# --- the grader's side ---------------------------------------------------------------


class ForkServerGone(RuntimeError):
    """The server ended or could not start; the caller falls back to a cold process."""


class ForkServer:
    """A handle on one server process, safe to use from many threads at once."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        """``preload``: the plugin modules the children will use, imported and warmed up once."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSEKIT_", "PYTEST_"))}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "coursekit.exercise.forkserver", *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,
            env=env,
            cwd="/",
            start_new_session=True,
        )
        self._lock = threading.Lock()
        self._waiting: dict[int, Future] = {}
        self._next = 0
        self._gone: str | None = None
        first = self.proc.stdout.readline()
        try:
            hello = json.loads(first)
        except ValueError:
            hello = {}
        if hello.get("ready") != READY:
            self.proc.kill()
            self.proc.wait()
            raise ForkServerGone(f"the grading fork server did not start (exit status {self.proc.returncode})")
        self.pid = int(hello["pid"])
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            message = json.loads(line)
            with self._lock:
                future = self._waiting.pop(message["id"], None)
            if future is not None:
                future.set_result(message)
        with self._lock:
            self._gone = f"the grading fork server ended (exit status {self.proc.poll()})"
            waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            future.set_exception(ForkServerGone(self._gone))

    def run(
        self, argv: list[str], plugins: list[str], cwd: Path, log: Path, env: dict[str, str], seconds: float
    ) -> tuple[bool, int | None]:
        """Run ``pytest argv`` with ``plugins`` (module names, imported in the server already)
        in a fresh child, its output into ``log``: (timed out, exit code)."""
        future: Future = Future()
        with self._lock:
            if self._gone:
                raise ForkServerGone(self._gone)
            self._next += 1
            rid = self._next
            self._waiting[rid] = future
            line = (
                json.dumps(
                    {
                        "id": rid,
                        "cwd": str(cwd),
                        "log": str(log),
                        "argv": argv,
                        "plugins": plugins,
                        "env": env,
                        "seconds": seconds,
                    }
                ).encode()
                + b"\n"
            )
            try:
                self.proc.stdin.write(line)
                self.proc.stdin.flush()
            except OSError:
                self._waiting.pop(rid, None)
                self._gone = "the grading fork server is gone"
                raise ForkServerGone(self._gone) from None
        try:  # the server keeps to `seconds` itself; this is for a server that has stopped answering
            message = future.result(timeout=seconds + 30)
        except TimeoutError:
            self.proc.kill()  # its children die with it (parent-death signal); the reader then fails every other waiter
            return True, None
        if message.get("timeout"):
            return True, None
        return False, int(message["code"])

    def alive(self) -> bool:
        return self._gone is None and self.proc.poll() is None

    def close(self) -> None:
        """Stop the server (it kills any child still running) and wait for it."""
        with self._lock:
            if self.proc.stdin and not self.proc.stdin.closed:
                with contextlib.suppress(OSError):
                    self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self._reader.join(timeout=5)

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1:]))
