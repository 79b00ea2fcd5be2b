"""Hostile: os._exit(0) at import: no cleanup, no exception, exit status 0."""

import os

os._exit(0)


def add(a, b):
    return a + b
