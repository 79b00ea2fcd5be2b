"""IMS QTI 2.1: one assessmentItem per question, a builder per question type (see ``qti21``
for the scoring rules each one writes).

Elements are built without namespaces and the root declares them (xmlns attributes):
ElementTree's default_namespace cannot serialise unqualified attributes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from fractions import Fraction

from coursekit.content.models import (
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Reflection,
    ShortText,
    SingleChoice,
    TrueFalse,
)

from . import xhtml
from .common import Entry, accepted_interval, html, html_inline, number, plain, prompt_html

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = f"{NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
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


def _float(value: Fraction | int) -> str:
    return repr(float(value))


def _declare_outcomes(root: ET.Element, points: int) -> None:
    score = sub(
        root,
        "outcomeDeclaration",
        {"identifier": "SCORE", "cardinality": "single", "baseType": "float", "normalMaximum": _float(points)}
        if points
        else {"identifier": "SCORE", "cardinality": "single", "baseType": "float"},
    )
    sub(sub(score, "defaultValue"), "value", text="0")
    maxscore = sub(root, "outcomeDeclaration", {"identifier": "MAXSCORE", "cardinality": "single", "baseType": "float"})
    sub(sub(maxscore, "defaultValue"), "value", text=_float(points))
    sub(root, "outcomeDeclaration", {"identifier": "FEEDBACK", "cardinality": "multiple", "baseType": "identifier"})


def set_outcome(parent: ET.Element, identifier: str) -> ET.Element:
    return sub(parent, "setOutcomeValue", {"identifier": identifier})


def _base(parent: ET.Element, base_type: str, value: str) -> ET.Element:
    return sub(parent, "baseValue", {"baseType": base_type}, value)


def _var(parent: ET.Element, identifier: str = "RESPONSE") -> ET.Element:
    return sub(parent, "variable", {"identifier": identifier})


def _set_score(parent: ET.Element, points: Fraction | int) -> None:
    _base(set_outcome(parent, "SCORE"), "float", _float(points))


def _set_feedback(parent: ET.Element, *identifiers: str, with_response: bool = False) -> None:
    """FEEDBACK := {identifiers..., the chosen options (with_response), explanation}."""
    multiple = sub(set_outcome(parent, "FEEDBACK"), "multiple")
    if with_response:
        _var(multiple)
    for ident in identifiers:
        _base(multiple, "identifier", ident)
    _base(multiple, "identifier", "explanation")


def _modal(root: ET.Element, identifier: str, title: str, markdown_html: str) -> None:
    fb = sub(
        root,
        "modalFeedback",
        {"outcomeIdentifier": "FEEDBACK", "showHide": "show", "identifier": identifier, "title": title},
    )
    for block in xhtml.blocks(markdown_html):
        fb.append(block)


def _choice(
    q: SingleChoice | MultipleSelect | TrueFalse,
    root: ET.Element,
    response: ET.Element,
    body: ET.Element,
    processing: ET.Element,
    feedback: list[tuple[str, str, str]],
) -> None:
    """Single, multiple and true/false: choices, their feedback, a match or a mapping."""
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
    interaction = sub(
        body,
        "choiceInteraction",
        {
            "responseIdentifier": "RESPONSE",
            "shuffle": "false" if isinstance(q, TrueFalse) else "true",
            "maxChoices": "1" if single else "0",
        },
    )
    for oid, text, _, fb in options:
        xhtml.fill_inline(
            sub(
                interaction,
                "simpleChoice",
                {"identifier": choice_id(oid)} | ({"fixed": "true"} if oid in pinned else {}),
            ),
            html_inline(text),
        )
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
        mapping = sub(response, "mapping", {"lowerBound": "0", "upperBound": _float(q.points), "defaultValue": "0"})
        for oid, _, right, _ in options:
            sub(mapping, "mapEntry", {"mapKey": choice_id(oid), "mappedValue": _float(share if right else -share)})
        sub(set_outcome(processing, "SCORE"), "mapResponse", {"identifier": "RESPONSE"})
    _set_feedback(processing, with_response=True)


def _numeric(
    q: Numeric,
    root: ET.Element,
    response: ET.Element,
    body: ET.Element,
    processing: ET.Element,
    feedback: list[tuple[str, str, str]],
) -> None:
    """A number in the accepted interval, then each diagnosed mistake."""
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


def _short_text(
    q: ShortText,
    root: ET.Element,
    response: ET.Element,
    body: ET.Element,
    processing: ET.Element,
    feedback: list[tuple[str, str, str]],
) -> None:
    """A stringMatch against each accepted answer, then each diagnosed mistake."""
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


def _ordering(
    q: Ordering,
    root: ET.Element,
    response: ET.Element,
    body: ET.Element,
    processing: ET.Element,
    feedback: list[tuple[str, str, str]],
) -> None:
    """All or nothing, or the share of pairs in the right relative order (partial)."""
    response.attrib.update(cardinality="ordered", baseType="identifier")
    correct = sub(response, "correctResponse")
    for item in q.items:
        sub(correct, "value", text=choice_id(item.id))
    interaction = sub(body, "orderInteraction", {"responseIdentifier": "RESPONSE", "shuffle": "true"})
    for item in q.items:
        xhtml.fill_inline(sub(interaction, "simpleChoice", {"identifier": choice_id(item.id)}), html_inline(item.text))
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


def _matching(
    q: Matching,
    root: ET.Element,
    response: ET.Element,
    body: ET.Element,
    processing: ET.Element,
    feedback: list[tuple[str, str, str]],
) -> None:
    """A mapping of points/n per right pair."""
    response.attrib.update(cardinality="multiple", baseType="directedPair")
    correct = sub(response, "correctResponse")
    for pair in q.pairs:
        sub(correct, "value", text=f"L-{pair.id} R-{pair.id}")
    share = Fraction(q.points, len(q.pairs))
    mapping = sub(response, "mapping", {"lowerBound": "0", "upperBound": _float(q.points), "defaultValue": "0"})
    for pair in q.pairs:
        sub(mapping, "mapEntry", {"mapKey": f"L-{pair.id} R-{pair.id}", "mappedValue": _float(share)})
    interaction = sub(
        body,
        "matchInteraction",
        {"responseIdentifier": "RESPONSE", "shuffle": "true", "maxAssociations": str(len(q.pairs))},
    )
    lefts = sub(interaction, "simpleMatchSet")
    for pair in q.pairs:
        xhtml.fill_inline(
            sub(lefts, "simpleAssociableChoice", {"identifier": f"L-{pair.id}", "matchMax": "1"}),
            html_inline(pair.left),
        )
    rights = sub(interaction, "simpleMatchSet")
    for ident, text in [(p.id, p.right) for p in q.pairs] + [(d.id, d.text) for d in q.distractors]:
        xhtml.fill_inline(
            sub(rights, "simpleAssociableChoice", {"identifier": f"R-{ident}", "matchMax": str(len(q.pairs))}),
            html_inline(text),
        )
    sub(set_outcome(processing, "SCORE"), "mapResponse", {"identifier": "RESPONSE"})
    cond = sub(processing, "responseCondition")
    branch = sub(cond, "responseIf")
    match = sub(branch, "match")
    _var(match)
    sub(match, "correct", {"identifier": "RESPONSE"})
    _set_feedback(branch, "correct")
    _set_feedback(sub(cond, "responseElse"), "wrong")
    feedback.append(("correct", "Correct", html(q.correct_feedback)))
    feedback.append(("wrong", "Not quite", html(q.wrong_feedback)))


def _reflection(
    q: Reflection,
    root: ET.Element,
    response: ET.Element,
    body: ET.Element,
    processing: ET.Element,
    feedback: list[tuple[str, str, str]],
) -> None:
    """Free text that scores 0."""
    response.attrib.update(cardinality="single", baseType="string")
    sub(body, "extendedTextInteraction", {"responseIdentifier": "RESPONSE", "expectedLines": "10"})
    _set_feedback(processing)


_BUILDERS = {
    SingleChoice: _choice,
    MultipleSelect: _choice,
    TrueFalse: _choice,
    Numeric: _numeric,
    ShortText: _short_text,
    Ordering: _ordering,
    Matching: _matching,
    Reflection: _reflection,
}


def assessment_item(quiz_id: str, e: Entry) -> ET.Element:
    q = e.question
    root = ET.Element(
        _q("assessmentItem"),
        {
            **ROOT_ITEM,
            "identifier": item_id(quiz_id, e),
            "title": e.name,
            "adaptive": "false",
            "timeDependent": "false",
        },
    )
    response = sub(root, "responseDeclaration", {"identifier": "RESPONSE"})
    _declare_outcomes(root, q.points)
    body = sub(root, "itemBody")
    for block in xhtml.blocks(prompt_html(q)):
        body.append(block)
    processing = sub(root, "responseProcessing")
    feedback: list[tuple[str, str, str]] = []  # (identifier, title, html)

    _BUILDERS[type(q)](q, root, response, body, processing, feedback)
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
        root.insert(
            at + k,
            ET.Element(
                _q("outcomeDeclaration"), {"identifier": f"POS-{ident}", "cardinality": "single", "baseType": "integer"}
            ),
        )
    concordant = ET.Element(
        _q("outcomeDeclaration"), {"identifier": "CONCORDANT", "cardinality": "single", "baseType": "integer"}
    )
    sub(sub(concordant, "defaultValue"), "value", text="0")
    root.insert(at + len(ids), concordant)
    for position in range(1, len(ids) + 1):
        cond = sub(processing, "responseCondition")
        for k, ident in enumerate(ids):
            branch = sub(cond, "responseIf" if k == 0 else "responseElseIf")
            match = sub(branch, "match")
            sub(match, "index", {"n": str(position)}).append(ET.Element(_q("variable"), {"identifier": "RESPONSE"}))
            _base(match, "identifier", choice_id(ident))
            _base(set_outcome(branch, f"POS-{ident}"), "integer", str(position))
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            cond = sub(processing, "responseCondition")
            branch = sub(cond, "responseIf")
            less = sub(branch, "lt")
            _var(less, f"POS-{a}")
            _var(less, f"POS-{b}")
            total = sub(set_outcome(branch, "CONCORDANT"), "sum")
            _var(total, "CONCORDANT")
            _base(total, "integer", "1")
    pairs = len(ids) * (len(ids) - 1) // 2
    product = sub(set_outcome(processing, "SCORE"), "product")
    divide = sub(product, "divide")
    _var(divide, "CONCORDANT")
    _base(divide, "float", _float(pairs))
    _base(product, "float", _float(q.points))
