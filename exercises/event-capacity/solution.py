"""Capacity, latency and stock for a shopping event (reference solution).

Standard library only. data/scenario.json is an illustrative scenario (see data/README.md).
"""

import json
import math
from pathlib import Path

# The data/ folder beside this file, whichever folder you run it from (in a notebook, which
# has no __file__, or when there is no data/ beside the file: the one in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA = HERE / "data" if (HERE / "data").is_dir() else Path("data")


def load_scenario(path: str | Path = DATA / "scenario.json") -> dict:
    """Read the illustrative scenario (already written for you)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def peak_rps(baseline_rps: float, event_multiplier: float, growth_factor: float = 1.0) -> float:
    """Expected peak requests per second: the baseline, times the event surge, times growth.

    Illustrative numbers: peak_rps(100, 5) == 500.0; peak_rps(100, 5, 2) == 1000.0.
    """
    return baseline_rps * event_multiplier * growth_factor


def instances_needed(peak: float, per_instance_rps: float, headroom_pct: float) -> int:
    """Instances needed to serve ``peak`` while keeping ``headroom_pct`` of each one free.

    Round up: half an instance does not exist. Raise ValueError unless 0 <= headroom_pct < 100.
    """
    if not 0 <= headroom_pct < 100:
        raise ValueError("headroom_pct must be at least 0 and below 100")
    usable = per_instance_rps * (100 - headroom_pct) / 100
    return math.ceil(peak / usable)


def latency_report(budget_ms: float, stages_ms: dict[str, float]) -> dict:
    """Check a chain of sequential stages against an end-to-end latency budget.

    Return a dict with total_ms (the sum of the stages), remaining_ms (budget minus total,
    negative when over), within_budget (bool) and largest_stage (the name of the slowest).
    Adding p99s gives a pessimistic total: a safe first check.
    """
    total = sum(stages_ms.values())
    return {
        "total_ms": total,
        "remaining_ms": budget_ms - total,
        "within_budget": total <= budget_ms,
        "largest_stage": max(stages_ms, key=stages_ms.get),
    }


def error_budget(slo_pct: float, requests: int) -> float:
    """How many of ``requests`` may fail without breaking an availability SLO of ``slo_pct``.

    Illustrative numbers: error_budget(99, 1000) == 10.0.
    """
    return requests * (100 - slo_pct) / 100


def allocate_stock(stock: int, orders: list[tuple[str, int]]) -> tuple[list[str], int]:
    """Accept orders in arrival order while stock lasts; never sell more than ``stock``.

    ``orders`` is a list of (order_id, quantity). An order is accepted whole or rejected:
    no partial fills. An order for zero or fewer units is rejected. Later, smaller orders
    may still fit after a large one is rejected. Return (accepted order ids, stock left).
    """
    accepted = []
    for order_id, quantity in orders:
        if 0 < quantity <= stock:
            stock -= quantity
            accepted.append(order_id)
    return accepted, stock


if __name__ == "__main__":
    s = load_scenario()
    peak = peak_rps(s["baseline_checkout_rps"], s["event_multiplier"], s["growth_factor"])
    print("Peak checkout rps:", peak)
    print("Instances needed:", instances_needed(peak, s["per_instance_rps"], s["headroom_pct"]))
    print("Latency:", latency_report(s["latency_budget_ms"], s["stages_ms"]))
    print("Failed checkouts allowed over the event:", round(error_budget(s["slo_pct"], s["event_checkout_requests"])))
    print("Flash deal, 5 units:", allocate_stock(5, [("a", 2), ("b", 2), ("c", 2), ("d", 1)]))
