"""Why the YAML parser stopped, said where an author can fix it.

The parser reports where it gave up; a quote or bracket left open is better reported where it
opened, with the other place in the message. ``loader`` is the parser class that read the
text (libyaml's counts some positions in bytes, PyYAML's in characters).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from coursekit.content.errors import ContentError


def _at(text: str, index: int, offset: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line + offset, index - (text.rfind("\n", 0, index) + 1) + 1


def syntax_error(exc: yaml.MarkedYAMLError, text: str, path: Path, offset: int, loader: type) -> ContentError:
    """Where the parser gave up, and where the construct it was reading began: an unclosed
    quote or bracket is reported where it opened, with the other position in the message."""
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    here, there = exc.problem_mark, exc.context_mark
    if here is None and there is None:
        return ContentError(path, 1 + offset, 1, f"YAML syntax: {problem}")
    if (
        here is not None
        and 0 <= here.index < len(text)
        and text[here.index] == "\t"
        and ("cannot start any token" in problem or "tab" in problem)
    ):
        return ContentError(
            path, here.line + 1 + offset, here.column + 1, "YAML syntax: a tab cannot indent YAML (indent with spaces)"
        )
    if here is None or there is None or (here.line, here.column) == (there.line, there.column):
        mark = here or there
        return ContentError(path, mark.line + 1 + offset, mark.column + 1, f"YAML syntax: {problem}")
    gave_up = f"line {here.line + 1 + offset}, column {here.column + 1}"
    opened = f"line {there.line + 1 + offset}, column {there.column + 1}"
    opener = text[there.index] if 0 <= there.index < len(text) else ""
    if "quoted scalar" in context:
        escaped = "''" if opener == "'" else '\\"'
        return ContentError(
            path,
            there.line + 1 + offset,
            there.column + 1,
            f"YAML syntax: the quote {opener} opened here is never closed ({problem} at "
            f"{gave_up}); close it, and write {opener} inside it as {escaped}",
        )
    if "flow sequence" in context or "flow mapping" in context:
        closer = "]" if "sequence" in context else "}"
        return ContentError(
            path,
            there.line + 1 + offset,
            there.column + 1,
            f"YAML syntax: the {opener} opened here is not closed: {problem} at {gave_up} "
            f"(close it with {closer!r}, or quote a value that holds a comma or bracket)",
        )
    runaway = _runaway_quote(text, here, loader)
    if runaway is not None:
        start, end = runaway.start_mark, runaway.end_mark
        return ContentError(
            path,
            start.line + 1 + offset,
            start.column + 1,
            f"YAML syntax: the quote {runaway.style} opened here seems never closed: the value runs "
            f"on to the quote at line {end.line + 1 + offset}, column {end.column}, and the parser "
            f"gave up at {gave_up} ({problem}); close it where the value ends",
        )
    return ContentError(
        path, here.line + 1 + offset, here.column + 1, f"YAML syntax: {problem} ({context} that starts at {opened})"
    )


def _runaway_quote(text: str, gave_up: yaml.Mark, loader: type) -> yaml.ScalarToken | None:
    """A quoted value that spans lines and ends on the line where the parser gave up: its own
    closing quote is missing, and the quote that ended it opened the next value."""
    found = None
    try:
        for token in yaml.scan(text, Loader=loader):
            if token.start_mark.index >= gave_up.index:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.start_mark.line < token.end_mark.line == gave_up.line
            ):
                found = token
    except yaml.YAMLError:
        pass
    return found


def unreadable_character(
    exc: yaml.reader.ReaderError, text: str, path: Path, offset: int, loader: type
) -> ContentError:
    """A character YAML does not allow (a control character, a lone surrogate), at its place."""
    code = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
    at = exc.position
    if loader is not yaml.SafeLoader:  # libyaml counts this position in UTF-8 bytes
        at = len(text.encode("utf-8", "surrogatepass")[:at].decode("utf-8", "replace"))
    return ContentError(
        path, *_at(text, at, offset), f"YAML: the character U+{code:04X} is not allowed ({exc.reason}; remove it)"
    )
