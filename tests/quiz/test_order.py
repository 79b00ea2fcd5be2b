"""Option order per learner: the algorithm against its frozen vectors, and what it promises."""

import json
from pathlib import Path

from coursekit.content.models import Quiz
from coursekit.quiz.order import Slots, arrange, fnv1a32, key_first, mulberry32, quiz_order

VECTORS = json.loads((Path(__file__).parent.parent / "order_vectors.json").read_text(encoding="utf-8"))


def _slots(d: dict) -> dict[str, Slots]:
    return {k: Slots(v["ids"], v["fixed"], v.get("correct")) for k, v in d.items()}


def test_fnv1a32_published_values():
    assert dict(VECTORS["fnv1a32"]) == {t: fnv1a32(t) for t, _ in VECTORS["fnv1a32"]}
    assert fnv1a32("a") == 0xE40C292C and fnv1a32("foobar") == 0xBF9CF968  # FNV's own test values


def test_mulberry32_matches_its_reference():
    for seed, values in VECTORS["mulberry32"]:
        nxt = mulberry32(seed)
        assert [nxt() for _ in values] == values, seed


def test_arrange_vectors():
    for case in VECTORS["arrange"]:
        got = arrange(_slots(case["choices"]), _slots(case["rights"]), case["stream"], case["balance"])
        assert got == case["expected"], case["name"]


def _quiz(n: int, options: int = 4, fixed_last: bool = False) -> Quiz:
    def option(i: int) -> dict:
        o = {"id": f"o{i}", "text": f"Option {i}", "correct": i == 0, "feedback": "f"}
        if i:
            o["misconception"] = "m"
        if fixed_last and i == options - 1:
            o["fixed"] = True
        return o

    return Quiz.model_validate(
        {
            "title": "T",
            "module": 1,
            "questions": [
                {
                    "id": f"q{k}",
                    "type": "single",
                    "objective": "o",
                    "prompt": "P",
                    "explanation": "E",
                    "options": [option(i) for i in range(options)],
                }
                for k in range(n)
            ],
        }
    )


def test_no_learner_sees_the_key_first_in_more_than_a_third():
    quiz = _quiz(12)
    for learner in range(300):
        order = quiz_order("t", quiz, str(learner))
        first = sum(order[f"q{k}"][0] == "o0" for k in range(12))
        assert first <= 4, (learner, first)


def test_the_order_does_not_depend_on_the_authored_order():
    quiz = _quiz(5)
    flipped = quiz.model_copy(
        update={"questions": [q.model_copy(update={"options": list(reversed(q.options))}) for q in quiz.questions]}
    )
    for learner in ("a", "b", "c"):
        assert quiz_order("t", quiz, learner) == quiz_order("t", flipped, learner)


def test_learners_differ_and_each_keeps_their_order():
    quiz = _quiz(10)
    a, b = quiz_order("t", quiz, "alice"), quiz_order("t", quiz, "bob")
    assert a == quiz_order("t", quiz, "alice")
    assert sum(a[q] != b[q] for q in a) >= 6


def test_a_pinned_option_keeps_its_place():
    quiz = _quiz(6, options=5, fixed_last=True)
    for learner in map(str, range(50)):
        for shown in quiz_order("t", quiz, learner).values():
            assert shown[-1] == "o4" and sorted(shown) == [f"o{i}" for i in range(5)]


def test_without_the_key_there_is_no_balancing():
    # The assessment page has no key, so its orders cannot depend on it: the same for any key.
    quiz = _quiz(9)
    moved = quiz.model_copy(
        update={
            "questions": [
                q.model_copy(
                    update={
                        "options": [
                            o.model_copy(
                                update={"correct": o.id == "o2", "misconception": None if o.id == "o2" else "m"}
                            )
                            for o in q.options
                        ]
                    }
                )
                for q in quiz.questions
            ]
        }
    )
    for learner in ("x", "y"):
        assert quiz_order("t", quiz, learner, with_key=False) == quiz_order("t", moved, learner, with_key=False)


def test_key_first_reads_multiple_select_as_the_whole_key_leading():
    s = Slots(["a", "b", "c"], [False] * 3, [True, False, True])
    assert key_first(s, ["c", "a", "b"]) and not key_first(s, ["a", "b", "c"])
