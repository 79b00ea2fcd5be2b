"""Public tests for the stock-reservation exercise.

The `learner` fixture is your module. Every stock level, order and schedule here is
illustrative. A schedule is a list of request indices: [0, 1, 0, 1] lets request 0 send
one command, then request 1, then request 0 again, and so on (see `run` in your file).
"""

from itertools import product


def units_sold(requests, outcomes):
    """Units promised to shoppers, counting each order id once."""
    reserved = {order: qty for (order, _, qty), outcome in zip(requests, outcomes) if outcome == "reserved"}
    return sum(reserved.values())


def test_overlapping_reads_do_not_oversell(learner):
    requests = [("o1", "lamp", 2), ("o2", "lamp", 2)]
    result = learner.run({"lamp": 3}, requests, [0, 1, 0, 1])
    sold = units_sold(requests, result["outcomes"])
    assert sold <= 3, (
        f"outcomes {result['outcomes']}: {sold} units promised but the store held 3. Both requests "
        "read 3 before either wrote, and each wrote back its own answer; the write must fail when "
        "the stock is no longer what the request read"
    )
    assert sorted(result["outcomes"]) == ["rejected", "reserved"], (
        f"outcomes {result['outcomes']}: one shopper can have 2 of the 3 units, the other cannot"
    )
    assert result["stock"]["lamp"] == 1, f"3 units minus one order of 2 leaves 1; the store says {result['stock']}"


def test_every_interleaving_of_two_shoppers(learner):
    requests = [("o1", "lamp", 2), ("o2", "lamp", 1)]
    for schedule in product([0, 1], repeat=8):
        result = learner.run({"lamp": 2}, requests, list(schedule))
        sold = units_sold(requests, result["outcomes"])
        assert sold <= 2, (
            f"schedule {list(schedule)}: outcomes {result['outcomes']}: {sold} units promised out of 2 (oversold)"
        )
        assert result["stock"]["lamp"] == 2 - sold, (
            f"schedule {list(schedule)}: {sold} of 2 units promised, so {2 - sold} should be left; "
            f"the store says {result['stock']['lamp']} (an update was lost)"
        )


def test_retry_after_the_order_finished_changes_nothing(learner):
    result = learner.run({"lamp": 5}, [("o1", "lamp", 2), ("o1", "lamp", 2)], [])
    assert result["outcomes"] == ["reserved", "reserved"], (
        f"outcomes {result['outcomes']}: the retry of o1 should answer with o1's recorded outcome"
    )
    assert result["stock"]["lamp"] == 3, (
        f"stock left {result['stock']['lamp']}: a retry of the same order must not take stock again (expect 3)"
    )
    rejected = learner.run({"lamp": 1}, [("o1", "lamp", 2), ("o1", "lamp", 2), ("o2", "lamp", 1)], [])
    assert rejected["outcomes"] == ["rejected", "rejected", "reserved"], (
        f"outcomes {rejected['outcomes']}: o1 was rejected, so its retry is rejected too, and o2 still fits"
    )


def test_retry_while_the_first_attempt_is_running(learner):
    result = learner.run({"lamp": 5}, [("o1", "lamp", 2), ("o1", "lamp", 2)], [0, 1, 0, 1, 0, 1])
    assert result["stock"]["lamp"] == 3, (
        f"stock left {result['stock']['lamp']}: the order and its retry overlapped, and the units were "
        "taken twice (expect 3 left of 5)"
    )
    assert result["outcomes"] == ["reserved", "in_progress"], (
        f"outcomes {result['outcomes']}: a retry that arrives while the first attempt is still running "
        'should answer "in_progress" (the client asks again later)'
    )
