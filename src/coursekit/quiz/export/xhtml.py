"""Our Markdown's HTML as XHTML elements for QTI 2.1, whose item bodies take a fixed subset.

The HTML is parsed (named entities resolved), elements QTI does not know are unwrapped
(their content kept), attributes QTI does not allow are dropped, and stray inline content
at block level is wrapped in a <div>, so the result fits QTI's content model.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

# QTI 2.1's XHTML subset, and which of its elements are blocks.
BLOCK = {
    "address",
    "blockquote",
    "div",
    "dl",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "ol",
    "p",
    "pre",
    "table",
    "ul",
}
INLINE = {
    "a",
    "abbr",
    "acronym",
    "b",
    "big",
    "br",
    "cite",
    "code",
    "dfn",
    "em",
    "i",
    "img",
    "kbd",
    "q",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "tt",
    "var",
}
OTHER = {"caption", "col", "colgroup", "dd", "dt", "li", "tbody", "td", "tfoot", "th", "thead", "tr"}
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": set(),
    "col": {"span"},
    "colgroup": {"span"},
}
VOID = {"br", "hr", "img", "col"}


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("root")
        self.stack = [self.root]

    def _append_text(self, text: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def handle_starttag(self, tag, attrs):
        if tag not in BLOCK | INLINE | OTHER:
            return  # unwrapped: its text still arrives through handle_data
        allowed = ATTRIBUTES.get(tag, set())
        kept = {k: v for k, v in attrs if k in allowed and v is not None}
        if tag == "img":
            kept.setdefault("alt", "")
        el = ET.SubElement(self.stack[-1], tag, kept)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and tag in BLOCK | INLINE | OTHER:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID or tag not in BLOCK | INLINE | OTHER:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self._append_text(data)


def fragment(html: str) -> tuple[str, list[ET.Element]]:
    """The HTML as (leading text, elements), unqualified (the document root sets xmlns)."""
    b = _Builder()
    b.feed(html)
    b.close()
    return b.root.text or "", list(b.root)


def blocks(html: str) -> list[ET.Element]:
    """The HTML as block elements only: runs of text and inline elements go into a <div>."""
    text, children = fragment(html)
    out: list[ET.Element] = []
    run: ET.Element | None = None

    def inline_run() -> ET.Element:
        nonlocal run
        if run is None:
            run = ET.Element("div")
            out.append(run)
        return run

    if text.strip():
        inline_run().text = text
    for child in children:
        local = child.tag
        tail, child.tail = child.tail, None
        if local in BLOCK:
            run = None
            out.append(child)
        else:
            inline_run().append(child)
        if tail and tail.strip():
            r = inline_run()
            if len(r):
                r[-1].tail = (r[-1].tail or "") + tail
            else:
                r.text = (r.text or "") + tail
    return out


def fill_inline(parent: ET.Element, html: str) -> None:
    """Put inline HTML (an option's text) into parent as text and elements."""
    text, children = fragment(html)
    parent.text = text
    for child in children:
        parent.append(child)
