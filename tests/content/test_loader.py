import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import course_params

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


@pytest.mark.parametrize(
    "text, where, opened",
    [
        ('a: 1\nb: "abc\nc: 2\n', (2, 4), "line 4, column 1"),
        ("a: 1\nb: 'abc\n", (2, 4), "line 3, column 1"),
        ("a: 1\nb: {x: 1\nc: 3\n", (2, 4), "line 3, column 2"),
        ("a:\n  - [1, [2, 3]\n", (2, 5), "line 3, column 1"),
    ],
)
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


@pytest.mark.parametrize(
    "text, where, sign",
    [
        ("a: &x 1\nb: 2\n", (1, 4), "&x"),  # an anchor, even unused
        ("a: 1\nb: *x\n", (2, 4), "*x"),  # an alias to nothing
        ("base: &b {k: 1}\nother:\n  <<: *b\n", (1, 7), "&b"),  # a merge key
    ],
)
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


@pytest.mark.parametrize(
    "text, where, what",
    [
        ("a: x\x00y\n", (1, 5), "U+0000"),
        ("a: \u00e9\u00e9\nb: \u00e9\x07\n", (2, 5), "U+0007"),
    ],
)
def test_control_characters_are_located(text, where, what):
    _, _, errors = parse_yaml(text, Path("q.yml"))
    assert [(e.line, e.col) for e in errors] == [where] and what in errors[0].message


@pytest.mark.parametrize(
    "text, what",
    [
        ("a: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system"),
        ("a: !!set {x: 1}\n", "!!set"),
        ("a: !custom x\n", "!custom"),
    ],
)
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


# --- a corpus of broken quiz files, each checked through the real command -----------------------

BROKEN = Path(__file__).resolve().parent.parent / "fixtures" / "broken-quizzes"
MODULE_PAGE = """---
module: 1
title: Basics
questions: ["What is two and two?"]
objectives:
  - id: add
    text: Add two numbers.
key_points: [Addition is easy.]
minutes: {teaching: 5, exercises: 5}
---
# Basics
"""
GOOD_QUIZ = """title: Good
module: 1
questions:
  - id: sum
    type: single
    objective: add
    prompt: What is 2 + 2?
    explanation: Two and two make four.
    options:
      - {id: four, text: "4", correct: true, feedback: Yes.}
      - {id: joined, text: "22", feedback: That joins the digits., misconception: Concatenating instead of adding.}
"""

# file -> (line, column, what the message must say); huge.yml is written by the test (over the cap)
EXPECTED = {
    "alias-bomb.yml": (3, 5, "anchors and aliases are not allowed (&l0)"),
    "merge-key.yml": (4, 5, "anchors and aliases are not allowed (&base)"),
    "unclosed-quote.yml": (7, 13, "never closed"),
    "unclosed-bracket.yml": (9, 12, "the [ opened here is not closed"),
    "unclosed-brace.yml": (10, 9, "the { opened here is not closed"),
    "tab-indentation.yml": (8, 1, "a tab cannot indent YAML"),
    "bad-indentation.yml": (8, 4, "did not find expected '-' indicator"),
    "duplicate-key.yml": (8, 5, "duplicate key 'prompt'"),
    "unknown-key.yml": (8, 5, "explanaton: unknown key"),
    "wrong-type.yml": (2, 9, "module: input should be a valid integer"),
    "missing-field.yml": (4, 5, "explanation: is required but missing"),
    "two-correct-options.yml": (4, 5, "exactly one option with 'correct: true' (found 2)"),
    "missing-misconception.yml": (11, 9, "a wrong option needs a 'misconception'"),
    "empty-options.yml": (9, 14, "options: list should have at least 2 items"),
    "bad-regex.yml": (10, 14, "pattern: not a valid regular expression"),
    "lookbehind.yml": (10, 14, "pattern: lookbehind"),
    "nested-quantifier.yml": (10, 14, "pattern: a quantifier inside a repeated group"),
    "uppercase-pattern.yml": (10, 14, "pattern in lower case"),
    "not-a-mapping.yml": (1, 1, "must hold a mapping"),
    "empty-file.yml": (1, 1, "title: is required but missing"),
    "nul-byte.yml": (7, 23, "U+0000 is not allowed"),
    "control-character.yml": (8, 21, "U+0007 is not allowed"),
    "invalid-utf8.yml": (7, 23, "not UTF-8 text (byte 0xFF"),
    "over-deep.yml": (9, 29, f"nested more than {loader.MAX_DEPTH} levels deep"),
    "huge.yml": (1, 1, f"larger than {loader.MAX_BYTES // 1024} KiB"),
    "impossible-date.yml": (1, 8, "cannot read '2024-02-30' (day is out of range for month)"),
    "huge-integer.yml": (2, 9, "cannot read '1111"),
    "two-documents.yml": (12, 1, "holds one document"),
    "python-tag.yml": (7, 13, "the tag '!!python/object/apply:os.system' is not allowed"),
    "complex-key.yml": (8, 7, "mapping keys must be plain words"),
    "duplicate-question-id.yml": (12, 9, "duplicate question id 'sum'"),
    "duplicate-option-id.yml": (11, 14, "duplicate option id in question 'sum'"),
    "duplicate-item-id.yml": (12, 14, "duplicate id 'one' in question 'steps'"),
    "duplicate-pair-id.yml": (13, 14, "duplicate id 'it' in question 'capitals'"),
    "bad-id.yml": (4, 9, "id: string should match pattern"),
    "numeric-answer-and-formula.yml": (9, 13, "give either 'answer' or 'formula'"),
    "inverted-variable.yml": (10, 10, "max must not be below min"),
    "unknown-question-type.yml": (5, 11, "unknown question type 'essay'"),
    "unknown-objective.yml": (6, 16, "unknown objective 'subtract'"),
    "unknown-module.yml": (2, 9, "no module page has 'module: 9'"),
}
# and where the parser gave up, for the constructs reported where they opened
ALSO = {
    "unclosed-quote.yml": "gave up at line 10, column 27",
    "unclosed-bracket.yml": "at line 10, column 12",
    "unclosed-brace.yml": "at line 11, column 9",
}


def test_the_corpus_is_complete():
    written = {p.name for p in BROKEN.iterdir()}
    assert written | {"huge.yml"} == set(EXPECTED)
    assert len(EXPECTED) >= 20


def _course(tmp_path: Path, name: str) -> Path:
    root = tmp_path / "course-root"
    (root / "course" / "modules").mkdir(parents=True)
    (root / "course" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "course" / "modules" / "01-basics.md").write_text(MODULE_PAGE, encoding="utf-8")
    quizzes = root / "quizzes"
    quizzes.mkdir()
    good = GOOD_QUIZ
    (quizzes / "good.yml").write_text(good, encoding="utf-8")
    if name == "huge.yml":
        (quizzes / name).write_text(good + "# padding\n" * (loader.MAX_BYTES // 10 + 1), encoding="utf-8")
    elif name:
        shutil.copyfile(BROKEN / name, quizzes / name)
    return root


def _validate(root: Path) -> tuple[subprocess.CompletedProcess, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "coursekit", "validate", "--root", str(root)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return r, wall, cpu


def test_the_fixture_course_is_valid_without_a_broken_file(tmp_path):
    r, _, _ = _validate(_course(tmp_path, ""))
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_quiz_is_reported_where_it_is_broken(tmp_path, name):
    r, wall, cpu = _validate(_course(tmp_path, name))
    output = r.stdout + r.stderr
    assert r.returncode == 1, output
    assert "Traceback" not in output
    line, col, what = EXPECTED[name]
    reported = [x for x in r.stderr.splitlines() if x.startswith(f"quizzes/{name}:")]
    assert any(x.startswith(f"quizzes/{name}:{line}:{col}: ") and what in x for x in reported), reported
    assert not any(x.startswith("quizzes/good.yml") for x in r.stderr.splitlines())
    if name in ALSO:
        assert ALSO[name] in reported[0]
    # Each run must stay under 2 s. The processor time is what the file costs us; the wall
    # clock also counts waiting for a core on a busy machine, so it gets a wider margin.
    assert cpu < 2.0, f"{cpu:.2f} s of processor time"
    assert wall < 10.0, f"{wall:.2f} s"


def test_a_collection_key_is_refused_and_the_rest_still_read():
    data, pos, errors = parse_yaml("? [a, b]\n: 1\nc:\n  - x\n  - {d: 2}\n", Path("q.yml"))
    assert [(e.line, e.col, e.message) for e in errors] == [(1, 3, "mapping keys must be plain words")]
    assert data == {"c": ["x", {"d": 2}]}
    assert pos.of(("c", 1, "d")) == (5, 9) and pos.of(("c", 1, "d"), key=True) == (5, 6)


SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
YAML_FILES = [
    *sorted(SITES.glob("*/quizzes/*.yml")),
    *sorted(SITES.glob("*/exercises/*/exercise.yml")),
    *sorted(SITES.glob("*/course/data/*.yml")),
    Path(__file__).resolve().parents[1] / "fixtures" / "export" / "all-types.yml",
    *course_params("quizzes/*.yml"),
    *course_params("exercises/*/exercise.yml"),
    *course_params("course/data/*.yml"),
]


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.relative_to(SITES.parent).as_posix())
def test_the_data_is_what_a_plain_safe_load_gives(path):
    import yaml

    text = path.read_text(encoding="utf-8")
    data, _, errors = parse_yaml(text, path)
    assert errors == [] and data == yaml.safe_load(text), path
