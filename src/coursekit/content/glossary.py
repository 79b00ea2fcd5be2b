"""The glossary page as hover definitions: each ``## Term`` heading and the paragraph under it
become Markdown abbreviations (``*[term]: definition``), which Python-Markdown's ``abbr``
extension turns into ``<abbr title="definition">`` wherever the term appears on a page.

One source: the glossary page. A heading "GMV (gross merchandise value)" yields both "GMV"
and "gross merchandise value"; each name is also matched with its first letter's case
swapped (a capitalised word lower-cased, a lower-case one capitalised) and with a plural "s"
(not after s, x, y or h), since Markdown abbreviations match exact, case-sensitive words.
"""

from __future__ import annotations

import re

from coursekit.content.directives import prose_lines
from coursekit.content.frontmatter import split_front_matter

_HEADING = re.compile(r"^##\s+(?P<term>[^#].*?)\s*#*\s*$")
_CITE = re.compile(r"\s*:fact\[[^\]]*\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARK = re.compile(r"[*_`]+")
_MODULES = re.compile(r"\s*\bModules? \d+(?:(?:,| and) \d+)*\.\s*$")
_PAREN = re.compile(r"^(?P<head>.+?)\s*\((?P<inner>[^()]+)\)$")


def glossary_entries(markdown: str) -> list[tuple[str, str]]:
    """(term heading, plain-text definition) for each ``## Term`` with a paragraph under it."""
    _, body, _ = split_front_matter(markdown)
    entries: list[tuple[str, str]] = []
    term: str | None = None
    para: list[str] = []

    def close() -> None:
        nonlocal term, para
        if term and para:
            text = " ".join(para)
            text = _MARK.sub("", _LINK.sub(r"\1", _CITE.sub("", text)))
            text = _MODULES.sub("", " ".join(text.split())).strip()
            if text:
                entries.append((term, text))
        term, para = None, []

    for _, _, line in prose_lines(body):
        m = _HEADING.match(line)
        if m or line.startswith("#"):
            close()
            term = m["term"].strip() if m else None
        elif term is not None and line.strip():
            para.append(line.strip())
        elif para:  # the first paragraph under the heading is the definition
            close()
    close()
    return entries


def term_forms(heading: str) -> list[str]:
    """The words a heading stands for on a page: 'OKR (objectives and key results)' ->
    OKR, OKRs, objectives and key results, Objectives and key results."""
    m = _PAREN.match(heading)
    names = [m["head"], m["inner"]] if m else [heading]
    forms: list[str] = []
    for name in names:
        variants = [name]
        if re.match(r"[A-Z][a-z]+(?:\b|-)", name):
            variants.append(name[:1].lower() + name[1:])
        elif re.match(r"[a-z]+(?:\b|-)", name):
            variants.append(name[:1].upper() + name[1:])
        for v in list(variants):
            if not re.search(r"(s|x|y|h)$", v, re.I):
                variants.append(v + "s")
        forms += [v for v in variants if v not in forms]
    return forms


def definitions(markdown: str) -> list[tuple[str, str]]:
    """(word, its abbreviation definition ``*[word]: definition``) for every form of every term."""
    out = []
    for heading, definition in glossary_entries(markdown):
        title = definition.replace("\n", " ")
        out += [(form, f"*[{form}]: {title}") for form in term_forms(heading)]
    return out


def abbreviation_block(defs: list[tuple[str, str]], page: str) -> str:
    """The definitions to append to ``page``'s Markdown, each its own block: only those whose word
    the page contains (an abbreviation marks only a word the page has, and each one more is a
    pattern tried on every text of the page).

    A blank line between definitions matters for speed: Python-Markdown's abbr processor takes one
    definition from a block and puts the rest back, so a block of n definitions is scanned by every
    block processor n times. One block of this course's 149 lines cost a second of every build.
    """
    lines = [line for word, line in defs if word in page]
    return "\n\n".join(lines) + ("\n" if lines else "")
