"""A tag an author writes must fit its value: a value it cannot be read as, or a tag for
another kind of value, is an error at its place, never a traceback or a silent empty list."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.content.loader import parse_yaml


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: !!bool maybe\n", (1, 4), "YAML: 'maybe' is not a boolean (true or false)"),
        ("a: !!seq x\n", (1, 4), "YAML: the tag '!!seq' does not fit a single value (remove the tag)"),
        ("a: !!map x\n", (1, 4), "YAML: the tag '!!map' does not fit a single value (remove the tag)"),
        ("a: !!str [1]\n", (1, 4), "YAML: the tag '!!str' does not fit a list (remove the tag)"),
        ("a: !!seq {b: 1}\n", (1, 4), "YAML: the tag '!!seq' does not fit a mapping (remove the tag)"),
        ("a:\n  - !!int [1]\n", (2, 5), "YAML: the tag '!!int' does not fit a list (remove the tag)"),
    ],
)
def test_a_tag_that_does_not_fit_is_reported_at_its_place(text, where, message):
    data, _, errors = parse_yaml(text, Path("q.yml"))
    assert data is None
    assert [(e.line, e.col, e.message) for e in errors] == [(*where, message)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: !!bool true\n", True),
        ("a: !!str 42\n", "42"),
        ("a: !!seq [1]\n", [1]),
        ("a: !!map {b: 1}\n", {"b": 1}),
        ("a: !!null ''\n", None),
    ],
)
def test_a_tag_that_fits_is_read(text, value):
    data, _, errors = parse_yaml(text, Path("q.yml"))
    assert errors == [] and data == {"a": value}
