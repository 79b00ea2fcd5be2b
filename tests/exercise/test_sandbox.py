"""The grading sandbox against hostile submissions (the red-team suite of issue 4).

Every file in tests/exercise/hostile/ is graded for real, with real processes and real
bubblewrap, against the add-up fixture exercise (tests/fixtures/grading/), with small
limits. Each hostile submission must end in a failing, bounded, reported verdict with the
machine unharmed; the honest one in the same batch must get full marks. Controls run a
few attacks unconfined, to show that they are real and that the checks would notice.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from coursekit.content.catalog import LoadedExercise
from coursekit.content.loader import load_model
from coursekit.content.models import Exercise
from coursekit.exercise import proxy, remote, sandbox
from coursekit.exercise.grader import grade
from coursekit.exercise.sandbox import Limits, MiB
from coursekit.exercise.trusted_server import shared_fork_server, stop_fork_server
from coursekit.exercise.verdict import Verdict

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile"
FIXTURE = HERE.parent / "fixtures" / "grading" / "exercises" / "add-up"
LIMITS = Limits(
    cpu_seconds=1,
    call_seconds=1.5,
    grading_seconds=30,
    memory_bytes=256 * MiB,
    processes=8,
    output_bytes=64 * 1024,
    file_bytes=1 * MiB,
    scratch_bytes=8 * MiB,
    max_stops=2,
)
BOUND = 15.0  # seconds: any one grading must end well within this
AGENT_MARKS = (b"/.coursekit/agent.py", b".coursekit-agent.py")  # on every learner process's command line


def load_exercise(folder: Path) -> LoadedExercise:
    loaded = load_model(Exercise, folder / "exercise.yml")
    assert not loaded.errors, loaded.errors
    return LoadedExercise(folder.name, folder, loaded.model, loaded.pos)


EXERCISE = load_exercise(FIXTURE)


def require_bwrap() -> None:
    problem = sandbox.bwrap_problem()
    if problem:
        pytest.fail(f"these tests need a working bubblewrap: {problem}")


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def processes_with(marks: tuple[bytes, ...]) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if any(m in cmdline for m in marks):
            found.append((int(entry.name), cmdline.replace(b"\0", b" ").decode(errors="replace")))
    return found


@dataclass
class Arena:
    """The world around one grading: things outside the sandbox that must stay untouched."""

    root: Path
    canary: Path
    submissions: Path
    marker: Path
    token: str
    listener: socket.socket
    udp: socket.socket

    @property
    def port(self) -> int:
        return self.listener.getsockname()[1]

    def submission(self, name: str, fixture: Path = FIXTURE) -> Path:
        text = (HOSTILE / f"{name}.py").read_text(encoding="utf-8")
        for key, value in {
            "__FIXTURE__": str(fixture),
            "__CANARY__": str(self.canary),
            "__SUBMISSIONS__": str(self.submissions),
            "__PORT__": str(self.port),
            "__MARKER__": str(self.marker),
            "__TOKEN__": self.token,
        }.items():
            text = text.replace(key, value)
        path = self.submissions / f"{name}.py"
        path.write_text(text, encoding="utf-8")
        return path

    def connections(self, wait: float = 0.2) -> list[bytes]:
        """Whatever reached the listeners (TCP connections, UDP datagrams)."""
        got = []
        deadline = time.monotonic() + wait
        self.listener.settimeout(0.05)
        self.udp.settimeout(0.05)
        while time.monotonic() < deadline:
            try:
                conn, _ = self.listener.accept()
                conn.settimeout(0.5)
                try:
                    got.append(conn.recv(1024) or b"<connected>")
                except OSError:
                    got.append(b"<connected>")
                conn.close()
            except (TimeoutError, BlockingIOError):
                pass
            with contextlib.suppress(TimeoutError, BlockingIOError):
                got.append(self.udp.recv(1024))
        return got


@pytest.fixture
def arena(tmp_path: Path):
    canary = tmp_path / "canary.txt"
    canary.write_text("still here\n", encoding="utf-8")
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    (submissions / "someone-else.py").write_text("def add(a, b):\n    return a + b\n", encoding="utf-8")
    listener = socket.create_server(("127.0.0.1", 0))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", listener.getsockname()[1]))
    token = f"coursekit-survivor-{os.getpid()}-{time.monotonic_ns()}"
    yield Arena(tmp_path, canary, submissions, tmp_path / "marker.txt", token, listener, udp)
    listener.close()
    udp.close()
    for pid, _ in processes_with((token.encode(), *AGENT_MARKS)):  # never leave one behind, pass or fail
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def graded(arena: Arena, name: str, isolation: str = "bwrap") -> tuple[Verdict, float]:
    before = fingerprint(FIXTURE)
    started = time.monotonic()
    verdict = grade(EXERCISE, arena.submission(name), LIMITS, isolation=isolation)
    elapsed = time.monotonic() - started
    # bounded, reported, machine unharmed: checked for every submission
    assert elapsed < BOUND, f"{name}: grading took {elapsed:.1f} s"
    assert verdict.sandbox == isolation
    assert verdict.total == 4, verdict
    assert verdict.reason
    assert verdict.score == Fraction(verdict.passed, verdict.total)
    assert arena.canary.read_text(encoding="utf-8") == "still here\n", f"{name}: the canary was changed"
    assert (arena.submissions / "someone-else.py").is_file(), f"{name}: another submission was deleted"
    assert fingerprint(FIXTURE) == before, f"{name}: the exercise's files were changed"
    assert not processes_with(AGENT_MARKS), f"{name}: learner processes outlived grading"
    return verdict, elapsed


def messages(verdict: Verdict) -> str:
    return "\n".join(t.message for t in verdict.tests)


# --- what each hostile submission must come to --------------------------------------------


def check_correct(v: Verdict, arena: Arena) -> None:
    assert v.status == "passed", v
    assert (v.passed, v.total, v.score) == (4, 4, Fraction(1))
    assert [t.hidden for t in v.tests] == [False, False, False, True]


def check_infinite_loop(v: Verdict, arena: Arena) -> None:
    assert v.status == "timeout", v
    assert "CPU time" in v.reason or "wall clock" in v.reason


def check_sigterm_ignored(v: Verdict, arena: Arena) -> None:
    assert v.status == "timeout", v
    assert "wall clock" in v.reason  # asleep, so not the CPU limit: SIGKILL ended it


def check_memory_bomb(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v
    assert v.passed == 0
    assert "MemoryError" in messages(v) or "ended" in messages(v)


def check_fork_bomb(v: Verdict, arena: Arena) -> None:
    assert v.status == "timeout", v
    assert v.passed == 0


def check_exit_at_import(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v
    assert all(t.outcome == "error" and "SystemExit" in t.message for t in v.tests), v.tests


def check_os_exit_at_import(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v
    assert all(t.outcome == "error" and "exited with status 0" in t.message for t in v.tests), v.tests


def check_monkeypatch_pytest(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v
    assert v.passed == 0
    assert "assert -1 == 4" in messages(v)  # the rigged int arrived as a plain -1


def check_rigged_equality(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v
    assert v.passed == 0
    assert "assert -1 == 4" in messages(v)
    assert "cannot be sent" in messages(v)  # the AlwaysEqual object never crossed


def check_read_secrets(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v
    assert v.passed == 0
    assert "FOUND" not in v.output and "LEAKED" not in v.output, v.output
    assert "SECRET_EXPECTED" not in v.output


def check_fake_verdict(v: Verdict, arena: Arena) -> None:
    assert v.status != "passed", v
    assert v.passed < v.total
    assert "4 passed" in v.output  # it printed a passing summary; nobody read it as a verdict


def check_output_flood(v: Verdict, arena: Arena) -> None:
    assert v.status == "error", v
    assert "output limit" in v.reason
    assert LIMITS.output_bytes < v.output_bytes < 10 * LIMITS.output_bytes + 4 * MiB
    assert len(v.output) < 20_000


def check_delete_outside(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v
    assert "damage done: []" in v.output, v.output  # every attempt was refused


def check_loopback_socket(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v
    assert arena.connections() == [], "the learner's code reached the loopback listener"
    assert "reached: []" in v.output, v.output


def check_daemon(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v
    time.sleep(2.0)  # past the time the daemon meant to write its marker
    assert not arena.marker.exists(), "a daemonised child outlived grading"
    assert not processes_with((arena.token.encode(),))


def check_kill_everything(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v  # and we are still here to read it
    assert v.passed == 0


def check_regain_root(v: Verdict, arena: Arena) -> None:
    assert v.status == "failed", v
    assert "ROOT" not in v.output, v.output
    assert "status NoNewPrivs: 1" in v.output and "status CapEff: 0000000000000000" in v.output, v.output
    assert "status CapBnd: 0000000000000000" in v.output, v.output
    assert "status Uid: 0 " not in v.output, v.output


CASES = {name.removeprefix("check_"): check for name, check in dict(globals()).items() if name.startswith("check_")}


def test_every_hostile_submission_has_a_case():
    files = {p.stem for p in HOSTILE.glob("*.py")}
    assert files == set(CASES)
    assert len(files - {"correct"}) >= 12


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_submission_under_bwrap(name: str, arena: Arena):
    require_bwrap()
    verdict, _ = graded(arena, name)
    if name != "correct":
        assert verdict.status != "passed" and verdict.score < 1, verdict
    CASES[name](verdict, arena)


# --- controls: the attacks are real, and the checks would catch them ---------------------


def run_unconfined(path: Path, cwd: Path, wait: float = 10) -> str:
    done = subprocess.run(
        [sys.executable, str(path)], cwd=cwd, capture_output=True, text=True, timeout=wait, stdin=subprocess.DEVNULL
    )
    return done.stdout + done.stderr


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(FIXTURE, tmp_path / "copy" / "add-up"))


def test_control_reading_secrets_works_unconfined(arena: Arena, fixture_copy: Path):
    out = run_unconfined(arena.submission("read_secrets", fixture_copy), arena.root)
    assert "LEAKED-HIDDEN-TEST" in out and f"FOUND {fixture_copy}/solution.py" in out, out


def test_control_deleting_works_unconfined(arena: Arena, fixture_copy: Path):
    out = run_unconfined(arena.submission("delete_outside", fixture_copy), arena.root)
    assert not arena.canary.exists() or arena.canary.read_text() != "still here\n", out
    assert not (arena.submissions / "someone-else.py").exists(), out
    assert "def test_free" in (fixture_copy / "test_add_up_hidden.py").read_text()


def test_control_loopback_works_unconfined(arena: Arena):
    run_unconfined(arena.submission("loopback_socket"), arena.root)
    assert any(b"LEAK" in got for got in arena.connections()), "the control could not reach the listener"


def test_control_daemon_outlives_an_unconfined_run(arena: Arena):
    run_unconfined(arena.submission("daemon"), arena.root)
    deadline = time.monotonic() + 5
    while not arena.marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert arena.marker.exists()
    assert processes_with((arena.token.encode(),)), "the survivor check would not see a survivor"
    # (the arena fixture kills it)


# --- the fallback: resource limits only, with a loud warning -----------------------------

FALLBACK_SAFE = [
    "correct",
    "infinite_loop",
    "sigterm_ignored",
    "memory_bomb",
    "exit_at_import",
    "os_exit_at_import",
    "output_flood",
    "daemon",
]  # the rest would harm the machine unconfined


@pytest.mark.parametrize("name", FALLBACK_SAFE)
def test_fallback_still_bounds_and_reports(name: str, arena: Arena, capfd):
    verdict, _ = graded(arena, name, isolation="rlimits")
    assert verdict.warnings and "WITHOUT a sandbox" in verdict.warnings[0]
    assert "WITHOUT a sandbox" in capfd.readouterr().err
    if name != "correct":
        assert verdict.status != "passed" and verdict.score < 1, verdict
    CASES[name](verdict, arena)


def test_asking_for_bwrap_where_there_is_none_fails_loudly(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    sandbox.bwrap_problem.cache_clear()
    try:
        with pytest.raises(sandbox.SandboxUnavailable, match="install bubblewrap"):
            sandbox.choose_isolation("bwrap")
        isolation, warning = sandbox.choose_isolation("auto")
        assert isolation == "rlimits" and "install bubblewrap" in warning
    finally:
        sandbox.bwrap_problem.cache_clear()


# --- the pieces ---------------------------------------------------------------------------


def test_a_test_that_hangs_in_the_trusted_process_is_stopped(arena: Arena):
    exercise = load_exercise(FIXTURE.parent / "hanging-test")
    started = time.monotonic()
    verdict = grade(exercise, HOSTILE / "correct.py", Limits(grading_seconds=3), isolation="auto")
    assert time.monotonic() - started < 3 + 3 + 5
    assert verdict.status == "timeout" and "3 s" in verdict.reason, verdict
    assert [t.outcome for t in verdict.tests] == ["passed", "error"]  # what finished still counts
    assert verdict.score == Fraction(1, 2)
    assert not processes_with(AGENT_MARKS)


def test_a_symlinked_submission_is_refused_unread(tmp_path: Path):
    link = tmp_path / "submission.py"
    link.symlink_to(FIXTURE / "solution.py")
    verdict = grade(EXERCISE, link, LIMITS)
    assert verdict.status == "error" and "symbolic link" in verdict.reason
    assert verdict.total == 0 and verdict.score == 0


def test_bwrap_command_hides_the_course_and_keeps_python(tmp_path: Path):
    spec = sandbox.LearnerSpec(
        module="starter.py",
        files=(("starter.py", str(tmp_path / "s.py")),),
        isolation="bwrap",
        hide=(str(FIXTURE.parents[1]),),
    )
    argv = sandbox.bwrap_argv(spec, Path(proxy.__file__), [], {"HOME": "/tmp/work"})
    pairs = list(zip(argv, argv[1:]))
    # the course is hidden: by its own empty tmpfs, or by the learner's tmpfs over /tmp when
    # the clone itself lives under /tmp (as a CI checkout may)
    assert ("--tmpfs", str(FIXTURE.parents[1])) in pairs or FIXTURE.parents[1].is_relative_to("/tmp")
    assert ("--tmpfs", "/tmp") in pairs and ("--unshare-net" in argv or "--unshare-all" in argv)
    assert "--die-with-parent" in argv and "--clearenv" in argv and "--share-net" not in argv
    for root in sandbox.python_roots(sys.executable):
        hidden = (FIXTURE.parents[1], Path("/root"), Path("/home"), Path("/tmp"))
        if any(root.is_relative_to(h) for h in hidden):
            assert ("--ro-bind", str(root)) in pairs


ROUND_TRIP = [
    None,
    True,
    0,
    -7,
    10**40,
    1.5,
    float("inf"),
    "text ✓",
    [1, [2, (3,)]],
    (1, "a"),
    {"a": 1, 2: (3, 4)},
    {1, 2},
    frozenset({"x"}),
    b"\x00\xff",
    1 + 2j,
    Decimal("1.10"),
    Fraction(1, 3),
    datetime.date(2023, 9, 12),
    datetime.datetime(2024, 1, 2, 3, 4, 5),
    datetime.time(12, 30),
    datetime.timedelta(days=2, seconds=5),
]


@pytest.mark.parametrize("value", ROUND_TRIP, ids=repr)
def test_values_cross_as_plain_values(value):
    back = proxy.decode(json.loads(json.dumps(proxy.encode(value))))
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize(
    "wire",
    [
        {"t": "pickle", "v": "gASV"},
        {"t": "tuple", "v": [], "x": 1},
        {"a": 1},
        {"t": "set", "v": [[1]]},
        {"t": "bytes", "v": "not base64!"},
        {"t": "decimal", "v": "twelve"},
        {"t": "dict", "v": [[1]]},
    ],
    ids=str,
)
def test_the_decoder_refuses_anything_else(wire):
    with pytest.raises(proxy.ProtocolError):
        proxy.decode(wire)


def test_deep_nesting_is_refused():
    wire: object = 1
    for _ in range(proxy.MAX_DEPTH + 5):
        wire = [wire]
    with pytest.raises(proxy.ProtocolError):
        proxy.decode(wire)


def test_learner_errors_map_to_builtins_and_never_to_control_flow():
    assert (
        type(remote.learner_exception({"type": "MyError", "bases": ["ValueError", "Exception"], "message": "no"}))
        is ValueError
    )
    for kind, bases in (
        ("SystemExit", ["BaseException"]),
        ("KeyboardInterrupt", ["BaseException"]),
        ("Skipped", ["OutcomeException", "BaseException"]),
    ):
        exc = remote.learner_exception({"type": kind, "bases": bases, "message": "x"})
        assert isinstance(exc, proxy.LearnerFault) and not isinstance(exc, Exception)
    assert not issubclass(proxy.LearnerFault, Exception)  # no `except Exception` in a test can swallow one


def test_an_argument_the_proxy_cannot_carry_is_no_typeerror():
    function = remote.RemoteFunction(lambda message: pytest.fail("nothing should be sent"), "add")
    with pytest.raises(proxy.NotCarried, match="cannot be sent"):
        function(1, object())
    assert not issubclass(proxy.NotCarried, Exception)


# --- the fork server: trusted pytest processes forked warm ---------------------------------


def _server_children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def test_each_submission_gets_a_fresh_trusted_process_from_one_server():

    exercise = load_exercise(FIXTURE.parent / "stateful-test")
    stop_fork_server()
    first = grade(exercise, HOSTILE / "correct.py", LIMITS)
    server = shared_fork_server()
    second = grade(exercise, HOSTILE / "correct.py", LIMITS)
    # the test marks the interpreter it runs in; a second run in the same one would fail
    assert first.status == second.status == "passed", (first.reason, second.reason)
    assert shared_fork_server() is server and server.alive()  # one server for both
    assert not _server_children(server.pid)  # every trusted child has ended and been reaped
    stop_fork_server()
    assert server.proc.returncode == 0 and not Path(f"/proc/{server.pid}").exists()


def test_a_dead_fork_server_is_replaced(arena: Arena):

    server = shared_fork_server()
    os.kill(server.pid, signal.SIGKILL)
    server.proc.wait()
    verdict = grade(EXERCISE, arena.submission("correct"), LIMITS)
    assert verdict.status == "passed", verdict.reason
    assert shared_fork_server().pid != server.pid


def test_without_a_fork_server_grading_starts_a_cold_process(arena: Arena, monkeypatch, capfd):
    from coursekit.exercise import forkserver, trusted_server

    def cannot_start(*args, **kwargs):
        raise forkserver.ForkServerGone("the grading fork server did not start (simulated)")

    stop_fork_server()
    monkeypatch.setattr(forkserver, "ForkServer", cannot_start)
    monkeypatch.setattr(trusted_server, "_server_failed", False)
    monkeypatch.setattr(trusted_server, "_warned", set())
    verdicts = [grade(EXERCISE, arena.submission(name), LIMITS) for name in ("correct", "infinite_loop")]
    assert [v.status for v in verdicts] == ["passed", "timeout"], [v.reason for v in verdicts]
    assert capfd.readouterr().err.count("a new Python process per submission") == 1  # said once
    assert shared_fork_server() is None


def test_a_fork_server_killed_mid_grading_takes_its_children_along(arena: Arena):
    import threading

    exercise = load_exercise(FIXTURE.parent / "hanging-test")
    server = shared_fork_server()
    seen: set[int] = set()

    def kill_server() -> None:
        seen.update(_server_children(server.pid))  # the trusted pytest process of this grading
        os.kill(server.pid, signal.SIGKILL)

    killer = threading.Timer(1.5, kill_server)
    killer.start()
    verdict = grade(exercise, HOSTILE / "correct.py", Limits(grading_seconds=3))
    killer.join()
    assert seen, "the server had no child to orphan"
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() for pid in seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in seen if Path(f"/proc/{pid}").exists()]  # it died with the server
    # graded again in a cold process once the server was gone, with the same verdict
    assert verdict.status == "timeout" and verdict.score == Fraction(1, 2), verdict
    # The killed server's sandboxes die with their parents (bwrap's --die-with-parent), which the
    # kernel carries out asynchronously: nobody is left to wait for them, as the server does on a
    # timeout (tests/exercise/test_forkserver.py).
    while processes_with(AGENT_MARKS) and time.monotonic() < deadline + 5:
        time.sleep(0.05)
    assert not processes_with(AGENT_MARKS)
