"""Hidden tests for the stock-reservation exercise (run by `coursekit grade exercise`).

They check the contract on orders, stock levels and schedules that the public tests do
not show, replay each run's trace against the tests' own model of the store (so a run that
does not follow the schedule, or a store that answers wrongly, is caught), and check that
nothing is remembered in the learner's process between runs. Every number is illustrative.
"""

import random
from itertools import product


def model_answer(store, command):
    """The tests' own model of the store: what it must answer, and how it changes."""
    stock, orders = store["stock"], store["orders"]
    kind, *args = command
    if kind == "get":
        return stock.get(args[0], 0)
    if kind == "set":
        stock[args[0]] = args[1]
        return None
    if kind == "cas":
        sku, expected, new = args
        if stock.get(sku, 0) != expected:
            return False
        stock[sku] = new
        return True
    if kind == "claim":
        if args[0] in orders:
            return False
        orders[args[0]] = None
        return True
    if kind == "record":
        orders[args[0]] = args[1]
        return None
    if kind == "outcome":
        return orders.get(args[0])
    raise AssertionError(f"unknown command {command!r}")


def checked_run(learner, stock, requests, schedule):
    """Run, then check the trace: it follows the schedule and every answer is the store's."""
    result = learner.run(dict(stock), list(requests), list(schedule))
    trace = result["trace"]
    store = {"stock": dict(stock), "orders": {}}
    for index, command, answer in trace:
        expected = model_answer(store, tuple(command))
        assert answer == expected, f"step {index} {command}: the store answered {answer!r}, expected {expected!r}"
    assert result["stock"] == store["stock"], (
        f"final stock {result['stock']} is not what the trace did: {store['stock']}"
    )
    steps = {i: sum(1 for t in trace if t[0] == i) for i in range(len(requests))}
    used, order = dict.fromkeys(steps, 0), []
    for i in schedule:
        if used[i] < steps[i]:
            used[i] += 1
            order.append(i)
    for i in range(len(requests)):
        order += [i] * (steps[i] - used[i])
    assert [t[0] for t in trace] == order, "the steps did not follow the schedule"
    return result, store


def check_contract(requests, stock, result, schedule):
    """Each order id is decided once (its attempts agree, or answer "in_progress"), and the
    stock of each item is what it held minus the units of the orders reserved."""
    outcomes = result["outcomes"]
    assert all(o in ("reserved", "rejected", "in_progress") for o in outcomes), f"unexpected outcomes {outcomes}"
    decided = {}
    for (order, sku, qty), outcome in zip(requests, outcomes):
        decided.setdefault(order, (sku, qty, set()))[2].add(outcome)
    sold = dict.fromkeys(stock, 0)
    for order, (sku, qty, seen) in decided.items():
        final = seen - {"in_progress"}
        assert len(final) == 1, f"schedule {schedule}: the attempts of order {order} answered {sorted(seen)}"
        if final == {"reserved"}:
            sold[sku] = sold.get(sku, 0) + qty
    for sku, units in stock.items():
        assert sold[sku] <= units, (
            f"schedule {schedule}: {sold[sku]} units of {sku} promised out of {units} ({outcomes})"
        )
        assert result["stock"][sku] == units - sold[sku], (
            f"schedule {schedule}: {sku} shows {result['stock'][sku]} left after {sold[sku]} of {units} sold ({outcomes})"
        )


def test_three_shoppers_every_early_interleaving(learner):
    """Three requests on 3 units, every interleaving of their first six steps: never oversold."""
    requests = [("a", "kettle", 2), ("b", "kettle", 2), ("c", "kettle", 1)]
    for schedule in product([0, 1, 2], repeat=6):
        result, _ = checked_run(learner, {"kettle": 3}, requests, schedule)
        check_contract(requests, {"kettle": 3}, result, list(schedule))
        assert "reserved" in result["outcomes"], f"schedule {list(schedule)}: nobody got a kettle"


def test_retries_mixed_with_other_shoppers_random_schedules(learner):
    """An order, its retry and two other shoppers on random schedules: each order served once."""
    rng = random.Random(20231)
    requests = [("x1", "mug", 3), ("x2", "mug", 2), ("x1", "mug", 3), ("x3", "mug", 1)]
    for _ in range(300):
        schedule = [rng.randrange(4) for _ in range(rng.randrange(0, 14))]
        result, store = checked_run(learner, {"mug": 4}, requests, schedule)
        check_contract(requests, {"mug": 4}, result, schedule)
        for order in ("x1", "x2", "x3"):
            assert store["orders"].get(order) in ("reserved", "rejected"), (
                f"schedule {schedule}: order {order} has no recorded outcome in the store"
            )


def test_skus_do_not_interfere(learner):
    """Orders for different items: each item's stock is kept apart, an unknown item has none."""
    requests = [("p1", "red", 4), ("p2", "blue", 4), ("p3", "green", 1), ("p4", "red", 1)]
    result, _ = checked_run(learner, {"red": 4, "blue": 5}, requests, [0, 1, 2, 3, 0, 1, 2, 3])
    assert result["outcomes"] == ["reserved", "reserved", "rejected", "rejected"], (
        f"outcomes {result['outcomes']}: red and blue each hold their own stock, green has none"
    )
    assert result["stock"]["red"] == 0 and result["stock"]["blue"] == 1, f"stock left {result['stock']}"


def test_cas_failure_rereads_and_may_still_fit(learner):
    """A request whose conditional write loses still takes stock when enough is left."""
    requests = [("big", "desk", 2), ("small", "desk", 1)]
    for schedule in product([0, 1], repeat=6):
        result, _ = checked_run(learner, {"desk": 10}, requests, schedule)
        assert result["outcomes"] == ["reserved", "reserved"], (
            f"schedule {list(schedule)}: 10 desks hold both orders, got {result['outcomes']}"
        )
        assert result["stock"]["desk"] == 7, f"schedule {list(schedule)}: stock left {result['stock']}, expected 7"


def test_no_memory_between_runs(learner):
    """Idempotency lives in the store: a fresh store knows no order ids from an earlier run."""
    first = learner.run({"lamp": 2}, [("o1", "lamp", 2)], [])
    second = learner.run({"lamp": 2}, [("o1", "lamp", 2)], [])
    assert first["outcomes"] == ["reserved"] and second["outcomes"] == ["reserved"], (
        f"{first['outcomes']} then {second['outcomes']}: an order id was remembered outside the store"
    )
    assert second["stock"] == {"lamp": 0}


def test_retry_of_a_rejected_order_is_rejected_without_touching_stock(learner):
    """A retry of a rejected order repeats the recorded outcome and leaves the stock alone."""
    requests = [("o9", "lamp", 3), ("o9", "lamp", 3)]
    result, _ = checked_run(learner, {"lamp": 2}, requests, [])
    assert result["outcomes"] == ["rejected", "rejected"] and result["stock"] == {"lamp": 2}, (
        f"outcomes {result['outcomes']}, stock {result['stock']}: expected two rejections and 2 lamps left"
    )
