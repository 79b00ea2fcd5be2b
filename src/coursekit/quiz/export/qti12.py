"""IMS QTI 1.2 as Canvas (classic quizzes) imports it: a zip with imsmanifest.xml and one
questestinterop document holding the assessment.

Canvas reads each item's question_type and points_possible from its metadata, and the
answers and feedback from presentation, resprocessing and itemfeedback (general_fb for
the explanation, correct_fb / general_incorrect_fb, and <answer>_fb per answer). Canvas
grades by question type, not by the resprocessing: multiple answers, matching and numeric
ranges are scored by its own rules (see the warnings and the README). The resprocessing
we write still states our rule, so other QTI 1.2 readers score as coursekit does.

Canvas classic quizzes have no ordering question (left out, with a warning), no feedback
for particular wrong numeric or text answers (left out, with a warning) and no
case-sensitive short answer. A variant question becomes a question group (a section with
<selection_number>1</selection_number>) holding its fixed pool.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from fractions import Fraction

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

from .common import (
    Entry,
    Warnings,
    accepted_interval,
    entries,
    groups,
    html,
    html_inline,
    number,
    plain,
    prompt_html,
    short_text_problems,
)

NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = f"{NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"


def ident(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def export(quiz_id: str, quiz: Quiz, warnings: Warnings) -> dict[str, bytes]:
    assessment_id = ident(f"assessment-{quiz_id}")
    root = ET.Element("questestinterop", {"xmlns": NS, "xmlns:xsi": XSI, "xsi:schemaLocation": SCHEMA})
    assessment = ET.SubElement(root, "assessment", {"ident": assessment_id, "title": quiz.title})
    _metadata(ET.SubElement(assessment, "qtimetadata"), {"cc_maxattempts": "1"})
    section = ET.SubElement(assessment, "section", {"ident": "root_section"})
    for group in groups([e for e in entries(quiz, quiz_id) if _exportable(e, warnings)]):
        parent = section
        if group[0].pool is not None:
            parent = ET.SubElement(
                section, "section", {"ident": ident(f"pool-{group[0].pool}"), "title": group[0].pool}
            )
            order = ET.SubElement(ET.SubElement(parent, "selection_ordering"), "selection")
            ET.SubElement(order, "selection_number").text = "1"
            ET.SubElement(
                ET.SubElement(order, "selection_extension"), "points_per_item"
            ).text = f"{group[0].question.points:.1f}"
        for e in group:
            parent.append(_item(quiz_id, e, warnings))
    for line in warnings.items:
        root.insert(0, ET.Comment(f" warning: {line.replace('--', '- -')} "))
    ET.indent(root, space="  ")
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    files = {
        f"{assessment_id}/{assessment_id}.xml": body.encode("utf-8"),
        "imsmanifest.xml": _manifest(quiz_id, assessment_id, quiz),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])
    return {f"{quiz_id}.canvas-qti12.zip": buffer.getvalue()}


def _exportable(e: Entry, warnings: Warnings) -> bool:
    q = e.question
    if isinstance(q, Ordering):
        warnings.add(q.id, "left out: Canvas classic quizzes have no ordering question (use QTI 2.1 or Moodle)")
        return False
    if isinstance(q, ShortText):
        if not short_text_problems(q, warnings, "Canvas"):
            return False
        if q.case_sensitive:
            warnings.add(q.id, "Canvas compares short answers case-insensitively; coursekit's check is case-sensitive")
    if isinstance(q, (Numeric, ShortText)) and q.mistakes:
        warnings.add(
            q.id,
            "Canvas has no feedback for particular wrong answers; the mistakes' feedback is left "
            "out and learners see the general wrong-answer feedback",
        )
    if isinstance(q, MultipleSelect):
        warnings.add(
            q.id,
            "Canvas scores multiple answers by its own partial-credit rule, not by the "
            "resprocessing; check the question's scoring after import",
        )
    if isinstance(q, Numeric):
        iv = accepted_interval(q)
        if not iv.closed:
            warnings.add(
                q.id,
                f"Canvas ranges include both ends; coursekit excludes "
                f"{number(iv.high if not iv.high_closed else iv.low)}",
            )
    return True


def _metadata(parent: ET.Element, fields: dict[str, str]) -> None:
    for label, entry in fields.items():
        field = ET.SubElement(parent, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _material(parent: ET.Element, html_text: str) -> None:
    ET.SubElement(ET.SubElement(parent, "material"), "mattext", {"texttype": "text/html"}).text = html_text


def _feedback(item: ET.Element, fid: str, html_text: str) -> None:
    fb = ET.SubElement(item, "itemfeedback", {"ident": fid})
    _material(ET.SubElement(fb, "flow_mat"), html_text)


def _condition(
    resprocessing: ET.Element,
    cont: bool,
    build,
    score: str | None = None,
    action: str = "Set",
    feedback: str | None = None,
) -> ET.Element:
    cond = ET.SubElement(resprocessing, "respcondition", {"continue": "Yes" if cont else "No"})
    build(ET.SubElement(cond, "conditionvar"))
    if score is not None:
        ET.SubElement(cond, "setvar", {"action": action, "varname": "SCORE"}).text = score
    if feedback is not None:
        ET.SubElement(cond, "displayfeedback", {"feedbacktype": "Response", "linkrefid": feedback})
    return cond


def _other(cv: ET.Element) -> None:
    ET.SubElement(cv, "other")


def _equal(value: str, respident: str = "response1"):
    def build(cv: ET.Element) -> None:
        ET.SubElement(cv, "varequal", {"respident": respident}).text = value

    return build


def _percent(f: Fraction) -> str:
    return format(float(f * 100), ".4f").rstrip("0").rstrip(".")


QUESTION_TYPE = {
    SingleChoice: "multiple_choice_question",
    MultipleSelect: "multiple_answers_question",
    TrueFalse: "true_false_question",
    Numeric: "numerical_question",
    ShortText: "short_answer_question",
    Matching: "matching_question",
    Reflection: "essay_question",
}


def _choice(
    q: SingleChoice | MultipleSelect | TrueFalse,
    presentation: ET.Element,
    rp: ET.Element,
    feedbacks: list[tuple[str, str]],
    warnings: Warnings,
) -> None:
    """Single, multiple and true/false: a response_lid, all or nothing or +-100/n per choice."""
    if isinstance(q, TrueFalse):
        options = [("true", "True", q.answer, q.feedback_true), ("false", "False", not q.answer, q.feedback_false)]
    else:
        options = [(o.id, html_inline(o.text), o.correct, o.feedback) for o in q.options]
    single = not isinstance(q, MultipleSelect)
    lid = ET.SubElement(
        presentation, "response_lid", {"ident": "response1", "rcardinality": "Single" if single else "Multiple"}
    )
    # Choices shuffle (a pinned one with rshuffle="No"); true/false keeps its order.
    pinned = {o.id for o in getattr(q, "options", []) if o.fixed}
    choices = ET.SubElement(lid, "render_choice", {"shuffle": "No" if isinstance(q, TrueFalse) else "Yes"})
    for oid, text, _, fb in options:
        _material(
            ET.SubElement(
                choices, "response_label", {"ident": ident(oid)} | ({"rshuffle": "No"} if oid in pinned else {})
            ),
            text,
        )
        _condition(rp, True, _equal(ident(oid)), feedback=f"{ident(oid)}_fb")
        feedbacks.append((f"{ident(oid)}_fb", html_inline(fb)))
    if single:
        right = next(oid for oid, _, ok, _ in options if ok)
        _condition(rp, False, _equal(ident(right)), score="100")
    else:
        # Our rule as resprocessing: +100/n per right choice, -100/n per wrong one.
        n = len(q.correct_ids)
        for oid, _, ok, _ in options:
            _condition(rp, True, _equal(ident(oid)), score=_percent(Fraction(1 if ok else -1, n)), action="Add")
        _condition(rp, False, _other)


def _numeric(
    q: Numeric, presentation: ET.Element, rp: ET.Element, feedbacks: list[tuple[str, str]], warnings: Warnings
) -> None:
    """A decimal fill-in: the answer, or a value in the accepted interval."""
    fib = ET.SubElement(
        ET.SubElement(presentation, "response_str", {"ident": "response1", "rcardinality": "Single"}),
        "render_fib",
        {"fibtype": "Decimal"},
    )
    ET.SubElement(fib, "response_label", {"ident": "answer1"})
    if q.unit:
        _material(presentation, f"<p>({q.unit})</p>")
    iv = accepted_interval(q)

    def in_range(cv: ET.Element) -> None:
        either = ET.SubElement(cv, "or")
        ET.SubElement(either, "varequal", {"respident": "response1"}).text = number(q.answer)
        both = ET.SubElement(either, "and")
        ET.SubElement(both, "vargte", {"respident": "response1"}).text = number(iv.low)
        ET.SubElement(both, "varlte", {"respident": "response1"}).text = number(iv.high)

    _condition(rp, False, in_range, score="100", feedback="correct_fb")
    _condition(rp, False, _other, feedback="general_incorrect_fb")
    feedbacks += [("correct_fb", html(q.correct_feedback)), ("general_incorrect_fb", html(q.wrong_feedback))]


def _short_text(
    q: ShortText, presentation: ET.Element, rp: ET.Element, feedbacks: list[tuple[str, str]], warnings: Warnings
) -> None:
    """A string fill-in matched against each accepted answer."""
    fib = ET.SubElement(
        ET.SubElement(presentation, "response_str", {"ident": "response1", "rcardinality": "Single"}),
        "render_fib",
        {"fibtype": "String"},
    )
    ET.SubElement(fib, "response_label", {"ident": "answer1", "rshuffle": "No"})

    def any_accepted(cv: ET.Element) -> None:
        for a in q.accept:
            ET.SubElement(
                cv, "varequal", {"respident": "response1", "case": "Yes" if q.case_sensitive else "No"}
            ).text = a

    _condition(rp, False, any_accepted, score="100", feedback="correct_fb")
    _condition(rp, False, _other, feedback="general_incorrect_fb")
    feedbacks += [("correct_fb", html(q.correct_feedback)), ("general_incorrect_fb", html(q.wrong_feedback))]


def _matching(
    q: Matching, presentation: ET.Element, rp: ET.Element, feedbacks: list[tuple[str, str]], warnings: Warnings
) -> None:
    """One response_lid per left item, 100/n per right pair."""
    rights = [(p.id, p.right) for p in q.pairs] + [(d.id, d.text) for d in q.distractors]
    share = Fraction(1, len(q.pairs))
    for p in q.pairs:
        lid = ET.SubElement(presentation, "response_lid", {"ident": ident(f"response_{p.id}")})
        _material(lid, plain(p.left))
        choices = ET.SubElement(lid, "render_choice", {"shuffle": "Yes"})
        for rid, text in rights:
            _material(ET.SubElement(choices, "response_label", {"ident": ident(f"{p.id}-{rid}")}), plain(text))
        _condition(
            rp, True, _equal(ident(f"{p.id}-{p.id}"), ident(f"response_{p.id}")), score=_percent(share), action="Add"
        )
    _condition(rp, False, _other)
    feedbacks += [("correct_fb", html(q.correct_feedback)), ("general_incorrect_fb", html(q.wrong_feedback))]
    warnings.add(q.id, "Canvas shows matching's right/wrong feedback only through its own scoring")


def _reflection(
    q: Reflection, presentation: ET.Element, rp: ET.Element, feedbacks: list[tuple[str, str]], warnings: Warnings
) -> None:
    """An essay: free text, scored by hand."""
    fib = ET.SubElement(
        ET.SubElement(presentation, "response_str", {"ident": "response1", "rcardinality": "Single"}), "render_fib"
    )
    ET.SubElement(fib, "response_label", {"ident": "answer1", "rshuffle": "No"})
    _condition(rp, False, _other)


_BUILDERS = {
    SingleChoice: _choice,
    MultipleSelect: _choice,
    TrueFalse: _choice,
    Numeric: _numeric,
    ShortText: _short_text,
    Matching: _matching,
    Reflection: _reflection,
}


def _item(quiz_id: str, e: Entry, warnings: Warnings) -> ET.Element:
    q = e.question
    item = ET.Element("item", {"ident": ident(f"{quiz_id}-{e.key}"), "title": e.name})
    _metadata(
        ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata"),
        {"question_type": QUESTION_TYPE[type(q)], "points_possible": f"{q.points:.1f}"},
    )
    presentation = ET.SubElement(item, "presentation")
    _material(presentation, prompt_html(q))
    rp = ET.SubElement(item, "resprocessing")
    ET.SubElement(
        ET.SubElement(rp, "outcomes"),
        "decvar",
        {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"},
    )
    _condition(rp, True, _other, feedback="general_fb")
    feedbacks: list[tuple[str, str]] = [("general_fb", html(q.explanation))]
    _BUILDERS[type(q)](q, presentation, rp, feedbacks, warnings)
    for fid, text in feedbacks:
        _feedback(item, fid, text)
    return item


def _manifest(quiz_id: str, assessment_id: str, quiz: Quiz) -> bytes:
    root = ET.Element("manifest", {"xmlns": CP, "identifier": ident(f"manifest-{quiz_id}")})
    meta = ET.SubElement(root, "metadata")
    ET.SubElement(meta, "schema").text = "IMS Content"
    ET.SubElement(meta, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    res = ET.SubElement(
        resources,
        "resource",
        {"identifier": assessment_id, "type": "imsqti_xmlv1p2", "href": f"{assessment_id}/{assessment_id}.xml"},
    )
    ET.SubElement(res, "file", {"href": f"{assessment_id}/{assessment_id}.xml"})
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")
