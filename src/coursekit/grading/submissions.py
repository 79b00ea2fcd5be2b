"""Submission files: the published format, and reading a batch of them without trusting any.

A submission carries a learner's responses, never a score: the instructor's key regrades
every response. This is the one strict reader for them, and each step can only reject:

1. the file: a regular file (no pipe, device or folder; a symlink in a batch folder must
   stay inside it), its size checked with stat before reading and the read itself bounded;
2. the bytes: UTF-8 without a byte order mark;
3. the JSON: RFC 8259 only (no duplicate key, no NaN or Infinity, no number that overflows,
   nothing after the value), nested no deeper than the format needs, no lone surrogate or
   control character in a string;
4. the fields: each typed strictly (``true`` is not a version, ``"1"`` is not an attempt);
   timestamps with a time zone, between 2020 and the grading time (plus a small clock skew),
   ``started_at`` not after ``submitted_at``;
5. the responses, against the quiz: each shaped as its question's type needs
   (coursekit.grading.response_shapes).

Learner ids are compared without regard to case: ``Ana`` and ``ana`` are one learner (the
pattern admits ASCII only, so ``lower()`` is full case folding). ``learner_key`` gives the
key the batch and the gradebook compare; the id as written is kept for display.
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import stat
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError
from pydantic.json_schema import WithJsonSchema

from coursekit.ids import LEARNER_PATTERN, LEARNER_RULE
from coursekit.limits import MAX_NUMBER_TEXT

FORMAT = "coursekit-submission"
VERSION = 1
MAX_BYTES = 1_000_000  # a 20-question quiz answered at length is well under 100 kB
MAX_DEPTH = 3  # the submission object, its responses, one list or mapping as a response
MAX_NUMBER_TOKEN = MAX_NUMBER_TEXT  # characters of a JSON number (the grader reads no longer number)
# Longest text a response may hold. Beyond what the grader reads (it scores a longer answer 0
# and says why), these only refuse what no person typed into a page or a terminal.
MAX_TEXT = {"numeric": 1_000, "short_text": 10_000, "reflection": 100_000}
CLOCK_SKEW = timedelta(minutes=10)  # a learner's clock may run this far ahead of the grader's
NOT_BEFORE = datetime(2020, 1, 1, tzinfo=UTC)

LearnerId = Annotated[str, StringConstraints(pattern=LEARNER_PATTERN)]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


def learner_key(learner: str) -> str:
    """The key learners are compared by: the id in lower case (ids are ASCII only)."""
    return learner.lower()


_RFC3339 = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})?$")


def _timestamp(value: Any) -> Any:
    if isinstance(value, datetime):  # built in Python (quiz take), never from JSON
        return value
    if not isinstance(value, str):
        raise ValueError("a timestamp is a string such as 2026-11-20T10:00:00Z")
    m = _RFC3339.match(value)
    if not m:
        raise ValueError(f"{value[:40]!r} is not an RFC 3339 timestamp such as 2026-11-20T10:00:00Z")
    if not m.group(4):
        raise ValueError(f"{value!r} has no time zone (end it with Z or an offset such as +01:00)")
    fraction = (m.group(3) or "")[:7]  # Python reads microseconds at most
    zone = "+00:00" if m.group(4) in "Zz" else m.group(4)
    try:
        return datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}{fraction}{zone}")
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date and time ({exc})") from None


Timestamp = Annotated[AwareDatetime, BeforeValidator(_timestamp)]
ClientText = Annotated[str, StringConstraints(max_length=500)]
Response = Annotated[
    Any,
    WithJsonSchema(
        {
            "description": "As in an answers file, checked against the question's type: an option id (single), "
            "a list of option ids (multiple), true or false (true_false), a number or text (numeric), "
            "text (short_text, reflection), the item ids in order (ordering), a mapping of pair ids "
            "to right-side ids (matching), or null for no answer.",
            "anyOf": [
                {"type": "null"},
                {"type": "string"},
                {"type": "boolean"},
                {"type": "number"},
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "additionalProperties": {"type": "string"}},
            ],
        }
    ),
]


class Submission(BaseModel):
    """One learner's answers to one quiz (coursekit-submission, version 1)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    format: Literal["coursekit-submission"]
    version: Literal[1] = Field(description="The format version; this reader accepts 1 (an integer).")
    learner: LearnerId = Field(
        description="The learner's id: letters, digits and . _ @ + - only; compared without regard to case."
    )
    quiz: QuestionId
    attempt: int = Field(1, ge=1, le=1000)
    seed: str | None = Field(None, max_length=200, description="Variant seed (the terminal's).")
    pool: dict[QuestionId, Annotated[int, Field(ge=0, le=1000)]] = Field(
        default_factory=dict,
        max_length=500,
        description="Variant questions: the index of the shipped variant shown (the site's).",
    )
    started_at: Timestamp | None = Field(None, description="When the learner started, with a time zone.")
    submitted_at: Timestamp = Field(description="When the learner submitted, with a time zone.")
    responses: dict[QuestionId, Response] = Field(max_length=500)
    client: dict[Annotated[str, StringConstraints(max_length=50)], ClientText] = Field(
        default_factory=dict, max_length=20, description="What produced the file, for support."
    )


def submission_schema() -> dict:
    schema = Submission.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "coursekit-submission-v1"
    return schema


@dataclass(frozen=True)
class Rejected:
    path: Path
    reason: str
    learner: str | None = None


@dataclass(frozen=True)
class Accepted:
    path: Path
    submission: Submission
    sha256: str


SCORE_KEYS = {"score", "scores", "max_score", "results", "grade", "points", "passed"}


# --- 1. the file -------------------------------------------------------------------

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
}


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a file")


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def read_bytes(path: Path, max_bytes: int = MAX_BYTES, within: Path | None = None) -> bytes | str:
    """The file's bytes, or why they were not read. With ``within`` (the batch folder the
    path was found in), the path's real location must lie inside that folder, and the file
    is opened by that real path without following a link, so a link swapped in later is
    refused rather than followed. Nothing that is not a regular file is ever opened."""
    target = str(path)
    if within is not None:
        target = os.path.realpath(path)
        folder = os.path.realpath(within)
        if not _inside(target, folder):
            return f"outside: a symbolic link to {target}, outside the batch folder {folder}; not read"
    try:
        st = os.stat(target)
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    if not stat.S_ISREG(st.st_mode):
        return f"not a regular file: {_kind(st.st_mode)}; not read"
    if st.st_size > max_bytes:
        return f"too large: {st.st_size:,} bytes (the limit is {max_bytes:,}); not read"
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if within is not None:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "unreadable: a symbolic link took the file's place while reading; not read"
        return f"unreadable: {exc.strerror or exc}"
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            return "unreadable: the file was replaced while reading; not read"
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > max_bytes:
        return f"too large: more than {max_bytes:,} bytes (it grew while reading); not read"
    return raw


def expand(paths: list[Path]) -> list[tuple[Path, Path | None]]:
    """(file, the batch folder it was found in, or None for a file named by the user).
    A folder gives its ``*.json`` entries (not hidden ones), sorted; nothing is opened here."""
    out: list[tuple[Path, Path | None]] = []
    for p in paths:
        if p.is_dir():
            try:
                with os.scandir(p) as entries:
                    names = sorted(e.name for e in entries if e.name.endswith(".json") and not e.name.startswith("."))
            except OSError:  # an unreadable folder: the reader reports it as what it is
                out.append((p, None))
                continue
            out.extend((p / name, p) for name in names)
        else:
            out.append((p, None))
    return out


# --- 2, 3. the bytes and the JSON ----------------------------------------------------


class _Invalid(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise _Invalid(f"invalid JSON: duplicate key {dup[:40]!r} in an object (which one counts is undefined)")
    return data


def _no_constant(name: str) -> Any:
    raise _Invalid(f"invalid JSON: {name} is not a JSON number (RFC 8259 has no NaN or Infinity)")


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_TOKEN:
        raise _Invalid(f"invalid JSON: a number of {len(text)} characters (the limit is {MAX_NUMBER_TOKEN})")
    value = float(text)
    if not math.isfinite(value):
        raise _Invalid(f"invalid JSON: the number {text[:30]} is too large for a double")
    return value


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_TOKEN:
        raise _Invalid(f"invalid JSON: a number of {len(text)} characters (the limit is {MAX_NUMBER_TOKEN})")
    return int(text)


_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _walk(data: Any) -> None:
    """Depth and strings: nothing deeper than the format needs, no lone surrogate (which no
    UTF-8 file can carry) or control character other than tab and newline."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            if depth > MAX_DEPTH:
                raise _Invalid(f"nesting: deeper than {MAX_DEPTH} levels; a submission needs no more")
            for k, v in node.items():
                stack.append((k, depth))
                stack.append((v, depth + 1))
        elif isinstance(node, list):
            if depth > MAX_DEPTH:
                raise _Invalid(f"nesting: deeper than {MAX_DEPTH} levels; a submission needs no more")
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, str):
            bad = _BAD_CHAR.search(node)
            if bad:
                raise _Invalid(
                    f"invalid text: a string holds U+{ord(bad.group()):04X}, a control character or a lone surrogate"
                )


def parse_json(raw: bytes) -> dict[str, Any]:
    """A JSON object (RFC 8259) from UTF-8 bytes, or _Invalid with the reason."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _Invalid("not plain UTF-8: the file starts with a byte order mark (save it without one)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Invalid(f"not UTF-8: invalid byte at offset {exc.start}") from None
    try:
        data = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant, parse_float=_float, parse_int=_int
        )
    except json.JSONDecodeError as exc:
        what = "data after the JSON value" if exc.msg == "Extra data" else exc.msg
        raise _Invalid(f"invalid JSON at line {exc.lineno} column {exc.colno}: {what}") from None
    except RecursionError:
        raise _Invalid(f"nesting: far deeper than {MAX_DEPTH} levels; a submission needs no more") from None
    if not isinstance(data, dict):
        raise _Invalid(f"schema: the file must hold a JSON object, not {type_name(data)}")
    _walk(data)
    return data


# --- 4. the fields -------------------------------------------------------------------


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _first_error(exc: ValidationError) -> str:
    e = exc.errors()[0]
    where = ".".join(str(p) for p in e["loc"]) or "file"
    msg = e["msg"].removeprefix("Value error, ")
    if e["type"] == "extra_forbidden":
        return f"schema: unknown key {where!r}"
    if e["type"] == "missing":
        return f"schema: {where} is missing"
    if e["loc"] and e["loc"][0] == "learner":
        return f"learner id: {LEARNER_RULE}"
    if e["loc"] and e["loc"][0] in ("started_at", "submitted_at"):
        return f"timestamp: {where}: {msg}"
    return f"schema: {where}: {msg} (got {type_name(e.get('input'))})"


def _window(s: Submission, now: datetime) -> str | None:
    latest = now + CLOCK_SKEW
    for name in ("started_at", "submitted_at"):
        at = getattr(s, name)
        if at is None:
            continue
        if at > latest:
            return (
                f"timestamp: {name} {at.isoformat()} is in the future (grading time {now.isoformat(timespec='seconds')}, "
                f"allowing {int(CLOCK_SKEW.total_seconds() // 60)} minutes of clock skew)"
            )
        if at < NOT_BEFORE:
            return f"timestamp: {name} {at.isoformat()} is before {NOT_BEFORE.date().isoformat()}"
    if s.started_at is not None and s.started_at > s.submitted_at:
        return f"timestamp: started_at {s.started_at.isoformat()} is after submitted_at {s.submitted_at.isoformat()}"
    return None


def parse_submission(raw: bytes, path: Path, now: datetime | None = None) -> Accepted | Rejected:
    """Steps 2 to 4 on bytes already read (``read_submission`` reads them; ``quiz take --submit``
    checks what it is about to write)."""
    try:
        data = parse_json(raw)
    except _Invalid as exc:
        return Rejected(path, str(exc))
    learner = data.get("learner") if isinstance(data.get("learner"), str) else None
    if data.get("format") != FORMAT:
        return Rejected(path, f"schema: not a {FORMAT} file (format is {data.get('format')!r})", learner)
    version = data.get("version")
    if type(version) is not int or version != VERSION:
        return Rejected(
            path,
            f"version: {json.dumps(version)[:40]} is not supported (this reader accepts the integer {VERSION})",
            learner,
        )
    claimed = SCORE_KEYS & set(data)
    if claimed:
        return Rejected(
            path,
            f"tampered: a submission may not carry {', '.join(sorted(claimed))}; scores come from the key",
            learner,
        )
    try:
        submission = Submission.model_validate(data)
    except ValidationError as exc:
        return Rejected(path, _first_error(exc), learner)
    problem = _window(submission, now or datetime.now(UTC))
    if problem:
        return Rejected(path, problem, learner)
    return Accepted(path, submission, hashlib.sha256(raw).hexdigest())


def read_submission(
    path: Path, max_bytes: int = MAX_BYTES, within: Path | None = None, now: datetime | None = None
) -> Accepted | Rejected:
    raw = read_bytes(path, max_bytes, within)
    if isinstance(raw, str):
        return Rejected(path, raw)
    return parse_submission(raw, path, now)


def dedupe(items: list[Accepted | Rejected]) -> list[Accepted | Rejected]:
    """One submission per learner and quiz in a batch (ids compared without regard to case):
    the latest submitted_at stands, and the others are rejected as duplicates naming the
    file that stands."""
    latest: dict[tuple[str, str], Accepted] = {}
    for item in items:
        if isinstance(item, Accepted):
            key = (item.submission.quiz, learner_key(item.submission.learner))
            best = latest.get(key)
            if best is None or (item.submission.submitted_at, str(item.path)) > (
                best.submission.submitted_at,
                str(best.path),
            ):
                latest[key] = item
    out: list[Accepted | Rejected] = []
    for item in items:
        if isinstance(item, Accepted):
            keep = latest[(item.submission.quiz, learner_key(item.submission.learner))]
            if keep is not item:
                out.append(
                    Rejected(
                        item.path,
                        f"duplicate: learner {item.submission.learner!r} also submitted "
                        f"{keep.path.name} (as {keep.submission.learner!r}), which is "
                        "later and is graded instead",
                        item.submission.learner,
                    )
                )
                continue
        out.append(item)
    return out
