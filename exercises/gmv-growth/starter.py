"""Growth and scale from reported GMV.

Implement the functions marked TODO. Use only the Python standard library.
The data file data/gmv.csv holds reported figures in US$ billion (see data/README.md).
"""

import csv
from pathlib import Path

# The data/ folder beside this file, whichever folder you run it from (in a notebook, which
# has no __file__, or when there is no data/ beside the file: the one in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA = HERE / "data" if (HERE / "data").is_dir() else Path("data")


def growth_rate(before: float, after: float) -> float:
    """Percentage change from ``before`` to ``after``.

    Illustrative numbers: growth_rate(100, 130) == 30.0 and growth_rate(20, 15) == -25.0.
    Raise ValueError if ``before`` is zero, because growth from nothing is undefined.
    """
    # TODO: return the change as a percentage of ``before``.
    raise NotImplementedError("growth_rate is not written yet")


def implied_previous(current: float, growth_pct: float) -> float:
    """The previous period's value, given the current value and its growth in percent.

    Illustrative numbers: implied_previous(130, 30) == 100.0 (not 91.0).
    """
    # TODO: undo the growth.
    raise NotImplementedError("implied_previous is not written yet")


def multiple(a: float, b: float) -> float:
    """How many times larger ``a`` is than ``b``.

    Illustrative numbers: multiple(50, 10) == 5.0.
    """
    # TODO: return the ratio of a to b.
    raise NotImplementedError("multiple is not written yet")


def load_gmv(path: str | Path = DATA / "gmv.csv") -> dict[str, dict]:
    """Read the CSV of reported figures: map each ``metric`` to a dict with its ``period``
    (a string such as "2024" or "2024-Q4") and its ``value`` (a float, US$ billion).

    The file has the columns metric, period, value_usd_billion, fact, source.
    Example: load_gmv()["douyin_gmv"] == {"period": "2024", "value": 490.0}
    """
    # TODO: read the file with the csv module and build the dict.
    raise NotImplementedError("load_gmv is not written yet")


def same_season(period_a: str, period_b: str) -> bool:
    """True when a change from ``period_a`` to ``period_b`` is free of seasonal effects:
    two different full years ("2023", "2024"), or the same quarter of two different years
    ("2023-Q4", "2024-Q4"). Two different quarters, a quarter against a year, or a period
    against itself are not.
    """
    # TODO: split each period into its year and its quarter (if any), then compare.
    raise NotImplementedError("same_season is not written yet")


def like_for_like_growth(before: dict, after: dict) -> float:
    """Growth in percent from figure ``before`` to figure ``after`` (dicts as load_gmv gives),
    refusing with ValueError when the two periods are not in the same season."""
    # TODO: refuse periods that are not in the same season, then compute the growth.
    raise NotImplementedError("like_for_like_growth is not written yet")


if __name__ == "__main__":
    # Try your functions on the reported data once they are written.
    figures = load_gmv()
    print(
        "Douyin vs TikTok GMV, 2024:",
        round(multiple(figures["douyin_gmv"]["value"], figures["tiktok_global_gmv"]["value"]), 1),
        "x",
    )
    print(
        "Douyin GMV, 2023 (implied by +30%):",
        round(implied_previous(figures["douyin_gmv"]["value"], 30)),
        "US$ billion",
    )
    # eBay reported its Q4 2024 GMV as up 4% on Q4 2023: the comparison that removes the season.
    q4_2023 = {"period": "2023-Q4", "value": implied_previous(figures["ebay_gmv_q4"]["value"], 4)}
    print("eBay GMV, Q4 2023 (implied by +4% year on year):", round(q4_2023["value"], 2), "US$ billion")
    print(
        "eBay GMV, Q3 to Q4 2024, raw:",
        round(growth_rate(figures["ebay_gmv_q3"]["value"], figures["ebay_gmv_q4"]["value"]), 1),
        "% (holiday quarter included) against 4% year on year",
    )
    try:
        like_for_like_growth(figures["ebay_gmv_q3"], figures["ebay_gmv_q4"])
    except ValueError as exc:
        print("eBay GMV, Q3 to Q4 2024: refused,", exc)
