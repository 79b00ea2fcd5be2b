"""Hostile: allocate memory until something gives (RLIMIT_AS gives first)."""

hoard = []


def add(a, b):
    while True:
        hoard.append(bytearray(32 * 1024 * 1024))  # touched pages: really resident
        hoard[-1][::4096] = b"x" * len(hoard[-1][::4096])


def total(path="data/numbers.csv"):
    return add(0, 0)
