"""The order a learner sees a question's options in: derived from the quiz, the question and
the learner, the same in Python and in the page (site/assets/order.js).

One algorithm, small enough to write twice exactly and checked by the shared vectors in
tests/order_vectors.json:

- a stream of 32-bit numbers: mulberry32, seeded by FNV-1a (32-bit) of the UTF-8 text
  ``quiz + "\\n" + learner``; one stream per quiz and learner;
- for each choice question in quiz order, then for each matching question's right-hand side:
  the movable ids, sorted by code point (so the result never depends on the authored order,
  which may put the key first), shuffled by Fisher-Yates (``j = next() % (i + 1)`` from the
  end); pinned options (``fixed: true``) keep their authored position;
- balance, where the key is known (the practice site, the terminal; never the assessment page,
  which has no key): when more than a third of a quiz's choice questions (three or more) show
  their key first, the whole quiz is drawn again from the same stream, up to ``ROUNDS`` times,
  keeping the draw with the fewest. "Key first": a single choice's right option is the first
  shown; a multiple select's right options are exactly the first ones shown.

The order never changes a score: responses name option ids, not positions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coursekit.content.models import ChoiceQuestion, Matching, Quiz

MASK = 0xFFFFFFFF
ROUNDS = 64


def fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & MASK
    return h


def mulberry32(seed: int) -> Callable[[], int]:
    state = seed & MASK

    def next_u32() -> int:
        nonlocal state
        state = (state + 0x6D2B79F5) & MASK
        t = ((state ^ (state >> 15)) * (1 | state)) & MASK
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & MASK)) & MASK) ^ t
        return (t ^ (t >> 14)) & MASK

    return next_u32


@dataclass(frozen=True)
class Slots:
    """What the order of one list depends on: its ids in authored order, which are pinned,
    and (for a choice question, where known) which are right."""

    ids: list[str]
    fixed: list[bool]
    correct: list[bool] | None = None


def shuffle(slots: Slots, next_u32: Callable[[], int]) -> list[str]:
    movable = sorted((i for i, f in zip(slots.ids, slots.fixed) if not f), key=_code_points)
    for i in range(len(movable) - 1, 0, -1):
        j = next_u32() % (i + 1)
        movable[i], movable[j] = movable[j], movable[i]
    it = iter(movable)
    return [i if f else next(it) for i, f in zip(slots.ids, slots.fixed)]


def _code_points(text: str) -> list[int]:
    # JavaScript sorts strings by UTF-16 code units; ids are [a-z0-9-], where both agree.
    return [ord(c) for c in text]


def key_first(slots: Slots, shown: list[str]) -> bool:
    right = {i for i, c in zip(slots.ids, slots.correct or []) if c}
    return bool(right) and set(shown[: len(right)]) == right


def arrange(
    choices: dict[str, Slots], rights: dict[str, Slots], stream: str, balance: bool = True
) -> dict[str, list[str]]:
    """The shown order of every list: choice questions' options under their question id,
    matching right-hand sides under ``<question id>:right``."""
    next_u32 = mulberry32(fnv1a32(stream))
    known = balance and all(s.correct is not None for s in choices.values())
    limit = len(choices) // 3
    best: dict[str, list[str]] | None = None
    best_count = None
    for _ in range(ROUNDS if known and len(choices) >= 3 else 1):
        draw = {qid: shuffle(s, next_u32) for qid, s in choices.items()}
        count = sum(key_first(choices[qid], shown) for qid, shown in draw.items()) if known else 0
        if best_count is None or count < best_count:
            best, best_count = draw, count
        if count <= limit:
            break
    out = dict(best or {})
    for qid, s in rights.items():
        out[f"{qid}:right"] = shuffle(s, next_u32)
    return out


def quiz_slots(quiz: Quiz, with_key: bool = True) -> tuple[dict[str, Slots], dict[str, Slots]]:
    choices, rights = {}, {}
    for q in quiz.questions:
        if isinstance(q, ChoiceQuestion):
            choices[q.id] = Slots(
                [o.id for o in q.options],
                [o.fixed for o in q.options],
                [o.correct for o in q.options] if with_key else None,
            )
        elif isinstance(q, Matching):
            ids = [p.id for p in q.pairs] + [d.id for d in q.distractors]
            rights[q.id] = Slots(ids, [False] * len(ids))
    return choices, rights


def stream_for(quiz_id: str, learner: str) -> str:
    return f"{quiz_id}\n{learner}"


def quiz_order(quiz_id: str, quiz: Quiz, learner: str, with_key: bool = True) -> dict[str, list[str]]:
    """The order one learner sees every list of a quiz in (``learner``: the site's per-browser
    seed, the terminal's learner and attempt, or the id entered on the assessment page)."""
    choices, rights = quiz_slots(quiz, with_key)
    return arrange(choices, rights, stream_for(quiz_id, learner), balance=with_key)


# The order a page shows before its script runs (and without JavaScript): not the authored one.
STATIC_LEARNER = "coursekit:static"
