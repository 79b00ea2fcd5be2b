"""Public tests for the event-capacity exercise.

The `learner` fixture is your module. Tests run with this exercise folder as the working
directory. Every number here and in data/scenario.json is illustrative.
"""

import pytest


def test_peak_rps_combines_the_factors(learner):
    assert learner.peak_rps(100, 5) == pytest.approx(500.0), (
        "peak_rps(100, 5) should be 500: the baseline times the event multiplier (growth defaults to 1)"
    )
    assert learner.peak_rps(250, 8, 1.5) == pytest.approx(3000.0), (
        "peak_rps(250, 8, 1.5) should be 3000: baseline x event surge x growth"
    )


def test_instances_needed_rounds_up_with_headroom(learner):
    result = learner.instances_needed(3000, 120, 30)
    assert result == 36, (
        f"instances_needed(3000, 120, 30) returned {result!r}; each instance may use 70 percent "
        "of 120 rps, i.e. 84 rps, and 3000 / 84 = 35.7, rounded up to 36. "
        "25 means you ignored the headroom; 35 means you rounded down"
    )
    assert isinstance(result, int), "return a whole number of instances (an int)"


def test_instances_needed_exact_fit(learner):
    assert learner.instances_needed(840, 120, 30) == 10, (
        "840 rps at 84 usable rps per instance fits exactly in 10 instances; do not add one more"
    )
    assert learner.instances_needed(1000, 100, 0) == 10, "with no headroom, 1000 / 100 = 10 instances"


def test_instances_needed_rejects_impossible_headroom(learner):
    with pytest.raises(ValueError):
        learner.instances_needed(1000, 100, 100)
    with pytest.raises(ValueError):
        learner.instances_needed(1000, 100, -5)


def test_latency_report_within_budget(learner):
    stages = learner.load_scenario()["stages_ms"]
    report = learner.latency_report(800, stages)
    assert report["total_ms"] == pytest.approx(750), f"the six stages add up to 750 ms; got {report['total_ms']!r}"
    assert report["remaining_ms"] == pytest.approx(50), "800 ms budget minus 750 ms leaves 50 ms"
    assert report["within_budget"] is True
    assert report["largest_stage"] == "payment_authorisation", (
        "the slowest stage is payment_authorisation (300 ms): the first place to look"
    )


def test_latency_report_over_budget(learner):
    report = learner.latency_report(100, {"a": 70, "b": 50})
    assert report["within_budget"] is False, "120 ms of stages do not fit a 100 ms budget"
    assert report["remaining_ms"] == pytest.approx(-20), "remaining_ms goes negative when over budget"


def test_error_budget(learner):
    assert learner.error_budget(99, 1000) == pytest.approx(10.0), "a 99 percent SLO lets 1 in 100 fail"
    result = learner.error_budget(99.9, 2_000_000)
    assert result == pytest.approx(2000.0), (
        f"error_budget(99.9, 2000000) returned {result!r}; 0.1 percent of 2,000,000 is 2,000. "
        "If you got 1,998,000 you returned the successes, not the failures allowed"
    )


def test_allocate_stock_never_oversells(learner):
    accepted, left = learner.allocate_stock(5, [("a", 2), ("b", 2), ("c", 2), ("d", 1)])
    assert accepted == ["a", "b", "d"], (
        f"got {accepted!r}; a and b take 4 units, c (2 units) no longer fits, d (1 unit) still does"
    )
    assert left == 0, f"5 units minus 2, 2 and 1 leaves 0; got {left!r}"


def test_allocate_stock_rejects_bad_quantities(learner):
    accepted, left = learner.allocate_stock(3, [("zero", 0), ("neg", -1), ("ok", 3), ("late", 1)])
    assert accepted == ["ok"], (
        f"orders for 0 or fewer units, and orders after the stock runs out, are rejected; got {accepted!r}"
    )
    assert left == 0
