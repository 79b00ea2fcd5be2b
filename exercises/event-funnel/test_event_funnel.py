"""Public tests for the event-funnel exercise.

The `learner` fixture is your module. Tests run with this exercise folder as the working
directory. data/events.csv and the small logs below are illustrative, made-up events.
"""

from datetime import datetime

import pytest


def ev(user, when, event, channel="video"):
    """One event; ``when`` is "day hh:mm" in October 2024 (illustrative)."""
    day, clock = when.split()
    return {
        "user": user,
        "time": datetime.fromisoformat(f"2024-10-{int(day):02d}T{clock}"),
        "event": event,
        "channel": channel,
    }


def test_load_events_reads_and_sorts(learner):
    events = learner.load_events("data/events.csv")
    assert isinstance(events, list) and len(events) == 3568, (
        f"data/events.csv has 3568 events after the header; got {len(events) if isinstance(events, list) else events!r}"
    )
    first = events[0]
    assert set(first) == {"user", "time", "event", "channel"}, (
        f"each event needs exactly these keys; got {sorted(first)}"
    )
    assert isinstance(first["time"], datetime), "turn the timestamp into a datetime with datetime.fromisoformat"
    times = [e["time"] for e in events]
    assert times == sorted(times), "the file is in no particular order: sort the events by time, earliest first"


def test_funnel_counts_each_user_once_per_step(learner):
    log = [
        ev("ann", "7 10:00", "view"),
        ev("ann", "7 10:01", "view"),
        ev("ann", "7 10:02", "view"),
        ev("ann", "7 10:05", "add_to_cart"),
        ev("ann", "7 10:06", "add_to_cart"),
        ev("ann", "7 10:09", "purchase"),
        ev("bob", "8 12:00", "view"),
    ]
    counts = learner.funnel(log)
    assert counts == {"view": 2, "add_to_cart": 1, "purchase": 1}, (
        f"got {counts}: two users viewed, one added to cart and bought. Count users, not events"
    )


def test_funnel_respects_the_order_of_events(learner):
    log = [
        ev("cat", "9 09:00", "add_to_cart"),
        ev("cat", "9 09:10", "view"),  # cart logged before the view
        ev("dan", "9 11:00", "view"),
        ev("dan", "9 11:05", "purchase"),  # bought without a cart
        ev("eve", "9 12:00", "view"),
        ev("eve", "9 12:01", "add_to_cart"),
        ev("eve", "9 12:02", "purchase"),
    ]
    counts = learner.funnel(list(reversed(log)))
    assert counts == {"view": 3, "add_to_cart": 1, "purchase": 1}, (
        f"got {counts}: only eve went view, then cart, then purchase. A step counts only after the step "
        "before it, and the events may arrive in any order"
    )


def test_funnel_by_channel_and_step_conversion(learner):
    log = [
        ev("f", "10 10:00", "view", "live"),
        ev("f", "10 10:01", "add_to_cart", "live"),
        ev("f", "10 10:02", "purchase", "live"),
        ev("g", "10 10:00", "view", "live"),
        ev("g", "10 11:00", "add_to_cart", "video"),
        ev("h", "10 12:00", "view", "shop_page"),
    ]
    by_channel = learner.funnel_by_channel(log)
    assert by_channel["live"] == {"view": 2, "add_to_cart": 1, "purchase": 1}, (
        f"live: got {by_channel['live']}; g's cart was in another channel, so it does not count for live"
    )
    assert by_channel["video"] == {"view": 0, "add_to_cart": 0, "purchase": 0}, (
        f"video: got {by_channel['video']}; a cart with no view in the same channel reaches no step"
    )
    rates = learner.step_conversion({"view": 200, "add_to_cart": 50, "purchase": 20})
    assert rates["add_to_cart"] == pytest.approx(25.0) and rates["purchase"] == pytest.approx(40.0), (
        f"got {rates}: 50 of 200 viewers added to cart (25%), 20 of those 50 bought (40%). The denominator "
        "is the step before, not the top of the funnel (that would give 10%)"
    )
    assert learner.step_conversion({"view": 0, "add_to_cart": 0, "purchase": 0}) == {
        "add_to_cart": None,
        "purchase": None,
    }, "with nobody at the step before, the rate is None, not 0"


def test_weekly_retention_small_log(learner):
    log = [
        ev("p", "7 10:00", "purchase"),
        ev("p", "15 10:00", "purchase"),  # weeks 0 and 1
        ev("q", "8 10:00", "purchase"),
        ev("q", "9 10:00", "purchase"),  # twice in week 0
        ev("r", "14 10:00", "purchase"),
        ev("r", "21 10:00", "view"),
    ]  # week 1; the log ends in week 2
    table = learner.weekly_retention(log, weeks=4)
    assert table[0] == pytest.approx([100.0, 50.0, 0.0, None]), (
        f"cohort 0 (p and q): got {table.get(0)}. In week 1 only p bought again; week 2 is observed but "
        "nobody bought; week 3 lies after the end of the log, so it is None"
    )
    assert table[1] == pytest.approx([100.0, 0.0, None, None]), f"cohort 1 (r): got {table.get(1)}"
    assert set(table) == {0, 1}, f"cohorts are the weeks of first purchases only: got {sorted(table)}"


def test_the_illustrative_log(learner):
    events = learner.load_events()
    video = learner.funnel_by_channel(events)["video"]
    assert video == {"view": 366, "add_to_cart": 185, "purchase": 115}, f"video funnel: got {video}"
    assert learner.weekly_retention(events)[5] == pytest.approx([100.0, None, None, None])
