"""Hostile: read the solution and the hidden tests from disk (real absolute paths, relative
paths, /proc), and pass by running the solution it found."""

import os
import time

FIXTURE = "__FIXTURE__"
NAMES = ("solution.py", "test_add_up_hidden.py")
found = {}


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            found[path] = f.read()
    except OSError:
        pass


for name in (*NAMES, "exercise.yml", "test_add_up.py"):
    _read(os.path.join(FIXTURE, name))
    _read(os.path.join("..", name))
    _read(os.path.join("/proc/1/cwd", name))
    _read(os.path.join("/proc", str(os.getppid()), "cwd", name))

deadline = time.monotonic() + 1.0  # look around the repository and the usual places
for top in (
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(FIXTURE)))),
    "/tmp",
    os.path.expanduser("~"),
    "/root",
    "/home",
):
    for folder, dirs, files in os.walk(top):
        if time.monotonic() > deadline:
            break
        dirs[:] = [d for d in dirs if d not in (".git", "node_modules", ".venv")]
        for name in files:
            if name in NAMES:
                _read(os.path.join(folder, name))

for path, text in found.items():
    print("FOUND", path)
    if "SECRET_EXPECTED" in text:
        print("LEAKED-HIDDEN-TEST", path)

solution = next((text for path, text in found.items() if path.endswith("solution.py") and "return a + b" in text), None)
if solution is not None:
    exec(solution)  # defines add and total: every test would pass
else:

    def add(a, b):
        return None

    def total(path="data/numbers.csv"):
        return None
