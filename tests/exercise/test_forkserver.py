"""The fork server that runs each submission's trusted pytest process: a grading that ends on
timeout leaves no process behind, even one that left the child's session (as bwrap does)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from coursekit.exercise.forkserver import ForkServer

if not hasattr(os, "pidfd_open"):
    pytest.skip("the fork server needs os.pidfd_open (Linux 5.3+)", allow_module_level=True)

HANGS = """
import subprocess, time

def test_starts_a_process_of_its_own_then_hangs():
    proc = subprocess.Popen(["sleep", "120"], start_new_session=True)
    open("escaped.pid", "w").write(str(proc.pid))
    time.sleep(120)
"""


def alive(pid: int) -> bool:
    """Still running (a zombie has ended: only its parent has not read its status yet)."""
    try:
        os.kill(pid, 0)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


def test_a_timed_out_child_leaves_no_process_behind(tmp_path):
    (tmp_path / "test_hang.py").write_text(HANGS, encoding="utf-8")
    server = ForkServer()
    try:
        argv = ["-q", "-p", "no:cacheprovider", str(tmp_path / "test_hang.py")]
        env = {"PATH": os.environ["PATH"], "PYTHONPATH": os.pathsep.join(sys.path)}
        timed_out, code = server.run(argv, [], tmp_path, tmp_path / "log.txt", env, seconds=3)
        pid = int((tmp_path / "escaped.pid").read_text())
        assert timed_out and code is None
        assert not alive(pid), "the process the child started in a session of its own outlived the grading"
    finally:
        server.close()
