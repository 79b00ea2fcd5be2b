"""Authoring lint: habits of a quiz that let a learner score without knowing the answer, and
patterns that the two graders read differently.

Pure functions over loaded quizzes and the positions the loader kept. ``coursekit validate``
prints the findings as warnings and ``validate --strict`` as errors. What a learner could
never answer (duplicate ids inside a question) is not a habit but a broken question:
``duplicate_ids`` returns hard errors, which the catalog's cross-checks (cross_check.py)
report with the others.

The rules, and why these thresholds:

- ``longest-right``: a single-choice question whose right option is the longest and at least
  ``LONGEST_RATIO`` (1.5) times the mean length of the others, in more than half of a quiz's
  single-choice questions (with at least ``MIN_SINGLE`` = 3 of them: with fewer, "most" is one
  or two questions and says nothing about a habit). Every such question is named.
- ``true-false-balance``: at least ``MIN_TRUE_FALSE`` = 4 true/false statements in a quiz, and
  the less common answer is under a fifth of them (4 or 5 statements all alike, at most one
  of 6 to 10 different, ...): a learner who always answers the same scores well.
- ``absolute-false``: a false statement with an absolute word ("always", "never", "only",
  "all", "none", "proves", ...): test-wise learners answer "false" to those unread.
- ``duplicate-text``: two options, two right sides of a matching question (or a right side
  and a distractor), two left sides or two ordering items that read the same once spaces and
  case are folded; ``shadowed-mistake``: a diagnosed mistake that can never be reached
  (an accepted answer, or an earlier mistake, matches first).
- ``pattern-*``: a short-text pattern with syntax the page's JavaScript (RegExp with the "u"
  flag) refuses or reads otherwise than Python's ``re`` (with ``re.ASCII``), each with the
  portable rewrite: ``pattern-ascii`` (\\w, \\d, \\b match ASCII only, in both graders),
  ``pattern-space`` (\\s), ``pattern-anchor`` (^ and $ are implied), ``pattern-js-syntax``
  (escapes, braces and brackets the page refuses), ``pattern-class`` (class syntax Python may
  read as nested sets or set operations). What cannot be graded safely at all (lookbehind,
  nested quantifiers, back-references, ...) is refused when the quiz is loaded
  (content/patterns.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from coursekit.content.errors import ContentError
from coursekit.content.models import (
    ChoiceQuestion,
    Matching,
    Numeric,
    Ordering,
    Quiz,
    ShortText,
    SingleChoice,
    TrueFalse,
)
from coursekit.content.pattern_notes import pattern_notes
from coursekit.content.positions import Loc, Positions

LONGEST_RATIO = 1.5
MIN_SINGLE = 3
MIN_TRUE_FALSE = 4
MINORITY_SHARE = 0.2
ABSOLUTE_WORDS = (
    "always",
    "never",
    "all",
    "none",
    "only",
    "every",
    "everyone",
    "everything",
    "nobody",
    "no one",
    "proves",
    "prove",
    "proved",
    "proven",
    "guarantees",
    "guaranteed",
    "impossible",
    "certainly",
)
_ABSOLUTE = re.compile(r"\b(" + "|".join(w.replace(" ", r"\s+") for w in ABSOLUTE_WORDS) + r")\b", re.I)


@dataclass(frozen=True, order=True)
class Finding:
    """One lint finding: where, what, and the name of the check (to look it up in the docs)."""

    path: Path
    line: int
    col: int
    check: str
    message: str

    def format(self, *, strict: bool = False) -> str:
        """``path:line:col: warning: message [check]`` (``error:`` under --strict)."""
        head = ContentError(self.path, self.line, self.col, "").format()
        return f"{head}{'error' if strict else 'warning'}: {self.message} [{self.check}]"


def _at(pos: Positions, loc: Loc, check: str, message: str) -> Finding:
    line, col = pos.of(loc)
    return Finding(pos.path, line, col, check, message)


_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`]")


def visible(text: str) -> str:
    """What a reader sees of a short Markdown text, spaces folded and case ignored."""
    return " ".join(_MARKUP.sub(lambda m: m.group(1) or "", text).split()).casefold()


# --- the right option is the longest --------------------------------------------------------


def longest_right(quiz: Quiz, pos: Positions) -> list[Finding]:
    singles = [(qi, q) for qi, q in enumerate(quiz.questions) if isinstance(q, SingleChoice)]
    flagged = []
    for qi, q in singles:
        lengths = [len(visible(o.text)) for o in q.options]
        right = next(i for i, o in enumerate(q.options) if o.correct)
        others = [n for i, n in enumerate(lengths) if i != right]
        mean = sum(others) / len(others)
        if lengths[right] > max(others) and lengths[right] >= LONGEST_RATIO * mean:
            flagged.append((qi, right, lengths[right], mean))
    if len(singles) < MIN_SINGLE or 2 * len(flagged) <= len(singles):
        return []
    return [
        _at(
            pos,
            ("questions", qi, "options", oi, "text"),
            "longest-right",
            f"the right option is the longest ({n} characters, the others {mean:.0f} on average) in "
            f"{len(flagged)} of the quiz's {len(singles)} single-choice questions, so picking the longest "
            "scores; make the wrong options as full and as specific, or the right one shorter",
        )
        for qi, oi, n, mean in flagged
    ]


# --- true/false --------------------------------------------------------------------------------


def true_false_balance(quiz: Quiz, pos: Positions) -> list[Finding]:
    statements = [(qi, q) for qi, q in enumerate(quiz.questions) if isinstance(q, TrueFalse)]
    trues = [qi for qi, q in statements if q.answer]
    falses = [qi for qi, q in statements if not q.answer]
    if len(statements) < MIN_TRUE_FALSE or min(len(trues), len(falses)) >= MINORITY_SHARE * len(statements):
        return []
    common, answer = (trues, "true") if len(trues) >= len(falses) else (falses, "false")
    return [
        _at(
            pos,
            ("questions", common[0], "answer"),
            "true-false-balance",
            f"{len(common)} of the quiz's {len(statements)} true/false statements are {answer}, so "
            f"answering '{answer}' throughout scores; turn some into {'false' if answer == 'true' else 'true'} "
            "statements (at least a fifth of them)",
        )
    ]


def absolute_false(quiz: Quiz, pos: Positions) -> list[Finding]:
    out = []
    for qi, q in enumerate(quiz.questions):
        if isinstance(q, TrueFalse) and not q.answer:
            m = _ABSOLUTE.search(q.prompt)
            if m:
                word = " ".join(m.group(1).split())
                out.append(
                    _at(
                        pos,
                        ("questions", qi, "prompt"),
                        "absolute-false",
                        f"this false statement says {word!r}: absolute words give a false statement "
                        "away; make the claim false on its substance, or word it without the absolute",
                    )
                )
    return out


# --- duplicates inside a question -----------------------------------------------------------


def duplicate_ids(quiz: Quiz, pos: Positions) -> list[ContentError]:
    """Item ids of an ordering question, and pair and distractor ids of a matching question
    (one scope: a learner's answer names either), must be unique. Option ids are checked by
    the catalog."""
    errors = []
    for qi, q in enumerate(quiz.questions):
        groups: list[list[tuple[str, Loc]]] = []
        if isinstance(q, Ordering):
            groups.append([(it.id, ("questions", qi, "items", i, "id")) for i, it in enumerate(q.items)])
        if isinstance(q, Matching):
            groups.append(
                [(p.id, ("questions", qi, "pairs", i, "id")) for i, p in enumerate(q.pairs)]
                + [(d.id, ("questions", qi, "distractors", i, "id")) for i, d in enumerate(q.distractors)]
            )
        for group in groups:
            seen: dict[str, Loc] = {}
            for ident, loc in group:
                if ident in seen:
                    first = pos.of(seen[ident])[0]
                    errors.append(
                        pos.error(
                            loc,
                            f"duplicate id {ident!r} in question {q.id!r} (also on line "
                            f"{first}); ids must be unique within a question",
                        )
                    )
                else:
                    seen[ident] = loc
    return errors


def _same_texts(entries: list[tuple[str, Loc, str]], pos: Positions, what: str) -> list[Finding]:
    seen: dict[str, str] = {}
    out = []
    for text, loc, name in entries:
        key = visible(text)
        if key in seen:
            out.append(
                _at(pos, loc, "duplicate-text", f"{name} reads the same as {seen[key]} ({text.strip()[:60]!r}); {what}")
            )
        else:
            seen[key] = name
    return out


def duplicate_texts(quiz: Quiz, pos: Positions) -> list[Finding]:
    out = []
    for qi, q in enumerate(quiz.questions):
        base = ("questions", qi)
        if isinstance(q, ChoiceQuestion):
            out += _same_texts(
                [(o.text, base + ("options", i, "text"), f"option {o.id!r}") for i, o in enumerate(q.options)],
                pos,
                "a learner cannot tell the two apart: reword or remove one",
            )
        if isinstance(q, Matching):
            rights = [
                (p.right, base + ("pairs", i, "right"), f"the right side of pair {p.id!r}")
                for i, p in enumerate(q.pairs)
            ]
            rights += [
                (d.text, base + ("distractors", i, "text"), f"distractor {d.id!r}") for i, d in enumerate(q.distractors)
            ]
            out += _same_texts(rights, pos, "the learner sees two identical choices: reword one")
            out += _same_texts(
                [
                    (p.left, base + ("pairs", i, "left"), f"the left side of pair {p.id!r}")
                    for i, p in enumerate(q.pairs)
                ],
                pos,
                "reword one",
            )
        if isinstance(q, Ordering):
            out += _same_texts(
                [(it.text, base + ("items", i, "text"), f"item {it.id!r}") for i, it in enumerate(q.items)],
                pos,
                "two identical items have no order between them: reword one",
            )
    return out


def shadowed_mistakes(quiz: Quiz, pos: Positions) -> list[Finding]:
    """A mistake the grader can never reach, because an answer it lists is graded before it."""
    out = []
    for qi, q in enumerate(quiz.questions):
        base = ("questions", qi, "mistakes")
        if isinstance(q, ShortText):

            def norm(a: str, cs: bool = q.case_sensitive) -> str:  # as the grader normalises answers
                a = " ".join(unicodedata.normalize("NFC", a).split())
                return a if cs else a.lower()

            taken = {norm(a): "an accepted answer" for a in q.accept}
            for mi, m in enumerate(q.mistakes):
                for ai, a in enumerate(m.answers):
                    given = norm(a)
                    earlier = taken.get(given)
                    if earlier is None and q.pattern is not None and _full_match(q.pattern, given):
                        earlier = "the pattern"
                    if earlier:
                        out.append(
                            _at(
                                pos,
                                base + (mi, "answers", ai),
                                "shadowed-mistake",
                                f"the mistake answer {a!r} is already matched by {earlier}, so this "
                                "feedback is never shown; remove it or change it",
                            )
                        )
                    else:
                        taken[given] = f"mistake {mi + 1}"
        elif isinstance(q, Numeric):
            values: dict[Decimal, str] = {q.answer: "the right answer"} if q.answer is not None else {}
            for mi, m in enumerate(q.mistakes):
                earlier = values.get(m.value)
                if earlier:
                    out.append(
                        _at(
                            pos,
                            base + (mi, "value"),
                            "shadowed-mistake",
                            f"the mistake value {m.value} is {earlier} too, so this feedback is never "
                            "shown; remove it or change it",
                        )
                    )
                else:
                    values[m.value] = f"mistake {mi + 1}'s"
        elif isinstance(q, Ordering):
            orders: dict[tuple[str, ...], int] = {}
            for mi, m in enumerate(q.mistakes):
                if tuple(m.order) in orders:
                    out.append(
                        _at(
                            pos,
                            base + (mi, "order"),
                            "shadowed-mistake",
                            f"this order is mistake {orders[tuple(m.order)] + 1}'s too, so this "
                            "feedback is never shown; remove it",
                        )
                    )
                else:
                    orders[tuple(m.order)] = mi
    return out


def _full_match(pattern: str, text: str) -> bool:
    try:
        return re.fullmatch(pattern, text, re.ASCII) is not None
    except re.error:
        return False


# --- patterns the two graders read differently ----------------------------------------------


def pattern_portability(quiz: Quiz, pos: Positions) -> list[Finding]:
    out = []
    for qi, q in enumerate(quiz.questions):
        if isinstance(q, ShortText) and q.pattern is not None:
            for check, advice in pattern_notes(q.pattern):
                out.append(_at(pos, ("questions", qi, "pattern"), check, f"pattern: {advice}"))
    return out


# --- everything ---------------------------------------------------------------------------------

CHECKS = (longest_right, true_false_balance, absolute_false, duplicate_texts, shadowed_mistakes, pattern_portability)


def lint_quiz(quiz: Quiz, pos: Positions) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(quiz, pos)]


def lint_quizzes(quizzes: Iterable[tuple[Quiz, Positions]]) -> list[Finding]:
    """Every finding of every quiz, sorted by file and position."""
    return sorted(f for quiz, pos in quizzes for f in lint_quiz(quiz, pos))


def lint_catalog(cat) -> list[Finding]:
    """The findings of every valid quiz of a loaded catalog (content.catalog.Catalog)."""
    return lint_quizzes((q.model, q.pos) for q in cat.quizzes.values())
