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


def test_load_gmv_reads_every_row(learner):
    data = learner.load_gmv("data/gmv.csv")
    assert isinstance(data, dict), f"load_gmv should return a dict, got {type(data).__name__}"
    assert len(data) == 9, f"data/gmv.csv has 9 data rows (after the header); got {len(data)} entries"
    assert data["douyin_gmv"] == {"period": "2024", "value": 490.0}, (
        f"douyin_gmv should be {{'period': '2024', 'value': 490.0}}; got {data['douyin_gmv']!r}"
    )
    assert all(isinstance(row["value"], float) for row in data.values()), (
        "every value should be a float; convert value_usd_billion with float()"
    )
    assert data["ebay_gmv_q4"]["period"] == "2024-Q4", "keep the period column as a string"


def test_load_gmv_default_path(learner):
    data = learner.load_gmv()
    assert "tiktok_global_gmv" in data, (
        "load_gmv() with no argument should read data/gmv.csv and include tiktok_global_gmv"
    )


def test_same_season(learner):
    assert learner.same_season("2023-Q4", "2024-Q4") is True, (
        "Q4 of one year against Q4 of the next compares like with like: both contain the holidays"
    )
    assert learner.same_season("2024-Q3", "2024-Q4") is False, (
        "Q3 to Q4 mixes growth with the holiday season: not the same season"
    )
    assert learner.same_season("2024-Q4", "2024") is False, "a quarter against a full year is not comparable"


def test_like_for_like_growth_refuses_quarter_on_quarter(learner):
    data = learner.load_gmv()
    with pytest.raises(ValueError):
        learner.like_for_like_growth(data["ebay_gmv_q3"], data["ebay_gmv_q4"])


def test_like_for_like_growth_year_on_year(learner):
    data = learner.load_gmv()
    q4_2023 = {"period": "2023-Q4", "value": learner.implied_previous(data["ebay_gmv_q4"]["value"], 4)}
    assert q4_2023["value"] == pytest.approx(18.56, abs=0.01), (
        f"eBay reported Q4 2024 GMV of 19.3 as up 4% on a year earlier, so Q4 2023 was about 18.56; "
        f"got {q4_2023['value']!r}"
    )
    growth = learner.like_for_like_growth(q4_2023, data["ebay_gmv_q4"])
    assert growth == pytest.approx(4.0), f"Q4 2023 to Q4 2024 should give back the reported 4 percent; got {growth!r}"
    scale = learner.multiple(data["douyin_gmv"]["value"], data["tiktok_global_gmv"]["value"])
    assert scale == pytest.approx(16.33, abs=0.01), (
        f"Douyin's 2024 GMV over TikTok's should be about 16.3x; got {scale!r}"
    )
