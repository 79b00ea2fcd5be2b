"""Shards: a stable share of a batch, so that N machines can each grade one share.

``--shard K/N`` (K from 1 to N) holds the files whose name hashes to K: the first 8 bytes
of the name's SHA-256, read as a big-endian number, modulo N. The name is the one every
machine sees the same, however the batch is mounted: a quiz submission's file name within
its batch folder, an exercise submission's learner id in lower case (``Ana.py`` and
``ana.py`` are one learner and must land in one shard). Each share is graded into its own gradebook, and
``coursekit gradebook merge`` combines them (coursekit.grading.merge).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_SPEC = re.compile(r"^\s*(\d{1,6})\s*/\s*(\d{1,6})\s*$")


class ShardError(ValueError):
    pass


@dataclass(frozen=True)
class Shard:
    index: int  # 1 to count
    count: int

    def holds(self, name: str) -> bool:
        digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """'2/4' -> Shard(2, 4); anything else is a ShardError saying what is expected."""
    m = _SPEC.match(text)
    if not m:
        raise ShardError(f"--shard {text!r}: write K/N, such as 1/4 (shard K of N, K from 1 to N)")
    index, count = int(m.group(1)), int(m.group(2))
    if count < 1 or not 1 <= index <= count:
        raise ShardError(f"--shard {text!r}: K must lie between 1 and N (got {index} of {count})")
    return Shard(index, count)
