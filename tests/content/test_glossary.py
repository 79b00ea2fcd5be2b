"""The glossary page as hover definitions (Markdown abbreviations), generated, never typed twice."""

from coursekit.content.glossary import abbreviation_block, definitions, glossary_entries, term_forms


def abbreviations(markdown: str) -> str:
    """Every definition of a glossary, as a page that uses every term gets them."""
    defs = definitions(markdown)
    return abbreviation_block(defs, " ".join(word for word, _ in defs))


GLOSSARY = """---
title: Glossary
---

# Glossary

Intro paragraph, not a term.

## GMV (gross merchandise value)

The total value of goods sold through a platform, before fees :fact[P1]. See
[the references](references.md) for *more*. Modules 1 and 4.

A second paragraph that is not part of the hover text.

## A/B test

An experiment with `random` assignment. Module 2.

```
## Not a heading, it is code
```

## Empty
"""


def test_entries_take_the_first_paragraph_as_plain_text():
    assert glossary_entries(GLOSSARY) == [
        (
            "GMV (gross merchandise value)",
            "The total value of goods sold through a platform, before fees. See the references for more.",
        ),
        ("A/B test", "An experiment with random assignment."),
    ]


def test_term_forms_cover_the_abbreviation_the_long_name_case_and_plural():
    assert term_forms("GMV (gross merchandise value)") == [
        "GMV",
        "GMVs",
        "gross merchandise value",
        "Gross merchandise value",
        "gross merchandise values",
        "Gross merchandise values",
    ]
    assert term_forms("A/B test") == ["A/B test", "A/B tests"]
    assert term_forms("Idempotency") == ["Idempotency", "idempotency"]


def test_abbreviations_are_markdown_abbreviation_blocks():
    blocks = abbreviations(GLOSSARY).split("\n\n")
    assert all("\n" not in b.strip() for b in blocks)  # one definition a block: see abbreviation_block()
    lines = [b.strip() for b in blocks]
    assert lines[0] == (
        "*[GMV]: The total value of goods sold through a platform, before fees. See the references for more."
    )
    assert "*[A/B tests]: An experiment with random assignment." in lines
    assert len(lines) == 8 and abbreviations("# Nothing here\n") == ""


def test_abbreviations_become_abbr_elements_with_python_markdown():
    import markdown

    html = markdown.markdown(
        "Platforms report GMV; two A/B tests ran.\n\n" + abbreviations(GLOSSARY), extensions=["abbr"]
    )
    assert '<abbr title="The total value of goods sold through a platform' in html
    assert '<abbr title="An experiment with random assignment.">A/B tests</abbr>' in html


def test_a_page_gets_only_the_definitions_of_words_it_has():
    defs = definitions(GLOSSARY)
    block = abbreviation_block(defs, "Two A/B tests ran.")
    assert [line.split("]:")[0] for line in block.strip().split("\n\n")] == ["*[A/B test", "*[A/B tests"]
    assert abbreviation_block(defs, "Nothing from the glossary here.") == ""
    every = abbreviations(GLOSSARY)
    assert every == "\n\n".join(line for _, line in defs) + "\n"  # a page with every word: every definition
