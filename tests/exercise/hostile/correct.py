"""An honest, correct submission: it must get full marks in the same batch."""

import csv


def add(a, b):
    return a + b


def total(path="data/numbers.csv"):
    with open(path, newline="", encoding="utf-8") as f:
        return sum(int(row["value"]) for row in csv.DictReader(f))
