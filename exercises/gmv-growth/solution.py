"""Growth and scale from reported GMV: a reference solution (standard library only)."""

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


def load_gmv(path: str | Path = DATA / "gmv.csv") -> dict[str, dict]:
    """Read the CSV of reported figures: map each ``metric`` to a dict with its ``period``
    (a string such as "2024" or "2024-Q4") and its ``value`` (a float, US$ billion).

    The file has the columns metric, period, value_usd_billion, fact, source.
    Example: load_gmv()["douyin_gmv"] == {"period": "2024", "value": 490.0}
    """
    with open(path, newline="", encoding="utf-8") as f:
        return {
            row["metric"]: {"period": row["period"], "value": float(row["value_usd_billion"])}
            for row in csv.DictReader(f)
        }


def _split(period: str) -> tuple[str, str | None]:
    year, _, quarter = period.partition("-")
    return year, quarter or None


def same_season(period_a: str, period_b: str) -> bool:
    """True when a change from ``period_a`` to ``period_b`` is free of seasonal effects:
    two different full years ("2023", "2024"), or the same quarter of two different years
    ("2023-Q4", "2024-Q4"). Two different quarters, a quarter against a year, or a period
    against itself are not.
    """
    (year_a, quarter_a), (year_b, quarter_b) = _split(period_a), _split(period_b)
    return year_a != year_b and quarter_a == quarter_b


def like_for_like_growth(before: dict, after: dict) -> float:
    """Growth in percent from figure ``before`` to figure ``after`` (dicts as load_gmv gives),
    refusing with ValueError when the two periods are not in the same season."""
    if not same_season(before["period"], after["period"]):
        raise ValueError(
            f"{before['period']} to {after['period']} mixes growth with the season: "
            "compare a quarter with the same quarter a year earlier, or a year with a year"
        )
    return growth_rate(before["value"], after["value"])


if __name__ == "__main__":
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
