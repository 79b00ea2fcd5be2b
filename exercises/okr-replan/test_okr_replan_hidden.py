"""Hidden tests for the okr-replan exercise (run by `coursekit grade exercise`).

Key results, velocities and backlogs the public tests do not show. Every number is
illustrative.
"""

import pytest


def test_kr_score_other_numbers(learner):
    """Progress both ways, clamped to 0..1, exact at start and target."""
    assert learner.kr_score(0, 40, 10) == pytest.approx(0.25)
    assert learner.kr_score(50, 20, 35) == pytest.approx(0.5)
    assert learner.kr_score(50, 20, 20) == pytest.approx(1.0)
    assert learner.kr_score(50, 20, 10) == pytest.approx(1.0)
    assert learner.kr_score(50, 20, 60) == pytest.approx(0.0)
    assert learner.kr_score(3, 9, 3) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        learner.kr_score(-2, -2, 0)


def test_objective_score_other_results(learner):
    """The mean of clamped scores, for one and for several key results."""
    assert learner.objective_score([{"start": 1, "target": 3, "actual": 2, "name": "x"}]) == pytest.approx(0.5)
    krs = [
        {"start": 0, "target": 4, "actual": 8},
        {"start": 8, "target": 4, "actual": 10},
        {"start": 0, "target": 4, "actual": 1},
        {"start": 0, "target": 4, "actual": 3},
    ]
    assert learner.objective_score(krs) == pytest.approx(0.5)


def test_sustainable_capacity_other_numbers(learner):
    """Average velocity, scaled by the headcount change and the focus factor (default 0.8)."""
    assert learner.sustainable_capacity([20]) == pytest.approx(16.0)
    assert learner.sustainable_capacity([10, 20, 30, 40], headcount_ratio=1.2, focus=0.5) == pytest.approx(15.0)


BACKLOG = [
    {"id": "X1", "objective": "keep", "points": 5, "value": 10},
    {"id": "X2", "objective": "keep", "points": 2, "value": 6},
    {"id": "X3", "objective": "drop", "points": 1, "value": 9},
    {"id": "X4", "objective": "keep", "points": 4, "value": 8},
    {"id": "X5", "objective": "also", "points": 3, "value": 3},
    {"id": "X0", "objective": "also", "points": 1, "value": 2},
]


def test_replan_other_backlog(learner):
    """Dropped objectives left out, value per point first, ties by id, skipping what does not fit."""
    assert learner.replan(BACKLOG, {"keep", "also"}, 100) == ["X2", "X0", "X1", "X4", "X5"]
    assert learner.replan(BACKLOG, {"keep", "also"}, 8) == ["X2", "X0", "X1"]
    assert learner.replan(BACKLOG, {"keep"}, 6) == ["X2", "X4"]
    assert learner.replan(BACKLOG, set(), 100) == []
    assert learner.replan(BACKLOG, {"keep", "also"}, 0) == []


def test_replan_the_data_other_capacities(learner):
    """The course's backlog at capacities the public tests do not use."""
    backlog = learner.load_backlog()
    assert learner.replan(backlog, {"O1", "O2", "platform"}, 11) == ["B3", "B7", "B2"]
    assert learner.replan(backlog, {"O3"}, 15) == ["B6", "B9"]
