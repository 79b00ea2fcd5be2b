"""Hidden tests for the event-funnel exercise (run by `coursekit grade exercise`).

Made-up logs the public tests do not show (ties, repeated steps, channels, other window
lengths), and figures from data/events.csv that the public tests do not state. Every
event and number here is illustrative.
"""

from datetime import datetime, timedelta

import pytest

T0 = datetime(2024, 10, 7, 9, 0)


def ev(user, minutes, event, channel="video"):
    """One event, ``minutes`` after Monday 7 October 2024, 09:00 (illustrative)."""
    return {"user": user, "time": T0 + timedelta(minutes=minutes), "event": event, "channel": channel}


def test_a_step_at_the_same_moment_counts(learner):
    """A cart logged in the same second as the view still follows it."""
    log = [ev("a", 0, "add_to_cart"), ev("a", 0, "view"), ev("a", 3, "purchase")]
    assert learner.funnel(log) == {"view": 1, "add_to_cart": 1, "purchase": 1}


def test_a_later_repeat_of_a_step_still_counts(learner):
    """A cart before any view does not count, but a second cart after the view does."""
    log = [
        ev("b", 0, "add_to_cart"),
        ev("b", 5, "purchase"),
        ev("b", 10, "view"),
        ev("b", 20, "purchase"),
        ev("b", 30, "add_to_cart"),
        ev("b", 40, "purchase"),
    ]
    assert learner.funnel(log) == {"view": 1, "add_to_cart": 1, "purchase": 1}
    assert learner.funnel(log[:4]) == {"view": 1, "add_to_cart": 0, "purchase": 0}


def test_many_users_many_repeats(learner):
    """Counts are distinct users per step, whatever the number of events per user."""
    log = []
    for n in range(30):
        user = f"u{n}"
        log += [ev(user, n, "view")] * (1 + n % 4)
        if n % 3 == 0:
            log += [ev(user, n + 1, "add_to_cart")] * 2
            if n % 2 == 0:
                log += [ev(user, n + 2, "purchase")] * 3
    assert learner.funnel(log[::-1]) == {"view": 30, "add_to_cart": 10, "purchase": 5}


def test_channel_filter_keeps_each_path_inside_its_channel(learner):
    """A user's steps in different channels are separate paths; an empty channel is all zeros."""
    log = [
        ev("c", 0, "view", "video"),
        ev("c", 1, "add_to_cart", "shop_page"),
        ev("c", 2, "purchase", "live"),
        ev("d", 0, "view", "shop_page"),
        ev("d", 1, "add_to_cart", "shop_page"),
        ev("d", 2, "purchase", "video"),
    ]
    assert learner.funnel(log) == {"view": 2, "add_to_cart": 2, "purchase": 2}
    by_channel = learner.funnel_by_channel(log)
    assert by_channel == {
        "video": {"view": 1, "add_to_cart": 0, "purchase": 0},
        "shop_page": {"view": 1, "add_to_cart": 1, "purchase": 0},
        "live": {"view": 0, "add_to_cart": 0, "purchase": 0},
    }


def test_step_conversion_other_counts(learner):
    """The denominator is always the step before; a zero step before gives None."""
    rates = learner.step_conversion({"view": 80, "add_to_cart": 20, "purchase": 15})
    assert rates["add_to_cart"] == pytest.approx(25.0) and rates["purchase"] == pytest.approx(75.0)
    rates = learner.step_conversion({"view": 9, "add_to_cart": 0, "purchase": 0})
    assert rates["add_to_cart"] == pytest.approx(0.0) and rates["purchase"] is None


def test_retention_other_window_and_gaps(learner):
    """Cohorts by first purchase week, any window length, None only after the log ends."""
    day = 24 * 60
    log = [
        ev("e", 0, "purchase"),
        ev("e", 15 * day, "purchase"),  # weeks 0 and 2
        ev("f", 2 * day, "view"),
        ev("f", 8 * day, "purchase"),  # first purchase in week 1
        ev("g", 9 * day, "purchase"),
        ev("g", 10 * day, "purchase"),  # week 1 only
        ev("h", 29 * day, "view"),
    ]  # the log ends in week 4
    table = learner.weekly_retention(log, weeks=6)
    assert table[0] == pytest.approx([100.0, 0.0, 100.0, 0.0, 0.0, None])
    assert table[1] == pytest.approx([100.0, 0.0, 0.0, 0.0, None, None])
    short = learner.weekly_retention(log, weeks=2)
    assert (
        sorted(short) == [0, 1] and short[0] == pytest.approx([100.0, 0.0]) and short[1] == pytest.approx([100.0, 0.0])
    )


def test_retention_without_purchases_is_empty(learner):
    """A log with no purchase has no cohorts."""
    assert learner.weekly_retention([ev("v", 0, "view"), ev("v", 1, "add_to_cart")]) == {}


def test_the_illustrative_log_in_full(learner):
    """The overall and per-channel funnels and a 3-week retention table of data/events.csv."""
    events = learner.load_events()
    assert learner.funnel(events) == {"view": 400, "add_to_cart": 254, "purchase": 176}
    by_channel = learner.funnel_by_channel(events)
    assert by_channel["shop_page"] == {"view": 245, "add_to_cart": 162, "purchase": 103}
    assert by_channel["live"] == {"view": 185, "add_to_cart": 86, "purchase": 62}
    table = learner.weekly_retention(events, weeks=3)
    assert sorted(table) == [0, 1, 2, 3, 4, 5]
    assert table[1] == pytest.approx([100.0, 38.7097, 38.7097], abs=1e-3)
    assert table[4] == pytest.approx([100.0, 35.0, None], abs=1e-3)
