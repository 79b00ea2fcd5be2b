"""Score the OKRs, then re-plan after a pivot.

Implement the five functions marked TODO. Use only the Python standard library.
data/okrs.json and data/backlog.csv describe a hypothetical team; every number in them
is illustrative (see data/README.md). load_backlog is written for you.
"""

import csv
import json
from pathlib import Path

# The data/ folder beside this file, whichever folder you run it from (in a notebook, which
# has no __file__, or when there is no data/ beside the file: the one in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA = HERE / "data" if (HERE / "data").is_dir() else Path("data")


def kr_score(start: float, target: float, actual: float) -> float:
    """Progress on one key result, from 0.0 (no progress) to 1.0 (target reached).

    Works in both directions: when the target is below the start, lower is better.
    Results beyond the target count as 1.0, and moves the wrong way as 0.0.
    Illustrative numbers: kr_score(10, 20, 15) == 0.5 and kr_score(12, 8, 11) == 0.25.
    Raise ValueError if ``start`` equals ``target`` (there is nothing to measure).
    """
    # TODO: the distance travelled divided by the distance to travel, kept between 0 and 1.
    raise NotImplementedError("kr_score is not written yet")


def objective_score(key_results: list[dict]) -> float:
    """The mean score of an objective's key results.

    Each key result is a dict with at least "start", "target" and "actual".
    Raise ValueError if the list is empty.
    """
    # TODO: score each key result with kr_score and average the scores.
    raise NotImplementedError("objective_score is not written yet")


def score_okrs(path: str | Path = DATA / "okrs.json") -> dict[str, float]:
    """Read the OKR file and map each objective id to its score."""
    # TODO: json.load the file, then call objective_score for each objective.
    raise NotImplementedError("score_okrs is not written yet")


def sustainable_capacity(velocities: list[float], headcount_ratio: float = 1.0, focus: float = 0.8) -> float:
    """Points to plan for the next sprint.

    The mean of recent velocities, scaled by the change in headcount (new team size ÷ old
    team size) and by a focus factor that leaves room for support, reviews and the
    unexpected. Illustrative numbers: sustainable_capacity([30, 50], 0.5, 0.8) == 16.0.
    Raise ValueError if ``velocities`` is empty.
    """
    # TODO: average the velocities, then apply both factors.
    raise NotImplementedError("sustainable_capacity is not written yet")


def load_backlog(path: str | Path = DATA / "backlog.csv") -> list[dict]:
    """Read the backlog: one dict per item, with points and value as ints. (Provided.)"""
    with open(path, newline="", encoding="utf-8") as f:
        return [row | {"points": int(row["points"]), "value": int(row["value"])} for row in csv.DictReader(f)]


def replan(backlog: list[dict], keep: set[str], capacity: float) -> list[str]:
    """The ids of the items to plan, in the order they should be taken.

    1. Drop every item whose "objective" is not in ``keep``.
    2. Order the rest by value per point, highest first; break ties by id.
    3. Walk that order and take each item that still fits in the remaining capacity;
       skip an item that does not fit and carry on with the next.
    """
    # TODO: filter, sort, then fill the capacity.
    raise NotImplementedError("replan is not written yet")


if __name__ == "__main__":
    # Try your functions on the data once they are written.
    for objective, score in score_okrs().items():
        print(f"{objective}: {score:.2f}")
    capacity = sustainable_capacity([40, 42, 38], headcount_ratio=6 / 8, focus=0.8)
    print(f"Capacity for the next sprint: {capacity:.0f} points")
    print("Plan:", replan(load_backlog(), {"O1", "O2", "platform"}, capacity))
