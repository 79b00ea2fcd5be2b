"""The site's HTML comes from templates that escape by default, without MkDocs; the facts the
page's scripts share with Python (the bounds on an answer, the way a score is written) have one
source, in Python, and the scripts follow it."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from coursekit import limits
from coursekit.content.models import Question, Quiz
from coursekit.quiz.grading import grade_question
from coursekit.scores import fmt_score
from coursekit.site import quizzes

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "src" / "coursekit" / "site" / "assets"
TEMPLATES = REPO / "src" / "coursekit" / "site" / "templates"
VECTORS = json.loads((REPO / "tests" / "grading_vectors.json").read_text(encoding="utf-8"))
QUESTIONS = {k: TypeAdapter(Question).validate_python(v) for k, v in VECTORS["questions"].items()}


def node(script: str, payload: object) -> object:
    """Run an ES module under Node with the payload on stdin; what it prints, as JSON."""
    exe = shutil.which("node")
    assert exe, "Node.js 20+ is a prerequisite (README): the page's scripts are checked under it"
    prelude = (
        f"const assets = {json.dumps(ASSETS.as_uri())};\n"
        "let input = ''; for await (const chunk of process.stdin) input += chunk;\n"
        "const payload = JSON.parse(input);\n"
    )
    done = subprocess.run(
        [exe, "--input-type=module", "-e", prelude + script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


GRADE_IN_JS = """
const { gradeQuestion } = await import(assets + "/grading.js");
const out = payload.cases.map(([q, response]) => {
  const r = gradeQuestion(q, response);
  return { score: r.score, feedback: r.feedback };
});
console.log(JSON.stringify(out));
"""


def _cases() -> list[tuple[str, str]]:
    """(question, response) at each bound and one past it, for every bounded question type."""
    cases = []
    for key, q in QUESTIONS.items():
        limit = quizzes.bounds(q.type).get("max_chars")
        if limit is not None:
            digits = "1" * limit if q.type == "numeric" else "a" * limit
            cases += [(key, digits), (key, digits + "1")]
    cases += [("num", "1e" + str(limits.MAX_EXPONENT)), ("num", "1e" + str(limits.MAX_EXPONENT + 1))]
    return cases


def test_the_page_grader_keeps_the_python_bounds():
    cases = _cases()
    assert {QUESTIONS[k].type for k, _ in cases} == {"numeric", "short_text", "reflection"}
    got = node(GRADE_IN_JS, {"cases": [[quizzes.question_data(QUESTIONS[k]), r] for k, r in cases]})
    for (key, response), js in zip(cases, got, strict=True):
        py = grade_question(QUESTIONS[key], response)
        assert (Fraction(*js["score"]), js["feedback"][:1]) == (py.score, py.feedback[:1]), (key, len(response))
    past = [len(r) > quizzes.bounds(QUESTIONS[k].type).get("max_chars", 10**9) for k, r in cases]
    refused = ["too long" in js["feedback"][0] for js in got]
    assert refused == past and sum(past) >= 4  # one past each bound is refused; the bound itself is read


def test_the_page_grader_has_no_bounds_of_its_own(monkeypatch):
    """Other bounds in Python, and the page's grader follows them: it holds no copy."""
    monkeypatch.setattr(limits, "MAX_SHORT_TEXT", 7)
    monkeypatch.setattr(limits, "MAX_REFLECTION", 9)
    monkeypatch.setattr(limits, "MAX_NUMBER_TEXT", 5)
    monkeypatch.setattr(limits, "MAX_EXPONENT", 3)
    cases = [("text", "a" * 8), ("text", "a" * 7), ("refl", "a" * 10), ("num", "123456"), ("num", "1e4")]
    got = node(GRADE_IN_JS, {"cases": [[quizzes.question_data(QUESTIONS[k]), r] for k, r in cases]})
    feedback = [js["feedback"][0] for js in got]
    assert "at most 7 characters" in feedback[0]
    assert "too long" not in feedback[1]
    assert "at most 9 characters" in feedback[2]
    assert "at most 5 characters" in feedback[3]
    assert feedback[4] == "That number is too large or too small to read."


def test_the_assessment_page_carries_the_numeric_bounds():
    quiz = Quiz(title="Bounds", module=1, questions=[QUESTIONS["num"]])
    page = quizzes.render_assessment_quiz("bounds", quiz)
    data = json.loads(html.unescape(re.search(r'data-ck-assessment="([^"]*)"', page).group(1)))
    assert data["numeric_bounds"] == {"max_chars": limits.MAX_NUMBER_TEXT, "max_exponent": limits.MAX_EXPONENT}
    script = """
const { numberProblem } = await import(assets + "/numbers.js");
console.log(JSON.stringify(payload.responses.map((r) => numberProblem(r, payload.bounds))));
"""
    at, past = "9" * limits.MAX_NUMBER_TEXT, "9" * (limits.MAX_NUMBER_TEXT + 1)
    assert node(script, {"bounds": data["numeric_bounds"], "responses": [at, past]}) == [
        None,
        f"That answer is too long to read here (at most {limits.MAX_NUMBER_TEXT} characters).",
    ]


def test_no_script_has_a_copy_of_a_bound():
    names = re.compile(r"\bMAX_(SHORT_TEXT|REFLECTION|NUMBER_TEXT|EXPONENT)\b")
    copies = [p.name for p in ASSETS.rglob("*.js") if names.search(p.read_text(encoding="utf-8"))]
    assert copies == []


SCORES = sorted(
    {Fraction(n, d) for d in range(1, 13) for n in range(0, 3 * d + 1)}
    | {Fraction(n, d) for n, d in [(1, 8), (3, 8), (5, 8), (1, 200), (1, 40), (-1, 3), (-1, 8), (-1, 1000), (7, 3)]}
)


def test_the_page_writes_a_score_as_python_does():
    script = """
const { fmtScore } = await import(assets + "/grading.js");
console.log(JSON.stringify(payload.map((f) => fmtScore(f))));
"""
    got = node(script, [[f.numerator, f.denominator] for f in SCORES])
    assert dict(zip(map(str, SCORES), got, strict=True)) == {str(f): fmt_score(f) for f in SCORES}


@pytest.mark.parametrize(
    ("score", "text"),
    [(Fraction(3), "3"), (Fraction(5, 2), "2.5"), (Fraction(1, 3), "0.33"), (Fraction(1, 8), "0.13"),
     (Fraction(2, 3), "0.67"), (Fraction(-1, 2), "-0.5"), (Fraction(-1, 1000), "0"), (Fraction(0), "0")],
)  # fmt: skip
def test_fmt_score(score, text):
    assert fmt_score(score) == text


def test_text_in_a_template_is_escaped():
    q = TypeAdapter(Question).validate_python(VECTORS["questions"]["text"] | {"prompt": "Prompt"})
    quiz = Quiz(title='<script>alert("x")</script> & co', module=1, questions=[q])
    for page in (quizzes.render_quiz("esc", quiz), quizzes.render_assessment_quiz("esc", quiz)):
        assert "<script>" not in page
        assert "&lt;script&gt;alert(" in page


def test_every_template_is_package_data_and_compiles():
    from coursekit.site.templating import environment

    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"site/templates/*"' in pyproject
    env = environment()
    names = sorted(p.name for p in TEMPLATES.glob("*.html.j2"))
    assert len(names) >= 10
    for name in names:
        env.get_template(name)


def test_the_rendering_modules_do_not_import_mkdocs():
    code = (
        "import sys\n"
        "import coursekit.site.quizzes, coursekit.site.exercises, coursekit.site.render, coursekit.site.figures\n"
        "import coursekit.site.bundle, coursekit.site.runtime, coursekit.site.templating\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"
