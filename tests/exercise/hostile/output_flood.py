"""Hostile: write 100 MB to stdout and stderr at import (the output limit kills it)."""

import sys

chunk = "x" * (1024 * 1024)
for i in range(100):
    (sys.stdout if i % 2 else sys.stderr).write(chunk)


def add(a, b):
    return a + b


def total(path="data/numbers.csv"):
    return 15
