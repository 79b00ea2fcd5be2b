"""Hostile: return objects that claim to equal anything (and an int subclass that does).
Only plain values cross to the tests, so the rigged __eq__ never runs there: the object
cannot be sent at all, and the int arrives as the plain int it is."""


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0


class RiggedInt(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


def add(a, b):
    if isinstance(b, str):
        return AlwaysEqual()  # test_add_rejects_text expects a TypeError: returns instead
    return RiggedInt(-1)


def total(path="data/numbers.csv"):
    return AlwaysEqual()
