"""The grading plugin: runs in the trusted pytest process that ``grader.grade`` starts.

Loaded with ``pytest -p coursekit.exercise.plugin`` (or preloaded by the fork server); its
fixtures and hooks do nothing unless ``grade`` has set ``COURSEKIT_GRADING`` (``ENV_KEY``).

The tests' ``learner`` fixture is a ``remote.LearnerProxy`` to the learner's module in its
sandboxed process (``LearnerPool``). The outcome of each test is recorded by this module's
hooks, in the trusted process, into a file the learner cannot reach (read back by
``verdict``).

Per test, the learner's module is imported afresh (as the local ``learner`` fixture
does) in a long-lived learner process, which is replaced after a time limit or a crash.
If the import itself fails, hangs or kills the process, every test fails with that
report at once instead of waiting out each test's time limit.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from coursekit.exercise import learner_process, proxy, remote, sandbox
from coursekit.exercise.sandbox import LearnerSpec

MESSAGE_CHARS = 2000
ENV_KEY = "COURSEKIT_GRADING"  # the staging folder, set by grade() for the trusted pytest run


class LearnerPool:
    """The learner's process for the whole run: started on demand, replaced after a limit
    or a crash, ended (with everything it started) at the end."""

    def __init__(self, spec: LearnerSpec, record) -> None:
        self.spec = spec
        self.limits = spec.limits
        self.record = record
        self.output = learner_process.OutputLog(spec.limits.output_bytes)
        self.process: learner_process.LearnerProcess | None = None
        self.broken: dict | None = None  # a failed import: every later test fails with it
        self.events: list[dict] = []
        self.current = ""  # the test being run, for the event log
        self.deadline = time.monotonic() + max(1.0, spec.limits.grading_seconds - 2)
        self.launches = 0

    # what the fixture uses

    def checkout(self) -> remote.LearnerProxy:
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
        return remote.LearnerProxy(self.ask)

    def ask(self, message: dict) -> dict:
        what = f"calling {message.get('name')}()" if message.get("op") == "call" else "reading the module"
        return self._request(message, what)

    # the learner's process

    def _launch(self) -> None:
        if self.process is not None:
            self._stop(self.process)
        self.launches += 1
        uid = sandbox.learner_uid(self.spec.isolation, self.spec.python)
        self.process = learner_process.LearnerProcess(self.spec, self.output, uid)
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
            detail = (
                f"the learner's process did not start ({type(exc).__name__}, "
                f"{learner_process.describe_exit(status)}): {self.output.excerpt()[-500:]}"
            )
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
            fault = self._fail(
                "timeout",
                f"{what} took longer than {self.limits.call_seconds:g} s "
                "(wall clock); the learner's process was stopped",
                permanent,
            )
        except (EOFError, OSError):
            status = self._stop(process)
            if self.output.overflowed:
                fault = self._fail("output", self._output_detail(), permanent)
            elif status in (-signal.SIGXCPU, 128 + signal.SIGXCPU):
                fault = self._fail(
                    "cpu",
                    f"{what} used more than {self.limits.cpu_seconds} s of CPU time; the learner's process was stopped",
                    permanent,
                )
            else:
                fault = self._fail(
                    "crash",
                    f"the learner's process ended while {what}: {learner_process.describe_exit(status)}",
                    permanent,
                )
        except proxy.ProtocolError as exc:
            self._stop(process)
            fault = self._fail(
                "protocol", f"the learner's process sent a malformed reply while {what}: {exc}", permanent
            )
        raise fault

    def _fail(self, kind: str, detail: str, permanent: bool) -> proxy.LearnerFault:
        self._event(kind, detail)
        if permanent:
            self.broken = {"kind": kind, "detail": detail}
        elif len(self.events) >= self.limits.max_stops:
            self.broken = {
                "kind": kind,
                "detail": f"{detail} (stopped {len(self.events)} times: the remaining tests fail without running)",
            }
        return _fault({"kind": kind, "detail": detail})

    def _output_detail(self) -> str:
        return (
            f"the learner's code printed more than {self.limits.output_bytes} bytes "
            "(the output limit); its process was stopped"
        )

    def _event(self, kind: str, detail: str) -> None:
        self.events.append({"kind": kind, "test": self.current, "detail": detail})

    @staticmethod
    def _stop(process: learner_process.LearnerProcess) -> int | None:
        status = process.stop()
        # This process exists only to run the tests, and is a subreaper: any child left
        # now is something the submission started (a daemon without bwrap), so it goes.
        learner_process.reap_children()
        return status

    def close(self) -> None:
        if self.process is not None:
            self._stop(self.process)
        learner_process.reap_children()
        if self.output.overflowed and not any(e["kind"] == "output" for e in self.events):
            self._event("output", self._output_detail())
        self.record(
            {
                "kind": "sandbox",
                "events": self.events,
                "output": self.output.excerpt(),
                "output_bytes": self.output.total,
                "launches": self.launches,
                "isolation": self.spec.isolation,
            }
        )


def _fault(broken: dict) -> BaseException:
    """A fresh exception for a recorded failure (an exception object is raised only once)."""
    if broken["kind"] == "import":
        exc = remote.learner_exception(broken["report"])
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
    learner_process.become_subreaper()
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
    seen = _state["recorder"].reports.setdefault(report.nodeid, {"outcome": "passed", "message": "", "seconds": 0.0})
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
def learner(exercise_dir: Path, monkeypatch: pytest.MonkeyPatch) -> remote.LearnerProxy:
    """The learner's module, as a proxy to its sandboxed process (see the module docstring)."""
    if not _state:
        pytest.fail("the grading plugin is not configured (coursekit.exercise.grader.grade sets it up)")
    monkeypatch.chdir(exercise_dir)
    return _state["pool"].checkout()
