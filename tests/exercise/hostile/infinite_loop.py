"""Hostile: a busy loop in the function under test (stopped by the CPU and wall limits)."""


def add(a, b):
    while True:
        pass


def total(path="data/numbers.csv"):
    while True:
        pass
