"""Hidden tests for the decision-matrix exercise (run by `coursekit grade exercise`).

A matrix, weights and ties that the public tests do not show. Every weight and score is
illustrative.
"""

import copy

import pytest

OTHER = {
    "criteria": {"speed": {"weight": 2}, "cost": {"weight": 2}, "reach": {"weight": 4}},
    "options": {
        "north": {
            "scores": {"speed": 5, "cost": 1, "reach": 2},
            "evidence": {"speed": ["P1"], "cost": [], "reach": []},
        },
        "south": {
            "scores": {"speed": 1, "cost": 5, "reach": 3},
            "evidence": {"speed": ["P2"], "cost": ["P3"], "reach": ["P4"]},
        },
        "east": {
            "scores": {"speed": 3, "cost": 3, "reach": 3},
            "evidence": {"speed": [], "cost": ["S1"], "reach": ["S2"]},
        },
    },
}


def test_normalise_other_weights(learner):
    """Proportions kept for floats, a zero weight among others, a single weight."""
    assert learner.normalise_weights({"x": 0.5, "y": 1.5}) == pytest.approx({"x": 0.25, "y": 0.75})
    assert learner.normalise_weights({"x": 0, "y": 7}) == pytest.approx({"x": 0.0, "y": 1.0})
    assert learner.normalise_weights({"only": 12}) == pytest.approx({"only": 1.0})
    with pytest.raises(ValueError):
        learner.normalise_weights({"x": 5, "y": -0.1})


def test_weighted_scores_other_matrix(learner):
    """Weights 0.25, 0.25, 0.5 applied to three options."""
    assert learner.weighted_scores(OTHER) == pytest.approx({"north": 2.5, "south": 3.0, "east": 3.0})


def test_rank_other_ties(learner):
    """Highest first, equal scores in alphabetical order."""
    assert learner.rank(learner.weighted_scores(OTHER)) == ["east", "south", "north"]
    assert learner.rank({"c": 1.0, "b": 1.0, "a": 1.0, "d": 0.5}) == ["a", "b", "c", "d"]


def test_winner_with_weight_other_matrix(learner):
    """Moving one weight changes the winner, and the caller's matrix stays as it was."""
    matrix = copy.deepcopy(OTHER)
    assert learner.winner_with_weight(matrix, "speed", 10) == "north"
    assert learner.winner_with_weight(matrix, "cost", 10) == "south"
    assert learner.winner_with_weight(matrix, "reach", 4) == "east"
    assert matrix == OTHER, "winner_with_weight changed the matrix it was given"
    with pytest.raises(ValueError):
        learner.winner_with_weight(matrix, "Speed", 3)


def test_unsupported_other_matrix(learner):
    """Every empty evidence list, sorted by option then criterion."""
    assert learner.unsupported(OTHER) == [("east", "speed"), ("north", "cost"), ("north", "reach")]


def test_the_data_under_other_weights(learner):
    """The course's matrix: the winner for other weights of time_to_signal and evidence_of_demand."""
    matrix = learner.load_matrix()
    assert learner.winner_with_weight(matrix, "time_to_signal", 0) == "double-down-live"
    assert learner.winner_with_weight(matrix, "evidence_of_demand", 0) == "lean-playbook"
    assert learner.rank(learner.weighted_scores(matrix)) == [
        "double-down-live",
        "lean-playbook",
        "shift-to-better-fit",
        "trust-and-logistics",
    ]
