"""Public tests for the marketplace-economics exercise.

The `learner` fixture is your module. Tests run with this exercise folder as the working
directory. Rows of data/figures.csv are reported figures; the fee schedules and numbers
such as a US$40 order or 24 out of 200 are illustrative (see data/README.md).
"""

import pytest


def test_load_figures_reads_every_row(learner):
    figures = learner.load_figures("data/figures.csv")
    assert isinstance(figures, dict), f"load_figures should return a dict, got {type(figures).__name__}"
    assert len(figures) == 9, f"data/figures.csv has 9 data rows; got {len(figures)} entries"
    row = figures["ebay_gmv_2024q4"]
    assert row["value"] == pytest.approx(19.3), "ebay_gmv_2024q4 should have value 19.3 (a float)"
    assert isinstance(row["value"], float), "convert value_usd_billion with float()"
    assert row["metric"] == "gmv" and row["period"] == "2024-Q4" and row["scope"] == "whole business", (
        "keep the metric, period and scope columns as strings in each row's dict"
    )


def test_comparable_passes_all_three_checks(learner):
    f = learner.load_figures()
    assert learner.comparable(f["douyin_gmv_2024"], f["tiktok_gmv_2024"]) is True, (
        "Douyin's and TikTok's 2024 GMV: same metric, same year, each the whole business: comparable"
    )


def test_comparable_rejects_different_metrics(learner):
    f = learner.load_figures()
    assert learner.comparable(f["amazon_net_sales_2024"], f["tiktok_gmv_2024"]) is False, (
        "Amazon's net sales and TikTok's GMV are different metrics"
    )
    assert learner.comparable(f["ebay_revenue_2024"], f["tiktok_gmv_2024"]) is False, (
        "eBay's revenue is what eBay earns, not the value of goods sold: not comparable with GMV"
    )


def test_comparable_rejects_different_periods(learner):
    f = learner.load_figures()
    assert learner.comparable(f["ebay_gmv_2024q4"], f["tiktok_gmv_2024"]) is False, (
        "same metric, but one quarter against a full year: not comparable"
    )
    assert learner.comparable(f["ebay_gmv_2024q3"], f["ebay_gmv_2024q4"]) is False, (
        "two different quarters are two different periods (and seasons): not comparable"
    )


def test_comparable_rejects_different_scopes(learner):
    f = learner.load_figures()
    assert learner.comparable(f["amazon_na_net_sales_2024"], f["amazon_net_sales_2024"]) is False, (
        "both are Amazon net sales for 2024, but one segment against the whole business: not comparable"
    )
    assert learner.comparable(f["aws_net_sales_2024"], f["amazon_na_net_sales_2024"]) is False, (
        "two different segments (and AWS is not commerce at all): not comparable"
    )


def test_ratio_douyin_vs_tiktok(learner):
    f = learner.load_figures()
    result = learner.ratio(f["douyin_gmv_2024"], f["tiktok_gmv_2024"])
    assert result == pytest.approx(16.33, abs=0.01), (
        f"Douyin's 2024 GMV over TikTok's should be about 16.3; got {result!r}. "
        "About 0.06 means the arguments are the wrong way round"
    )


def test_ratio_refuses_unlike_figures(learner):
    f = learner.load_figures()
    with pytest.raises(ValueError):
        learner.ratio(f["amazon_net_sales_2024"], f["tiktok_gmv_2024"])
    with pytest.raises(ValueError):
        learner.ratio(f["ebay_gmv_2024q4"], f["tiktok_gmv_2024"])
    with pytest.raises(ValueError, match="scope"):
        learner.ratio(f["amazon_na_net_sales_2024"], f["amazon_net_sales_2024"])


def test_take_rate_is_a_percentage(learner):
    result = learner.take_rate(24, 200)
    assert result == pytest.approx(12.0), (
        f"take_rate(24, 200) returned {result!r}; 24 out of 200 is 12 percent, so expect 12.0. "
        "0.12 is the fraction; about 8.3 means the arguments are swapped"
    )
    with pytest.raises(ValueError):
        learner.take_rate(5, 0)


def test_platform_fees_per_channel(learner):
    schedules = learner.load_fee_schedules()
    expected = {"search_marketplace": 12.0, "auction_marketplace": 5.6, "social_shop": 7.4}
    for name, fees in expected.items():
        result = learner.platform_fees(40, schedules[name])
        assert result == pytest.approx(fees), (
            f"platform_fees(40, {name}) returned {result!r}; expected {fees}. Commission is a "
            "percentage of the order; the per-order and fulfilment fees are fixed; the affiliate "
            "commission goes to the creator and is not a platform fee"
        )


def test_seller_payout_includes_creator_commission(learner):
    schedules = learner.load_fee_schedules()
    result = learner.seller_payout(40, schedules["social_shop"])
    assert result == pytest.approx(27.8), (
        f"seller_payout(40, social_shop) returned {result!r}; expected 27.8: 40 minus 7.4 of "
        "platform fees minus 4.8 of creator commission"
    )
    assert learner.seller_payout(40, schedules["search_marketplace"]) == pytest.approx(28.0)
    assert learner.seller_payout(40, schedules["auction_marketplace"]) == pytest.approx(34.4)
