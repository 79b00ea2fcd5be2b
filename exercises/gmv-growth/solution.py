"""Growth and scale from reported GMV: a reference solution (standard library only)."""

import csv


def growth_rate(before: float, after: float) -> float:
    """Percentage change from ``before`` to ``after``.

    Illustrative numbers: growth_rate(100, 130) == 30.0 and growth_rate(20, 15) == -25.0.
    Raise ValueError if ``before`` is zero, because growth from nothing is undefined.
    """
    if before == 0:
        raise ValueError("growth from a starting value of zero is undefined")
    return (after - before) / before * 100


def implied_previous(current: float, growth_pct: float) -> float:
    """The previous period's value, given the current value and its growth in percent.

    Illustrative numbers: implied_previous(130, 30) == 100.0 (not 91.0).
    """
    return current / (1 + growth_pct / 100)


def multiple(a: float, b: float) -> float:
    """How many times larger ``a`` is than ``b``.

    Illustrative numbers: multiple(50, 10) == 5.0.
    """
    return a / b


def load_gmv(path: str = "data/gmv.csv") -> dict[str, float]:
    """Read the CSV of reported figures and map each ``metric`` to its value as a float.

    The file has the columns metric, year, value_usd_billion, fact, source.
    Example: load_gmv()["douyin_gmv"] == 490.0
    """
    with open(path, newline="", encoding="utf-8") as f:
        return {row["metric"]: float(row["value_usd_billion"]) for row in csv.DictReader(f)}


if __name__ == "__main__":
    figures = load_gmv()
    print("Douyin vs TikTok GMV, 2024:", round(multiple(figures["douyin_gmv"], figures["tiktok_global_gmv"]), 1), "x")
    print("Douyin GMV, 2023 (implied):", round(implied_previous(figures["douyin_gmv"], 30)), "US$ billion")
    print("eBay GMV, Q3 to Q4 2024:", round(growth_rate(figures["ebay_gmv_q3"], figures["ebay_gmv_q4"]), 1), "%")
