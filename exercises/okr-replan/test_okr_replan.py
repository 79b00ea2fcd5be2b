"""Public tests for the okr-replan exercise.

The `learner` fixture is your module (starter.py as you edit it). The tests run with
this exercise folder as the working directory, so the data/ paths resolve.
Every number here is illustrative; see data/README.md.
"""

import pytest


def test_kr_score_partial_progress(learner):
    result = learner.kr_score(10, 20, 15)
    assert result == pytest.approx(0.5), (
        f"kr_score(10, 20, 15) returned {result!r}; halfway from 10 to 20 scores 0.5. "
        "Measure the progress from the start, not actual / target (which gives 0.75)"
    )


def test_kr_score_when_lower_is_better(learner):
    result = learner.kr_score(12, 8, 11)
    assert result == pytest.approx(0.25), (
        f"kr_score(12, 8, 11) returned {result!r}; a return rate that falls from 12 to 11 "
        "against a target of 8 has covered 1 of 4 points, so 0.25"
    )


def test_kr_score_is_kept_between_zero_and_one(learner):
    assert learner.kr_score(1000, 5000, 5600) == pytest.approx(1.0), "beating the target scores 1.0, not more"
    assert learner.kr_score(2000, 3000, 1500) == pytest.approx(0.0), "moving the wrong way scores 0.0, not less"


def test_kr_score_rejects_an_empty_range(learner):
    with pytest.raises(ValueError):
        learner.kr_score(5, 5, 7)


def test_objective_score_is_the_mean(learner):
    krs = [
        {"start": 0, "target": 10, "actual": 10},
        {"start": 0, "target": 10, "actual": 4},
        {"start": 10, "target": 0, "actual": 9},
    ]
    result = learner.objective_score(krs)
    assert result == pytest.approx(0.5), f"the mean of 1.0, 0.4 and 0.1 is 0.5; got {result!r}"
    with pytest.raises(ValueError):
        learner.objective_score([])


def test_score_okrs_on_the_data(learner):
    scores = learner.score_okrs("data/okrs.json")
    assert set(scores) == {"O1", "O2", "O3"}, f"expected scores for O1, O2 and O3; got {sorted(scores)}"
    assert scores["O1"] == pytest.approx(0.5333, abs=0.001), (
        f"O1 should score (0.55 + 0.8 + 0.25) / 3; got {scores['O1']!r}"
    )
    assert scores["O2"] == pytest.approx(0.15), f"O2 should score (0.2 + 0.1) / 2; got {scores['O2']!r}"
    assert scores["O3"] == pytest.approx(0.5), (
        f"O3 should score (1.0 + 0.0) / 2 = 0.5 once both key results are kept between 0 and 1; got {scores['O3']!r}"
    )


def test_sustainable_capacity(learner):
    assert learner.sustainable_capacity([30, 50], 0.5, 0.8) == pytest.approx(16.0)
    result = learner.sustainable_capacity([40, 42, 38], headcount_ratio=6 / 8)
    assert result == pytest.approx(24.0), (
        f"the scenario's capacity should be 40 x 0.75 x 0.8 = 24 points; got {result!r}. "
        "30 means the focus factor was left out, 32 the headcount change"
    )
    with pytest.raises(ValueError):
        learner.sustainable_capacity([])


def test_replan_drops_work_for_dropped_objectives(learner):
    plan = learner.replan(learner.load_backlog(), {"O1", "O2", "platform"}, 100)
    assert sorted(plan) == ["B1", "B2", "B3", "B4", "B7", "B8"], (
        f"with room for everything, the plan should hold every O1, O2 and platform item and nothing for O3; got {plan}"
    )
    assert plan == ["B3", "B7", "B1", "B2", "B4", "B8"], (
        f"items should be ordered by value per point, highest first, ties by id; got {plan}"
    )


def test_replan_skips_what_does_not_fit(learner):
    plan = learner.replan(learner.load_backlog(), {"O1", "O2", "platform"}, 24)
    assert plan == ["B3", "B7", "B1", "B2", "B8"], (
        f"with 24 points, B4 (8 points) no longer fits after B3, B7, B1 and B2 (19 points), "
        f"but B8 (5 points) still does; got {plan}"
    )
