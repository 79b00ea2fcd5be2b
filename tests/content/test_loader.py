import os
import time
from pathlib import Path

import pytest

from coursekit.content import loader
from coursekit.content.loader import load_model, parse_yaml, read_text
from coursekit.content.models import Quiz


def test_positions_point_at_values_and_keys():
    text = "title: T\nquestions:\n  - id: a\n    prompt: P\n"
    data, pos, errors = parse_yaml(text, Path("q.yml"))
    assert not errors
    assert data["questions"][0]["prompt"] == "P"
    assert pos.of(("questions", 0, "prompt")) == (4, 13)
    assert pos.of(("questions", 0, "prompt"), key=True) == (4, 5)
    # a path that does not exist falls back to its nearest ancestor
    assert pos.of(("questions", 0, "nope")) == (3, 5)


def test_line_offset_is_applied_for_front_matter():
    _, pos, _ = parse_yaml("a: 1\nb: 2\n", Path("p.md"), line_offset=1)
    assert pos.of(("b",)) == (3, 4)


def test_syntax_error_has_position_not_traceback():
    _, _, errors = parse_yaml("a: [1, 2\nb: 3\n", Path("bad.yml"))
    assert len(errors) == 1
    e = errors[0]
    # reported where the bracket opened, and where the parser gave up
    assert (e.path, e.line, e.col) == (Path("bad.yml"), 1, 4)
    assert "YAML syntax" in e.message and "line 2, column 2" in e.message


def test_duplicate_keys_are_errors():
    _, _, errors = parse_yaml("a: 1\nb: 2\na: 3\n", Path("d.yml"))
    assert [(e.line, e.col) for e in errors] == [(3, 1)]
    assert "duplicate key 'a'" in errors[0].message


def test_validation_errors_map_to_positions(tmp_path):
    path = tmp_path / "quiz.yml"
    path.write_text(
        "title: T\n"
        "module: one\n"
        "questions:\n"
        "  - id: q1\n"
        "    type: true_false\n"
        "    objective: o\n"
        "    prompt: P\n"
        "    explanation: E\n"
        "    answer: true\n"
        "    feedback_true: yes\n"
        "    feedbak_false: no\n"
        "    misconception: M\n",
        encoding="utf-8",
    )
    loaded = load_model(Quiz, path)
    errors = loaded.errors
    assert loaded.model is None
    rendered = sorted(str(e).split(": ", 1)[1] for e in errors)
    by_line = {e.line: e for e in errors}
    assert by_line[2].col == 9 and "module" in by_line[2].message  # wrong type, at the value
    assert by_line[11].col == 5 and "unknown key" in by_line[11].message  # misspelt key, at the key
    # the missing key is reported at its mapping, with the field path in the message
    assert any("questions[0].feedback_false: is required but missing" in r for r in rendered)


def test_unknown_question_type_is_named(tmp_path):
    path = tmp_path / "quiz.yml"
    path.write_text("title: T\nmodule: 1\nquestions:\n  - id: q\n    type: essay\n", encoding="utf-8")
    errors = load_model(Quiz, path).errors
    assert len(errors) == 1
    assert "unknown question type 'essay'" in errors[0].message
    assert (errors[0].line, errors[0].col) == (5, 11)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "quiz.yml"
    path.write_bytes(b"title: \xff\xfe\n")
    errors = load_model(Quiz, path).errors
    assert "not UTF-8" in errors[0].message


def test_non_utf8_byte_is_located(tmp_path):
    path = tmp_path / "quiz.yml"
    path.write_bytes("title: Caf\u00e9\n".encode() + b"module: 1\nprompt: ab\xff\n")
    error = load_model(Quiz, path).errors[0]
    assert (error.line, error.col) == (3, 11)
    assert "0xFF" in error.message


@pytest.mark.parametrize("text, where, opened", [
    ('a: 1\nb: "abc\nc: 2\n', (2, 4), "line 4, column 1"),
    ("a: 1\nb: 'abc\n", (2, 4), "line 3, column 1"),
    ("a: 1\nb: {x: 1\nc: 3\n", (2, 4), "line 3, column 2"),
    ("a:\n  - [1, [2, 3]\n", (2, 5), "line 3, column 1"),
])
def test_unclosed_quote_or_bracket_is_reported_where_it_opened_and_where_parsing_stopped(text, where, opened):
    _, _, errors = parse_yaml(text, Path("q.yml"))
    assert [(e.line, e.col) for e in errors] == [where]
    assert opened in errors[0].message


def test_the_other_position_follows_front_matter_offsets():
    _, _, errors = parse_yaml('a: 1\nb: "abc\n', Path("p.md"), line_offset=1)
    assert (errors[0].line, errors[0].col) == (3, 4) and "line 4, column 1" in errors[0].message


def test_tab_indentation_is_named():
    _, _, errors = parse_yaml("a:\n\t- 1\n", Path("q.yml"))
    assert [(e.line, e.col) for e in errors] == [(2, 1)] and "tab" in errors[0].message


@pytest.mark.parametrize("text, where, sign", [
    ("a: &x 1\nb: 2\n", (1, 4), "&x"),  # an anchor, even unused
    ("a: 1\nb: *x\n", (2, 4), "*x"),  # an alias to nothing
    ("base: &b {k: 1}\nother:\n  <<: *b\n", (1, 7), "&b"),  # a merge key
])
def test_anchors_and_aliases_are_refused(text, where, sign):
    data, _, errors = parse_yaml(text, Path("q.yml"))
    assert data is None
    assert [(e.line, e.col) for e in errors] == [where]
    assert "anchors and aliases are not allowed" in errors[0].message and sign in errors[0].message


def test_an_alias_bomb_fails_at_once():
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    start = time.process_time()
    data, _, errors = parse_yaml("\n".join(lines) + "\n", Path("bomb.yml"))
    assert time.process_time() - start < 0.1
    assert data is None and (errors[0].line, errors[0].col) == (1, 5)


def test_nesting_is_bounded():
    deep = "a: " + "[" * (loader.MAX_DEPTH + 5) + "]" * (loader.MAX_DEPTH + 5) + "\n"
    _, _, errors = parse_yaml(deep, Path("q.yml"))
    assert len(errors) == 1 and "nested more than" in errors[0].message
    assert (errors[0].line, errors[0].col) == (1, 3 + loader.MAX_DEPTH)
    ok = "a: " + "[" * (loader.MAX_DEPTH - 1) + "]" * (loader.MAX_DEPTH - 1) + "\n"
    assert parse_yaml(ok, Path("q.yml"))[2] == []


def test_node_count_is_bounded():
    text = "a: [" + ", ".join(["1"] * (loader.MAX_NODES + 1)) + "]\n"
    _, _, errors = parse_yaml(text, Path("q.yml"))
    assert len(errors) == 1 and "values in one file" in errors[0].message


def test_size_is_bounded_before_reading(tmp_path):
    path = tmp_path / "quiz.yml"
    path.write_text("title: T\n" + "# filler\n" * (loader.MAX_BYTES // 9 + 1), encoding="utf-8")
    error = read_text(path)
    assert not isinstance(error, str) and "larger than" in error.message


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "quiz.yml"
    os.mkfifo(fifo)
    error = read_text(fifo)  # would block forever if opened
    assert not isinstance(error, str) and "not a regular file" in error.message


@pytest.mark.parametrize("text, where, what", [
    ("a: x\x00y\n", (1, 5), "U+0000"),
    ("a: \u00e9\u00e9\nb: \u00e9\x07\n", (2, 5), "U+0007"),
])
def test_control_characters_are_located(text, where, what):
    _, _, errors = parse_yaml(text, Path("q.yml"))
    assert [(e.line, e.col) for e in errors] == [where] and what in errors[0].message


@pytest.mark.parametrize("text, what", [
    ("a: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system"),
    ("a: !!set {x: 1}\n", "!!set"),
    ("a: !custom x\n", "!custom"),
])
def test_tags_beyond_plain_data_are_refused(text, what):
    _, _, errors = parse_yaml(text, Path("q.yml"))
    assert len(errors) == 1 and what in errors[0].message and "not allowed" in errors[0].message


def test_plain_tags_and_a_byte_order_mark_are_fine():
    data, pos, errors = parse_yaml("\ufeffa: !!str 12\nb: 2\n", Path("q.yml"))
    assert errors == [] and data == {"a": "12", "b": 2}
    assert pos.of(("b",), key=True) == (2, 1)


def test_a_second_document_is_refused():
    _, _, errors = parse_yaml("a: 1\n---\nb: 2\n", Path("q.yml"))
    assert [(e.line, e.col) for e in errors] == [(2, 1)] and "one document" in errors[0].message
