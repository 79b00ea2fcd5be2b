"""Public tests for the gmv-growth exercise.

The `learner` fixture is your module (starter.py as you edit it). The tests run with
this exercise folder as the working directory, so "data/gmv.csv" resolves.
Numbers such as 100 -> 130 are illustrative; the others are reported figures from
data/gmv.csv (see data/README.md).
"""

import pytest


def test_growth_rate_simple_increase(learner):
    result = learner.growth_rate(100, 130)
    assert result == pytest.approx(30.0), (
        f"growth_rate(100, 130) returned {result!r}; a rise from 100 to 130 is +30 percent, "
        "so expect 30.0 (a percentage, not the fraction 0.3)"
    )


def test_growth_rate_decline_is_negative(learner):
    result = learner.growth_rate(20, 15)
    assert result == pytest.approx(-25.0), (
        f"growth_rate(20, 15) returned {result!r}; a fall from 20 to 15 is -25 percent. "
        "Divide the change by the starting value, not the end value"
    )


def test_growth_rate_rejects_zero_base(learner):
    with pytest.raises(ValueError):
        learner.growth_rate(0, 10)


def test_implied_previous_undoes_growth(learner):
    result = learner.implied_previous(130, 30)
    assert result == pytest.approx(100.0), (
        f"implied_previous(130, 30) returned {result!r}; expected 100.0. "
        "If you got 91.0 you subtracted 30 percent of 130: divide by 1.3 instead"
    )


def test_implied_previous_douyin_2023(learner):
    result = learner.implied_previous(490, 30)
    assert result == pytest.approx(376.92, abs=0.01), (
        f"implied_previous(490, 30) returned {result!r}; Douyin's 2023 GMV implied by "
        "US$490 billion and 30% growth is about 376.9 (US$ billion)"
    )


def test_multiple_douyin_vs_tiktok(learner):
    result = learner.multiple(490, 30)
    assert result == pytest.approx(16.33, abs=0.01), (
        f"multiple(490, 30) returned {result!r}; expected about 16.3. "
        "If you got about 0.06 the arguments are the wrong way round"
    )


def test_load_gmv_reads_every_row_as_float(learner):
    data = learner.load_gmv("data/gmv.csv")
    assert isinstance(data, dict), f"load_gmv should return a dict, got {type(data).__name__}"
    assert len(data) == 9, f"data/gmv.csv has 9 data rows (after the header); got {len(data)} entries"
    assert all(isinstance(v, float) for v in data.values()), (
        "every value should be a float; convert value_usd_billion with float()"
    )
    assert data["douyin_gmv"] == pytest.approx(490.0), "douyin_gmv should be 490.0"
    assert data["amazon_net_sales"] == pytest.approx(638.0), "amazon_net_sales should be 638.0"


def test_load_gmv_default_path(learner):
    data = learner.load_gmv()
    assert "tiktok_global_gmv" in data, (
        "load_gmv() with no argument should read data/gmv.csv and include tiktok_global_gmv"
    )


def test_functions_together_on_reported_data(learner):
    data = learner.load_gmv()
    scale = learner.multiple(data["douyin_gmv"], data["tiktok_global_gmv"])
    assert scale == pytest.approx(16.33, abs=0.01), (
        f"Douyin's 2024 GMV over TikTok's should be about 16.3x; got {scale!r}"
    )
    q3_to_q4 = learner.growth_rate(data["ebay_gmv_q3"], data["ebay_gmv_q4"])
    assert q3_to_q4 == pytest.approx(5.46, abs=0.01), (
        f"eBay's GMV growth from Q3 (18.3) to Q4 2024 (19.3) should be about 5.5 percent; got {q3_to_q4!r}"
    )
