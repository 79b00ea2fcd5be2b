"""Hostile: delete and overwrite files outside the scratch directory: a canary, the other
submissions, the exercise (solution and tests), the data."""

import os
import shutil

CANARY = "__CANARY__"
SUBMISSIONS = "__SUBMISSIONS__"
FIXTURE = "__FIXTURE__"
damage = []

for attempt in (
    lambda: os.remove(CANARY),
    lambda: open(CANARY, "w").write("overwritten"),
    lambda: os.chmod(CANARY, 0),
    lambda: shutil.rmtree(SUBMISSIONS),
    lambda: open(os.path.join(FIXTURE, "test_add_up_hidden.py"), "a").write("\ndef test_free(): pass\n"),
    lambda: open(os.path.join(FIXTURE, "data", "numbers.csv"), "w").write("name,value\n"),
    lambda: open("data/numbers.csv", "w").write("name,value\nz,15\n"),
):
    try:
        attempt()
        damage.append(attempt.__code__.co_firstlineno)
    except OSError:
        pass
print("damage done:", damage)


def add(a, b):
    return 0


def total(path="data/numbers.csv"):
    return 0
