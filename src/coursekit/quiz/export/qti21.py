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
import xml.etree.ElementTree as ET
import zipfile

from coursekit.content.models import Quiz, ShortText

from .common import Entry, Warnings, entries, groups, short_text_problems
from .qti21_items import NS, ROOT_ITEM, XSI, assessment_item, item_id, set_outcome, sub

CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_SCHEMA = (
    f"{CP} http://www.imsglobal.org/xsd/imscp_v1p1.xsd {NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
)


def export(quiz_id: str, quiz: Quiz, warnings: Warnings) -> dict[str, bytes]:
    items: list[tuple[Entry, bytes]] = []
    for e in entries(quiz, quiz_id):
        if isinstance(e.question, ShortText) and not short_text_problems(e.question, warnings, "QTI 2.1"):
            continue
        if isinstance(e.question, ShortText):
            warnings.add(
                e.question.id,
                "QTI's stringMatch compares answers exactly; coursekit also trims and folds runs of spaces",
            )
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


# --- the test and the manifest -----------------------------------------------------------


def assessment_test(quiz_id: str, quiz: Quiz, kept: list[Entry]) -> ET.Element:
    root = ET.Element("assessmentTest", {**ROOT_ITEM, "identifier": f"test-{quiz_id}", "title": quiz.title})
    sub(root, "outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single", "baseType": "float"})
    part = sub(
        root, "testPart", {"identifier": "part-1", "navigationMode": "nonlinear", "submissionMode": "individual"}
    )
    section = sub(part, "assessmentSection", {"identifier": "section-1", "title": quiz.title, "visible": "true"})
    for group in groups(kept):
        parent = section
        if group[0].pool is not None:
            parent = sub(
                section,
                "assessmentSection",
                {"identifier": f"pool-{group[0].pool}", "title": group[0].pool, "visible": "false"},
            )
            sub(parent, "selection", {"select": "1"})
        for e in group:
            sub(
                parent,
                "assessmentItemRef",
                {"identifier": item_id(quiz_id, e), "href": f"items/{item_id(quiz_id, e)}.xml"},
            )
    total = sub(set_outcome(sub(root, "outcomeProcessing"), "SCORE"), "sum")
    sub(total, "testVariables", {"variableIdentifier": "SCORE"})
    return root


def manifest(quiz_id: str, quiz: Quiz, kept: list[Entry], warnings: Warnings) -> ET.Element:
    def c(tag: str) -> str:
        return tag

    root = ET.Element(
        c("manifest"),
        {"xmlns": CP, "xmlns:xsi": XSI, "xsi:schemaLocation": CP_SCHEMA, "identifier": f"manifest-{quiz_id}"},
    )
    for line in warnings.items:
        root.append(ET.Comment(f" warning: {line.replace('--', '- -')} "))
    meta = ET.SubElement(root, c("metadata"))
    ET.SubElement(meta, c("schema")).text = "QTIv2.1 Package"
    ET.SubElement(meta, c("schemaversion")).text = "1.0.0"
    ET.SubElement(root, c("organizations"))
    resources = ET.SubElement(root, c("resources"))
    test = ET.SubElement(
        resources, c("resource"), {"identifier": f"test-{quiz_id}", "type": "imsqti_test_xmlv2p1", "href": "test.xml"}
    )
    ET.SubElement(test, c("file"), {"href": "test.xml"})
    for e in kept:
        ET.SubElement(test, c("dependency"), {"identifierref": item_id(quiz_id, e)})
    for e in kept:
        href = f"items/{item_id(quiz_id, e)}.xml"
        res = ET.SubElement(
            resources, c("resource"), {"identifier": item_id(quiz_id, e), "type": "imsqti_item_xmlv2p1", "href": href}
        )
        ET.SubElement(res, c("file"), {"href": href})
    return root
