"""Writing files so that a crash never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write via a temporary file and rename. Returns False when the content was already there."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


class NotOurs(FileExistsError):
    """The path holds a file we did not write (its first line is not ours): it is kept."""


def write_export(path: Path, text: str, header: str | None = None) -> bool:
    """Write an export, replacing a file already at ``path`` only when its first line is
    ``header`` (default: the first line of ``text``), never a stranger's file (NotOurs)."""
    header = text.split("\n", 1)[0] if header is None else header
    if path.exists():
        first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        if first != header:
            raise NotOurs(path)
    return write_atomic(path, text)
