"""Short-text patterns that grade in bounded time, the same in Python and in the page.

A pattern is matched against a learner's answer (at most ``MAX_SHORT_TEXT`` characters, see
coursekit/limits.py) by Python's ``re`` and by the browser's RegExp, both backtracking engines.
What makes them slow on a crafted answer is a quantifier inside a quantified group (``(a+)+``,
``(a|aa)*``) or a back-reference; what makes them disagree is syntax one of them lacks or reads
otherwise. Both are refused when a quiz is loaded, so grading never meets them.
"""

from __future__ import annotations

import re
from re import _constants as C
from re import _parser as sre_parse

# Unbounded repeats in one pattern: each multiplies the worst case by the answer's length.
MAX_UNBOUNDED = 3

_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}
_SYNTAX = re.compile(r"\(\?(<[=!]|P|<[A-Za-z]|[aiLmsux-]+[):]|>)|\\[AZ]|[*+?}]\+")


def _walk(items, found: dict[str, int]) -> None:
    for op, av in items:
        if op in _REPEATS:
            _low, high, sub = av
            if high > 1 and _can_repeat(sub):
                found["nested"] += 1
            if high == C.MAXREPEAT:
                found["unbounded"] += 1
            _walk(sub, found)
        elif op == C.SUBPATTERN:
            _walk(av[-1], found)
        elif op == C.BRANCH:
            for branch in av[1]:
                _walk(branch, found)
        elif op in (C.GROUPREF, C.GROUPREF_EXISTS):
            found["backref"] += 1
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _walk(av[1], found)


def _can_repeat(items) -> bool:
    """Whether a repeated body can itself match text of more than one length (a quantifier or a
    branch inside it): then the engine may try exponentially many ways to split an answer."""
    for op, av in items:
        if op in _REPEATS and av[0] != av[1]:
            return True
        if op == C.BRANCH:
            return True
        if op == C.SUBPATTERN and _can_repeat(av[-1]):
            return True
    return False


_ESCAPE = re.compile(r"\\.")


def pattern_problems(pattern: str, case_sensitive: bool = True) -> list[str]:
    """Why a pattern cannot be used (empty: it can)."""
    if not case_sensitive and any(c != c.lower() for c in _ESCAPE.sub("", pattern)):
        return [
            "write a case-insensitive question's pattern in lower case: answers are compared in "
            "lower case, and the two regular-expression engines fold case differently"
        ]
    if _SYNTAX.search(pattern):
        return [
            "lookbehind, named or atomic groups, possessive quantifiers, inline flags, \\A and \\Z "
            "differ between Python and JavaScript; rewrite without them"
        ]
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        return [f"not a valid regular expression ({exc})"]
    found = {"nested": 0, "unbounded": 0, "backref": 0}
    _walk(parsed.data, found)
    problems = []
    if found["nested"]:
        problems.append(
            "a quantifier inside a repeated group (like (a+)+ or (a|aa)*) can take exponential "
            "time on a crafted answer; repeat a character class instead, e.g. [a-z ]+"
        )
    if found["backref"]:
        problems.append("back-references are not allowed (they make matching slow and differ in JavaScript)")
    if found["unbounded"] > MAX_UNBOUNDED:
        problems.append(f"more than {MAX_UNBOUNDED} unbounded repeats (*, +, {{n,}}); bound some, e.g. {{0,20}}")
    return problems
