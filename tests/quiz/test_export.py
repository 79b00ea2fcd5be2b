"""LMS exports, each checked by something other than the code that wrote it.

- Moodle XML: lxml's strict parser, then Moodle's documented structure per question type
  (required elements, allowed fractions, cloze syntax read with Moodle's own regular
  expressions), and Moodle's grading (sum of chosen fractions, clamped) replayed against
  coursekit's grader for every possible response.
- GIFT: no GIFT parser on PyPI works here (pygiftparser pins Markdown < 3.1 beside mkdocs
  and mis-reads escaped braces; pygiftparserrgmf rejects escaped '=' in feedback), so
  read_gift below re-implements Moodle's reader (qformat_gift::readquestion) step by step
  and the round trip must give back every text, grade and feedback.
- QTI 2.1: pyslet, an independent QTI 2.1 implementation, parses every item and the test
  (any warning fails) and runs each item's response processing: the SCORE and FEEDBACK it
  computes must equal coursekit's grade for many responses.
- QTI 1.2: the official IMS DTD (ims_qtiasiv1p2p1.dtd, from pyslet's source distribution,
  in tests/fixtures/export/) validates the document with lxml.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import zipfile
from decimal import Decimal
from fractions import Fraction
from html import unescape
from pathlib import Path

import pytest
from conftest import course_params
from lxml import etree

from coursekit.content.loader import load_model
from coursekit.content.models import (
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Quiz,
    Reflection,
    ShortText,
    SingleChoice,
    TrueFalse,
)
from coursekit.markup import markdown
from coursekit.quiz import variants
from coursekit.quiz.export import FORMATS, export_quiz
from coursekit.quiz.export.common import MOODLE_FRACTIONS, ExportError, accepted_interval, entries
from coursekit.quiz.grading import grade_question

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "export"
# Every quiz of the fixture courses; the course's own quizzes are the `content` parameters.
QUIZ_FILES = [
    FIXTURES / "all-types.yml",
    *sorted((ROOT / "tests" / "fixtures" / "sites" / "minimal" / "quizzes").glob("*.yml")),
    *course_params("quizzes/*.yml"),
]


def load(path: Path) -> Quiz:
    loaded = load_model(Quiz, path)
    assert loaded.model is not None, loaded.errors
    return loaded.model


ALL = load(FIXTURES / "all-types.yml")
STRICT = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)


def only_file(files) -> tuple[str, bytes]:
    assert len(files) == 1
    return next(iter(files.items()))


def text_of(el, path: str) -> str:
    found = el.find(path)
    assert found is not None, f"missing <{path}> in {etree.tostring(el)[:200]!r}"
    return found.text or ""


def plain_html(text: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", text))).strip()


def md(text: str) -> str:
    """A Markdown field of the model as the plain text a learner reads."""
    return plain_html(markdown(text))


# --- the API ----------------------------------------------------------------------------


def test_formats_and_errors():
    assert set(FORMATS) == {"moodle", "gift", "qti", "qti12"}
    with pytest.raises(ExportError, match="unknown export format 'pdf'"):
        export_quiz("all-types", ALL, "pdf")
    with pytest.raises(ExportError, match="cannot name a file"):
        export_quiz("../x", ALL, "moodle")
    files = export_quiz("all-types", ALL, "moodle")
    assert list(files) == ["all-types.moodle.xml"]
    assert any("pattern-only: left out" in w for w in files.warnings)


def test_exports_are_reproducible():
    for fmt in FORMATS:
        assert export_quiz("all-types", ALL, fmt) == export_quiz("all-types", ALL, fmt)


# --- Moodle XML ---------------------------------------------------------------------------

# Moodle's cloze (multianswer) syntax, as question/type/multianswer/questiontype.php reads it.
_ALT = r"(=|%(-?[0-9]+)%)?(.+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$))(#(.*?(?<!\\)(?=[~}]|$)))?"
CLOZE = re.compile(
    r"\{([0-9]*):((NUMERICAL|NM)|(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)):"
    r"(" + _ALT + r"(~" + _ALT + r")*)\}",
    re.S,
)
CLOZE_ALT = re.compile(r"~?" + _ALT, re.S)
NUMBER = re.compile(
    r"^(-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?))(:(-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)"
    r"([eE][-+]?[0-9]+)?)))?$"
)


def moodle_fraction(value: str) -> Fraction:
    """A fraction attribute as Moodle's importer checks it: one of its grades (±1e-7)."""
    f = Fraction(Decimal(value)) / 100
    allowed = MOODLE_FRACTIONS + [-g for g in MOODLE_FRACTIONS]
    best = min(allowed, key=lambda g: abs(g - f))
    assert abs(best - f) < Fraction(1, 10**7), f"fraction {value} is not one Moodle allows"
    return f


def cloze_blanks(text: str) -> list[dict]:
    """The blanks of a cloze text, with each alternative's fraction, answer and feedback."""
    blanks = []
    for m in CLOZE.finditer(text):
        alts = []
        rest = m.group(6)
        while rest and (a := CLOZE_ALT.match(rest)) and a.group(0):
            fraction = Fraction(1) if a.group(1) == "=" else Fraction(int(a.group(2) or 0), 100)
            answer = unescape(a.group(3)).replace(r"\}", "}").replace(r"\#", "#")
            alts.append({"fraction": fraction, "answer": answer, "feedback": unescape(a.group(5) or "")})
            rest = rest[len(a.group(0)) :]
        assert rest == "", f"unparsed cloze alternatives: {rest!r}"
        kind = "numerical" if m.group(3) else "shortanswer"
        blanks.append({"weight": int(m.group(1) or 1), "kind": kind, "case": bool(m.group(5)), "alts": alts})
    return blanks


def moodle_questions(quiz_id: str, quiz: Quiz):
    name, data = only_file(export_quiz(quiz_id, quiz, "moodle"))
    root = etree.fromstring(data, STRICT)
    assert root.tag == "quiz"
    return root, list(root.findall("question"))


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.parent.name + "-" + p.stem)
def test_moodle_xml_matches_moodles_documented_structure(path):
    quiz = load(path)
    root, questions = moodle_questions(path.stem, quiz)
    data = etree.tostring(root, encoding="unicode")
    for german in ("Die Antwort", "richtig", "falsch"):
        assert german not in data
    assert questions[0].get("type") == "category"
    kept = {e.key: e for e in entries(quiz, path.stem)}
    seen = []
    for q in questions:
        qtype = q.get("type")
        if qtype == "category":
            assert text_of(q, "category/text").startswith(f"$course$/top/coursekit/{path.stem}")
            continue
        assert qtype in {"multichoice", "truefalse", "essay", "cloze", "matching", "ordering"}
        assert text_of(q, "name/text").strip()
        assert q.find("questiontext").get("format") == "html" and text_of(q, "questiontext/text").strip()
        assert q.find("generalfeedback").get("format") == "html" and text_of(q, "generalfeedback/text").strip()
        assert float(text_of(q, "defaultgrade")) >= 0
        assert 0 <= float(text_of(q, "penalty")) <= 1
        assert text_of(q, "hidden") == "0"
        key = text_of(q, "idnumber").split(":", 1)[1]
        seen.append(key)
        model = kept[key].question
        assert float(text_of(q, "defaultgrade")) == model.points
        if qtype in {"multichoice", "matching", "ordering"}:
            for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
                assert q.find(tag).get("format") == "html" and text_of(q, f"{tag}/text").strip()
        if qtype == "multichoice":
            assert text_of(q, "single") in {"true", "false"}
            assert text_of(q, "shuffleanswers") in {"true", "false", "0", "1"}
            assert text_of(q, "answernumbering") in {"abc", "ABCD", "123", "iii", "IIII", "none"}
            answers = q.findall("answer")
            assert len(answers) == len(model.options) >= 2
            fractions = [moodle_fraction(a.get("fraction")) for a in answers]
            for a, option in zip(answers, model.options):
                assert a.get("format") == "html"
                assert plain_html(text_of(a, "feedback/text")) == md(option.feedback)
            if text_of(q, "single") == "true":
                assert isinstance(model, SingleChoice) and sorted(fractions)[-1] == 1
            else:
                assert isinstance(model, MultipleSelect)
                assert abs(sum(f for f in fractions if f > 0) - 1) < Fraction(1, 10**6)
        elif qtype == "truefalse":
            answers = {text_of(a, "text"): a for a in q.findall("answer")}
            assert set(answers) == {"true", "false"}
            assert moodle_fraction(answers[str(model.answer).lower()].get("fraction")) == 1
            assert plain_html(text_of(answers["true"], "feedback/text")) == md(model.feedback_true)
        elif qtype == "essay":
            assert isinstance(model, Reflection)
            assert text_of(q, "responseformat") in {"editor", "editorfilepicker", "plain", "monospaced", "noinline"}
            assert int(text_of(q, "responsefieldlines")) > 0
            assert text_of(q, "attachments") == "0"
            assert text_of(q, "graderinfo/text").strip()
        elif qtype == "cloze":
            blanks = cloze_blanks(text_of(q, "questiontext/text"))
            assert len(blanks) == 1 and blanks[0]["weight"] == model.points
            for alt in blanks[0]["alts"]:
                assert alt["feedback"].strip()
                if blanks[0]["kind"] == "numerical" and alt["answer"] != "*":
                    assert NUMBER.match(alt["answer"]), alt["answer"]
        elif qtype == "matching":
            subs = q.findall("subquestion")
            assert sum(1 for s in subs if (s.findtext("text") or "").strip()) == len(model.pairs) >= 2
            assert all(text_of(s, "answer/text").strip() for s in subs)
        elif qtype == "ordering":
            assert text_of(q, "layouttype") in {"VERTICAL", "HORIZONTAL"}
            assert text_of(q, "selecttype") in {"ALL", "RANDOM", "CONTIGUOUS"}
            assert text_of(q, "gradingtype") in {"ALL_OR_NOTHING", "RELATIVE_ALL_PREVIOUS_AND_NEXT"}
            assert [plain_html(text_of(a, "text")) for a in q.findall("answer")] == [md(i.text) for i in model.items]
    exported = {k for k, e in kept.items() if not (isinstance(e.question, ShortText) and not e.question.accept)}
    assert set(seen) == exported


def moodle_multichoice_score(fractions: list[Fraction], chosen: list[int]) -> Fraction:
    return min(max(sum((fractions[i] for i in chosen), Fraction(0)), Fraction(0)), Fraction(1))


def test_moodle_fractions_give_coursekits_partial_credit():
    _, questions = moodle_questions("all-types", ALL)
    by_key = {q.findtext("idnumber").split(":", 1)[1]: q for q in questions if q.get("type") != "category"}
    checked = 0
    for model in (e.question for e in entries(ALL, "all-types")):  # options in the exported order
        if not isinstance(model, (SingleChoice, MultipleSelect)):
            continue
        fractions = [moodle_fraction(a.get("fraction")) for a in by_key[model.id].findall("answer")]
        for size in range(1, len(model.options) + 1 if isinstance(model, MultipleSelect) else 2):
            for chosen in itertools.combinations(range(len(model.options)), size):
                ids = [model.options[i].id for i in chosen]
                ours = grade_question(model, ids if isinstance(model, MultipleSelect) else ids[0]).score / model.points
                assert abs(moodle_multichoice_score(fractions, list(chosen)) - ours) < Fraction(1, 10**6), (
                    model.id,
                    ids,
                )
                checked += 1
    assert checked > 250


def test_moodle_cloze_accepts_what_coursekit_accepts():
    _, questions = moodle_questions("all-types", ALL)
    by_key = {q.findtext("idnumber").split(":", 1)[1]: q for q in questions if q.get("type") != "category"}
    for e in entries(ALL, "all-types"):
        q = e.question
        if isinstance(q, Numeric):
            (blank,) = cloze_blanks(by_key[e.key].findtext("questiontext/text"))
            right = blank["alts"][0]
            centre, tol = (Decimal(x) for x in right["answer"].split(":"))
            assert right["fraction"] == 1 and plain_html(right["feedback"]) == md(q.correct_feedback)
            iv = accepted_interval(q)
            probes = [iv.low, iv.high, iv.centre, q.answer, iv.low - Decimal("0.000001"), iv.high + Decimal("0.000001")]
            for value in probes:
                moodle_right = abs(value - centre) <= tol
                if value in (iv.low, iv.high) and not iv.closed:
                    continue  # the documented difference: Moodle includes both ends
                assert moodle_right == grade_question(q, str(value)).correct, (e.key, value)
            assert [Decimal(a["answer"].split(":")[0]) for a in blank["alts"][1:-1]] == [m.value for m in q.mistakes]
            assert blank["alts"][-1]["answer"] == "*" and blank["alts"][-1]["fraction"] == 0
        elif isinstance(q, ShortText) and q.accept:
            (blank,) = cloze_blanks(by_key[e.key].findtext("questiontext/text"))
            assert blank["case"] == q.case_sensitive
            right = [a["answer"].replace(r"\*", "*") for a in blank["alts"] if a["fraction"] == 1]
            assert right == q.accept
            wrong = [a["answer"] for a in blank["alts"] if a["fraction"] == 0]
            assert wrong == [a for m in q.mistakes for a in m.answers] + ["*"]


def test_moodle_variants_are_a_pool_in_their_own_category():
    root, questions = moodle_questions("all-types", ALL)
    categories = [text_of(q, "category/text") for q in questions if q.get("type") == "category"]
    assert "$course$/top/coursekit/all-types/variant" in categories
    pool = [q for q in questions if (q.findtext("idnumber") or "").startswith("all-types:variant-v")]
    assert len(pool) == variants.POOL_SIZE
    assert len({q.findtext("questiontext/text") for q in pool}) == variants.POOL_SIZE


def test_quizlib_still_writes_the_skeleton_we_finish():
    # If quizlib changes the shape of its output, the post-processing must be revisited.
    import quizlib
    from quizlib.renderers import MoodleXMLRenderer

    quiz = quizlib.Quiz(category="c", info="i")
    quiz.add(quizlib.MultipleChoice(name="m", text="t", answers=[(1, "a"), (0, "b")]))
    quiz.add(quizlib.TrueFalse(name="t", text="t", correct_answer=True))
    quiz.add(quizlib.Essay(name="e", defgrade=0, text="t"))
    quiz.add(quizlib.Cloze(name="c", text="t"))
    root = etree.fromstring(MoodleXMLRenderer().render(quiz).encode(), STRICT)
    types = [q.get("type") for q in root.findall("question")]
    assert types == ["category", "multichoice", "truefalse", "essay", "cloze"]
    mc = root.findall("question")[1]
    assert [a.findtext("text") for a in mc.findall("answer")] == ["a", "b"]
    assert mc.findtext("correctfeedback/text") == "Die Antwort ist richtig."


# --- GIFT --------------------------------------------------------------------------------

_PLACEHOLDERS = {
    "\\:": "\x01",
    "\\#": "\x02",
    "\\=": "\x03",
    "\\{": "\x04",
    "\\}": "\x05",
    "\\~": "\x06",
    "\\n": "\x07",
}
_CHARS = {"\x01": ":", "\x02": "#", "\x03": "=", "\x04": "{", "\x05": "}", "\x06": "~", "\x07": "\n"}
WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")


def _pre(text: str) -> str:
    text = text.replace("\\\\", "\x00")
    for k, v in _PLACEHOLDERS.items():
        text = text.replace(k, v)
    return text.replace("\x00", "\\")


def _post(text: str) -> str:
    return "".join(_CHARS.get(c, c) for c in text)


def _fmt(text: str) -> tuple[str, str]:
    text = text.strip()
    if text.startswith("[") and "]" in text:
        return text[1 : text.index("]")], _post(text[text.index("]") + 1 :]).strip()
    return "moodle", _post(text).strip()


def _weight(answer: str) -> tuple[Fraction, str]:
    answer = answer[1:]
    end = answer.index("%")
    return Fraction(Decimal(answer[:end])) / 100, answer[end + 1 :]


def _comment(answer: str) -> tuple[str, str]:
    bits = answer.split("#", 1)
    return _fmt(bits[0])[1], _fmt(bits[1])[1] if len(bits) > 1 else ""


def read_gift(text: str) -> list[dict]:
    """GIFT read as Moodle's qformat_gift reads it (Moodle 4.x, question/format/gift/format.php)."""
    questions, category = [], None
    for block in re.split(r"\n\s*\n", text):
        lines = [" " if line.strip().startswith("//") else line for line in block.split("\n")]
        t = _pre("\n".join(lines).strip())
        if not t:
            continue
        if t.startswith("$CATEGORY:"):
            category = t[10:].strip()
            continue
        q = {"category": category}
        assert t.startswith("::"), t[:80]
        t = t[2:]
        q["name"] = _post(t[: t.index("::")])
        t = t[t.index("::") + 2 :].strip()
        start, finish = t.find("{"), t.find("}")
        assert 0 <= start < finish, f"no answer block in {t[:80]!r}"
        assert t.endswith("}"), "text after the answer block makes a missing-word question"
        answer = t[start + 1 : finish].strip()
        q["format"], q["text"] = _fmt(t[:start])
        q["general"] = ""
        if "####" in answer:
            q["general"] = _fmt(answer[answer.rindex("####") + 4 :])[1]
            answer = answer[: answer.rindex("####")].strip()
        if answer == "":
            q["type"] = "essay"
        elif answer[0] == "#":
            q["type"] = "numerical"
            body = answer[1:]
            wrong = ""
            if "~" in body:
                wrong, body = body[body.index("~") :], body[: body.index("~")]
            q["answers"] = []
            for a in [x for x in body.split("=") if x.strip()]:
                a = a.strip()
                weight = Fraction(1)
                if WEIGHT.match(a):
                    weight, a = _weight(a)
                value, fb = _comment(a)
                centre, tol = value.split(":") if ":" in value else (value, "0")
                q["answers"].append((weight, Decimal(centre), Decimal(tol), fb))
            q["wrong"] = _comment(wrong)[1] if wrong else None
        elif "~" in answer:
            q["type"] = "multichoice"
            q["single"] = "=" in answer
            q["answers"] = []
            for a in [x.strip() for x in answer.replace("=", "~=").split("~") if x.strip()]:
                if a[0] == "=":
                    weight, a = Fraction(1), a[1:]
                elif WEIGHT.match(a):
                    weight, a = _weight(a)
                else:
                    weight = Fraction(0)
                q["answers"].append((weight, *_comment(a)))
        elif "=" in answer and "->" in answer:
            q["type"] = "match"
            q["pairs"] = []
            for a in [x.strip() for x in answer.split("=") if x.strip()]:
                left, right = a.split("->", 1)
                q["pairs"].append((_fmt(left)[1], _post(right).strip()))
        else:
            head = answer.split("#", 1)[0].strip()
            if head in ("T", "TRUE", "F", "FALSE"):
                q["type"] = "truefalse"
                bits = answer.split("#", 2) + ["", ""]
                q["answer"] = head in ("T", "TRUE")
                q["wrong_fb"], q["right_fb"] = _fmt(bits[1])[1], _fmt(bits[2])[1]
            else:
                q["type"] = "shortanswer"
                q["answers"] = []
                for a in [x.strip() for x in answer.split("=") if x.strip()]:
                    weight = Fraction(1)
                    if WEIGHT.match(a):
                        weight, a = _weight(a)
                    q["answers"].append((weight, *_comment(a)))
        questions.append(q)
    return questions


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.parent.name + "-" + p.stem)
def test_gift_round_trip_through_moodles_reader(path):
    quiz = load(path)
    files = export_quiz(path.stem, quiz, "gift")
    name, data = only_file(files)
    assert name == f"{path.stem}.gift.txt"
    read = {q["name"]: q for q in read_gift(data.decode("utf-8"))}
    for e in entries(quiz, path.stem):
        q = e.question
        if isinstance(q, Ordering) or (isinstance(q, ShortText) and not q.accept):
            assert e.name not in read and any(w.startswith(f"{q.id}: left out") for w in files.warnings)
            continue
        g = read[e.name]
        assert g["format"] == "html"
        assert g["category"] == f"$course$/top/coursekit/{path.stem}" + (f"/{e.pool}" if e.pool else "")
        assert plain_html(g["general"]) == md(q.explanation)
        assert md(q.prompt) in plain_html(g["text"])
        if isinstance(q, SingleChoice) or (isinstance(q, MultipleSelect) and len(q.correct_ids) == 1):
            assert g["type"] == "multichoice" and g["single"]
            assert [w for w, _, _ in g["answers"]] == [Fraction(o.correct) for o in q.options]
            assert [plain_html(fb) for _, _, fb in g["answers"]] == [md(o.feedback) for o in q.options]
        elif isinstance(q, MultipleSelect):
            assert g["type"] == "multichoice" and not g["single"]
            n = len(q.correct_ids)
            for (w, text, fb), o in zip(g["answers"], q.options, strict=True):
                assert abs(w - Fraction(1 if o.correct else -1, n)) < Fraction(1, 10**6)
                assert plain_html(text) == md(o.text)
                assert plain_html(fb) == md(o.feedback)
        elif isinstance(q, TrueFalse):
            assert g["type"] == "truefalse" and g["answer"] == q.answer
            right, wrong = (q.feedback_true, q.feedback_false) if q.answer else (q.feedback_false, q.feedback_true)
            assert plain_html(g["right_fb"]) == md(right)
            assert plain_html(g["wrong_fb"]) == md(wrong)
        elif isinstance(q, Numeric):
            assert g["type"] == "numerical"
            iv = accepted_interval(q)
            (w, centre, tol, fb), *mistakes = g["answers"]
            assert (w, centre, tol) == (1, iv.centre, iv.half_width)
            assert plain_html(fb) == md(q.correct_feedback)
            assert [(m[0], m[1], m[2]) for m in mistakes] == [(0, m.value, m.tolerance) for m in q.mistakes]
            assert plain_html(g["wrong"]) == md(q.wrong_feedback)
        elif isinstance(q, ShortText):
            assert g["type"] == "shortanswer"
            right = [a.replace(r"\*", "*") for w, a, _ in g["answers"] if w == 1]
            assert right == q.accept
            assert [a for w, a, _ in g["answers"] if w == 0] == [a for m in q.mistakes for a in m.answers] + ["*"]
        elif isinstance(q, Matching):
            assert g["type"] == "match"
            want = [(p.left, p.right) for p in q.pairs] + [("", d.text) for d in q.distractors]
            assert [(plain_html(left), right) for left, right in g["pairs"]] == [
                (md(left) if left else "", md(right).replace("->", "→")) for left, right in want
            ]
        else:
            assert isinstance(q, Reflection) and g["type"] == "essay"


def test_gift_escapes_every_special_character():
    data = only_file(export_quiz("all-types", ALL, "gift"))[1].decode()
    question = next(b for b in data.split("\n\n") if "::pick-one::" in b)
    body = question.split("::pick-one::", 1)[1]
    # Unescaped specials may appear only as GIFT syntax: count them outside escapes.
    bare = re.sub(r"\\.", "", body)
    assert bare.count("{") == 1 and bare.count("}") == 1
    assert bare.count("=") == 1 and bare.count("~") == 2 and bare.count(":") == 0
    assert bare.count("#") == 3 + 4  # three feedbacks and the general-feedback marker


# --- QTI 2.1 -----------------------------------------------------------------------------


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


@pytest.fixture
def pyslet_warnings():
    handler = _Warnings()
    logging.getLogger().addHandler(handler)
    yield handler.records
    logging.getLogger().removeHandler(handler)


def qti_package(quiz_id: str, quiz: Quiz) -> zipfile.ZipFile:
    name, data = only_file(export_quiz(quiz_id, quiz, "qti"))
    assert name == f"{quiz_id}.qti21.zip"
    return zipfile.ZipFile(io.BytesIO(data))


def read_qti(data: bytes):
    import pyslet.qtiv2.xml as qti

    doc = qti.QTIDocument()
    doc.read(src=data)
    return doc.root


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.parent.name + "-" + p.stem)
def test_qti21_package_parses_in_pyslet(path, pyslet_warnings):
    from pyslet.qtiv2.items import AssessmentItem
    from pyslet.qtiv2.tests import AssessmentTest

    quiz = load(path)
    z = qti_package(path.stem, quiz)
    manifest = etree.fromstring(z.read("imsmanifest.xml"), STRICT)
    cp = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
    resources = manifest.findall(f"{cp}resources/{cp}resource")
    hrefs = {r.get("href") for r in resources}
    assert hrefs == set(z.namelist()) - {"imsmanifest.xml"}
    assert {r.get("type") for r in resources} == {"imsqti_item_xmlv2p1", "imsqti_test_xmlv2p1"}
    test = read_qti(z.read("test.xml"))
    assert isinstance(test, AssessmentTest)
    from pyslet.qtiv2.tests import AssessmentItemRef

    refs = [r.href for r in test.find_children_depth_first(AssessmentItemRef)]
    assert {str(h) for h in refs} == hrefs - {"test.xml"}
    for name in hrefs - {"test.xml"}:
        item = read_qti(z.read(name))
        assert isinstance(item, AssessmentItem)
    assert pyslet_warnings == []


def run_item(item, response):
    from pyslet.qtiv2 import variables

    state = variables.ItemSessionState(item)
    state.begin_session()
    state["RESPONSE"].set_value(response)
    state.end_attempt()
    feedback = state["FEEDBACK"].value or {}
    return state["SCORE"].value, set(feedback)


def modal_texts(item) -> dict[str, str]:
    from pyslet.qtiv2.items import QTIModalFeedback as ModalFeedback

    out = {}
    for fb in item.find_children_depth_first(ModalFeedback, sub_match=False):
        out[fb.identifier] = plain_html(str(fb))
    return out


def responses_for(q):
    """(coursekit response, QTI response) pairs covering right, wrong and partial answers."""
    if isinstance(q, SingleChoice):
        return [(o.id, f"c-{o.id}") for o in q.options]
    if isinstance(q, MultipleSelect):
        ids = [o.id for o in q.options]
        combos = [list(c) for n in range(1, len(ids) + 1) for c in itertools.combinations(ids, n)][:80]
        return [(c, [f"c-{i}" for i in c]) for c in combos]
    if isinstance(q, TrueFalse):
        return [(True, "c-true"), (False, "c-false")]
    if isinstance(q, Numeric):
        iv = accepted_interval(q)
        tiny = Decimal("0.0000001")
        probes = [q.answer, iv.low, iv.high, iv.low - tiny, iv.high + tiny, iv.centre * 2 + 1]
        probes += [m.value for m in q.mistakes]
        return [(str(v), float(v)) for v in probes]
    if isinstance(q, ShortText):
        answers = q.accept + [a for m in q.mistakes for a in m.answers] + ["something else", q.accept[0].lower()]
        return [(a, a) for a in answers]
    if isinstance(q, Ordering):
        ids = [i.id for i in q.items]
        orders = [list(p) for p in itertools.permutations(ids)][:30]
        return [(o, [f"c-{i}" for i in o]) for o in orders]
    if isinstance(q, Matching):
        rights = [p.id for p in q.pairs] + [d.id for d in q.distractors]
        out = []
        for choice in itertools.product(rights, repeat=len(q.pairs)):
            mapping = dict(zip((p.id for p in q.pairs), choice))
            out.append((mapping, [(f"L-{k}", f"R-{v}") for k, v in mapping.items()]))
        return out[:60]
    return [("A thoughtful answer.", "A thoughtful answer.")]


def test_qti21_response_processing_scores_as_coursekit(pyslet_warnings):
    z = qti_package("all-types", ALL)
    checked = 0
    for e in entries(ALL, "all-types"):
        q = e.question
        name = f"items/item-all-types-{e.key}.xml"
        if isinstance(q, ShortText) and not q.accept:
            assert name not in z.namelist()
            continue
        item = read_qti(z.read(name))
        texts = modal_texts(item)
        assert md(q.explanation) == texts["explanation"]
        for ours, theirs in responses_for(q):
            result = grade_question(q, ours)
            score, feedback = run_item(item, theirs)
            assert abs(score - float(result.score)) < 1e-9, (e.key, ours, score, result.score)
            assert "explanation" in feedback
            shown = {texts[f] for f in feedback - {"explanation"}}
            if not isinstance(q, (Reflection, MultipleSelect)):
                assert shown == {md(f) for f in result.feedback}, (e.key, ours)
            elif isinstance(q, MultipleSelect):
                assert shown == {md(o.feedback) for o in q.options if o.id in ours}
            checked += 1
    assert checked > 300
    assert pyslet_warnings == []


def test_qti21_variants_are_picked_one_per_attempt():
    z = qti_package("all-types", ALL)
    test = etree.fromstring(z.read("test.xml"), STRICT)
    ns = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
    pool = next(s for s in test.iter(f"{ns}assessmentSection") if s.get("identifier") == "pool-variant")
    assert pool.find(f"{ns}selection").get("select") == "1"
    assert len(pool.findall(f"{ns}assessmentItemRef")) == variants.POOL_SIZE


# --- QTI 1.2 for Canvas --------------------------------------------------------------------


def qti12_document(quiz_id: str, quiz: Quiz):
    files = export_quiz(quiz_id, quiz, "qti12")
    name, data = only_file(files)
    z = zipfile.ZipFile(io.BytesIO(data))
    manifest = etree.fromstring(z.read("imsmanifest.xml"), STRICT)
    (href,) = [f.get("href") for f in manifest.iter() if etree.QName(f).localname == "file"]
    return etree.fromstring(z.read(href), STRICT), files.warnings


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.parent.name + "-" + p.stem)
def test_qti12_is_valid_against_the_official_dtd(path):
    root, _ = qti12_document(path.stem, load(path))
    # The DTD predates XML namespaces: validate the same tree with them stripped, and
    # without Canvas's points_per_item, which sits in the spec's selection_extension.
    for el in list(root.iter()):
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
            if el.tag == "points_per_item":
                el.getparent().remove(el)
    for key in list(root.attrib):
        del root.attrib[key]
    etree.cleanup_namespaces(root)
    dtd = etree.DTD(str(FIXTURES / "ims_qtiasiv1p2p1.dtd"))
    assert dtd.validate(root), dtd.error_log.filter_from_errors()


def test_qti12_items_carry_canvas_types_points_and_feedback():
    root, warnings = qti12_document("all-types", ALL)
    ns = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
    items = {i.get("title"): i for i in root.iter(f"{ns}item")}
    for e in entries(ALL, "all-types"):
        q = e.question
        if isinstance(q, Ordering) or (isinstance(q, ShortText) and not q.accept):
            assert e.name not in items and any(w.startswith(f"{q.id}: left out") for w in warnings)
            continue
        item = items[e.name]
        meta = {
            f.findtext(f"{ns}fieldlabel"): f.findtext(f"{ns}fieldentry") for f in item.iter(f"{ns}qtimetadatafield")
        }
        assert float(meta["points_possible"]) == q.points
        assert meta["question_type"].endswith("_question")
        feedback = {
            f.get("ident"): plain_html(f.findtext(f".//{ns}mattext")) for f in item.findall(f"{ns}itemfeedback")
        }
        assert feedback["general_fb"] == md(q.explanation)
        shown = {d.get("linkrefid") for d in item.iter(f"{ns}displayfeedback")}
        assert shown <= set(feedback)


def _pinned_quiz() -> Quiz:
    def opt(i: str, **kw) -> dict:
        return {
            "id": i,
            "text": f"Text {i}",
            "feedback": "f",
            **({"misconception": "m"} if not kw.get("correct") else {}),
            **kw,
        }

    return Quiz.model_validate(
        {
            "title": "Order",
            "module": 1,
            "questions": [
                {
                    "id": "free",
                    "type": "single",
                    "objective": "o",
                    "prompt": "P",
                    "explanation": "E",
                    "options": [opt("a", correct=True), opt("b"), opt("c"), opt("d")],
                },
                {
                    "id": "pinned",
                    "type": "multiple",
                    "objective": "o",
                    "prompt": "P",
                    "explanation": "E",
                    "options": [opt("a", correct=True), opt("b"), opt("c", correct=True), opt("none", fixed=True)],
                },
            ],
        }
    )


def test_exports_shuffle_choices_and_pin_what_is_pinned():
    quiz = _pinned_quiz()
    # Moodle: each attempt shuffles; it cannot pin one option, so that question keeps one mixed order.
    files = export_quiz("order", quiz, "moodle")
    root = etree.fromstring(only_file(files)[1])
    flags = {
        q.findtext("idnumber").split(":", 1)[1]: q.findtext("shuffleanswers")
        for q in root.iter("question")
        if q.get("type") == "multichoice"
    }
    assert flags == {"free": "true", "pinned": "false"}
    assert any(w.startswith("pinned: not shuffled") for w in files.warnings)
    written = [
        a.findtext("text")
        for q in root.iter("question")
        if q.findtext("idnumber", "").endswith(":free")
        for a in q.findall("answer")
    ]
    assert plain_html(written[0]) != "Text a"  # the written order is not the authored one (key first)
    # QTI 2.1: shuffle="true", the pinned choice fixed="true"
    with zipfile.ZipFile(io.BytesIO(only_file(export_quiz("order", quiz, "qti"))[1])) as z:
        items = [etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml") and "manifest" not in n]
    interactions = [el for item in items for el in item.iter("{*}choiceInteraction")]
    assert {el.get("shuffle") for el in interactions} == {"true"}
    fixed = [c.get("identifier") for el in interactions for c in el.iter("{*}simpleChoice") if c.get("fixed") == "true"]
    assert len(fixed) == 1 and fixed[0].endswith("none")
    # QTI 1.2: render_choice shuffle="Yes", the pinned label rshuffle="No"
    with zipfile.ZipFile(io.BytesIO(only_file(export_quiz("order", quiz, "qti12"))[1])) as z:
        xml = [etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml") and "manifest" not in n]
    renders = [el for doc in xml for el in doc.iter("{*}render_choice")]
    assert renders and {el.get("shuffle") for el in renders} == {"Yes"}
    pinned = [lab.get("ident") for el in renders for lab in el.iter("{*}response_label") if lab.get("rshuffle") == "No"]
    assert len(pinned) == 1 and pinned[0].endswith("none")
