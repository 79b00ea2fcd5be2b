"""Hostile: sys.exit(0) at import, hoping a zero exit status reads as success."""

import sys

sys.exit(0)


def add(a, b):
    return a + b
