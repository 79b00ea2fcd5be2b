"""Hostile: a daemonised grandchild (double fork, new session, signals ignored) that tries
to outlive grading, then writes a marker file and lingers under a recognisable name."""

import os
import signal
import sys
import time

MARKER = "__MARKER__"
TOKEN = "__TOKEN__"

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        os.closerange(0, 256)  # let go of the grader's pipes
        time.sleep(1.5)  # wait until grading should be over
        for path in (MARKER, os.path.join(os.environ.get("HOME", "/tmp"), "marker")):
            try:
                with open(path, "w") as f:
                    f.write("survived\n")
            except OSError:
                pass
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(60)", TOKEN])
    os._exit(0)
os.wait()


def add(a, b):
    return 0


def total(path="data/numbers.csv"):
    return 0
