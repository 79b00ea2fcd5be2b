"""The learner's process confined: its limits, the isolation chosen, its uid, the bwrap command.

One learner process runs ``proxy.py`` as its main script (the agent), which imports the
learner's module and answers calls from the trusted tests. This module decides how that
process is confined; ``learner_process`` launches it and cleans up after it. Neither
looks at what the tests expect.

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

import functools
import json
import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

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
        return {
            "RLIMIT_CPU": self.cpu_seconds,
            "RLIMIT_AS": self.memory_bytes,
            "RLIMIT_FSIZE": self.file_bytes,
            "RLIMIT_NOFILE": self.open_files,
            "RLIMIT_CORE": 0,
            "RLIMIT_NPROC": self.processes,
        }


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
        return [
            "--unshare-ipc",
            "--unshare-pid",
            "--unshare-net",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--cap-drop",
            "ALL",
            "--cap-add",
            "CAP_SETUID",
            "--cap-add",
            "CAP_SETGID",
            "--cap-add",
            "CAP_SETPCAP",
        ]
    return ["--unshare-all"]  # includes a user namespace; no capabilities are kept


@functools.cache
def bwrap_problem() -> str | None:
    """Why bubblewrap cannot be used here, or None when it works (probed once per process)."""
    exe = shutil.which("bwrap")
    if exe is None:
        return f"bubblewrap (bwrap) is not installed: {INSTALL_HINT}"
    probe = [
        exe,
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--tmpfs",
        "/tmp",
        *_namespace_args(),
        "--die-with-parent",
        "--",
        "/bin/true",
    ]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap (bwrap) could not run: {exc}"
    if done.returncode != 0:
        return (
            f"bubblewrap (bwrap) is installed but cannot create a sandbox here: {done.stderr.strip()} "
            "(user namespaces may be disabled)"
        )
    return None


def choose_isolation(
    requested: Literal["auto", "bwrap", "rlimits"] = "auto", python: str = sys.executable
) -> tuple[Isolation, str | None]:
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
        warning += (
            " Worse, the learner's code runs AS ROOT here: the interpreter is not readable by an "
            "unprivileged user, so there is no uid to drop to and no process limit."
        )
    return "rlimits", warning


FALLBACK_WARNING = (
    "WARNING: grading WITHOUT a sandbox ({why}). Learner code runs with resource limits only: "
    "it can read any file this user can read (including solutions and hidden tests), write where "
    "this user can write, and use the network. Do not use these verdicts for assessment; " + INSTALL_HINT + "."
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
    hidden = sorted({Path(os.path.realpath(h)) for h in (*PRIVATE_DIRS, *spec.hide)}, key=lambda p: len(p.parts))
    hidden = [h for h in hidden if h.exists() and h != Path("/")]

    def cover(path: Path) -> list[str]:
        return ["--tmpfs", str(path)] if path.is_dir() else ["--ro-bind", "/dev/null", str(path)]

    # /tmp comes first: it is replaced by the learner's own small tmpfs, which also hides
    # whatever the grader (or anyone) keeps in the real /tmp.
    argv = [
        shutil.which("bwrap") or "bwrap",
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--perms",
        "1777",
        "--size",
        str(spec.limits.scratch_bytes),
        "--tmpfs",
        "/tmp",
    ]
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
    argv += [
        "--perms",
        "0755",
        "--dir",
        str(Path(AGENT).parent),
        "--ro-bind",
        str(agent),
        AGENT,
        "--perms",
        "1777",
        "--dir",
        SCRATCH,
    ]
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
