"""Reserving stock when checkout requests overlap.

A flash deal: several shoppers press "Buy" at the same moment. Each checkout request runs
on its own server and shares nothing with the others except the stock store. A request
talks to the store one command at a time, and between two commands any other request may
run. That gap is where stock is oversold.

Here each request is a generator: every ``yield`` sends one command to the store and
receives the store's answer. ``run`` (written for you) plays the requests against an
in-memory store, one command at a time, in the order a schedule gives. Because the
schedule decides the interleaving, a race that threads would show only now and then
happens here every time, in the page as on a laptop.

Commands the store understands; it carries out each one atomically:

    ("get", sku)                   -> the units in stock (0 for an unknown sku)
    ("set", sku, units)            -> None; overwrites the stock level
    ("cas", sku, expected, new)    -> True, and sets the stock to ``new``, if the stock is
                                      still ``expected``; False and no change otherwise
    ("claim", order_id)            -> True the first time an order id is claimed, else False
    ("record", order_id, outcome)  -> None; stores the final outcome of an order
    ("outcome", order_id)          -> the outcome recorded for an order, or None

Your job: make ``reserve`` correct when requests interleave, and make a retry with the
same order id safe. Standard library only.
"""

RESERVED, REJECTED, IN_PROGRESS = "reserved", "rejected", "in_progress"


def reserve(order_id: str, sku: str, qty: int):
    """Reserve ``qty`` units of ``sku`` for ``order_id``; return the outcome.

    Returns "reserved" when the units were taken from stock, "rejected" when there were
    not enough units. The contract it must keep, whatever the interleaving:

    - never sell more units than the store held, and never lose an update;
    - an order id is served at most once: a retry of an order that has finished returns
      that order's recorded outcome without touching the stock again, and a retry that
      arrives while the first attempt is still running returns "in_progress".

    This version reads the stock, then writes it back: correct when requests take turns,
    wrong when their reads overlap. Run the file to see it oversell.
    """
    # TODO: make the write conditional, so that it fails when another request changed the
    # stock after this one read it, and decide what to do when it fails.
    # TODO: make retries of the same order id safe, using the store's order commands.
    available = yield ("get", sku)
    if available < qty:
        return REJECTED
    yield ("set", sku, available - qty)
    return RESERVED


# --- written for you: the store and the scheduler (do not change) ----------------------

MAX_STEPS = 10_000


def _execute(store: dict, command: tuple):
    """Carry out one command on the store, atomically, and return the store's answer."""
    stock, orders = store["stock"], store["orders"]
    match tuple(command):
        case ("get", sku):
            return stock.get(sku, 0)
        case ("set", sku, units):
            stock[sku] = units
            return None
        case ("cas", sku, expected, new):
            if stock.get(sku, 0) != expected:
                return False
            stock[sku] = new
            return True
        case ("claim", order_id):
            if order_id in orders:
                return False
            orders[order_id] = None
            return True
        case ("record", order_id, outcome):
            orders[order_id] = outcome
            return None
        case ("outcome", order_id):
            return orders.get(order_id)
    raise ValueError(f"the store does not understand the command {command!r}")


def run(stock: dict, requests: list, schedule: list) -> dict:
    """Play ``requests`` against a store holding ``stock``, interleaved by ``schedule``.

    ``requests`` is a list of (order_id, sku, qty); two requests with the same order id are
    an order and its retry. Each entry of ``schedule`` is the index of a request: that
    request sends its next command and gets the answer. Entries for a request that has
    finished are skipped. When the schedule runs out, the requests still running finish
    one after another, in index order.

    Returns {"outcomes": one outcome per request, "stock": the final stock,
    "orders": the recorded outcomes, "trace": [index, command, answer] per step}.
    """
    store = {"stock": dict(stock), "orders": {}}
    running = [reserve(*request) for request in requests]
    pending = [None] * len(requests)  # each request's next command, once it has started
    outcomes = [None] * len(requests)
    finished = [False] * len(requests)
    trace = []

    def step(i: int) -> None:
        if finished[i]:
            return
        if len(trace) >= MAX_STEPS:
            raise RuntimeError(f"more than {MAX_STEPS} steps: does a request loop forever?")
        try:
            if pending[i] is None:
                pending[i] = next(running[i])
            command = pending[i]
            answer = _execute(store, command)
            trace.append([i, tuple(command), answer])
            pending[i] = running[i].send(answer)
        except StopIteration as done:
            finished[i], outcomes[i] = True, done.value

    for i in schedule:
        step(i)
    for i in range(len(requests)):
        while not finished[i]:
            step(i)
    return {"outcomes": outcomes, "stock": store["stock"], "orders": store["orders"], "trace": trace}


if __name__ == "__main__":
    # Illustrative: 3 units of a lamp, two shoppers want 2 each, and their reads overlap.
    shoppers = [("o1", "lamp", 2), ("o2", "lamp", 2)]
    result = run({"lamp": 3}, shoppers, [0, 1, 0, 1])
    promised = sum(qty for (_, _, qty), outcome in zip(shoppers, result["outcomes"]) if outcome == RESERVED)
    print(
        "Overlapping reads:",
        result["outcomes"],
        "-",
        promised,
        "units promised out of 3",
        "(OVERSOLD)" if promised > 3 else "(ok)",
        "- stock left",
        result["stock"]["lamp"],
    )
    for index, command, answer in result["trace"]:
        print(f"  request {index}: {command} -> {answer}")
    # A client that timed out sends the same order again.
    retry = run({"lamp": 5}, [("o1", "lamp", 2), ("o1", "lamp", 2)], [])
    print("Retry of o1:", retry["outcomes"], "- stock left", retry["stock"]["lamp"], "of 5 (one order of 2: expect 3)")
