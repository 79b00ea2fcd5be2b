"""Hidden tests for the event-capacity exercise (run by `coursekit grade exercise`).

Numbers and orders the public tests do not use. Every number is illustrative.
"""

import pytest


def test_peak_rps_other_numbers(learner):
    """The three factors multiply, growth included."""
    assert learner.peak_rps(40, 10) == pytest.approx(400.0)
    assert learner.peak_rps(120, 3, 0.5) == pytest.approx(180.0)


def test_instances_needed_other_numbers(learner):
    """Usable capacity is what the headroom leaves; the count rounds up."""
    assert learner.instances_needed(1000, 200, 50) == 10
    assert learner.instances_needed(1001, 200, 50) == 11
    assert learner.instances_needed(90, 100, 10) == 1
    assert learner.instances_needed(91, 100, 10) == 2
    with pytest.raises(ValueError):
        learner.instances_needed(10, 10, 100.5)


def test_latency_report_other_stages(learner):
    """Totals, what remains (negative when over) and the slowest stage on another chain."""
    report = learner.latency_report(500, {"dns": 20, "render": 310, "db": 90})
    assert report["total_ms"] == pytest.approx(420) and report["remaining_ms"] == pytest.approx(80)
    assert report["within_budget"] is True and report["largest_stage"] == "render"
    report = learner.latency_report(200, {"a": 10, "b": 180, "c": 40})
    assert report["remaining_ms"] == pytest.approx(-30) and report["within_budget"] is False
    assert report["largest_stage"] == "b"
    assert learner.latency_report(100, {"x": 60, "y": 40})["within_budget"] is True


def test_error_budget_other_numbers(learner):
    """What an SLO leaves to fail, on other targets and volumes."""
    assert learner.error_budget(99.5, 40_000) == pytest.approx(200.0)
    assert learner.error_budget(100, 5_000) == pytest.approx(0.0)
    assert learner.error_budget(95, 60) == pytest.approx(3.0)


def test_allocate_stock_other_orders(learner):
    """Whole orders in arrival order; a big order skipped, smaller later ones still served."""
    accepted, left = learner.allocate_stock(10, [("a", 4), ("b", 7), ("c", 6), ("d", 1), ("e", 1)])
    assert accepted == ["a", "c"] and left == 0
    accepted, left = learner.allocate_stock(4, [("x", 5), ("y", 2), ("z", 2), ("w", 1)])
    assert accepted == ["y", "z"] and left == 0
    assert learner.allocate_stock(3, []) == ([], 3)
    accepted, left = learner.allocate_stock(0, [("p", 1)])
    assert accepted == [] and left == 0
