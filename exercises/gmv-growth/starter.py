"""Growth and scale from reported GMV.

Implement the four functions below. Use only the Python standard library.
The data file data/gmv.csv holds reported figures in US$ billion.
"""

import csv


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
    # TODO: undo the growth: current = previous * (1 + growth_pct / 100).
    raise NotImplementedError("implied_previous is not written yet")


def multiple(a: float, b: float) -> float:
    """How many times larger ``a`` is than ``b``.

    Illustrative numbers: multiple(50, 10) == 5.0.
    """
    # TODO: return the ratio of a to b.
    raise NotImplementedError("multiple is not written yet")


def load_gmv(path: str = "data/gmv.csv") -> dict[str, float]:
    """Read the CSV of reported figures and map each ``metric`` to its value as a float.

    The file has the columns metric, year, value_usd_billion, fact, source.
    Example: load_gmv()["douyin_gmv"] == 490.0
    """
    # TODO: read the file with the csv module and build the dict.
    raise NotImplementedError("load_gmv is not written yet")


if __name__ == "__main__":
    # Try your functions on the reported data once they are written.
    figures = load_gmv()
    print("Douyin vs TikTok GMV, 2024:", round(multiple(figures["douyin_gmv"], figures["tiktok_global_gmv"]), 1), "x")
    print("Douyin GMV, 2023 (implied):", round(implied_previous(figures["douyin_gmv"], 30)), "US$ billion")
    print("eBay GMV, Q3 to Q4 2024:", round(growth_rate(figures["ebay_gmv_q3"], figures["ebay_gmv_q4"]), 1), "%")
