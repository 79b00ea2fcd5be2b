"""Grade a submission for an instructor: a verdict that hostile learner code cannot forge.

``grade(exercise, learner_file)`` runs the exercise's public and hidden tests with pytest
in a trusted child process that never imports the learner's code. The tests' ``learner``
fixture is a ``remote.LearnerProxy``: each call travels as JSON to the learner's module,
which runs in a separate sandboxed process (``sandbox``), and only plain values come back.
The outcome of each test is recorded by the grading plugin's pytest hooks (``plugin``), in
the trusted process, into a file the learner cannot reach; nothing the learner prints is
parsed (``verdict`` reads the records back).

The trusted process is forked, fresh for each submission, from a server that has imported
pytest and the plugin once (``forkserver``, shared through ``trusted_server``); where that
server cannot run, it is started cold with ``python -m pytest``. Either way it runs the
same pytest session.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from coursekit.exercise import forkserver, plugin, sandbox
from coursekit.exercise.sandbox import Isolation, LearnerSpec, Limits
from coursekit.exercise.trusted_server import shared_fork_server, warn_once
from coursekit.exercise.verdict import Verdict, read_records, verdict_from
from coursekit.limits import MAX_SUBMISSION_BYTES

if TYPE_CHECKING:
    from coursekit.content.catalog import LoadedExercise


# --- grading --------------------------------------------------------------------------


def grade(
    exercise: LoadedExercise,
    learner_file: Path,
    limits: Limits = Limits(),
    *,
    isolation: Literal["auto", "bwrap", "rlimits"] = "auto",
    hide: Sequence[Path] = (),
    hidden_tests: bool = True,
) -> Verdict:
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
        return Verdict(
            exercise.id, "error", (), 0, 0, Fraction(0), reason, chosen, warnings, seconds=time.monotonic() - started
        )

    source = _read_submission(learner_file)
    if isinstance(source, str):
        return early(source)
    staging = Path(tempfile.mkdtemp(prefix="coursekit-grading-"))
    try:
        test_files = [*exercise.model.files.tests, *(exercise.model.files.hidden_tests if hidden_tests else [])]
        spec = _stage(exercise, learner_file, source, staging, test_files, chosen, limits, hide)
        (staging / "spec.json").write_text(spec.to_json(), encoding="utf-8")
        timed_out, code = _run_pytest(staging, test_files, limits)
        records = read_records(staging / "results.jsonl")
        log = (staging / "pytest.log").read_text(encoding="utf-8", errors="replace")
        return verdict_from(
            exercise,
            records,
            set(exercise.model.files.hidden_tests),
            chosen,
            warnings,
            timed_out,
            code,
            log,
            limits,
            time.monotonic() - started,
        )
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
        data = f.read(MAX_SUBMISSION_BYTES + 1)
    if len(data) > MAX_SUBMISSION_BYTES:
        return f"{path.name}: the submission is larger than {MAX_SUBMISSION_BYTES} bytes"
    return data


def _stage(
    exercise: LoadedExercise,
    learner_file: Path,
    source: bytes,
    staging: Path,
    test_files: list[str],
    isolation: Isolation,
    limits: Limits,
    hide: Sequence[Path],
) -> LearnerSpec:
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
        isolation=isolation,
        limits=limits,
        hide=tuple(sorted(str(h) for h in hidden)),
    )


def _run_pytest(staging: Path, test_files: list[str], limits: Limits) -> tuple[bool, int | None]:
    tests_dir = staging / "tests"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSEKIT_", "PYTEST_"))}
    env |= {plugin.ENV_KEY: str(staging), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    args = [
        "-p",
        "no:cacheprovider",
        "-c",
        str(tests_dir / "pytest.ini"),
        "--rootdir",
        str(tests_dir),
        "--confcutdir",
        str(tests_dir),
        "--import-mode=importlib",
        "-q",
        "--no-header",
        "--tb=short",
        *test_files,
    ]
    # The plugin keeps to grading_seconds itself; this outer limit is for tests that hang in
    # the trusted process. Learner processes die with it (bwrap's --die-with-parent, or the
    # agent's parent-death signal without bwrap).
    seconds = limits.grading_seconds + min(10.0, limits.grading_seconds)
    server = shared_fork_server()
    if server is not None:
        try:
            return server.run(args, [plugin.__name__], tests_dir, staging / "pytest.log", env, seconds)
        except forkserver.ForkServerGone as exc:
            warn_once(f"{exc}; grading goes on with a new Python process per submission")
    argv = [sys.executable, "-m", "pytest", "-p", plugin.__name__, *args]
    with open(staging / "pytest.log", "wb") as log:
        proc = subprocess.Popen(
            argv,
            cwd=tests_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            return False, proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True, None
