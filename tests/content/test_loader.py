from pathlib import Path

from coursekit.content.loader import load_model, parse_yaml
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
    assert (e.path, e.line) == (Path("bad.yml"), 2)
    assert "YAML syntax" in e.message


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
