"""The learner's process: limits, isolation, launch, and making sure it is gone afterwards.

One learner process runs ``proxy.py`` as its main script (the agent), which imports the
learner's module and answers calls from the trusted tests. This module decides how that
process is confined and cleans up after it; it never looks at what the tests expect.

Two ways to confine it (``Isolation``):

``bwrap``
    bubblewrap gives the process a read-only view of the system, a tmpfs over every place
    that holds course content or someone's files, a size-limited tmpfs as its scratch
    directory (holding only the learner's file and the exercise's data files), no network
    and its own pid namespace, so killing the namespace's first process ends every process
    the submission started. Run as root, bwrap keeps only the capabilities needed for the
    agent to drop to an unprivileged uid of its own before any learner code runs.
``rlimits``
    the fallback when bubblewrap is missing or cannot run: resource limits, a scratch
    directory, a scrubbed environment and process-group cleanup, but the learner can read
    whatever your user can read and can use the network. The grader warns loudly.

Resource limits are set by the agent itself, inside the sandbox and after it has dropped
privileges, because RLIMIT_NPROC counts per user (and per user namespace): set in the
parent it would count the wrong processes.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from coursekit.exercise import proxy

MiB = 1024 * 1024

Isolation = Literal["bwrap", "rlimits"]

INSTALL_HINT = "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)"

# World-readable places that may hold someone's files; bwrap puts an empty read-only tmpfs
# over each. The interpreter is bound back in if it lives under one of them.
PRIVATE_DIRS = ("/home", "/root", "/run", "/mnt", "/media", "/srv", "/var/tmp")

SCRATCH = "/tmp/work"  # the learner's working directory inside bwrap
AGENT = "/tmp/.coursekit/agent.py"

# Fresh uids for learner processes, far from system users, login users and the usual
# subuid ranges. A uid no one else uses means RLIMIT_NPROC counts only this submission's
# processes, and no file outside the sandbox belongs to it.
UID_RANGE = (1_500_000_000, 2_000_000_000)


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Each limit names what it defends against."""

    cpu_seconds: int = 10  # busy loops: RLIMIT_CPU, per learner process
    call_seconds: float = 10.0  # hangs and sleeps: wall clock for one import or one call
    grading_seconds: float = 300.0  # everything: the whole trusted test run
    memory_bytes: int = 512 * MiB  # memory bombs: RLIMIT_AS (address space)
    processes: int = 32  # fork bombs: RLIMIT_NPROC for the submission's own uid
    output_bytes: int = 1 * MiB  # output floods: the process is killed past this
    file_bytes: int = 16 * MiB  # one huge file: RLIMIT_FSIZE
    scratch_bytes: int = 64 * MiB  # many files: the size of the scratch tmpfs (bwrap only)
    open_files: int = 64  # descriptor exhaustion: RLIMIT_NOFILE
    reply_bytes: int = 4 * MiB  # a giant return value: the longest reply the tests will read
    max_stops: int = 3  # hanging in every test: after this many stops (limit or crash), the
    # remaining tests fail at once instead of each waiting out its own time limit

    def rlimits(self) -> dict[str, int]:
        """The limits the agent applies to itself before it runs any learner code."""
        return {"RLIMIT_CPU": self.cpu_seconds, "RLIMIT_AS": self.memory_bytes,
                "RLIMIT_FSIZE": self.file_bytes, "RLIMIT_NOFILE": self.open_files,
                "RLIMIT_CORE": 0, "RLIMIT_NPROC": self.processes}


class SandboxUnavailable(RuntimeError):
    """The isolation that was asked for cannot be had on this machine."""


@dataclass(frozen=True)
class LearnerSpec:
    """What a learner process is made of; JSON-able, so the grader can hand it to pytest."""

    module: str  # the learner's module, relative to the scratch directory
    files: tuple[tuple[str, str], ...]  # (relative path in scratch, host path to copy or bind)
    isolation: Isolation
    limits: Limits = field(default_factory=Limits)
    hide: tuple[str, ...] = ()  # host paths the learner must not read (bwrap only)
    python: str = sys.executable

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> LearnerSpec:
        data = json.loads(text)
        data["files"] = tuple(tuple(f) for f in data["files"])
        data["hide"] = tuple(data["hide"])
        data["limits"] = Limits(**data["limits"])
        return cls(**data)


# --- choosing the isolation -----------------------------------------------------------


def _namespace_args() -> list[str]:
    if os.geteuid() == 0:
        # As root, no user namespace: the agent needs real CAP_SETUID to become an
        # unprivileged uid (a uid that is root outside is exempt from RLIMIT_NPROC).
        # Every other capability is dropped here, and the rest by the agent.
        return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                "--cap-add", "CAP_SETPCAP"]
    return ["--unshare-all"]  # includes a user namespace; no capabilities are kept


@functools.cache
def bwrap_problem() -> str | None:
    """Why bubblewrap cannot be used here, or None when it works (probed once per process)."""
    exe = shutil.which("bwrap")
    if exe is None:
        return f"bubblewrap (bwrap) is not installed: {INSTALL_HINT}"
    probe = [exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
             *_namespace_args(), "--die-with-parent", "--", "/bin/true"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap (bwrap) could not run: {exc}"
    if done.returncode != 0:
        return (f"bubblewrap (bwrap) is installed but cannot create a sandbox here: {done.stderr.strip()} "
                "(user namespaces may be disabled)")
    return None


def choose_isolation(requested: Literal["auto", "bwrap", "rlimits"] = "auto",
                     python: str = sys.executable) -> tuple[Isolation, str | None]:
    """The isolation to use, and a warning when it is the weak fallback."""
    if requested == "bwrap" or requested == "auto":
        problem = bwrap_problem()
        if problem is None:
            return "bwrap", None
        if requested == "bwrap":
            raise SandboxUnavailable(problem)
    else:
        problem = "resource limits only were requested"
    warning = FALLBACK_WARNING.format(why=problem)
    if os.geteuid() == 0 and learner_uid("rlimits", python) is None:
        warning += (" Worse, the learner's code runs AS ROOT here: the interpreter is not readable by an "
                    "unprivileged user, so there is no uid to drop to and no process limit.")
    return "rlimits", warning


FALLBACK_WARNING = (
    "WARNING: grading WITHOUT a sandbox ({why}). Learner code runs with resource limits only: "
    "it can read any file this user can read (including solutions and hidden tests), write where "
    "this user can write, and use the network. Do not use these verdicts for assessment; "
    + INSTALL_HINT + "."
)


# --- the learner's uid ----------------------------------------------------------------


def _readable_by_others(path: Path) -> bool:
    """Whether a user with no relation to this one can read (and traverse to) ``path``."""
    path = Path(os.path.realpath(path))
    for p in (path, *path.parents):
        try:
            mode = p.stat().st_mode
        except OSError:
            return False
        if not mode & 0o001 or (p == path and not mode & 0o004):
            return False
    return True


def python_roots(python: str) -> list[Path]:
    """The folders an interpreter needs: its venv (if any) and the installation behind it."""
    real = Path(os.path.realpath(python))
    roots = {real.parent.parent}
    venv = Path(python).parent.parent
    if (venv / "pyvenv.cfg").is_file():
        roots.add(venv)
    if python == sys.executable:
        roots |= {Path(sys.prefix), Path(sys.base_prefix)}
    return sorted({Path(os.path.realpath(r)) for r in roots})


def learner_uid(isolation: Isolation, python: str) -> int | None:
    """The uid the agent drops to, or None to stay as we are.

    Only root can change uid. Under bwrap the interpreter is bound where the new uid can
    read it; without bwrap we can drop only if the interpreter is world-readable already.
    """
    if os.geteuid() != 0:
        return None
    if isolation == "rlimits" and not all(_readable_by_others(r) for r in python_roots(python)):
        return None
    return UID_RANGE[0] + secrets.randbelow(UID_RANGE[1] - UID_RANGE[0])


# --- the bwrap command ----------------------------------------------------------------


def _ancestors_below(path: Path, top: Path) -> list[Path]:
    """Folders strictly between ``top`` and ``path`` (outermost first)."""
    return [p for p in reversed(path.parents) if p.is_relative_to(top) and p != top]


def bwrap_argv(spec: LearnerSpec, agent: Path, agent_args: list[str], env: dict[str, str]) -> list[str]:
    """The bubblewrap command line for one learner process.

    Order matters: bwrap applies mounts in sequence. First the learner's tmpfs over /tmp
    and an empty tmpfs over each hidden folder; then the interpreter's folders are bound
    back on top of them (read-only); then anything hidden inside those is covered again;
    then the scratch folder is filled; last, the empty tmpfs are made read-only.
    """
    hidden = sorted({Path(os.path.realpath(h)) for h in (*PRIVATE_DIRS, *spec.hide)},
                    key=lambda p: len(p.parts))
    hidden = [h for h in hidden if h.exists() and h != Path("/")]

    def cover(path: Path) -> list[str]:
        return ["--tmpfs", str(path)] if path.is_dir() else ["--ro-bind", "/dev/null", str(path)]

    # /tmp comes first: it is replaced by the learner's own small tmpfs, which also hides
    # whatever the grader (or anyone) keeps in the real /tmp.
    argv = [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
            "--perms", "1777", "--size", str(spec.limits.scratch_bytes), "--tmpfs", "/tmp"]
    covered: list[Path] = [Path("/tmp")]
    for h in hidden:
        if not any(h.is_relative_to(c) for c in covered):
            argv += cover(h)
            covered.append(h)
    exposed = [r for r in python_roots(spec.python) if any(r.is_relative_to(c) for c in covered)]
    for r in exposed:
        top = max((c for c in covered if r.is_relative_to(c)), key=lambda p: len(p.parts))
        for folder in _ancestors_below(r, top):  # bwrap would create them 0700, unreadable to the learner
            argv += ["--perms", "0755", "--dir", str(folder)]
        argv += ["--ro-bind", str(r), str(r)]
    for h in hidden:
        if any(h.is_relative_to(r) and h != r for r in exposed):
            argv += cover(h)
    argv += ["--perms", "0755", "--dir", str(Path(AGENT).parent), "--ro-bind", str(agent), AGENT,
             "--perms", "1777", "--dir", SCRATCH]
    made = {SCRATCH}
    for rel, src in spec.files:
        target = Path(SCRATCH) / rel
        for folder in _ancestors_below(target, Path(SCRATCH)):
            if str(folder) not in made:
                argv += ["--perms", "1777", "--dir", str(folder)]
                made.add(str(folder))
        argv += ["--ro-bind", src, str(target)]
    for h in covered[1:]:
        if h.is_dir():
            argv += ["--remount-ro", str(h)]
    argv += [*_namespace_args(), "--die-with-parent", "--new-session", "--chdir", SCRATCH, "--clearenv"]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return [*argv, "--", spec.python, "-I", "-B", "-u", AGENT, *agent_args]


# --- output ---------------------------------------------------------------------------


class OutputLog:
    """The learner's stdout and stderr: counted in full, kept only as an excerpt."""

    def __init__(self, limit: int, keep: int = 16 * 1024) -> None:
        self.limit, self.keep = limit, keep
        self.total = 0
        self.head = bytearray()
        self.overflowed = False
        self._lock = threading.Lock()

    def feed(self, chunk: bytes) -> bool:
        """Record a chunk; False once the total is past the limit."""
        with self._lock:
            self.total += len(chunk)
            if len(self.head) < self.keep:
                self.head += chunk[: self.keep - len(self.head)]
            if self.total > self.limit:
                self.overflowed = True
            return not self.overflowed

    def excerpt(self) -> str:
        text = bytes(self.head).decode("utf-8", errors="replace")
        if self.total > len(self.head):
            text += f"\n[... {self.total - len(self.head)} more bytes not shown]"
        return text


# --- processes ------------------------------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)


def become_subreaper() -> None:
    """Make this process adopt orphaned descendants, so a double-forked daemon cannot
    slip away to init: it becomes our child, and ``reap_children`` ends it."""
    if _libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def children() -> set[int]:
    kids: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            kids |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return kids


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def reap_children(keep: set[int] = frozenset()) -> int:
    """SIGKILL and reap every child of this process except ``keep``, until none is left.

    Returns how many were ended. Loops because a dying fork bomb's last forks, and
    orphans adopted while we work, show up as new children.
    """
    ended = 0
    for _ in range(10_000):
        kids = children() - set(keep)
        if not kids:
            break
        for pid in kids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in kids:
            try:
                os.waitpid(pid, 0)
                ended += 1
            except ChildProcessError:
                pass
    return ended


class LearnerProcess:
    """One running learner process and the means to end it, with everything it started."""

    def __init__(self, spec: LearnerSpec, output: OutputLog, uid: int | None) -> None:
        self.spec = spec
        self.output = output
        self.uid = uid
        self.scratch: Path | None = None  # host scratch folder (rlimits only)
        self.proc: subprocess.Popen | None = None
        self.ns_init: int | None = None  # bwrap: the pid namespace's first process, as seen from here
        self.conn: proxy.Connection | None = None
        self._reader: threading.Thread | None = None
        self._lock = threading.Lock()

    # launching

    def _agent_args(self, module: str, nproc: int | None) -> list[str]:
        limits = self.spec.limits.rlimits()
        if nproc is None:
            limits.pop("RLIMIT_NPROC")
        else:
            limits["RLIMIT_NPROC"] = nproc
        parent = -1 if self.spec.isolation == "bwrap" else os.getpid()
        return [module, str(self.uid if self.uid is not None else -1), json.dumps(limits), str(parent)]

    def _nproc(self) -> int | None:
        if self.uid is not None:
            return self.spec.limits.processes  # a fresh uid: the count starts at zero
        if os.geteuid() == 0:
            return None  # root ignores RLIMIT_NPROC; only the pid namespace bounds a fork bomb
        if self.spec.isolation == "bwrap":
            return self.spec.limits.processes  # counted inside the new user namespace
        return self.spec.limits.processes + _count_processes(os.getuid())

    def start(self) -> LearnerProcess:
        # Nothing of the grader's environment (tokens, paths) is passed on. One thread per
        # numeric library: threads count against RLIMIT_NPROC and reserve address space.
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
               "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        agent = Path(proxy.__file__)
        nproc = self._nproc()
        pass_fds: tuple[int, ...] = ()
        info_r = info_w = -1
        if self.spec.isolation == "bwrap":
            env |= {"HOME": SCRATCH, "TMPDIR": "/tmp"}
            info_r, info_w = os.pipe()
            argv = bwrap_argv(self.spec, agent, self._agent_args(f"{SCRATCH}/{self.spec.module}", nproc), env)
            argv[1:1] = ["--info-fd", str(info_w)]
            pass_fds = (info_w,)
            cwd = "/"
        else:
            self.scratch = self._fill_scratch()
            env |= {"HOME": str(self.scratch), "TMPDIR": str(self.scratch)}
            argv = [self.spec.python, "-I", "-B", "-u", str(self.scratch / ".coursekit-agent.py"),
                    *self._agent_args(str(self.scratch / self.spec.module), nproc)]
            cwd = str(self.scratch)
        mine, theirs = socket.socketpair()
        out_r, out_w = os.pipe()
        try:
            self.proc = subprocess.Popen(argv, stdin=theirs, stdout=out_w, stderr=out_w, cwd=cwd,
                                         env=env, pass_fds=pass_fds, start_new_session=True, close_fds=True)
        finally:
            theirs.close()
            os.close(out_w)
            if info_w >= 0:
                os.close(info_w)
        self._reader = threading.Thread(target=self._read_output, args=(out_r,), daemon=True)
        self._reader.start()
        if info_r >= 0:
            self.ns_init = _read_child_pid(info_r, time.monotonic() + 10)
        self.conn = proxy.Connection(mine, self.spec.limits.reply_bytes)
        return self

    def _fill_scratch(self) -> Path:
        scratch = Path(tempfile.mkdtemp(prefix="coursekit-learner-"))
        for rel, src in self.spec.files:
            target = scratch / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
        shutil.copyfile(proxy.__file__, scratch / ".coursekit-agent.py")
        if self.uid is not None:
            for folder, dirs, files in os.walk(scratch):
                for name in (folder, *(os.path.join(folder, n) for n in (*dirs, *files))):
                    os.chown(name, self.uid, self.uid)
        return scratch

    def _read_output(self, fd: int) -> None:
        try:
            while chunk := os.read(fd, 65536):
                if not self.output.feed(chunk):
                    self.kill()
                    break
        except OSError:
            pass
        finally:
            os.close(fd)

    # ending

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL the learner's processes; safe from any thread, does not reap."""
        with self._lock:
            if self.proc is None or self.proc.returncode is not None:
                return  # reaped: its pid may belong to someone else by now
            if self.ns_init is not None and _parent_of(self.ns_init) == self.proc.pid:
                # The namespace's first process: when it dies the kernel kills the whole namespace.
                _kill(self.ns_init)
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def stop(self) -> int | None:
        """End the process and everything it started, reap it, remove the scratch folder.

        Returns the process's exit status (negative: the signal that ended it). Under
        bwrap nothing can survive the pid namespace. Without it, a daemon that left the
        process group survives this; a process that is a subreaper then ends it with
        ``reap_children``.
        """
        status = None
        if self.proc is not None:
            with self._lock:  # not while kill() (from the output thread) looks at the pid
                status = self.proc.poll()
            self.kill()
            if status is None:
                status = self.proc.wait()
        if self.ns_init is not None:
            try:  # orphaned when bwrap died first: adopted by us (a subreaper), reaped here
                os.waitpid(self.ns_init, 0)
            except ChildProcessError:
                pass
        if self.conn is not None:
            self.conn.sock.close()
        if self._reader is not None:
            self._reader.join(timeout=5)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
        return status


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _read_child_pid(fd: int, deadline: float) -> int | None:
    """bwrap's --info-fd report: the pid of the sandbox's first process, in our namespace."""
    import select

    data = b""
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    try:
        return int(json.loads(data)["child-pid"])
    except (ValueError, KeyError, TypeError):
        return None


def _count_processes(uid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


def describe_exit(status: int | None) -> str:
    """A person's words for how the learner's process ended."""
    if status is None:
        return "it was still running"
    if status < 0 or status > 128:
        signo = -status if status < 0 else status - 128
        try:
            name = signal.Signals(signo).name
        except ValueError:
            name = f"signal {signo}"
        what = {"SIGXCPU": "the CPU time limit", "SIGKILL": "a kill (a limit or the grader)",
                "SIGXFSZ": "the file size limit", "SIGSEGV": "a crash"}.get(name, name)
        return f"ended by {name} ({what})"
    return f"exited with status {status}"
