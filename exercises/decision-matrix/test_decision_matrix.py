"""Public tests for the decision-matrix exercise.

The `learner` fixture is your module. Tests run with this exercise folder as the working
directory. All weights and scores are illustrative (see data/README.md).
"""

import pytest

TINY = {
    "criteria": {"x": {"weight": 3}, "y": {"weight": 1}},
    "options": {
        "alpha": {"scores": {"x": 4, "y": 0}, "evidence": {"x": ["S1"], "y": ["S2"]}},
        "beta": {"scores": {"x": 2, "y": 4}, "evidence": {"x": [], "y": ["S3"]}},
    },
}


def test_normalise_weights_keeps_proportions(learner):
    result = learner.normalise_weights({"a": 30, "b": 10})
    assert result == pytest.approx({"a": 0.75, "b": 0.25}), (
        f"normalise_weights({{'a': 30, 'b': 10}}) returned {result!r}; each weight over the total of 40"
    )
    assert sum(learner.normalise_weights({"p": 1, "q": 1, "r": 2}).values()) == pytest.approx(1.0)


def test_normalise_weights_rejects_bad_input(learner):
    with pytest.raises(ValueError):
        learner.normalise_weights({"a": 10, "b": -5})
    with pytest.raises(ValueError):
        learner.normalise_weights({"a": 0, "b": 0})


def test_weighted_scores_small_matrix(learner):
    scores = learner.weighted_scores(TINY)
    assert scores == pytest.approx({"alpha": 3.0, "beta": 2.5}), (
        f"got {scores!r}; with weights 0.75 and 0.25, alpha = 0.75x4 + 0.25x0 = 3.0 and "
        "beta = 0.75x2 + 0.25x4 = 2.5. Normalise the weights before multiplying"
    )


def test_weighted_scores_on_the_data(learner):
    scores = learner.weighted_scores(learner.load_matrix())
    expected = {
        "double-down-live": 3.75,
        "lean-playbook": 3.70,
        "shift-to-better-fit": 3.35,
        "trust-and-logistics": 2.30,
    }
    assert scores == pytest.approx(expected), f"got {scores!r}, expected {expected!r}"


def test_rank_orders_and_breaks_ties(learner):
    assert learner.rank({"b": 2.0, "a": 3.0, "c": 1.0}) == ["a", "b", "c"], "highest score first"
    assert learner.rank({"zeta": 2.0, "eta": 2.0, "mu": 5.0}) == ["mu", "eta", "zeta"], (
        "equal scores are listed in alphabetical order"
    )


def test_winner_flips_when_risk_weighs_more(learner):
    matrix = learner.load_matrix()
    assert learner.winner_with_weight(matrix, "cost_and_risk", 25) == "double-down-live", (
        "with the weights as given, double-down-live comes first"
    )
    assert learner.winner_with_weight(matrix, "cost_and_risk", 35) == "lean-playbook", (
        "weighting cost_and_risk at 35 instead of 25 should make lean-playbook the winner"
    )


def test_winner_with_weight_leaves_the_matrix_alone(learner):
    matrix = learner.load_matrix()
    learner.winner_with_weight(matrix, "cost_and_risk", 80)
    assert matrix["criteria"]["cost_and_risk"]["weight"] == 25, (
        "winner_with_weight changed the matrix it was given; work on copy.deepcopy(matrix)"
    )
    with pytest.raises(ValueError):
        learner.winner_with_weight(matrix, "no_such_criterion", 10)


def test_unsupported_finds_scores_without_evidence(learner):
    assert learner.unsupported(TINY) == [("beta", "x")]
    result = learner.unsupported(learner.load_matrix())
    assert result == [("trust-and-logistics", "fit_with_strengths"), ("trust-and-logistics", "time_to_signal")], (
        f"got {result!r}; two scores of trust-and-logistics cite no facts"
    )
