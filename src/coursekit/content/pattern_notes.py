"""What a short-text pattern says otherwise to the page's grader (JavaScript RegExp with the "u"
flag) than to Python's ``re`` (with ``re.ASCII``), each construct with its portable rewrite:
the advice behind content/lint.py's ``pattern-*`` findings (documented there).

A pattern is read left to right by a small scanner: an escape, a character inside a class,
the start of a class, or any other character, each read by a function of its own that notes
what is not portable and says where reading goes on.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Note = Callable[[str, str], None]  # note(check, advice)

# With the "u" flag the page's RegExp refuses an escaped character unless it is one of these.
_JS_ESCAPABLE = set("^$\\.*+?()[]{}|/")
_CLASS_ESCAPES = {
    "w": "[A-Za-z0-9_]",
    "W": "[^A-Za-z0-9_]",
    "d": "[0-9]",
    "D": "[^0-9]",
}
_QUANTIFIER = re.compile(r"\{(\d+)(,(\d*))?\}")
_NO_LOWER_BOUND = re.compile(r"\{,\d+\}")


def pattern_notes(pattern: str) -> list[tuple[str, str]]:
    """(check, advice) for each construct of a pattern that is not portable, in order of appearance."""
    notes: list[tuple[str, str]] = []

    def note(check: str, advice: str) -> None:
        if (check, advice) not in notes:
            notes.append((check, advice))

    i, in_class = 0, False
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            i = _escape(pattern, i, in_class, note)
        elif in_class:
            in_class = pattern[i] != "]"
            i = _class_char(pattern, i, note)
        elif pattern[i] == "[":
            in_class = True
            i = _class_start(pattern, i, note)
        else:
            i = _plain(pattern, i, note)
    return notes


def _escape(pattern: str, i: int, in_class: bool, note: Note) -> int:
    """The escape at i (a backslash and what follows); returns where reading goes on."""
    e = pattern[i + 1]
    if e in _CLASS_ESCAPES:
        note(
            "pattern-ascii",
            f"\\{e} matches ASCII only in both graders ('é' is not a letter to it); "
            f"write {_CLASS_ESCAPES[e]} to say so, and add the accented letters "
            "an answer may hold",
        )
    elif e in "bB" and not in_class:
        note(
            "pattern-ascii",
            f"\\{e} finds word boundaries between ASCII letters only ('café' has one "
            "before 'é'); the whole answer must match anyway, so drop it or spell "
            "out the characters around it, e.g. ( |$)",
        )
    elif e in "sS":
        note(
            "pattern-space",
            f"\\{e} is ASCII whitespace in Python and any Unicode space in the page; "
            "answers arrive with every run of spaces folded to one space, so write "
            + ("' ' (a space)" if e == "s" else "[^ ]"),
        )
    elif e in "NUa":
        note(
            "pattern-js-syntax",
            f"\\{e} exists in Python only (the page refuses it); write the character itself, or \\uXXXX",
        )
        if e == "N" and pattern.startswith("{", i + 2):
            return pattern.find("}", i) + 1 or len(pattern)
    elif e == "0" and i + 2 < len(pattern) and pattern[i + 2].isdigit():
        note(
            "pattern-js-syntax",
            "an octal escape (\\0 and digits) exists in Python only; write \\xHH or \\uXXXX",
        )
    elif not (e.isascii() and e.isalnum()) and e not in _JS_ESCAPABLE and not (in_class and e == "-"):
        note(
            "pattern-js-syntax",
            f"\\{e} is refused by the page (only ^$\\.*+?()[]{{}}|/ may be "
            f"escaped there); write {e} without the backslash" + (" (or [ ] for a space)" if e == " " else ""),
        )
    return i + 2


def _class_char(pattern: str, i: int, note: Note) -> int:
    """A character inside a class (a ']' ends it: the caller sees to that)."""
    if pattern[i] == "[":
        note(
            "pattern-class",
            "'[' inside a class may become a nested set in Python (and [:alpha:] classes work in neither); write \\[",
        )
    elif pattern[i] != "]" and pattern.startswith(("--", "&&", "~~", "||"), i):
        note(
            "pattern-class",
            f"{pattern[i : i + 2]!r} inside a class may become a set operation in "
            "Python; write the character once, or escape it",
        )
        return i + 2
    return i + 1


def _class_start(pattern: str, i: int, note: Note) -> int:
    """The '[' that opens a class, with its '^' and a ']' right after them."""
    j = i + 1 + (pattern.startswith("^", i + 1))
    if pattern.startswith("]", j):
        note(
            "pattern-class",
            "a ']' first in a class is a literal in Python but ends an empty class in the page; write \\]",
        )
        j += 1
    return j


def _plain(pattern: str, i: int, note: Note) -> int:
    """Any other character outside a class: brackets, braces, anchors, comments."""
    c = pattern[i]
    if c == "]":
        note("pattern-js-syntax", "a lone ']' is a literal in Python but refused by the page; write \\]")
    elif c in "{}":
        if c == "{" and (m := _QUANTIFIER.match(pattern, i)) is not None:
            return m.end()
        if c == "{" and (m := _NO_LOWER_BOUND.match(pattern, i)) is not None:
            note("pattern-js-syntax", "{,n} means {0,n} in Python and is refused by the page; write {0,n}")
            return m.end()
        note("pattern-js-syntax", f"a lone {c!r} is a literal in Python but refused by the page; write \\{c}")
    elif c == "^":
        note("pattern-anchor", "^ is not needed: the whole answer must match the pattern already; remove it")
    elif c == "$":
        note(
            "pattern-anchor",
            "$ is not needed: the whole answer must match the pattern already, and in "
            "Python $ also matches before a final line break; remove it",
        )
    elif pattern.startswith("(?#", i):
        note("pattern-js-syntax", "(?#...) comments exist in Python only; remove the comment")
    return i + 1
