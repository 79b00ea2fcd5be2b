"""Marketplace economics: like-for-like comparisons and take rates (reference solution).

Standard library only. data/figures.csv holds reported figures (see data/README.md);
data/fee_schedules.json holds illustrative fee schedules for hypothetical channels.
"""

import csv
import json
from pathlib import Path

# The data/ folder beside this file, whichever folder you run it from (in a notebook, which
# has no __file__, or when there is no data/ beside the file: the one in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA = HERE / "data" if (HERE / "data").is_dir() else Path("data")


def load_figures(path: str | Path = DATA / "figures.csv") -> dict[str, dict]:
    """Read the reported figures into a dict keyed by the ``key`` column.

    Each value is a dict with the keys company, metric, scope, period, fact (strings)
    and value (a float, in US$ billion).
    Example: load_figures()["ebay_gmv_2024q4"]["value"] == 19.3
    """
    figures = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            figures[row["key"]] = {
                "company": row["company"],
                "metric": row["metric"],
                "scope": row["scope"],
                "period": row["period"],
                "fact": row["fact"],
                "value": float(row["value_usd_billion"]),
            }
    return figures


CHECKS = ("metric", "period", "scope")


def _differences(a: dict, b: dict) -> list[str]:
    return [check for check in CHECKS if a[check] != b[check]]


def comparable(a: dict, b: dict) -> bool:
    """True when two figures pass the three checks of a like-for-like comparison: the same
    metric, the same period and the same scope.

    "2024" is the full year, "2024-Q3" one quarter of it; a scope is "whole business" or
    one segment, such as "AWS segment".
    """
    return not _differences(a, b)


def ratio(a: dict, b: dict) -> float:
    """How many times larger figure ``a`` is than figure ``b``.

    Raise ValueError when the two are not comparable, with a message that names each
    check that fails (metric, period or scope).
    """
    if not comparable(a, b):
        raise ValueError(
            "not like for like: "
            + "; ".join(f"different {check} ({a[check]} vs {b[check]})" for check in _differences(a, b))
        )
    return a["value"] / b["value"]


def take_rate(platform_revenue: float, gmv: float) -> float:
    """The platform's revenue as a percentage of the GMV that passed through it.

    Illustrative numbers: take_rate(24, 200) == 12.0. Raise ValueError if gmv <= 0.
    """
    if gmv <= 0:
        raise ValueError("GMV must be positive")
    return platform_revenue / gmv * 100


def load_fee_schedules(path: str | Path = DATA / "fee_schedules.json") -> dict[str, dict]:
    """Read the illustrative fee schedules (already written for you)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {name: schedule for name, schedule in data.items() if not name.startswith("_")}


def platform_fees(order_value: float, schedule: dict) -> float:
    """What the platform keeps from one order: commission, per-order fee and fulfilment fee.

    The creator's affiliate commission is NOT platform revenue, so it is left out here.
    """
    return order_value * schedule["commission_pct"] / 100 + schedule["per_order_fee"] + schedule["fulfilment_fee"]


def seller_payout(order_value: float, schedule: dict) -> float:
    """What the seller receives from one order after platform fees and the creator's commission."""
    creator = order_value * schedule["affiliate_pct"] / 100
    return order_value - platform_fees(order_value, schedule) - creator


if __name__ == "__main__":
    figures = load_figures()
    print("Douyin vs TikTok GMV, 2024:", round(ratio(figures["douyin_gmv_2024"], figures["tiktok_gmv_2024"]), 1), "x")
    for a, b in [
        ("amazon_net_sales_2024", "tiktok_gmv_2024"),
        ("aws_net_sales_2024", "amazon_net_sales_2024"),
        ("ebay_gmv_2024q4", "ebay_gmv_2024q3"),
    ]:
        try:
            print(f"{a} vs {b}:", round(ratio(figures[a], figures[b]), 2))
        except ValueError as exc:
            print(f"{a} vs {b}: refused,", exc)
    for name, schedule in load_fee_schedules().items():
        fees = platform_fees(40, schedule)
        print(
            f"{name}: platform keeps {fees:.2f}, seller gets {seller_payout(40, schedule):.2f} "
            f"on an illustrative US$40 order (platform take {take_rate(fees, 40):.1f}%)"
        )
