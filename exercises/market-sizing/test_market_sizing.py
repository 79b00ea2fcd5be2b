"""Public tests for the market-sizing exercise.

The `learner` fixture is your module (starter.py as you edit it). The tests run with
this exercise folder as the working directory, so "data/market.json" resolves.
Apart from the TAM (US$69 billion, a reported estimate), every number here is
illustrative; see data/README.md.
"""

import pytest


def test_funnel_works_down_one_step_at_a_time(learner):
    result = learner.funnel(100, 0.5, 0.2)
    assert result == pytest.approx((100, 50.0, 10.0)), (
        f"funnel(100, 0.5, 0.2) returned {result!r}; expect (100, 50.0, 10.0). "
        "If the SOM came out as 20.0 you took som_share of the TAM instead of the SAM"
    )


def test_funnel_rejects_shares_outside_zero_to_one(learner):
    with pytest.raises(ValueError):
        learner.funnel(100, 1.5, 0.2)
    with pytest.raises(ValueError):
        learner.funnel(100, 0.5, -0.1)


def test_funnel_accepts_shares_written_as_fractions_only(learner):
    # 40 means "40 percent" to a person, but the function takes fractions: it must refuse.
    with pytest.raises(ValueError):
        learner.funnel(69, 40, 25)


def test_load_market_reads_tam_scenarios_and_target(learner):
    tam, scenarios, target = learner.load_market("data/market.json")
    assert tam == pytest.approx(69.0) and isinstance(tam, float), f"tam should be the float 69.0, got {tam!r}"
    assert set(scenarios) == {"cautious", "base", "bold"}, f"expected three scenarios, got {sorted(scenarios)}"
    assert scenarios["base"] == pytest.approx((0.40, 0.25)), (
        f"scenarios['base'] should be the tuple (sam_share, som_share) = (0.4, 0.25), got {scenarios['base']!r}"
    )
    assert target == pytest.approx(12.0), f"target should be 12.0, got {target!r}"


def test_size_scenarios_on_the_data(learner):
    tam, scenarios, _ = learner.load_market()
    soms = learner.size_scenarios(tam, scenarios)
    assert soms["cautious"] == pytest.approx(3.105), (
        f"cautious SOM should be 69 x 0.30 x 0.15 = 3.105, got {soms['cautious']!r}"
    )
    assert soms["base"] == pytest.approx(6.9), f"base SOM should be 69 x 0.40 x 0.25 = 6.9, got {soms['base']!r}"
    assert soms["bold"] == pytest.approx(15.18), f"bold SOM should be 69 x 0.55 x 0.40 = 15.18, got {soms['bold']!r}"


def test_attainment_in_percent(learner):
    assert learner.attainment(45, 60) == pytest.approx(75.0), (
        "attainment(45, 60) should be 75.0: actual divided by target, in percent. "
        "25.0 would be the shortfall, and 133.3 has the arguments the wrong way round"
    )
    assert learner.attainment(72, 60) == pytest.approx(120.0), "beating a target gives more than 100"


def test_attainment_rejects_a_missing_target(learner):
    with pytest.raises(ValueError):
        learner.attainment(10, 0)


def test_share_of_sam_needed(learner):
    result = learner.share_of_sam_needed(10, 100, 0.5)
    assert result == pytest.approx(20.0), (
        f"share_of_sam_needed(10, 100, 0.5) returned {result!r}; the SAM is 50, so a target "
        "of 10 needs 20 percent of it. 10.0 would be the share of the TAM"
    )


def test_target_against_the_scenarios(learner):
    tam, scenarios, target = learner.load_market()
    soms = learner.size_scenarios(tam, scenarios)
    above = sorted(name for name, som in soms.items() if som >= target)
    assert above == ["bold"], f"only the bold scenario's SOM reaches the illustrative target; got {above}"
    needed = learner.share_of_sam_needed(target, tam, scenarios["base"][0])
    assert needed == pytest.approx(43.48, abs=0.01), (
        f"in the base scenario the target needs 12 / 27.6 = 43.5 percent of the SAM; got {needed!r}"
    )
