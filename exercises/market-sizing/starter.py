"""Size a market and test a target against it.

Implement the five functions below. Use only the Python standard library.
data/market.json holds the total addressable market (a reported figure) and three sets
of illustrative assumptions; see data/README.md.
"""

import json
from pathlib import Path

# The data/ folder beside this file, whichever folder you run it from (in a notebook, which
# has no __file__, or when there is no data/ beside the file: the one in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA = HERE / "data" if (HERE / "data").is_dir() else Path("data")


def funnel(tam: float, sam_share: float, som_share: float) -> tuple[float, float, float]:
    """Return (TAM, SAM, SOM) for a total market and two shares between 0 and 1.

    SAM is ``sam_share`` of TAM; SOM is ``som_share`` of SAM (not of TAM).
    Illustrative numbers: funnel(100, 0.5, 0.2) == (100, 50.0, 10.0).
    Raise ValueError if either share is below 0 or above 1.
    """
    # TODO: check both shares, then work down the funnel one step at a time.
    raise NotImplementedError("funnel is not written yet")


def load_market(path: str | Path = DATA / "market.json") -> tuple[float, dict[str, tuple[float, float]], float]:
    """Read the data file and return (tam, scenarios, target).

    ``tam`` and ``target`` are floats in US$ billion; ``scenarios`` maps each scenario
    name to a (sam_share, som_share) tuple of floats.
    Example: load_market()[0] == 69.0
    """
    # TODO: open the file with json.load and pick out the three parts.
    raise NotImplementedError("load_market is not written yet")


def size_scenarios(tam: float, scenarios: dict[str, tuple[float, float]]) -> dict[str, float]:
    """Map each scenario name to its SOM, in the same unit as ``tam``.

    Illustrative numbers: size_scenarios(100, {"a": (0.5, 0.2)}) == {"a": 10.0}.
    """
    # TODO: call funnel() for each scenario and keep the SOM.
    raise NotImplementedError("size_scenarios is not written yet")


def attainment(actual: float, target: float) -> float:
    """How much of the target was reached, in percent.

    Illustrative numbers: attainment(45, 60) == 75.0; beating the target gives more than 100.
    Raise ValueError if ``target`` is zero or negative.
    """
    # TODO: divide actual by target and express it in percent.
    raise NotImplementedError("attainment is not written yet")


def share_of_sam_needed(target: float, tam: float, sam_share: float) -> float:
    """The share of the SAM, in percent, that a business must win to hit ``target``.

    Illustrative numbers: share_of_sam_needed(10, 100, 0.5) == 20.0.
    A result above 100 means the target is larger than the whole serviceable market.
    """
    # TODO: work out the SAM first, then compare the target with it.
    raise NotImplementedError("share_of_sam_needed is not written yet")


if __name__ == "__main__":
    # Try your functions on the data once they are written.
    tam, scenarios, target = load_market()
    for name, som in size_scenarios(tam, scenarios).items():
        sam_share = scenarios[name][0]
        print(
            f"{name:>8}: SOM US${som:.1f} billion; the target needs "
            f"{share_of_sam_needed(target, tam, sam_share):.0f}% of the SAM"
        )
    # The reported, disputed target (P16) against an industry estimate (P17): both rough.
    with open(DATA / "market.json", encoding="utf-8") as f:
        reported = json.load(f)["reported"]
    estimate, goal = (reported[k]["value_usd_billion"] for k in ("us_gmv_2024_estimate", "us_target_2024"))
    print(
        f"Estimated US GMV 2024 against the reported target: {attainment(estimate, goal):.0f}% "
        "(an estimate against a disputed figure)"
    )
