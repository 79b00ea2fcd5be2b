"""The one shape every content mistake takes: ``path:line:col: message``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class ContentError:
    path: Path
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return self.format()

    def format(self, base: Path | None = None) -> str:
        """``path:line:col: message``, the path relative to base (default: the working folder)."""
        try:
            shown = os.path.relpath(self.path, base)
        except ValueError:  # another drive on Windows
            shown = str(self.path)
        if shown.startswith(".." + os.sep + ".."):
            shown = str(self.path)
        return f"{Path(shown).as_posix()}:{self.line}:{self.col}: {self.message}"
