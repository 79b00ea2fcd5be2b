"""A purchase funnel and weekly cohorts from an event log.

Implement the functions marked TODO. Use only the Python standard library.
data/events.csv is an illustrative, generated log (see data/README.md): one row per
event, with the columns user, timestamp, event, channel.
"""

import csv
from datetime import date, datetime
from pathlib import Path

# The data/ folder beside this file, whichever folder you run it from (in a notebook, which
# has no __file__, or when there is no data/ beside the file: the one in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA = HERE / "data" if (HERE / "data").is_dir() else Path("data")

STEPS = ("view", "add_to_cart", "purchase")
CHANNELS = ("video", "shop_page", "live")
WEEK_ZERO = date(2024, 10, 7)  # the Monday the log starts; week 0 runs from it for seven days


def load_events(path: str | Path = DATA / "events.csv") -> list[dict]:
    """Read the log into a list of dicts with the keys user, time (a datetime), event and
    channel, sorted by time, earliest first. The file itself is in no particular order."""
    # TODO: read the rows with csv.DictReader, turn each timestamp into a datetime, sort by time.
    raise NotImplementedError("load_events is not written yet")


def funnel(events: list[dict], channel: str | None = None) -> dict[str, int]:
    """How many users reached each step, in order: {"view": n, "add_to_cart": n, "purchase": n}.

    A user counts once per step, however many times they did it. A user reaches a step only
    with an event of that step at or after the time they reached the step before (a cart
    logged before any view does not count, nor a purchase with no cart before it). With a
    ``channel``, only that channel's events are used. ``events`` may be in any order.
    """
    # TODO: group the events by user; walk each user's events in time order through STEPS.
    raise NotImplementedError("funnel is not written yet")


def step_conversion(counts: dict[str, int]) -> dict[str, float | None]:
    """Each step after the first as a percentage of the step before it:
    {"add_to_cart": ..., "purchase": ...}; None where the step before has no users."""
    # TODO: divide each step by the step before it, as a percentage.
    raise NotImplementedError("step_conversion is not written yet")


def funnel_by_channel(events: list[dict]) -> dict[str, dict[str, int]]:
    """The funnel of each channel in CHANNELS, counted on that channel's events only."""
    # TODO: one funnel per channel.
    raise NotImplementedError("funnel_by_channel is not written yet")


def week_of(moment: datetime) -> int:
    """Whole weeks since WEEK_ZERO (already written for you)."""
    return (moment.date() - WEEK_ZERO).days // 7


def weekly_retention(events: list[dict], weeks: int = 4) -> dict[int, list[float | None]]:
    """Weekly cohorts of buyers and the share of each that buys again.

    A user's cohort is the week of their first purchase. For each cohort, return a list of
    ``weeks`` percentages: entry k is the share of the cohort's users with at least one
    purchase in week cohort + k (so entry 0 is 100.0). An entry for a week after the last
    week of the log is None: that cohort has not been observed so long yet.
    """
    # TODO: find each buyer's purchase weeks, group buyers by their first, then count per week.
    raise NotImplementedError("weekly_retention is not written yet")


if __name__ == "__main__":
    # Try your functions on the illustrative log once they are written.
    events = load_events()
    print(len(events), "events from", len({e["user"] for e in events}), "users (illustrative)")
    for channel, counts in funnel_by_channel(events).items():
        rates = step_conversion(counts)
        print(
            f"{channel:>9}: {counts}  view->cart {rates['add_to_cart']:.1f}%  cart->purchase {rates['purchase']:.1f}%"
        )
    print("Weekly retention of buyers, % (cohort: week 0, 1, 2, 3):")
    for cohort, row in weekly_retention(events).items():
        print(f"  week {cohort}:", ["-" if r is None else round(r, 1) for r in row])
