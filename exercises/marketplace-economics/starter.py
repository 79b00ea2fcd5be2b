"""Marketplace economics: like-for-like comparisons and take rates.

Implement the functions marked TODO. Use only the Python standard library.
data/figures.csv holds reported figures (see data/README.md);
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
    # TODO: read the CSV with csv.DictReader; convert value_usd_billion to a float
    # and store it under the key "value".
    raise NotImplementedError("load_figures is not written yet")


def comparable(a: dict, b: dict) -> bool:
    """True when two figures pass the three checks of a like-for-like comparison: the same
    metric, the same period and the same scope.

    "2024" is the full year, "2024-Q3" one quarter of it; a scope is "whole business" or
    one segment, such as "AWS segment".
    """
    # TODO: apply the three checks of module 4.
    raise NotImplementedError("comparable is not written yet")


def ratio(a: dict, b: dict) -> float:
    """How many times larger figure ``a`` is than figure ``b``.

    Raise ValueError when the two are not comparable, with a message that names each
    check that fails (metric, period or scope).
    """
    # TODO: refuse unlike comparisons, then divide the values.
    raise NotImplementedError("ratio is not written yet")


def take_rate(platform_revenue: float, gmv: float) -> float:
    """The platform's revenue as a percentage of the GMV that passed through it.

    Illustrative numbers: take_rate(24, 200) == 12.0. Raise ValueError if gmv <= 0.
    """
    # TODO: return a percentage, not a fraction.
    raise NotImplementedError("take_rate is not written yet")


def load_fee_schedules(path: str | Path = DATA / "fee_schedules.json") -> dict[str, dict]:
    """Read the illustrative fee schedules (already written for you)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {name: schedule for name, schedule in data.items() if not name.startswith("_")}


def platform_fees(order_value: float, schedule: dict) -> float:
    """What the platform keeps from one order: commission, per-order fee and fulfilment fee.

    The creator's affiliate commission is NOT platform revenue, so it is left out here.
    """
    # TODO: commission_pct applies to the order value; the two fees are fixed amounts.
    raise NotImplementedError("platform_fees is not written yet")


def seller_payout(order_value: float, schedule: dict) -> float:
    """What the seller receives from one order after platform fees and the creator's commission."""
    # TODO: start from the order value; take off the platform fees and the affiliate commission.
    raise NotImplementedError("seller_payout is not written yet")


if __name__ == "__main__":
    # Try your functions once they are written.
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
