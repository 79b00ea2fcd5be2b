"""The learner's process: launch it confined (see ``sandbox``), watch its output, and make
sure it is gone afterwards, with everything it started.

One learner process runs ``proxy.py`` as its main script (the agent), which imports the
learner's module and answers calls from the trusted tests over a socket (``remote.Connection``).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from coursekit.exercise import proxy, remote
from coursekit.exercise.sandbox import SCRATCH, LearnerSpec, bwrap_argv

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
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
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
        self.conn: remote.Connection | None = None
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
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "PYTHONHASHSEED": "0",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
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
            argv = [
                self.spec.python,
                "-I",
                "-B",
                "-u",
                str(self.scratch / ".coursekit-agent.py"),
                *self._agent_args(str(self.scratch / self.spec.module), nproc),
            ]
            cwd = str(self.scratch)
        mine, theirs = socket.socketpair()
        out_r, out_w = os.pipe()
        try:
            self.proc = subprocess.Popen(
                argv,
                stdin=theirs,
                stdout=out_w,
                stderr=out_w,
                cwd=cwd,
                env=env,
                pass_fds=pass_fds,
                start_new_session=True,
                close_fds=True,
            )
        finally:
            theirs.close()
            os.close(out_w)
            if info_w >= 0:
                os.close(info_w)
        self._reader = threading.Thread(target=self._read_output, args=(out_r,), daemon=True)
        self._reader.start()
        if info_r >= 0:
            self.ns_init = _read_child_pid(info_r, time.monotonic() + 10)
        self.conn = remote.Connection(mine, self.spec.limits.reply_bytes)
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
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)

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
            # orphaned when bwrap died first: adopted by us (a subreaper), reaped here
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.ns_init, 0)
        if self.conn is not None:
            self.conn.sock.close()
        if self._reader is not None:
            self._reader.join(timeout=5)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
        return status


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


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
        what = {
            "SIGXCPU": "the CPU time limit",
            "SIGKILL": "a kill (a limit or the grader)",
            "SIGXFSZ": "the file size limit",
            "SIGSEGV": "a crash",
        }.get(name, name)
        return f"ended by {name} ({what})"
    return f"exited with status {status}"
