"""Seeded variants of numeric questions: parameters with ranges and a formula for the answer.

The same seed always gives the same variant: the site ships a fixed pool of variants per
question; the terminal and the grader derive the seed from (quiz, learner, attempt).
Formulas are evaluated by coursekit.content.formula, never by eval().
"""

from __future__ import annotations

import hashlib
import random
import re
from decimal import Decimal

from coursekit.content.formula import evaluate, fmt, to_decimal
from coursekit.content.models import Numeric, Question, Quiz

POOL_SIZE = 8


def shuffled(ids: list[str], salt: str) -> list[str]:
    """A stable shuffle (the same at every build and run) that never leaves the list as it was."""
    if len(ids) < 2:
        return list(ids)
    rng = random.Random(hashlib.sha256(salt.encode()).hexdigest())
    out = list(ids)
    while out == ids:
        rng.shuffle(out)
    return out


def seed_for(quiz_id: str, learner: str, attempt: int) -> str:
    """Learner ids are one learner whatever their case (Ana, ana), so they get one variant."""
    return f"{quiz_id}:{learner.lower()}:{attempt}"


def choose_values(q: Numeric, seed: str) -> dict[str, Decimal]:
    rng = random.Random(f"{seed}:{q.id}")
    return {name: rng.choice(q.variables[name].values) for name in sorted(q.variables)}


_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")


def _fill(text: str, names: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: names.get(m.group(1), m.group(0)), text)


def instantiate(q: Numeric, values: dict[str, Decimal]) -> Numeric:
    """The concrete question for these values: a plain numeric question with an answer."""
    answer = to_decimal(evaluate(q.formula, values), q.round_to)
    names = {k: fmt(v) for k, v in values.items()} | {"answer": fmt(answer)}
    return q.model_copy(
        update={
            "answer": answer,
            "formula": None,
            "variables": {},
            "prompt": _fill(q.prompt, names),
            "explanation": _fill(q.explanation, names),
            "correct_feedback": _fill(q.correct_feedback, names),
            "wrong_feedback": _fill(q.wrong_feedback, names),
            "hints": [_fill(h, names) for h in q.hints],
        }
    )


def is_variant(q: Question) -> bool:
    return isinstance(q, Numeric) and q.formula is not None


def concrete(q: Question, seed: str) -> Question:
    return instantiate(q, choose_values(q, seed)) if is_variant(q) else q


def concrete_quiz(quiz: Quiz, seed: str) -> Quiz:
    return quiz.model_copy(update={"questions": [concrete(q, seed) for q in quiz.questions]})


def pool(q: Numeric, size: int = POOL_SIZE) -> list[tuple[dict[str, Decimal], Numeric]]:
    """A fixed pool of distinct variants, the same at every build."""
    seen, out = set(), []
    for i in range(size * 4):
        values = choose_values(q, f"pool:{i}")
        key = tuple(sorted(values.items()))
        if key not in seen:
            seen.add(key)
            out.append((values, instantiate(q, values)))
        if len(out) == size:
            break
    return out
