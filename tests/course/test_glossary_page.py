"""The course's glossary page gives every term a hover definition (see tests/content/test_glossary.py
for how a glossary becomes abbreviations)."""

from coursekit.content.glossary import glossary_entries


def test_every_term_of_the_course_glossary_gets_a_hover_definition(repo):
    text = (repo / "course" / "glossary.md").read_text(encoding="utf-8")
    headings = [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]
    entries = glossary_entries(text)
    assert [h for h, _ in entries] == headings
    assert all(len(d.split()) >= 5 and ":fact[" not in d for _, d in entries)
