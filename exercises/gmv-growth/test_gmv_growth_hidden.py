"""Hidden tests for the gmv-growth exercise (run by `coursekit grade exercise`).

Other numbers and other periods than the public tests use; rows of data/gmv.csv that the
public tests do not check. Numbers that are not from data/gmv.csv are illustrative.
"""

import pytest


def test_growth_rate_other_numbers(learner):
    """Growth and decline on numbers the public tests do not use."""
    assert learner.growth_rate(80, 100) == pytest.approx(25.0)
    assert learner.growth_rate(250, 200) == pytest.approx(-20.0)
    assert learner.growth_rate(18.3, 19.3) == pytest.approx(5.464, abs=0.001)
    with pytest.raises(ValueError):
        learner.growth_rate(0, 0)


def test_implied_previous_other_numbers(learner):
    """Undoing growth, including a decline and no change."""
    assert learner.implied_previous(90, -10) == pytest.approx(100.0)
    assert learner.implied_previous(42, 0) == pytest.approx(42.0)
    assert learner.implied_previous(300, 50) == pytest.approx(200.0)


def test_multiple_other_numbers(learner):
    """Ratios on numbers the public tests do not use, both ways round."""
    assert learner.multiple(638.0, 107.6) == pytest.approx(5.929, abs=0.001)
    assert learner.multiple(30, 490) == pytest.approx(0.0612, abs=0.0001)


def test_load_gmv_every_row(learner):
    """Every row of data/gmv.csv, with its period and value."""
    data = learner.load_gmv()
    expected = {
        "douyin_gmv": ("2024", 490.0),
        "tiktok_global_gmv": ("2024", 30.0),
        "amazon_net_sales": ("2024", 638.0),
        "amazon_north_america_net_sales": ("2024", 387.5),
        "aws_net_sales": ("2024", 107.6),
        "ebay_revenue": ("2024", 10.3),
        "ebay_gmv_q2": ("2024-Q2", 18.4),
        "ebay_gmv_q3": ("2024-Q3", 18.3),
        "ebay_gmv_q4": ("2024-Q4", 19.3),
    }
    assert set(data) == set(expected)
    for metric, (period, value) in expected.items():
        assert data[metric]["period"] == period, metric
        assert data[metric]["value"] == pytest.approx(value), metric


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("2022", "2024", True),
        ("2024", "2023", True),
        ("2023-Q1", "2024-Q1", True),
        ("2021-Q2", "2024-Q2", True),
        ("2024-Q1", "2024-Q2", False),
        ("2023-Q4", "2024-Q3", False),
        ("2023", "2024-Q1", False),
        ("2024-Q4", "2024-Q4", False),
        ("2024", "2024", False),
    ],
)
def test_same_season_cases(learner, a, b, expected):
    """Whole years, same quarters of different years; not different quarters, mixed lengths or one period."""
    assert learner.same_season(a, b) is expected, f"same_season({a!r}, {b!r})"


def test_like_for_like_growth_other_figures(learner):
    """Growth between made-up figures in the same season; a refusal between seasons."""
    before, after = {"period": "2023-Q2", "value": 50.0}, {"period": "2024-Q2", "value": 55.0}
    assert learner.like_for_like_growth(before, after) == pytest.approx(10.0)
    assert learner.like_for_like_growth(
        {"period": "2023", "value": 400.0}, {"period": "2024", "value": 300.0}
    ) == pytest.approx(-25.0)
    with pytest.raises(ValueError):
        learner.like_for_like_growth({"period": "2024-Q2", "value": 18.4}, {"period": "2024-Q3", "value": 18.3})
    with pytest.raises(ValueError):
        learner.like_for_like_growth({"period": "2023", "value": 10.0}, {"period": "2024-Q4", "value": 3.0})
