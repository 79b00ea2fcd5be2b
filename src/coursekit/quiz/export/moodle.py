"""Moodle XML, written by quizlib and completed by us.

quizlib (0.1.1) builds the question skeletons it knows: multichoice, truefalse, essay and
cloze. Its output needs finishing before Moodle should see it: its combined feedback is
German ("Die Antwort ist richtig."), its per-answer and general feedback are empty, its
texts are marked as Markdown, it decides single/multiple answer from the number of right
options, and it gives wrong options a grade of 0. So we render with quizlib, parse its XML
with xml.etree, and rewrite each question element in place (``_finish_*`` below) from our
model: English combined feedback, our feedback per answer, the explanation as general
feedback, HTML texts, our points, and the fractions of our grading rule. Subclassing the
renderer would mean overriding all its private methods; post-processing keeps quizlib
responsible for the skeleton and us for the content, and a test pins quizlib's output shape.

quizlib has no matching or ordering question, so those elements are built here following
Moodle's XML format (matching) and qtype_ordering's (ordering, in core since Moodle 4.4).

Variant questions are written as their fixed pool: one question per variant, in a
subcategory named after the question, ready for a "random question from this category".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction

import quizlib
from quizlib.renderers import MoodleXMLRenderer

from coursekit.content.models import (
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Question,
    Quiz,
    Reflection,
    ShortText,
    SingleChoice,
    TrueFalse,
)

from .common import (
    Entry,
    Warnings,
    accepted_interval,
    approximation_note,
    entries,
    html,
    html_inline,
    moodle_share,
    number,
    percent,
    plain,
    prompt_html,
    short_text_problems,
)

# Moodle's own English defaults for combined feedback (qtype_*'s correctfeedbackdefault).
CORRECT = "<p>Your answer is correct.</p>"
PARTIAL = "<p>Your answer is partially correct.</p>"
INCORRECT = "<p>Your answer is incorrect.</p>"

# Moodle's default penalties per type (used only by "interactive with multiple tries").
PENALTY = {
    "multichoice": "0.3333333",
    "truefalse": "1.0000000",
    "cloze": "0.3333333",
    "essay": "0.0000000",
    "matching": "0.3333333",
    "ordering": "0.3333333",
}

BASE_CATEGORY = "$course$/top/coursekit"


def export(quiz_id: str, quiz: Quiz, warnings: Warnings) -> dict[str, bytes]:
    items = [e for e in entries(quiz, quiz_id) if _exportable(e.question, warnings)]
    skeleton = quizlib.Quiz(category=f"coursekit/{quiz_id}", info=quiz.title)
    for e in items:
        made = _quizlib_question(e)
        if made is not None:
            skeleton.add(made)
    root = ET.fromstring(MoodleXMLRenderer().render(skeleton).encode("utf-8"))
    from_quizlib = [q for q in root.findall("question") if q.get("type") != "category"]

    out = ET.Element("quiz")
    out.append(ET.Comment(f" coursekit export of quiz '{quiz_id}': {quiz.title} "))
    for line in warnings.items:
        out.append(ET.Comment(f" warning: {_comment_safe(line)} "))
    current = None
    pending = iter(from_quizlib)
    for e in items:
        category = f"{BASE_CATEGORY}/{quiz_id}" + (f"/{e.pool}" if e.pool else "")
        if category != current:
            info = (
                f"Variants of question '{e.pool}': add one at random to a quiz."
                if e.pool
                else quiz.description or quiz.title
            )
            out.append(_category(category, info))
            current = category
        if isinstance(e.question, (Matching, Ordering)):
            out.append(_own_question(quiz_id, e, warnings))
        else:
            q_el = next(pending)
            _finish(quiz_id, e, q_el, warnings)
            out.append(q_el)
    ET.indent(out, space="  ")
    body = ET.tostring(out, encoding="unicode")
    return {f"{quiz_id}.moodle.xml": ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")}


def _comment_safe(text: str) -> str:
    return text.replace("--", "- -")


def _exportable(q: Question, warnings: Warnings) -> bool:
    return short_text_problems(q, warnings, "Moodle") if isinstance(q, ShortText) else True


# --- the skeleton quizlib writes ------------------------------------------------------


def _quizlib_question(e: Entry):
    q = e.question
    if isinstance(q, (SingleChoice, MultipleSelect)):
        return quizlib.MultipleChoice(
            name=e.name,
            text=prompt_html(q),
            defgrade=q.points,
            answers=[(1 if o.correct else 0, html_inline(o.text)) for o in q.options],
        )
    if isinstance(q, TrueFalse):
        return quizlib.TrueFalse(name=e.name, text=prompt_html(q), correct_answer=q.answer)
    if isinstance(q, Reflection):
        return quizlib.Essay(
            name=e.name, defgrade=q.points, text=prompt_html(q), lines=10, graderinfo=html(q.explanation)
        )
    if isinstance(q, (Numeric, ShortText)):
        return quizlib.Cloze(name=e.name, text=prompt_html(q))
    return None  # matching and ordering: quizlib has no such type


# --- finishing quizlib's elements ----------------------------------------------------


def _set_text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    el = parent.find(tag)
    if el is None:
        el = ET.SubElement(parent, tag)
    if fmt is not None:
        el.attrib = {"format": fmt}
    t = el.find("text")
    if t is None:
        t = ET.SubElement(el, "text")
    t.text = text
    return el


def _set(parent: ET.Element, tag: str, value: str) -> None:
    el = parent.find(tag)
    if el is None:
        el = ET.SubElement(parent, tag)
    el.text = value


def _grade(points: int) -> str:
    return f"{points:.7f}"


def _finish(quiz_id: str, e: Entry, el: ET.Element, warnings: Warnings) -> None:
    q = e.question
    _set_text(el, "name", e.name, fmt=None)
    _set_text(el, "questiontext", prompt_html(q))
    _set_text(el, "generalfeedback", html(q.explanation))
    _set(el, "defaultgrade", _grade(q.points))
    _set(el, "penalty", PENALTY[el.get("type")])
    _set(el, "idnumber", f"{quiz_id}:{e.key}")
    if isinstance(q, (SingleChoice, MultipleSelect)):
        _finish_choice(q, el, warnings)
    elif isinstance(q, TrueFalse):
        _finish_true_false(q, el)
    elif isinstance(q, Reflection):
        _finish_essay(q, el)
    elif isinstance(q, Numeric):
        _finish_cloze(el, _numeric_cloze(q, warnings))
    elif isinstance(q, ShortText):
        _finish_cloze(el, _short_text_cloze(q, warnings))
    _reorder(el)


def _finish_choice(q: SingleChoice | MultipleSelect, el: ET.Element, warnings: Warnings) -> None:
    single = isinstance(q, SingleChoice)
    _set(el, "single", "true" if single else "false")
    # Moodle gives each attempt its own order; it cannot pin one option, so a question with a
    # pinned option ('None of the above') keeps the written order, itself not the authored one.
    pinned = [o.id for o in q.options if o.fixed]
    _set(el, "shuffleanswers", "false" if pinned else "true")
    if pinned:
        warnings.add(
            q.id,
            f"not shuffled: Moodle cannot pin option(s) {', '.join(pinned)}; "
            "the options keep one mixed order for every learner",
        )
    _set(el, "answernumbering", "abc")
    _set(el, "showstandardinstruction", "1")
    _set_text(el, "correctfeedback", CORRECT)
    _set_text(el, "partiallycorrectfeedback", PARTIAL)
    _set_text(el, "incorrectfeedback", INCORRECT)
    shown = el.find("shownumcorrect")
    if single and shown is not None:
        el.remove(shown)
    if single:
        right, wrong = Fraction(1), Fraction(0)
    else:
        # Moodle sums the grades of the chosen answers and clamps to [0, 1]: +1/n for each
        # right choice and -1/n for each wrong one is our rule exactly, when 1/n is a grade
        # Moodle allows (n <= 10).
        share, exact = moodle_share(len(q.correct_ids))
        if not exact:
            warnings.add(
                q.id,
                f"partial credit approximated: Moodle has no grade of 1/{len(q.correct_ids)}, "
                f"so each choice counts {percent(share)}%",
            )
        right, wrong = share, -share
    for answer, option in zip(el.findall("answer"), q.options, strict=True):
        answer.attrib = {"fraction": percent(right if option.correct else wrong), "format": "html"}
        answer.find("text").text = html_inline(option.text)
        _set_text(answer, "feedback", html_inline(option.feedback))


def _finish_true_false(q: TrueFalse, el: ET.Element) -> None:
    for answer in el.findall("answer"):
        value = answer.find("text").text == "true"
        answer.attrib = {"fraction": "100" if value == q.answer else "0", "format": "moodle_auto_format"}
        _set_text(answer, "feedback", html_inline(q.feedback_true if value else q.feedback_false))


def _finish_essay(q: Reflection, el: ET.Element) -> None:
    _set(el, "responseformat", "editor")
    _set(el, "responserequired", "1")
    _set_text(el, "graderinfo", html(q.explanation))
    _set_text(el, "responsetemplate", "")


def _finish_cloze(el: ET.Element, blank: str) -> None:
    text = el.find("questiontext/text")
    text.text = f"{text.text}\n<p>{blank}</p>"


# Moodle's cloze parser ends an answer at ~ # } and a feedback at ~ }, unescapes only
# \} and \#, and decodes HTML entities in both: entities are the escape that always works.
_CLOZE_ENTITIES = {"&": "&amp;", "~": "&#126;", "}": "&#125;", "#": "&#35;", "{": "&#123;"}


def _cloze_answer(text: str) -> str:
    text = "".join(_CLOZE_ENTITIES.get(c, c) for c in text)
    return text.replace("*", r"\*")  # a bare * is Moodle's wildcard


def _cloze_feedback(markdown_text: str) -> str:
    # The feedback is HTML already (so & < > are entities); hide the cloze delimiters.
    return html_inline(markdown_text).replace("~", "&#126;").replace("}", "&#125;").replace("{", "&#123;")


def _numeric_cloze(q: Numeric, warnings: Warnings) -> str:
    iv = accepted_interval(q)
    note = approximation_note(q, "Moodle")
    if note:
        warnings.add(q.id, note)
    parts = [f"={number(iv.centre)}:{number(iv.half_width)}#{_cloze_feedback(q.correct_feedback)}"]
    parts += [f"%0%{number(m.value)}:{number(m.tolerance)}#{_cloze_feedback(m.feedback)}" for m in q.mistakes]
    parts.append(f"%0%*#{_cloze_feedback(q.wrong_feedback)}")
    unit = f" {_cloze_feedback(q.unit)}" if q.unit else ""
    return f"{{{q.points}:NUMERICAL:{'~'.join(parts)}}}{unit}"


def _short_text_cloze(q: ShortText, warnings: Warnings) -> str:
    warnings.add(q.id, "Moodle trims answers but does not fold runs of spaces inside them as coursekit does")
    kind = "SHORTANSWER_C" if q.case_sensitive else "SHORTANSWER"
    parts = [f"={_cloze_answer(a)}#{_cloze_feedback(q.correct_feedback)}" for a in q.accept]
    parts += [f"%0%{_cloze_answer(a)}#{_cloze_feedback(m.feedback)}" for m in q.mistakes for a in m.answers]
    parts.append(f"%0%*#{_cloze_feedback(q.wrong_feedback)}")
    return f"{{{q.points}:{kind}:{'~'.join(parts)}}}"


# Moodle reads elements by name, but its own exports put the common ones first; so do we.
_HEAD = ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber"]


def _reorder(el: ET.Element) -> None:
    children = list(el)
    head = [c for tag in _HEAD for c in children if c.tag == tag]
    rest = [c for c in children if c.tag not in _HEAD]
    for c in children:
        el.remove(c)
    el.extend(head + rest)


# --- questions quizlib cannot carry ---------------------------------------------------


def _category(path: str, info: str) -> ET.Element:
    q = ET.Element("question", type="category")
    _set_text(q, "category", path, fmt=None)
    _set_text(q, "info", html(info))
    return q


def _header(quiz_id: str, e: Entry, qtype: str) -> ET.Element:
    q = e.question
    el = ET.Element("question", type=qtype)
    _set_text(el, "name", e.name, fmt=None)
    _set_text(el, "questiontext", prompt_html(q))
    _set_text(el, "generalfeedback", html(q.explanation))
    _set(el, "defaultgrade", _grade(q.points))
    _set(el, "penalty", PENALTY[qtype])
    _set(el, "hidden", "0")
    _set(el, "idnumber", f"{quiz_id}:{e.key}")
    return el


def _own_question(quiz_id: str, e: Entry, warnings: Warnings) -> ET.Element:
    q = e.question
    if isinstance(q, Matching):
        el = _header(quiz_id, e, "matching")
        _set(el, "shuffleanswers", "true")
        _set_text(el, "correctfeedback", html(q.correct_feedback))
        _set_text(el, "partiallycorrectfeedback", html(q.wrong_feedback))
        _set_text(el, "incorrectfeedback", html(q.wrong_feedback))
        ET.SubElement(el, "shownumcorrect")
        # Moodle's matching grade is the share of subquestions matched right: our rule.
        if len(q.pairs) + len(q.distractors) < 3:
            warnings.add(
                q.id,
                "Moodle's matching question needs at least three answers: add a distractor, "
                "or Moodle will refuse to import it",
            )
        # A subquestion with empty text is a distractor: an extra answer to choose from.
        subs = [(html_inline(p.left), p.right) for p in q.pairs] + [("", d.text) for d in q.distractors]
        for left, right in subs:
            sub = ET.SubElement(el, "subquestion", format="html")
            ET.SubElement(sub, "text").text = left
            _set_text(sub, "answer", plain(right), fmt=None)
        return el
    assert isinstance(q, Ordering)
    el = _header(quiz_id, e, "ordering")
    _set(el, "layouttype", "VERTICAL")
    _set(el, "selecttype", "ALL")
    _set(el, "selectcount", "0")
    # RELATIVE_ALL_PREVIOUS_AND_NEXT counts, for every item, the items rightly before and
    # after it: each rightly ordered pair twice out of n(n-1), i.e. our pair share exactly.
    _set(el, "gradingtype", "RELATIVE_ALL_PREVIOUS_AND_NEXT" if q.partial else "ALL_OR_NOTHING")
    _set(el, "showgrading", "SHOW")
    _set(el, "numberingstyle", "none")
    _set_text(el, "correctfeedback", html(q.correct_feedback))
    _set_text(el, "partiallycorrectfeedback", html(q.wrong_feedback))
    _set_text(el, "incorrectfeedback", html(q.wrong_feedback))
    ET.SubElement(el, "shownumcorrect")
    for item in q.items:  # in the right order; Moodle shuffles them for the learner
        answer = ET.SubElement(el, "answer", fraction="1.0000000", format="html")
        ET.SubElement(answer, "text").text = html_inline(item.text)
    if q.mistakes:
        warnings.add(
            q.id,
            "Moodle's ordering question has no feedback for particular wrong orders; "
            "learners see the general wrong-order feedback instead",
        )
    return el
