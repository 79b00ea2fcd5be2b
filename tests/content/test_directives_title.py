"""Where a module page's overview goes: after its title, never after a "# comment" in code."""

from coursekit.content.directives import title_end


def test_the_title_line_outside_code():
    text = "```python\n# not a title\nx = 1\n```\n\n# The title\n\nBody\n"
    assert text[: title_end(text)].endswith("# The title")
    assert title_end("No title here\n```\n# code\n```\n") == 0
    assert title_end("# First\n# Second\n") == len("# First")
