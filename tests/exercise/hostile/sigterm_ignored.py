"""Hostile: ignore every catchable signal, then hang without using CPU (only the wall
clock limit and SIGKILL can end it)."""

import signal
import time

for sig in (
    signal.SIGTERM,
    signal.SIGINT,
    signal.SIGHUP,
    signal.SIGQUIT,
    signal.SIGXCPU,
    signal.SIGUSR1,
    signal.SIGUSR2,
    signal.SIGALRM,
):
    signal.signal(sig, signal.SIG_IGN)


def add(a, b):
    while True:
        time.sleep(3600)


def total(path="data/numbers.csv"):
    while True:
        time.sleep(3600)
