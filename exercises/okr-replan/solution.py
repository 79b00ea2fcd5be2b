"""Score the OKRs, then re-plan after a pivot: a reference solution (standard library only)."""

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
    if start == target:
        raise ValueError("a key result needs a target different from its start")
    progress = (actual - start) / (target - start)
    return min(1.0, max(0.0, progress))


def objective_score(key_results: list[dict]) -> float:
    """The mean score of an objective's key results.

    Each key result is a dict with at least "start", "target" and "actual".
    Raise ValueError if the list is empty.
    """
    if not key_results:
        raise ValueError("an objective needs at least one key result")
    scores = [kr_score(kr["start"], kr["target"], kr["actual"]) for kr in key_results]
    return sum(scores) / len(scores)


def score_okrs(path: str | Path = DATA / "okrs.json") -> dict[str, float]:
    """Read the OKR file and map each objective id to its score."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {o["id"]: objective_score(o["key_results"]) for o in data["objectives"]}


def sustainable_capacity(velocities: list[float], headcount_ratio: float = 1.0, focus: float = 0.8) -> float:
    """Points to plan for the next sprint.

    The mean of recent velocities, scaled by the change in headcount (new team size ÷ old
    team size) and by a focus factor that leaves room for support, reviews and the
    unexpected. Illustrative numbers: sustainable_capacity([30, 50], 0.5, 0.8) == 16.0.
    Raise ValueError if ``velocities`` is empty.
    """
    if not velocities:
        raise ValueError("at least one past velocity is needed")
    return sum(velocities) / len(velocities) * headcount_ratio * focus


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
    kept = [item for item in backlog if item["objective"] in keep]
    kept.sort(key=lambda item: (-item["value"] / item["points"], item["id"]))
    plan, used = [], 0
    for item in kept:
        if used + item["points"] <= capacity:
            plan.append(item["id"])
            used += item["points"]
    return plan


if __name__ == "__main__":
    for objective, score in score_okrs().items():
        print(f"{objective}: {score:.2f}")
    capacity = sustainable_capacity([40, 42, 38], headcount_ratio=6 / 8, focus=0.8)
    print(f"Capacity for the next sprint: {capacity:.0f} points")
    print("Plan:", replan(load_backlog(), {"O1", "O2", "platform"}, capacity))
