"""Hidden tests for the marketplace-economics exercise (run by `coursekit grade exercise`).

Each of the three checks on its own, on made-up rows; ratios, take rates and fees on
numbers and fee schedules the public tests do not use. Rows built here and every fee
schedule are illustrative; data/figures.csv rows are reported figures.
"""

import pytest


def row(value=10.0, metric="gmv", period="2024", scope="whole business", company="Example"):
    return {"company": company, "metric": metric, "scope": scope, "period": period, "fact": "", "value": value}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"metric": "revenue"}, "metric"),
        ({"period": "2023"}, "period"),
        ({"period": "2024-Q4"}, "period"),
        ({"scope": "Europe segment"}, "scope"),
    ],
)
def test_each_check_on_its_own(learner, change, field):
    """A difference in any one of metric, period or scope is enough to refuse, and the message names it."""
    a, b = row(40.0), row(10.0, **change)
    assert learner.comparable(a, b) is False, f"rows differing only in {field} are not comparable"
    assert learner.comparable(b, a) is False, "the checks do not depend on the order of the figures"
    with pytest.raises(ValueError, match=field):
        learner.ratio(a, b)


def test_company_and_fact_do_not_matter(learner):
    """Two platforms' figures compare when metric, period and scope agree."""
    a, b = row(45.0, company="A", period="2023-Q1"), row(15.0, company="B", period="2023-Q1")
    assert learner.comparable(a, b) is True
    assert learner.ratio(a, b) == pytest.approx(3.0)
    assert learner.ratio(b, a) == pytest.approx(1 / 3)


def test_all_three_differences_named(learner):
    """When everything differs, the message names every check that fails."""
    with pytest.raises(ValueError) as caught:
        learner.ratio(row(), row(metric="net_sales", period="2024-Q2", scope="AWS segment"))
    message = str(caught.value)
    assert "metric" in message and "period" in message and "scope" in message, message


def test_the_reported_rows(learner):
    """Every row of data/figures.csv, and which reported pairs compare."""
    f = learner.load_figures()
    assert f["aws_net_sales_2024"]["scope"] == "AWS segment" and f["aws_net_sales_2024"]["value"] == pytest.approx(
        107.6
    )
    assert f["amazon_na_net_sales_2024"]["company"] == "Amazon" and f["amazon_na_net_sales_2024"]["fact"] == "P12"
    keys = sorted(f)
    passing = {(a, b) for a in keys for b in keys if a < b and learner.comparable(f[a], f[b])}
    assert passing == {("douyin_gmv_2024", "tiktok_gmv_2024")}, f"pairs that compare: {sorted(passing)}"


def test_take_rate_other_numbers(learner):
    """Take rates on other numbers; zero or negative GMV refused."""
    assert learner.take_rate(3, 60) == pytest.approx(5.0)
    assert learner.take_rate(0, 10) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        learner.take_rate(1, -5)


def test_fees_on_a_made_up_schedule(learner):
    """A schedule the data does not contain, on other order values."""
    schedule = {
        "description": "made up",
        "commission_pct": 10,
        "per_order_fee": 1.5,
        "fulfilment_fee": 2.0,
        "affiliate_pct": 20,
    }
    assert learner.platform_fees(100, schedule) == pytest.approx(13.5)
    assert learner.seller_payout(100, schedule) == pytest.approx(66.5)
    assert learner.platform_fees(0, schedule) == pytest.approx(3.5)


def test_fees_on_the_data_at_another_price(learner):
    """The three illustrative channels on a US$25 order."""
    schedules = learner.load_fee_schedules()
    assert learner.platform_fees(25, schedules["search_marketplace"]) == pytest.approx(9.75)
    assert learner.seller_payout(25, schedules["social_shop"]) == pytest.approx(15.5)
    assert learner.seller_payout(25, schedules["auction_marketplace"]) == pytest.approx(21.35)
