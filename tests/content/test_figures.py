from coursekit.content.catalog import Layout, load_catalog
from coursekit.content.figures import unaccounted_figures

KNOWN = ["US$30 billion", "30%", "3x"]


def test_known_figures_pass_and_others_are_reported():
    text = "Reported GMV was around US$30 billion, up 30%.\n\nA rival made US$12 billion, 4x more, 12.5 % margin.\n"
    assert unaccounted_figures(text, KNOWN) == [(3, 14, "US$12 billion"), (3, 29, "4x"), (3, 38, "12.5 %")]


def test_a_cited_paragraph_passes():
    text = "A rival made US$12 billion\nin one year :fact[P12].\n\nOr see [the report](https://example.org) for 45%.\n"
    assert unaccounted_figures(text, KNOWN) == []


def test_illustrative_admonition_passes_until_it_ends():
    text = (
        '!!! example "Illustrative data"\n    A team spends US$2 million.\n\n    And 40% more.\n\n'
        "Back to prose: 40% here is not covered.\n"
    )
    assert unaccounted_figures(text, KNOWN) == [(6, 16, "40%")]


def test_code_is_not_prose():
    text = "Use `growth(100, 130)` to get 30.0, not `$5 billion`.\n\n```\nx = '$99 billion'\n```\n"
    assert unaccounted_figures(text, KNOWN) == []


def test_catalog_reports_uncited_figure_and_unknown_fact(minimal_site):
    page = minimal_site / "course" / "modules" / "01-basics.md"
    page.write_text(page.read_text() + "\nLawns earned US$7 billion.\n\nSee :fact[F9].\n")
    errors = list(load_catalog(Layout(minimal_site)).errors)
    messages = [(e.line, e.message) for e in errors]
    assert any("figure 'US$7 billion' is not in the fact base" in m for _, m in messages), messages
    assert any("unknown fact 'F9'" in m for _, m in messages), messages
    assert len(errors) == 2


def test_timeline_refers_to_known_facts(minimal_site):
    timeline = minimal_site / "course" / "data" / "timeline.yml"
    timeline.write_text(timeline.read_text().replace("facts: [F2]", "facts: [F3]"))
    errors = load_catalog(Layout(minimal_site)).errors
    assert [(e.line, e.message) for e in errors] == [(4, "unknown fact 'F3'")]
