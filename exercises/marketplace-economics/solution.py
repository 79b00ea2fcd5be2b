"""Marketplace economics: like-for-like comparisons and take rates (reference solution).

Standard library only. data/figures.csv holds reported figures (see data/README.md);
data/fee_schedules.json holds illustrative fee schedules for hypothetical channels.
"""

import csv
import json


def load_figures(path: str = "data/figures.csv") -> dict[str, dict]:
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


def _period_length(period: str) -> str:
    return "quarter" if "-Q" in period else "year"


def comparable(a: dict, b: dict) -> bool:
    """True when two figures measure the same metric over periods of the same length.

    "2024" is a full year; "2024-Q3" is one quarter.
    """
    return a["metric"] == b["metric"] and _period_length(a["period"]) == _period_length(b["period"])


def ratio(a: dict, b: dict) -> float:
    """How many times larger figure ``a`` is than figure ``b``.

    Raise ValueError, saying what differs, when the two are not comparable.
    """
    if a["metric"] != b["metric"]:
        raise ValueError(f"different metrics: {a['metric']} vs {b['metric']}")
    if not comparable(a, b):
        raise ValueError(f"different period lengths: {a['period']} vs {b['period']}")
    return a["value"] / b["value"]


def take_rate(platform_revenue: float, gmv: float) -> float:
    """The platform's revenue as a percentage of the GMV that passed through it.

    Illustrative numbers: take_rate(24, 200) == 12.0. Raise ValueError if gmv <= 0.
    """
    if gmv <= 0:
        raise ValueError("GMV must be positive")
    return platform_revenue / gmv * 100


def load_fee_schedules(path: str = "data/fee_schedules.json") -> dict[str, dict]:
    """Read the illustrative fee schedules (already written for you)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {name: schedule for name, schedule in data.items() if not name.startswith("_")}


def platform_fees(order_value: float, schedule: dict) -> float:
    """What the platform keeps from one order: commission, per-order fee and fulfilment fee.

    The creator's affiliate commission is NOT platform revenue, so it is left out here.
    """
    return (order_value * schedule["commission_pct"] / 100
            + schedule["per_order_fee"] + schedule["fulfilment_fee"])


def seller_payout(order_value: float, schedule: dict) -> float:
    """What the seller receives from one order after platform fees and the creator's commission."""
    creator = order_value * schedule["affiliate_pct"] / 100
    return order_value - platform_fees(order_value, schedule) - creator


if __name__ == "__main__":
    figures = load_figures()
    print("Douyin vs TikTok GMV, 2024:", round(ratio(figures["douyin_gmv_2024"], figures["tiktok_gmv_2024"]), 1), "x")
    try:
        ratio(figures["amazon_net_sales_2024"], figures["tiktok_gmv_2024"])
    except ValueError as exc:
        print("Amazon net sales vs TikTok GMV: refused,", exc)
    for name, schedule in load_fee_schedules().items():
        fees = platform_fees(40, schedule)
        print(f"{name}: platform keeps {fees:.2f}, seller gets {seller_payout(40, schedule):.2f} "
              f"on an illustrative US$40 order (platform take {take_rate(fees, 40):.1f}%)")
