"""Authoring lint: each check fires on a small quiz written for it and stays silent on a clean one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.content import lint, pattern_notes
from coursekit.content.catalog import Layout, load_catalog
from coursekit.content.loader import load_model
from coursekit.content.models import Quiz

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MINIMAL = FIXTURES / "sites" / "minimal"

HEAD = "title: T\nmodule: 1\nquestions:\n"


def single(qid: str, right: str, *wrongs: str) -> str:
    lines = [
        f"  - id: {qid}",
        "    type: single",
        "    objective: add",
        f"    prompt: Question {qid}?",
        "    explanation: Because.",
        "    options:",
        f'      - {{id: right, text: "{right}", correct: true, feedback: Yes.}}',
    ]
    lines += [f'      - {{id: w{i}, text: "{w}", feedback: No., misconception: M.}}' for i, w in enumerate(wrongs)]
    return "\n".join(lines) + "\n"


def true_false(qid: str, answer: bool, prompt: str = "A statement.") -> str:
    return (
        f"  - id: {qid}\n    type: true_false\n    objective: add\n    prompt: {prompt}\n"
        f"    explanation: Because.\n    answer: {str(answer).lower()}\n    feedback_true: T.\n"
        "    feedback_false: F.\n    misconception: M.\n"
    )


def short_text(qid: str, *, accept: str = "[green]", pattern: str | None = None, mistakes: str = "") -> str:
    text = (
        f"  - id: {qid}\n    type: short_text\n    objective: add\n    prompt: Name it.\n"
        f"    explanation: Because.\n    accept: {accept}\n    correct_feedback: C.\n    wrong_feedback: W.\n"
    )
    if pattern is not None:
        text += f"    pattern: {json.dumps(pattern)}\n"
    return text + mistakes


def load(tmp_path: Path, body: str) -> tuple[Quiz, object, str]:
    path = tmp_path / "quiz.yml"
    text = HEAD + body
    path.write_text(text, encoding="utf-8")
    loaded = load_model(Quiz, path)
    assert loaded.errors == [], [str(e) for e in loaded.errors]
    return loaded.model, loaded.pos, text


def line_of(text: str, marker: str, nth: int = 0) -> int:
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if marker in line]
    return lines[nth]


def checks(findings) -> list[str]:
    return [f.check for f in findings]


# --- the right option is the longest ----------------------------------------------------------

LONG = "A full and careful answer with detail"  # 37 characters
SHORT = ("Too short", "Not this", "Nor this one")


def test_longest_right_fires_on_each_question_when_most_are_so(tmp_path):
    body = (
        single("a", LONG, *SHORT)
        + single("b", LONG, *SHORT)
        + single("c", "Brief", "Something longer", "Longer still here")
    )
    quiz, pos, text = load(tmp_path, body)
    found = lint.longest_right(quiz, pos)
    assert checks(found) == ["longest-right", "longest-right"]
    assert [f.line for f in found] == [line_of(text, LONG, 0), line_of(text, LONG, 1)]
    assert "2 of the quiz's 3 single-choice questions" in found[0].message


@pytest.mark.parametrize(
    "body",
    [
        # half, not most
        single("a", LONG, *SHORT)
        + single("b", LONG, *SHORT)
        + single("c", "Brief", "Longer text")
        + single("d", "Brief", "Longer text"),
        # fewer than three single-choice questions
        single("a", LONG, *SHORT) + single("b", LONG, *SHORT),
        # long, but a wrong option is longer still
        "".join(single(q, LONG, LONG + " and more", "No") for q in "abc"),
        # the longest, but not by half again the mean of the others
        "".join(single(q, "Twelve chars", "Ten chars.", "Nine char") for q in "abc"),
    ],
)
def test_longest_right_is_silent_otherwise(tmp_path, body):
    quiz, pos, _ = load(tmp_path, body)
    assert lint.longest_right(quiz, pos) == []


def test_length_ignores_markup_and_spacing():
    assert lint.visible("  **Bold**  and [a link](https://example.com/very/long)  ") == "bold and a link"


# --- true/false ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers, fires",
    [
        ([True] * 4, True),
        ([False] * 5, True),
        ([True] * 5 + [False], True),  # one of six: under a fifth
        ([True] * 3 + [False], False),
        ([True] * 4 + [False], False),  # one of five: a fifth
        ([True] * 3, False),  # too few to call a habit
    ],
)
def test_true_false_balance(tmp_path, answers, fires):
    quiz, pos, text = load(tmp_path, "".join(true_false(f"s{i}", a) for i, a in enumerate(answers)))
    found = lint.true_false_balance(quiz, pos)
    assert bool(found) == fires
    if fires:
        majority = "true" if answers.count(True) > answers.count(False) else "false"
        assert found[0].line == line_of(text, f"answer: {majority}")
        assert f"are {majority}" in found[0].message


@pytest.mark.parametrize(
    "prompt, answer, word",
    [
        ("Flash sales always raise margins.", False, "always"),
        ("No one buys on a livestream.", False, "No one"),
        ("The pilot PROVES the model works.", False, "PROVES"),
        ("Only creators can sell.", False, "Only"),
        ("Flash sales always raise volume.", True, None),  # a true statement may be absolute
        ("The hallway was tall and overall calm.", False, None),  # words inside words do not count
    ],
)
def test_absolute_words_in_false_statements(tmp_path, prompt, answer, word):
    quiz, pos, text = load(tmp_path, true_false("s", answer, prompt))
    found = lint.absolute_false(quiz, pos)
    if word is None:
        assert found == []
    else:
        assert checks(found) == ["absolute-false"] and repr(word) in found[0].message
        assert (found[0].line, found[0].col) == (line_of(text, prompt), 13)


# --- duplicates -----------------------------------------------------------------------------------

MATCHING = """  - id: caps
    type: matching
    objective: add
    prompt: Match.
    explanation: Because.
    pairs:
      - {id: fr, left: France, right: Paris}
      - {id: it, left: Italy, right: " ROME "}
    distractors:
      - {id: ber, text: rome, misconception: M.}
      - {id: fr, text: Berlin, misconception: M.}
    correct_feedback: C.
    wrong_feedback: W.
"""

ORDERING = """  - id: steps
    type: ordering
    objective: add
    prompt: Order.
    explanation: Because.
    items:
      - {id: one, text: First step}
      - {id: two, text: "first   STEP"}
      - {id: one, text: Third}
    correct_feedback: C.
    wrong_feedback: W.
    mistakes:
      - {order: [two, one, one], feedback: F., misconception: M.}
"""


def test_duplicate_option_texts(tmp_path):
    quiz, pos, text = load(tmp_path, single("a", "Paris", "  paris ", "Rome"))
    found = lint.duplicate_texts(quiz, pos)
    assert checks(found) == ["duplicate-text"] and found[0].line == line_of(text, "  paris ")
    assert "option 'w0' reads the same as option 'right'" in found[0].message


def test_duplicate_right_sides_and_distractors(tmp_path):
    quiz, pos, text = load(tmp_path, MATCHING)
    found = lint.duplicate_texts(quiz, pos)
    assert [(f.check, f.line) for f in found] == [("duplicate-text", line_of(text, "id: ber"))]
    assert "distractor 'ber' reads the same as the right side of pair 'it'" in found[0].message


def test_duplicate_ids_in_matching_and_ordering_are_errors(tmp_path):
    quiz, pos, text = load(tmp_path, MATCHING + ORDERING)
    errors = lint.duplicate_ids(quiz, pos)
    assert [(e.line, e.col) for e in errors] == [
        (line_of(text, "text: Berlin"), 14),
        (line_of(text, "text: Third"), 14),
    ]
    assert "duplicate id 'fr' in question 'caps'" in errors[0].message
    assert f"also on line {line_of(text, 'left: France')}" in errors[0].message


def test_duplicate_item_texts(tmp_path):
    quiz, pos, text = load(tmp_path, ORDERING)
    found = lint.duplicate_texts(quiz, pos)
    assert [(f.check, f.line) for f in found] == [("duplicate-text", line_of(text, "first   STEP"))]


def test_duplicate_ids_are_catalog_errors(tmp_path):
    root = shutil.copytree(MINIMAL, tmp_path / "site")
    (root / "quizzes" / "extra.yml").write_text(HEAD + ORDERING, encoding="utf-8")
    cat = load_catalog(Layout(root))
    assert any(e.path.name == "extra.yml" and "duplicate id 'one'" in e.message for e in cat.errors)


SHADOWED = (
    short_text(
        "colour",
        accept="[green, Olive]",
        pattern="gr[ea]+n",
        mistakes=(
            "    mistakes:\n"
            "      - {answers: [blue, '  OLIVE '], feedback: F., misconception: M.}\n"
            "      - {answers: [greeen], feedback: F., misconception: M.}\n"
            "      - {answers: [Blue], feedback: F., misconception: M.}\n"
        ),
    )
    + """  - id: half
    type: numeric
    objective: add
    prompt: Half?
    explanation: Because.
    answer: 0.5
    correct_feedback: C.
    wrong_feedback: W.
    mistakes:
      - {value: 2, feedback: F., misconception: M.}
      - {value: 0.50, feedback: F., misconception: M.}
      - {value: 2.0, feedback: F., misconception: M.}
"""
    + ORDERING.replace("      - {id: one, text: Third}", "      - {id: three, text: Third}").replace(
        "      - {order: [two, one, one], feedback: F., misconception: M.}",
        "      - {order: [two, one, three], feedback: F., misconception: M.}\n"
        "      - {order: [two, one, three], feedback: G., misconception: M.}",
    )
)


def test_mistakes_that_can_never_be_reached(tmp_path):
    quiz, pos, text = load(tmp_path, SHADOWED)
    found = lint.shadowed_mistakes(quiz, pos)
    where = [(f.line, f.message.split(",")[0]) for f in found]
    assert where == [
        (line_of(text, "'  OLIVE '"), "the mistake answer 'OLIVE' is already matched by an accepted answer"),
        (line_of(text, "greeen"), "the mistake answer 'greeen' is already matched by the pattern"),
        (line_of(text, "[Blue]"), "the mistake answer 'Blue' is already matched by mistake 1"),
        (line_of(text, "value: 0.50"), "the mistake value 0.5 is the right answer too"),
        (line_of(text, "value: 2.0"), "the mistake value 2.0 is mistake 1's too"),
        (line_of(text, "feedback: G."), "this order is mistake 1's too"),
    ]


# --- patterns ------------------------------------------------------------------------------------

PORTABILITY = [
    (r"\w+", "pattern-ascii", "[A-Za-z0-9_]"),
    (r"\d{3}", "pattern-ascii", "[0-9]"),
    (r"\bgreen", "pattern-ascii", "boundar"),
    (r"green\s+tea", "pattern-space", "' ' (a space)"),
    (r"^green$", "pattern-anchor", "not needed"),
    (r"a\-b", "pattern-js-syntax", "write - without"),
    (r"\#1", "pattern-js-syntax", "write # without"),
    (r"a{,3}", "pattern-js-syntax", "{0,n}"),
    (r"a{", "pattern-js-syntax", r"\{"),
    (r"a}", "pattern-js-syntax", r"\}"),
    (r"x]", "pattern-js-syntax", r"\]"),
    (r"\N{em dash}", "pattern-js-syntax", "Python only"),
    (r"\U0001f600", "pattern-js-syntax", "Python only"),
    (r"\01", "pattern-js-syntax", "octal"),
    (r"(?#note)a", "pattern-js-syntax", "comments"),
    (r"[]a]", "pattern-class", r"\]"),
    (r"[^]a]", "pattern-class", r"\]"),
    (r"[a&&b]", "pattern-class", "set operation"),
]
CLEAN_PATTERNS = [r"gr[ea]+n", r"[a-z]{2,4}( [a-z]+)?", r"\.\/\(\)", r"[a\-z]", r"[\b]x", r"\x41\u00e9", r"colou?r"]


@pytest.mark.parametrize("pattern, check, advice", PORTABILITY)
def test_pattern_portability(tmp_path, pattern, check, advice):
    quiz, pos, text = load(tmp_path, short_text("q", pattern=pattern))
    found = lint.pattern_portability(quiz, pos)
    assert check in checks(found)
    hit = next(f for f in found if f.check == check)
    assert advice in hit.message
    assert (hit.line, hit.col) == (line_of(text, "pattern:"), 14)


@pytest.mark.parametrize("pattern", CLEAN_PATTERNS)
def test_portable_patterns_are_silent(tmp_path, pattern):
    quiz, pos, _ = load(tmp_path, short_text("q", pattern=pattern))
    assert lint.pattern_portability(quiz, pos) == []


def _node_regexp(cases: list[tuple[str, str]]) -> list[object]:
    """The page's reading of each (pattern, answer): True/False, or the SyntaxError it raises."""
    script = """
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map(([p, a]) => {
  try { return new RegExp(`^(?:${p})$`, "u").test(a); } catch (e) { return "error"; }
})));
"""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to check the page's reading of patterns")
    r = subprocess.run([node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_what_the_advice_says_about_javascript_is_true():
    """Every pattern the lint calls refused by the page is refused by the page's RegExp (and read
    by Python); the ASCII and space claims hold in both graders as the grader calls them."""
    refused = [p for p, check, _ in PORTABILITY if check == "pattern-js-syntax"] + [r"[]a]", r"[^]a]"]
    results = _node_regexp(
        [(p, "a") for p in refused]
        + [
            (r"\w+", "café"),
            (r"[A-Za-z0-9_]+", "cafe"),
            (r"a\sb", "a\u00a0b"),
            (r"a b", "a b"),
            *[(p, "a") for p in CLEAN_PATTERNS],
        ]
    )
    assert results[: len(refused)] == ["error"] * len(refused)
    for p in refused:
        re.compile(p)  # Python reads them all
    ascii_word, explicit, space_js, space = results[len(refused) : len(refused) + 4]
    assert ascii_word is False and re.fullmatch(r"\w+", "café", re.ASCII) is None  # \w is ASCII in both
    assert explicit is True
    assert space_js is True and re.fullmatch(r"a\sb", "a\u00a0b", re.ASCII) is None  # \s differs
    assert space is True
    assert "error" not in results[len(refused) + 4 :]


# --- clean quizzes and the command ------------------------------------------------------------------


def test_fixture_course_quizzes_are_clean():
    cat = load_catalog(Layout(MINIMAL))
    assert cat.errors == [] and cat.quizzes
    assert lint.lint_catalog(cat) == []


def test_a_balanced_quiz_is_clean(tmp_path):
    body = (
        single("a", "Short", "Medium one", "Long one here")
        + single("b", "Alike", "Alike!", "Alike?")
        + single("c", LONG, LONG + ".", "Another full and careful answer")
        + "".join(true_false(f"s{i}", i % 2 == 0, "A hedged claim that usually holds.") for i in range(4))
        + short_text("t", pattern="gr[ea]+n")
    )
    quiz, pos, _ = load(tmp_path, body)
    assert lint.lint_quiz(quiz, pos) == []


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coursekit", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_validate_warns_and_strict_fails(tmp_path):
    root = shutil.copytree(MINIMAL, tmp_path / "site")
    quiz = root / "quizzes" / "basics.yml"
    text = quiz.read_text(encoding="utf-8").replace(
        "prompt: The sky on a clear day is green.", "prompt: The sky is always green."
    )
    quiz.write_text(text, encoding="utf-8")
    where = f"quizzes/basics.yml:{line_of(text, 'always green')}:13: "
    r = _run("validate", cwd=root)
    assert r.returncode == 0, r.stderr
    assert f"{where}warning: this false statement says 'always'" in r.stderr and "[absolute-false]" in r.stderr
    assert "1 warning(s)" in r.stdout
    r = _run("validate", "--strict", cwd=root)
    assert r.returncode == 1
    assert f"{where}error: this false statement says 'always'" in r.stderr
    assert "1 problem(s) found" in r.stderr and "Traceback" not in r.stderr + r.stdout


def test_every_check_is_documented_and_exercised():
    """Each check name the lint can print is explained in the module's docstring, and the tests
    above make each one fire."""
    source = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (lint, pattern_notes))
    names = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source))
    assert len(names) == 10
    for name in names:
        assert f"``{name}``" in lint.__doc__, name
    tested = {check for _, check, _ in PORTABILITY} | {
        "longest-right",
        "true-false-balance",
        "absolute-false",
        "duplicate-text",
        "shadowed-mistake",
    }
    assert names == tested
