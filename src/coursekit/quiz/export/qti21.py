"""IMS QTI 2.1: a content package (zip) with imsmanifest.xml, one assessmentItem per
question under items/, and an assessmentTest (test.xml) that lists them in order.

Scoring is written as explicit response processing, not as a reference to IMS's templates
(a delivery engine may not fetch those), so each item carries our rule:

- single, true/false: match against the correct response.
- multiple: a mapping of +points/n per right option and -points/n per wrong one,
  bounded to [0, points]: (right - wrong) / n right, floored at 0.
- numeric: the exact interval of accepted values (gte/gt and lte/lt), then each mistake.
- short text: stringMatch against each accepted answer (caseSensitive as authored).
- ordering: all or nothing, or with partial credit the share of item pairs in the right
  relative order, computed from each item's position (index) in the response.
- matching: a mapping of points/n per right pair.
- reflection: an extendedTextInteraction that scores 0.

Feedback is modalFeedback keyed by the FEEDBACK outcome: every option's own feedback, the
right/wrong/mistake feedback, and the explanation (always shown after an attempt). The
test's outcome SCORE sums the items' SCOREs. A variant question becomes a section of its
pool with <selection select="1"/>, so each attempt gets one variant.
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

from . import xhtml
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

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
SCHEMA = f"{NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_SCHEMA = (f"{CP} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
             f"{NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd")

# Elements are built without namespaces and the root declares them (xmlns attributes):
# ElementTree's default_namespace cannot serialise unqualified attributes.
ROOT_ITEM = {"xmlns": NS, "xmlns:xsi": XSI, "xsi:schemaLocation": SCHEMA}


def _q(tag: str) -> str:
    return tag


def sub(parent: ET.Element, tag: str, attrib: dict[str, str] | None = None, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, _q(tag), attrib or {})
    if text is not None:
        el.text = text
    return el


def item_id(quiz_id: str, e: Entry) -> str:
    return "item-" + re.sub(r"[^A-Za-z0-9_.-]", "_", f"{quiz_id}-{e.key}")


def choice_id(option_id: str) -> str:
    return f"c-{option_id}"


def export(quiz_id: str, quiz: Quiz, warnings: Warnings) -> dict[str, bytes]:
    items: list[tuple[Entry, bytes]] = []
    for e in entries(quiz, quiz_id):
        if isinstance(e.question, ShortText) and not short_text_problems(e.question, warnings, "QTI 2.1"):
            continue
        if isinstance(e.question, ShortText):
            warnings.add(e.question.id, "QTI's stringMatch compares answers exactly; coursekit also trims "
                                        "and folds runs of spaces")
        items.append((e, _document(assessment_item(quiz_id, e))))
    kept = [e for e, _ in items]
    files = {f"items/{item_id(quiz_id, e)}.xml": data for e, data in items}
    files["test.xml"] = _document(assessment_test(quiz_id, quiz, kept))
    files["imsmanifest.xml"] = _document(manifest(quiz_id, quiz, kept, warnings))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ["imsmanifest.xml", "test.xml", *sorted(n for n in files if n.startswith("items/"))]:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))  # reproducible bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])
    return {f"{quiz_id}.qti21.zip": buffer.getvalue()}


def _document(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


# --- the item ---------------------------------------------------------------------


def _float(value: Fraction | int) -> str:
    return repr(float(value))


def _declare_outcomes(root: ET.Element, points: int) -> None:
    score = sub(root, "outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single", "baseType": "float",
                                             "normalMaximum": _float(points)} if points else
                {"identifier": "SCORE", "cardinality": "single", "baseType": "float"})
    sub(sub(score, "defaultValue"), "value", text="0")
    maxscore = sub(root, "outcomeDeclaration", {"identifier": "MAXSCORE", "cardinality": "single",
                                                "baseType": "float"})
    sub(sub(maxscore, "defaultValue"), "value", text=_float(points))
    sub(root, "outcomeDeclaration", {"identifier": "FEEDBACK", "cardinality": "multiple", "baseType": "identifier"})


def _set(parent: ET.Element, identifier: str) -> ET.Element:
    return sub(parent, "setOutcomeValue", {"identifier": identifier})


def _base(parent: ET.Element, base_type: str, value: str) -> ET.Element:
    return sub(parent, "baseValue", {"baseType": base_type}, value)


def _var(parent: ET.Element, identifier: str = "RESPONSE") -> ET.Element:
    return sub(parent, "variable", {"identifier": identifier})


def _set_score(parent: ET.Element, points: Fraction | int) -> None:
    _base(_set(parent, "SCORE"), "float", _float(points))


def _set_feedback(parent: ET.Element, *identifiers: str, with_response: bool = False) -> None:
    """FEEDBACK := {identifiers..., the chosen options (with_response), explanation}."""
    multiple = sub(_set(parent, "FEEDBACK"), "multiple")
    if with_response:
        _var(multiple)
    for ident in identifiers:
        _base(multiple, "identifier", ident)
    _base(multiple, "identifier", "explanation")


def _modal(root: ET.Element, identifier: str, title: str, markdown_html: str) -> None:
    fb = sub(root, "modalFeedback", {"outcomeIdentifier": "FEEDBACK", "showHide": "show",
                                     "identifier": identifier, "title": title})
    for block in xhtml.blocks(markdown_html):
        fb.append(block)


def assessment_item(quiz_id: str, e: Entry) -> ET.Element:
    q = e.question
    root = ET.Element(_q("assessmentItem"), {
        **ROOT_ITEM, "identifier": item_id(quiz_id, e), "title": e.name,
        "adaptive": "false", "timeDependent": "false"})
    response = sub(root, "responseDeclaration", {"identifier": "RESPONSE"})
    _declare_outcomes(root, q.points)
    body = sub(root, "itemBody")
    for block in xhtml.blocks(prompt_html(q)):
        body.append(block)
    processing = sub(root, "responseProcessing")
    feedback: list[tuple[str, str, str]] = []  # (identifier, title, html)

    if isinstance(q, (SingleChoice, MultipleSelect, TrueFalse)):
        if isinstance(q, TrueFalse):
            options = [("true", "True", q.answer, q.feedback_true), ("false", "False", not q.answer, q.feedback_false)]
        else:
            options = [(o.id, o.text, o.correct, o.feedback) for o in q.options]
        single = not isinstance(q, MultipleSelect)
        response.attrib.update(cardinality="single" if single else "multiple", baseType="identifier")
        correct = sub(response, "correctResponse")
        for oid, _, right, _ in options:
            if right:
                sub(correct, "value", text=choice_id(oid))
        # True/false stays in its natural order; choices shuffle, pinned ones fixed in place.
        pinned = {o.id for o in getattr(q, "options", []) if o.fixed}
        interaction = sub(body, "choiceInteraction", {"responseIdentifier": "RESPONSE",
                                                      "shuffle": "false" if isinstance(q, TrueFalse) else "true",
                                                      "maxChoices": "1" if single else "0"})
        for oid, text, _, fb in options:
            xhtml.fill_inline(sub(interaction, "simpleChoice", {"identifier": choice_id(oid)}
                                  | ({"fixed": "true"} if oid in pinned else {})), html_inline(text))
            feedback.append((choice_id(oid), text if isinstance(q, TrueFalse) else f"Option {oid}", html_inline(fb)))
        if single:
            cond = sub(processing, "responseCondition")
            branch = sub(cond, "responseIf")
            match = sub(branch, "match")
            _var(match)
            sub(match, "correct", {"identifier": "RESPONSE"})
            _set_score(branch, q.points)
            _set_score(sub(cond, "responseElse"), 0)
        else:
            n = len(q.correct_ids)
            share = Fraction(q.points, n)
            mapping = sub(response, "mapping", {"lowerBound": "0", "upperBound": _float(q.points),
                                                "defaultValue": "0"})
            for oid, _, right, _ in options:
                sub(mapping, "mapEntry", {"mapKey": choice_id(oid), "mappedValue": _float(share if right else -share)})
            sub(_set(processing, "SCORE"), "mapResponse", {"identifier": "RESPONSE"})
        _set_feedback(processing, with_response=True)

    elif isinstance(q, Numeric):
        response.attrib.update(cardinality="single", baseType="float")
        sub(sub(response, "correctResponse"), "value", text=number(q.answer))
        p = sub(body, "p")
        sub(p, "textEntryInteraction", {"responseIdentifier": "RESPONSE", "expectedLength": "12"})
        if q.unit:
            sub(p, "span", text=f"\u00a0{q.unit}")
        iv = accepted_interval(q)
        cond = sub(processing, "responseCondition")
        branch = sub(cond, "responseIf")
        _within(branch, iv.low, iv.high, iv.low_closed, iv.high_closed)
        _set_score(branch, q.points)
        _set_feedback(branch, "correct")
        feedback.append(("correct", "Correct", html(q.correct_feedback)))
        for i, m in enumerate(q.mistakes):
            branch = sub(cond, "responseElseIf")
            _within(branch, m.value - m.tolerance, m.value + m.tolerance, True, True)
            _set_feedback(branch, f"mistake-{i}")
            feedback.append((f"mistake-{i}", "Not quite", html(m.feedback)))
        _set_feedback(sub(cond, "responseElse"), "wrong")
        feedback.append(("wrong", "Not quite", html(q.wrong_feedback)))

    elif isinstance(q, ShortText):
        response.attrib.update(cardinality="single", baseType="string")
        sub(sub(response, "correctResponse"), "value", text=q.accept[0])
        p = sub(body, "p")
        sub(p, "textEntryInteraction", {"responseIdentifier": "RESPONSE", "expectedLength": "30"})
        cond = sub(processing, "responseCondition")
        branch = sub(cond, "responseIf")
        _any_string(branch, q.accept, q.case_sensitive)
        _set_score(branch, q.points)
        _set_feedback(branch, "correct")
        feedback.append(("correct", "Correct", html(q.correct_feedback)))
        for i, m in enumerate(q.mistakes):
            branch = sub(cond, "responseElseIf")
            _any_string(branch, m.answers, q.case_sensitive)
            _set_feedback(branch, f"mistake-{i}")
            feedback.append((f"mistake-{i}", "Not quite", html(m.feedback)))
        _set_feedback(sub(cond, "responseElse"), "wrong")
        feedback.append(("wrong", "Not quite", html(q.wrong_feedback)))

    elif isinstance(q, Ordering):
        response.attrib.update(cardinality="ordered", baseType="identifier")
        correct = sub(response, "correctResponse")
        for item in q.items:
            sub(correct, "value", text=choice_id(item.id))
        interaction = sub(body, "orderInteraction", {"responseIdentifier": "RESPONSE", "shuffle": "true"})
        for item in q.items:
            xhtml.fill_inline(sub(interaction, "simpleChoice", {"identifier": choice_id(item.id)}),
                              html_inline(item.text))
        if q.partial:
            _kendall(root, processing, q)
        cond = sub(processing, "responseCondition")
        branch = sub(cond, "responseIf")
        match = sub(branch, "match")
        _var(match)
        sub(match, "correct", {"identifier": "RESPONSE"})
        _set_score(branch, q.points)
        _set_feedback(branch, "correct")
        feedback.append(("correct", "Correct", html(q.correct_feedback)))
        for i, m in enumerate(q.mistakes):
            branch = sub(cond, "responseElseIf")
            match = sub(branch, "match")
            _var(match)
            ordered = sub(match, "ordered")
            for ident in m.order:
                _base(ordered, "identifier", choice_id(ident))
            if not q.partial:
                _set_score(branch, 0)
            _set_feedback(branch, f"mistake-{i}")
            feedback.append((f"mistake-{i}", "Not quite", html(m.feedback)))
        otherwise = sub(cond, "responseElse")
        if not q.partial:
            _set_score(otherwise, 0)
        _set_feedback(otherwise, "wrong")
        feedback.append(("wrong", "Not quite", html(q.wrong_feedback)))

    elif isinstance(q, Matching):
        response.attrib.update(cardinality="multiple", baseType="directedPair")
        correct = sub(response, "correctResponse")
        for pair in q.pairs:
            sub(correct, "value", text=f"L-{pair.id} R-{pair.id}")
        share = Fraction(q.points, len(q.pairs))
        mapping = sub(response, "mapping", {"lowerBound": "0", "upperBound": _float(q.points), "defaultValue": "0"})
        for pair in q.pairs:
            sub(mapping, "mapEntry", {"mapKey": f"L-{pair.id} R-{pair.id}", "mappedValue": _float(share)})
        interaction = sub(body, "matchInteraction", {"responseIdentifier": "RESPONSE", "shuffle": "true",
                                                     "maxAssociations": str(len(q.pairs))})
        lefts = sub(interaction, "simpleMatchSet")
        for pair in q.pairs:
            xhtml.fill_inline(sub(lefts, "simpleAssociableChoice", {"identifier": f"L-{pair.id}", "matchMax": "1"}),
                              html_inline(pair.left))
        rights = sub(interaction, "simpleMatchSet")
        for ident, text in [(p.id, p.right) for p in q.pairs] + [(d.id, d.text) for d in q.distractors]:
            xhtml.fill_inline(sub(rights, "simpleAssociableChoice", {"identifier": f"R-{ident}",
                                                                     "matchMax": str(len(q.pairs))}),
                              html_inline(text))
        sub(_set(processing, "SCORE"), "mapResponse", {"identifier": "RESPONSE"})
        cond = sub(processing, "responseCondition")
        branch = sub(cond, "responseIf")
        match = sub(branch, "match")
        _var(match)
        sub(match, "correct", {"identifier": "RESPONSE"})
        _set_feedback(branch, "correct")
        _set_feedback(sub(cond, "responseElse"), "wrong")
        feedback.append(("correct", "Correct", html(q.correct_feedback)))
        feedback.append(("wrong", "Not quite", html(q.wrong_feedback)))

    else:
        assert isinstance(q, Reflection)
        response.attrib.update(cardinality="single", baseType="string")
        sub(body, "extendedTextInteraction", {"responseIdentifier": "RESPONSE", "expectedLines": "10"})
        _set_feedback(processing)

    feedback.append(("explanation", "Explanation", html(q.explanation)))
    for identifier, title, text in feedback:
        _modal(root, identifier, _title(title), text)
    return root


def _title(markdown_text: str) -> str:
    return plain(markdown_text)[:80]


def _within(parent: ET.Element, low, high, low_closed: bool, high_closed: bool) -> None:
    both = sub(parent, "and")
    lower = sub(both, "gte" if low_closed else "gt")
    _var(lower)
    _base(lower, "float", number(low))
    upper = sub(both, "lte" if high_closed else "lt")
    _var(upper)
    _base(upper, "float", number(high))


def _any_string(parent: ET.Element, answers: list[str], case_sensitive: bool) -> None:
    either = sub(parent, "or")
    for a in answers:
        m = sub(either, "stringMatch", {"caseSensitive": "true" if case_sensitive else "false"})
        _var(m)
        _base(m, "string", a)


def _kendall(root: ET.Element, processing: ET.Element, q: Ordering) -> None:
    """SCORE := points x (pairs in the right relative order) / (all pairs).

    QTI has no "position of a value" operator, so each item's position is found with
    index(RESPONSE, i) and kept in an outcome POS-<item>; pairs are then compared with lt.
    """
    ids = [i.id for i in q.items]
    declarations = [c for c in root if c.tag == _q("outcomeDeclaration")]
    at = list(root).index(declarations[-1]) + 1
    for k, ident in enumerate(ids):
        root.insert(at + k, ET.Element(_q("outcomeDeclaration"), {
            "identifier": f"POS-{ident}", "cardinality": "single", "baseType": "integer"}))
    concordant = ET.Element(_q("outcomeDeclaration"), {"identifier": "CONCORDANT", "cardinality": "single",
                                                       "baseType": "integer"})
    sub(sub(concordant, "defaultValue"), "value", text="0")
    root.insert(at + len(ids), concordant)
    for position in range(1, len(ids) + 1):
        cond = sub(processing, "responseCondition")
        for k, ident in enumerate(ids):
            branch = sub(cond, "responseIf" if k == 0 else "responseElseIf")
            match = sub(branch, "match")
            sub(match, "index", {"n": str(position)}).append(ET.Element(_q("variable"), {"identifier": "RESPONSE"}))
            _base(match, "identifier", choice_id(ident))
            _base(_set(branch, f"POS-{ident}"), "integer", str(position))
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            cond = sub(processing, "responseCondition")
            branch = sub(cond, "responseIf")
            less = sub(branch, "lt")
            _var(less, f"POS-{a}")
            _var(less, f"POS-{b}")
            total = sub(_set(branch, "CONCORDANT"), "sum")
            _var(total, "CONCORDANT")
            _base(total, "integer", "1")
    pairs = len(ids) * (len(ids) - 1) // 2
    product = sub(_set(processing, "SCORE"), "product")
    divide = sub(product, "divide")
    _var(divide, "CONCORDANT")
    _base(divide, "float", _float(pairs))
    _base(product, "float", _float(q.points))


# --- the test and the manifest -----------------------------------------------------------


def assessment_test(quiz_id: str, quiz: Quiz, kept: list[Entry]) -> ET.Element:
    root = ET.Element(_q("assessmentTest"), {**ROOT_ITEM,
                                             "identifier": f"test-{quiz_id}", "title": quiz.title})
    sub(root, "outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single", "baseType": "float"})
    part = sub(root, "testPart", {"identifier": "part-1", "navigationMode": "nonlinear",
                                  "submissionMode": "individual"})
    section = sub(part, "assessmentSection", {"identifier": "section-1", "title": quiz.title, "visible": "true"})
    for group in groups(kept):
        parent = section
        if group[0].pool is not None:
            parent = sub(section, "assessmentSection", {"identifier": f"pool-{group[0].pool}",
                                                        "title": group[0].pool, "visible": "false"})
            sub(parent, "selection", {"select": "1"})
        for e in group:
            sub(parent, "assessmentItemRef", {"identifier": item_id(quiz_id, e),
                                              "href": f"items/{item_id(quiz_id, e)}.xml"})
    total = sub(_set(sub(root, "outcomeProcessing"), "SCORE"), "sum")
    sub(total, "testVariables", {"variableIdentifier": "SCORE"})
    return root


def manifest(quiz_id: str, quiz: Quiz, kept: list[Entry], warnings: Warnings) -> ET.Element:
    def c(tag: str) -> str:
        return tag

    root = ET.Element(c("manifest"), {"xmlns": CP, "xmlns:xsi": XSI, "xsi:schemaLocation": CP_SCHEMA,
                                      "identifier": f"manifest-{quiz_id}"})
    for line in warnings.items:
        root.append(ET.Comment(f" warning: {line.replace('--', '- -')} "))
    meta = ET.SubElement(root, c("metadata"))
    ET.SubElement(meta, c("schema")).text = "QTIv2.1 Package"
    ET.SubElement(meta, c("schemaversion")).text = "1.0.0"
    ET.SubElement(root, c("organizations"))
    resources = ET.SubElement(root, c("resources"))
    test = ET.SubElement(resources, c("resource"), {"identifier": f"test-{quiz_id}", "type": "imsqti_test_xmlv2p1",
                                                    "href": "test.xml"})
    ET.SubElement(test, c("file"), {"href": "test.xml"})
    for e in kept:
        ET.SubElement(test, c("dependency"), {"identifierref": item_id(quiz_id, e)})
    for e in kept:
        href = f"items/{item_id(quiz_id, e)}.xml"
        res = ET.SubElement(resources, c("resource"), {"identifier": item_id(quiz_id, e),
                                                       "type": "imsqti_item_xmlv2p1", "href": href})
        ET.SubElement(res, c("file"), {"href": href})
    return root
