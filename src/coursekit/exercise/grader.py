"""Grade a submission for an instructor: a verdict that hostile learner code cannot forge.

``grade(exercise, learner_file)`` runs the exercise's public and hidden tests with pytest
in a trusted child process that never imports the learner's code. The tests' ``learner``
fixture is a ``proxy.LearnerProxy``: each call travels as JSON to the learner's module,
which runs in a separate sandboxed process (``sandbox``), and only plain values come back.
The outcome of each test is recorded by this module's pytest hooks, in the trusted
process, into a file the learner cannot reach; nothing the learner prints is parsed.

This module is also that pytest plugin (``pytest -p coursekit.exercise.grader``); its
fixtures and hooks do nothing unless ``grade`` has set ``COURSEKIT_GRADING``.

The trusted process is forked, fresh for each submission, from a server that has imported
pytest and this plugin once (``forkserver``); where that server cannot run, it is started
cold with ``python -m pytest``. Either way it runs the same pytest session.

Per test, the learner's module is imported afresh (as the local ``learner`` fixture
does) in a long-lived learner process, which is replaced after a time limit or a crash.
If the import itself fails, hangs or kills the process, every test fails with that
report at once instead of waiting out each test's time limit.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Sequence

import pytest

from coursekit.exercise import forkserver, proxy, sandbox
from coursekit.exercise.sandbox import Isolation, LearnerSpec, Limits

if TYPE_CHECKING:  # the trusted pytest process loads this module as a plugin: keep it light
    from coursekit.content.catalog import LoadedExercise

MAX_SOURCE_BYTES = 1024 * 1024
MESSAGE_CHARS = 2000
ENV_KEY = "COURSEKIT_GRADING"  # the staging folder, set by grade() for the trusted pytest run

Status = Literal["passed", "failed", "error", "timeout"]
Outcome = Literal["passed", "failed", "error", "skipped"]


@dataclass(frozen=True)
class TestOutcome:
    """One test's result, as the trusted pytest process saw it."""

    __test__ = False  # not a pytest test class, despite the name

    name: str  # pytest node id, e.g. "test_add_up.py::test_add"
    outcome: Outcome
    message: str = ""  # the assertion or error message for a test that did not pass
    hidden: bool = False  # from one of the exercise's hidden test files
    seconds: float = 0.0


@dataclass(frozen=True)
class Verdict:
    """The grade of one submission for one exercise."""

    exercise: str
    status: Status  # passed: every test passed; failed: some did not; timeout: a time
    # limit was hit; error: the submission broke a hard limit or grading itself failed
    tests: tuple[TestOutcome, ...]
    passed: int
    total: int
    score: Fraction  # passed / total, exact (0 when there are no tests)
    reason: str  # one line for a person: why this status
    sandbox: Isolation  # "bwrap", or "rlimits" when only resource limits confined the code
    warnings: tuple[str, ...] = ()
    output: str = ""  # an excerpt of what the learner's code printed
    output_bytes: int = 0  # how much it printed in all
    seconds: float = 0.0  # wall time of the whole grading

    def to_dict(self) -> dict:
        data = asdict(self)
        data["score"] = f"{self.score.numerator}/{self.score.denominator}"
        data["tests"] = [asdict(t) for t in self.tests]
        return data


# --- grading --------------------------------------------------------------------------


def grade(exercise: LoadedExercise, learner_file: Path, limits: Limits = Limits(), *,
          isolation: Literal["auto", "bwrap", "rlimits"] = "auto",
          hide: Sequence[Path] = (), hidden_tests: bool = True) -> Verdict:
    """Run the exercise's tests (public, and hidden unless ``hidden_tests=False``) against
    ``learner_file`` with its code confined, and return the verdict.

    ``isolation``: "auto" uses bubblewrap when it works and falls back to resource
    limits with a warning on stderr and in the verdict; "bwrap" raises
    ``sandbox.SandboxUnavailable`` instead of falling back. ``hide``: more folders the
    learner must not read (other submissions, the instructor's files); the course, the
    exercise and the submission's own folder are always hidden.
    """
    started = time.monotonic()
    chosen, warning = sandbox.choose_isolation(isolation, sys.executable)
    warnings = (warning,) if warning else ()
    if warning:
        print(f"coursekit: {warning}", file=sys.stderr)

    def early(reason: str) -> Verdict:
        return Verdict(exercise.id, "error", (), 0, 0, Fraction(0), reason, chosen, warnings,
                       seconds=time.monotonic() - started)

    source = _read_submission(learner_file)
    if isinstance(source, str):
        return early(source)
    staging = Path(tempfile.mkdtemp(prefix="coursekit-grading-"))
    try:
        test_files = [*exercise.model.files.tests, *(exercise.model.files.hidden_tests if hidden_tests else [])]
        spec = _stage(exercise, learner_file, source, staging, test_files, chosen, limits, hide)
        (staging / "spec.json").write_text(spec.to_json(), encoding="utf-8")
        timed_out, code = _run_pytest(staging, test_files, limits)
        records = _read_records(staging / "results.jsonl")
        log = (staging / "pytest.log").read_text(encoding="utf-8", errors="replace")
        return _verdict(exercise, records, set(exercise.model.files.hidden_tests), chosen, warnings,
                        timed_out, code, log, limits, time.monotonic() - started)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _read_submission(path: Path) -> bytes | str:
    """The submission's bytes, or why it cannot be graded.

    Opened with O_NOFOLLOW and checked on the open file: a submission that is a symlink
    would have us (perhaps as root) read its target and show it back in an error message,
    /etc/shadow as a SyntaxError.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if path.is_symlink():
            return f"{path.name}: the submission is a symbolic link, not a file"
        return f"{path}: the submission cannot be read ({exc.strerror})"
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return f"{path}: the submission is not a regular file"
        data = f.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        return f"{path.name}: the submission is larger than {MAX_SOURCE_BYTES} bytes"
    return data


def _stage(exercise: LoadedExercise, learner_file: Path, source: bytes, staging: Path, test_files: list[str],
           isolation: Isolation, limits: Limits, hide: Sequence[Path]) -> LearnerSpec:
    """Copy what each side may see into a private folder: the learner's side gets its file
    and the data; the tests' side gets the tests and the data."""
    files = exercise.model.files
    learner_dir, tests_dir = staging / "learner", staging / "tests"
    (learner_dir / files.starter).parent.mkdir(parents=True, exist_ok=True)
    (learner_dir / files.starter).write_bytes(source)
    (learner_dir / files.starter).chmod(0o644)
    copies = [(learner_dir / d, exercise.dir / d) for d in files.data]
    copies += [(tests_dir / t, exercise.dir / t) for t in test_files]
    copies += [(tests_dir / d, exercise.dir / d) for d in files.data]
    for target, source in copies:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        target.chmod(0o644)  # bound read-only into the sandbox, read there by an unprivileged uid
    (tests_dir / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    hidden = {exercise.dir, exercise.dir.parent, learner_file.resolve().parent, staging, *map(Path, hide)}
    try:
        from coursekit.content.catalog import find_root

        hidden.add(find_root(exercise.dir))
    except FileNotFoundError:
        pass
    return LearnerSpec(
        module=files.starter,
        files=tuple((rel, str(learner_dir / rel)) for rel in (files.starter, *files.data)),
        isolation=isolation, limits=limits, hide=tuple(sorted(str(h) for h in hidden)))


def _run_pytest(staging: Path, test_files: list[str], limits: Limits) -> tuple[bool, int | None]:
    tests_dir = staging / "tests"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSEKIT_", "PYTEST_"))}
    env |= {ENV_KEY: str(staging), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    args = ["-p", "no:cacheprovider",
            "-c", str(tests_dir / "pytest.ini"), "--rootdir", str(tests_dir), "--confcutdir", str(tests_dir),
            "--import-mode=importlib", "-q", "--no-header", "--tb=short", *test_files]
    # The plugin keeps to grading_seconds itself; this outer limit is for tests that hang in
    # the trusted process. Learner processes die with it (bwrap's --die-with-parent, or the
    # agent's parent-death signal without bwrap).
    seconds = limits.grading_seconds + min(10.0, limits.grading_seconds)
    server = shared_fork_server()
    if server is not None:
        try:
            return server.run(args, [__name__], tests_dir, staging / "pytest.log", env, seconds)
        except forkserver.ForkServerGone as exc:
            _warn_once(f"{exc}; grading goes on with a new Python process per submission")
    argv = [sys.executable, "-m", "pytest", "-p", __name__, *args]
    with open(staging / "pytest.log", "wb") as log:
        proc = subprocess.Popen(argv, cwd=tests_dir, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return False, proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True, None


# --- the trusted processes' fork server (see forkserver) ------------------------------

_server: forkserver.ForkServer | None = None
_server_lock = threading.Lock()
_server_failed = False
_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"coursekit: {message}", file=sys.stderr)


def shared_fork_server() -> forkserver.ForkServer | None:
    """The process's fork server for trusted pytest runs, started on first use (and again
    if it has died); None, after one warning, where it cannot run at all."""
    global _server, _server_failed
    with _server_lock:
        if _server is not None and _server.alive():
            return _server
        if _server_failed:
            return None
        if _server is not None:
            _server.close()
        try:
            _server = forkserver.ForkServer(preload=(__name__,))  # this module is the children's plugin
        except (forkserver.ForkServerGone, OSError) as exc:
            _server, _server_failed = None, True
            _warn_once(f"{exc}; grading goes on with a new Python process per submission")
            return None
        return _server


def stop_fork_server() -> None:
    """Stop the shared fork server and wait for it (a batch calls this when it is done, so
    no process outlives it and the CPU time of every test run is counted as its own)."""
    global _server
    with _server_lock:
        server, _server = _server, None
    if server is not None:
        server.close()


atexit.register(stop_fork_server)


def _read_records(path: Path) -> list[dict]:
    records = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue  # a line cut short by a kill
    return records


def _verdict(exercise: LoadedExercise, records: list[dict], hidden_files: set[str], isolation: Isolation,
             warnings: tuple[str, ...], timed_out: bool, code: int | None, log: str, limits: Limits,
             seconds: float) -> Verdict:
    collected: list[str] = []
    results: dict[str, TestOutcome] = {}
    collect_errors: list[str] = []
    summary: dict = {}
    for r in records:
        kind = r.get("kind")
        if kind == "collected":
            collected = r["names"]
        elif kind == "test":
            name = r["name"]
            results[name] = TestOutcome(name, r["outcome"], r["message"],
                                        name.split("::")[0] in hidden_files, r["seconds"])
        elif kind == "collect-error":
            collect_errors.append(f"{r['name']}: {r['message']}")
        elif kind == "sandbox":
            summary = r
    names = collected or list(results)
    tests = tuple(results.get(n) or TestOutcome(n, "error", "not run: the grading was stopped",
                                                n.split("::")[0] in hidden_files) for n in names)
    passed = sum(t.outcome == "passed" for t in tests)
    total = len(tests)
    events = summary.get("events", [])
    kinds = {e["kind"] for e in events}

    if timed_out:
        status = "timeout"
        reason = f"the grading run took longer than {limits.grading_seconds:g} s and was stopped"
    elif collect_errors:
        status, reason = "error", "the tests could not be collected: " + "; ".join(collect_errors)
    elif total == 0 or code in (2, 3, 4) or not summary:
        tail = log.strip().splitlines()[-5:]
        status, reason = "error", f"the grading run failed (pytest exit code {code}): " + " | ".join(tail)
    elif "output" in kinds:
        status, reason = "error", next(e["detail"] for e in events if e["kind"] == "output")
    elif kinds & {"timeout", "cpu"}:
        status, reason = "timeout", next(e["detail"] for e in events if e["kind"] in ("timeout", "cpu"))
    elif passed == total:
        status, reason = "passed", f"all {total} tests passed"
    else:
        first = next(t for t in tests if t.outcome != "passed")
        why = first.message.splitlines()[0] if first.message else first.outcome
        status, reason = "failed", f"{passed} of {total} tests passed; {first.name}: {why}"
    return Verdict(exercise.id, status, tests, passed, total, Fraction(passed, total) if total else Fraction(0),
                   reason, isolation, warnings, summary.get("output", ""), summary.get("output_bytes", 0), seconds)


# --- the pytest plugin: runs in the trusted process ----------------------------------


class LearnerPool:
    """The learner's process for the whole run: started on demand, replaced after a limit
    or a crash, ended (with everything it started) at the end."""

    def __init__(self, spec: LearnerSpec, record) -> None:
        self.spec = spec
        self.limits = spec.limits
        self.record = record
        self.output = sandbox.OutputLog(spec.limits.output_bytes)
        self.process: sandbox.LearnerProcess | None = None
        self.broken: dict | None = None  # a failed import: every later test fails with it
        self.events: list[dict] = []
        self.current = ""  # the test being run, for the event log
        self.deadline = time.monotonic() + max(1.0, spec.limits.grading_seconds - 2)
        self.launches = 0

    # what the fixture uses

    def checkout(self) -> proxy.LearnerProxy:
        if self.broken is not None:
            raise _fault(self.broken)
        if self.output.overflowed:
            raise proxy.LearnerGone(self._output_detail())
        if self.process is None or not self.process.alive():
            self._launch()
        reply = self._request({"op": "load"}, "importing the learner's module", permanent=True)
        if not reply.get("ok"):
            report = reply.get("error") if isinstance(reply.get("error"), dict) else {}
            self.broken = {"kind": "import", "report": report}
            raise _fault(self.broken)
        return proxy.LearnerProxy(self.ask)

    def ask(self, message: dict) -> dict:
        what = f"calling {message.get('name')}()" if message.get("op") == "call" else "reading the module"
        return self._request(message, what)

    # the learner's process

    def _launch(self) -> None:
        if self.process is not None:
            self._stop(self.process)
        self.launches += 1
        uid = sandbox.learner_uid(self.spec.isolation, self.spec.python)
        self.process = sandbox.LearnerProcess(self.spec, self.output, uid)
        try:
            self.process.start()
        except OSError as exc:
            detail = f"the learner's process could not be started: {exc}"
            self._event("start", detail)
            self.broken = {"kind": "start", "detail": detail}
            raise proxy.LearnerGone(detail) from None
        try:  # the agent says "ready" once it is confined; bwrap setup errors land in the output
            self.process.conn.read(time.monotonic() + max(10.0, self.limits.call_seconds))
        except (TimeoutError, EOFError, OSError, proxy.ProtocolError) as exc:
            status = self._stop(self.process)
            detail = (f"the learner's process did not start ({type(exc).__name__}, "
                      f"{sandbox.describe_exit(status)}): {self.output.excerpt()[-500:]}")
            self._event("start", detail)
            self.broken = {"kind": "start", "detail": detail}
            raise proxy.LearnerGone(detail) from None

    def _request(self, message: dict, what: str, permanent: bool = False) -> dict:
        process = self.process
        if process is None or not process.alive():
            raise proxy.LearnerGone("the learner's process is no longer running")
        now = time.monotonic()
        if now >= self.deadline:
            raise proxy.LearnerTimeout("the time for the whole grading run is used up")
        deadline = min(now + self.limits.call_seconds, self.deadline)
        try:
            return process.conn.request(message, deadline)
        except TimeoutError:
            self._stop(process)
            fault = self._fail("timeout", f"{what} took longer than {self.limits.call_seconds:g} s "
                                          "(wall clock); the learner's process was stopped", permanent)
        except (EOFError, OSError):
            status = self._stop(process)
            if self.output.overflowed:
                fault = self._fail("output", self._output_detail(), permanent)
            elif status in (-signal.SIGXCPU, 128 + signal.SIGXCPU):
                fault = self._fail("cpu", f"{what} used more than {self.limits.cpu_seconds} s of CPU time; "
                                          "the learner's process was stopped", permanent)
            else:
                fault = self._fail("crash", f"the learner's process ended while {what}: "
                                            f"{sandbox.describe_exit(status)}", permanent)
        except proxy.ProtocolError as exc:
            self._stop(process)
            fault = self._fail("protocol", f"the learner's process sent a malformed reply while {what}: {exc}",
                               permanent)
        raise fault

    def _fail(self, kind: str, detail: str, permanent: bool) -> proxy.LearnerFault:
        self._event(kind, detail)
        if permanent:
            self.broken = {"kind": kind, "detail": detail}
        elif len(self.events) >= self.limits.max_stops:
            self.broken = {"kind": kind, "detail": f"{detail} (stopped {len(self.events)} times: "
                                                   "the remaining tests fail without running)"}
        return _fault({"kind": kind, "detail": detail})

    def _output_detail(self) -> str:
        return (f"the learner's code printed more than {self.limits.output_bytes} bytes "
                "(the output limit); its process was stopped")

    def _event(self, kind: str, detail: str) -> None:
        self.events.append({"kind": kind, "test": self.current, "detail": detail})

    @staticmethod
    def _stop(process: sandbox.LearnerProcess) -> int | None:
        status = process.stop()
        # This process exists only to run the tests, and is a subreaper: any child left
        # now is something the submission started (a daemon without bwrap), so it goes.
        sandbox.reap_children()
        return status

    def close(self) -> None:
        if self.process is not None:
            self._stop(self.process)
        sandbox.reap_children()
        if self.output.overflowed and not any(e["kind"] == "output" for e in self.events):
            self._event("output", self._output_detail())
        self.record({"kind": "sandbox", "events": self.events, "output": self.output.excerpt(),
                     "output_bytes": self.output.total, "launches": self.launches,
                     "isolation": self.spec.isolation})


def _fault(broken: dict) -> BaseException:
    """A fresh exception for a recorded failure (an exception object is raised only once)."""
    if broken["kind"] == "import":
        exc = proxy.learner_exception(broken["report"])
        exc.add_note("(importing the learner's module failed, so every test fails)")
        return exc
    cls = proxy.LearnerTimeout if broken["kind"] in ("timeout", "cpu") else proxy.LearnerGone
    return cls(broken["detail"])


class _Recorder:
    """Writes the run's results, one JSON object per line, flushed as they happen (so a
    run killed half-way still leaves what it knew)."""

    def __init__(self, path: Path) -> None:
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
        self.reports: dict[str, dict] = {}

    def __call__(self, record: dict) -> None:
        self.file.write(json.dumps(record) + "\n")
        self.file.flush()


_state: dict = {}


def pytest_configure(config: pytest.Config) -> None:
    staging = os.environ.get(ENV_KEY)
    if not staging:
        return
    spec = LearnerSpec.from_json(Path(staging, "spec.json").read_text(encoding="utf-8"))
    recorder = _Recorder(Path(staging) / "results.jsonl")
    sandbox.become_subreaper()
    _state.update(recorder=recorder, pool=LearnerPool(spec, recorder))


def pytest_collection_finish(session: pytest.Session) -> None:
    if _state:
        _state["recorder"]({"kind": "collected", "names": [item.nodeid for item in session.items]})


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if _state and report.failed:
        _state["recorder"]({"kind": "collect-error", "name": report.nodeid, "message": _message(report)})


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _state:
        _state["pool"].current = item.nodeid


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not _state:
        return
    seen = _state["recorder"].reports.setdefault(report.nodeid,
                                                 {"outcome": "passed", "message": "", "seconds": 0.0})
    seen["seconds"] += report.duration
    if seen["outcome"] == "passed":
        if report.failed:
            seen["outcome"] = "failed" if report.when == "call" else "error"
            seen["message"] = _message(report)
        elif report.skipped:
            seen["outcome"], seen["message"] = "skipped", _message(report)
    if report.when == "teardown":
        _state["recorder"]({"kind": "test", "name": report.nodeid, **seen})


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _state:
        _state["pool"].close()
        _state["recorder"].file.close()


def _message(report) -> str:
    longrepr = report.longrepr
    if longrepr is None:
        return ""
    if isinstance(longrepr, tuple):  # a skip: (file, line, reason)
        return str(longrepr[2])[:MESSAGE_CHARS]
    crash = getattr(longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(longrepr)
    return text.removeprefix("Failed: ")[:MESSAGE_CHARS]  # pytest.fail's prefix says nothing here


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # A LearnerFault is a BaseException (so no test can catch it), which pytest's fixture
    # machinery does not expect: it would leave the fixture half set up and break the
    # next test. Turn one that escapes a fixture into an ordinary pytest failure.
    try:
        return (yield)
    except proxy.LearnerFault as fault:
        failed = pytest.fail.Exception(_describe(fault), pytrace=False)
        fixturedef.cached_result = (None, fixturedef.cache_key(request), (failed, None))
        raise failed from None


def _describe(fault: BaseException) -> str:
    return "\n".join([f"{type(fault).__name__}: {fault}", *getattr(fault, "__notes__", [])])


@pytest.fixture
def exercise_dir(request: pytest.FixtureRequest) -> Path:
    return Path(request.path).parent


@pytest.fixture
def learner(exercise_dir: Path, monkeypatch: pytest.MonkeyPatch) -> proxy.LearnerProxy:
    """The learner's module, as a proxy to its sandboxed process (see the module docstring)."""
    if not _state:
        pytest.fail("the grading plugin is not configured (coursekit.exercise.grader.grade sets it up)")
    monkeypatch.chdir(exercise_dir)
    return _state["pool"].checkout()
