"""Quizzes as files an LMS imports: Moodle XML, GIFT, QTI 2.1 and QTI 1.2 for Canvas.

    files = export_quiz("story-so-far", quiz, "moodle")
    for name, data in files.items(): (out / name).write_bytes(data)
    for line in files.warnings: print("warning:", line)

Each format returns one file. What a format cannot carry is approximated or left out, and
``files.warnings`` says which question and why; the same sentences are written into the
file as comments. A quiz that cannot be exported at all raises ExportError.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coursekit.content.models import Quiz
from coursekit.files import write_atomic

from . import gift, moodle, qti12, qti21
from .common import ExportError, Warnings

FORMATS: dict[str, str] = {
    "moodle": "Moodle XML (quizlib): every question type, variants as a category pool",
    "gift": "Moodle GIFT text: every type but ordering, variants as a category pool",
    "qti": "IMS QTI 2.1 content package (zip): items, a test, variants picked one per attempt",
    "qti12": "IMS QTI 1.2 for Canvas (zip): every type but ordering, variants as a question group",
}

_WRITERS: dict[str, Callable[[str, Quiz, Warnings], dict[str, bytes]]] = {
    "moodle": moodle.export,
    "gift": gift.export,
    "qti": qti21.export,
    "qti12": qti12.export,
}


class ExportFiles(dict[str, bytes]):
    """File name -> content, plus the export's warnings (one sentence each)."""

    def __init__(self, files: dict[str, bytes], warnings: list[str]):
        super().__init__(files)
        self.warnings = warnings


def export_quiz(quiz_id: str, quiz: Quiz, fmt: str) -> ExportFiles:
    """The quiz as the files of one LMS format (see FORMATS)."""
    if fmt not in _WRITERS:
        raise ExportError(f"unknown export format {fmt!r} (choose one of: {', '.join(FORMATS)})")
    if not quiz_id or any(c in quiz_id for c in '/\\:*?"<>|') or quiz_id.startswith("."):
        raise ExportError(f"quiz id {quiz_id!r} cannot name a file")
    warnings = Warnings()
    files = _WRITERS[fmt](quiz_id, quiz, warnings)
    if not files:  # pragma: no cover - every writer returns its file
        raise ExportError(f"nothing to export in quiz {quiz_id!r}")
    return ExportFiles(files, warnings.items)


def export_to(path: Path, quiz_id: str, quiz: Quiz, fmt: str, force: bool = False) -> ExportFiles:
    """Export the quiz into the file ``path`` (ExportError as export_quiz). An existing file
    is replaced only with ``force`` (FileExistsError otherwise, nothing written)."""
    files = export_quiz(quiz_id, quiz, fmt)
    ((_, data),) = files.items()
    if path.exists() and not force:
        raise FileExistsError(path)
    write_atomic(path, data)
    return files
