"""Hidden tests for the market-sizing exercise (run by `coursekit grade exercise`).

Other totals, shares and targets than the public tests use, edge shares of 0 and 1, and
the reported target against the industry estimate. Numbers that are not in
data/market.json are illustrative unless a fact id is named.
"""

import pytest


def test_funnel_other_numbers(learner):
    """Two multiplications down the funnel; shares of exactly 0 and 1 are allowed."""
    assert learner.funnel(200, 0.25, 0.1) == pytest.approx((200, 50.0, 5.0))
    assert learner.funnel(69, 1, 1) == pytest.approx((69, 69.0, 69.0))
    assert learner.funnel(69, 0, 0.5) == pytest.approx((69, 0.0, 0.0))
    with pytest.raises(ValueError):
        learner.funnel(10, 0.5, 1.01)


def test_size_scenarios_other_scenarios(learner):
    """One SOM per scenario, named as given."""
    soms = learner.size_scenarios(50, {"low": (0.2, 0.5), "high": (0.8, 0.5), "none": (0.0, 0.3)})
    assert soms == pytest.approx({"low": 5.0, "high": 20.0, "none": 0.0})


def test_attainment_other_numbers(learner):
    """Attainment in percent; a negative target is refused."""
    assert learner.attainment(30, 40) == pytest.approx(75.0)
    assert learner.attainment(0, 5) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        learner.attainment(3, -1)


def test_reported_target_against_the_estimate(learner):
    """The estimate of US GMV in 2024 (P17, about 9) against the reported target (P16, up to 17.5)."""
    assert learner.attainment(9, 17.5) == pytest.approx(51.43, abs=0.01)


def test_share_of_sam_needed_other_numbers(learner):
    """The share of the SAM, not of the TAM; above 100 when the target exceeds the SAM."""
    assert learner.share_of_sam_needed(6, 60, 0.25) == pytest.approx(40.0)
    assert learner.share_of_sam_needed(30, 100, 0.2) == pytest.approx(150.0)


def test_the_data_in_the_bold_case(learner):
    """The illustrative target against the bold scenario's SAM."""
    tam, scenarios, target = learner.load_market()
    assert learner.share_of_sam_needed(target, tam, scenarios["bold"][0]) == pytest.approx(31.62, abs=0.01)
    assert scenarios["cautious"] == pytest.approx((0.30, 0.15))
