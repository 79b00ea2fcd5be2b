"""A weighted decision matrix with a sensitivity check (reference solution).

Standard library only. data/matrix.json holds illustrative weights and scores, with the
fact ids that support each score (see data/README.md).
"""

import copy
import json
from pathlib import Path

# The data/ folder beside this file, whichever folder you run it from (in a notebook, which
# has no __file__, or when there is no data/ beside the file: the one in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA = HERE / "data" if (HERE / "data").is_dir() else Path("data")


def load_matrix(path: str | Path = DATA / "matrix.json") -> dict:
    """Read the matrix (already written for you)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def normalise_weights(weights: dict[str, float]) -> dict[str, float]:
    """Scale the weights so that they sum to 1, keeping their proportions.

    Illustrative numbers: {"a": 30, "b": 10} -> {"a": 0.75, "b": 0.25}.
    Raise ValueError if any weight is negative or if they add up to zero.
    """
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must not be negative")
    total = sum(weights.values())
    if total == 0:
        raise ValueError("weights must not all be zero")
    return {name: w / total for name, w in weights.items()}


def weighted_scores(matrix: dict) -> dict[str, float]:
    """Each option's score: the sum over criteria of normalised weight x score."""
    weights = normalise_weights({name: c["weight"] for name, c in matrix["criteria"].items()})
    return {
        option: sum(weights[name] * data["scores"][name] for name in weights)
        for option, data in matrix["options"].items()
    }


def rank(scores: dict[str, float]) -> list[str]:
    """Option ids from the highest score to the lowest; ties in alphabetical order."""
    return sorted(scores, key=lambda option: (-scores[option], option))


def winner_with_weight(matrix: dict, criterion: str, new_weight: float) -> str:
    """The top option if ``criterion`` had ``new_weight``; the matrix passed in is not changed.

    Raise ValueError for a criterion that is not in the matrix.
    """
    if criterion not in matrix["criteria"]:
        raise ValueError(f"unknown criterion {criterion!r}")
    changed = copy.deepcopy(matrix)
    changed["criteria"][criterion]["weight"] = new_weight
    return rank(weighted_scores(changed))[0]


def unsupported(matrix: dict) -> list[tuple[str, str]]:
    """(option, criterion) pairs whose score cites no evidence, sorted."""
    return sorted(
        (option, criterion)
        for option, data in matrix["options"].items()
        for criterion, facts in data["evidence"].items()
        if not facts
    )


if __name__ == "__main__":
    m = load_matrix()
    scores = weighted_scores(m)
    for option in rank(scores):
        print(f"{scores[option]:.2f}  {option}: {m['options'][option]['title']}")
    print("Winner if cost_and_risk weighed 35:", winner_with_weight(m, "cost_and_risk", 35))
    print("Scores without evidence:", unsupported(m))
