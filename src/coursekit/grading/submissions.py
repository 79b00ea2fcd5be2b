"""Submission files: the published format, and reading a batch of them without trusting any.

A submission carries a learner's responses, never a score: the instructor's key regrades
every response. Each file is read defensively (size first, then bytes, then UTF-8, then
JSON, then the schema), and a bad file is rejected with a reason while the rest go on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

FORMAT = "coursekit-submission"
VERSION = 1
MAX_BYTES = 1_000_000  # a 20-question quiz answered at length is well under 100 kB

LearnerId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")]
Response = Annotated[Any, Field(description="As in an answers file: an option id, a list, a mapping, text or a number.")]


class Submission(BaseModel):
    """One learner's answers to one quiz (coursekit-submission, version 1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["coursekit-submission"]
    version: int = Field(description="The format version; this reader accepts 1.")
    learner: LearnerId = Field(description="The learner's id: letters, digits and . _ @ + - only.")
    quiz: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    attempt: int = Field(1, ge=1, le=1000)
    seed: str | None = Field(None, max_length=200, description="Variant seed (the terminal's).")
    pool: dict[str, int] = Field(default_factory=dict,
                                 description="Variant questions: the index of the shipped variant shown (the site's).")
    started_at: AwareDatetime | None = None
    submitted_at: AwareDatetime = Field(description="When the learner submitted, with a time zone.")
    responses: dict[str, Response]
    client: dict[str, str] = Field(default_factory=dict, description="What produced the file, for support.")


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


def _first_error(exc: ValidationError) -> str:
    e = exc.errors()[0]
    where = ".".join(str(p) for p in e["loc"]) or "file"
    if e["type"] == "extra_forbidden":
        return f"schema: unknown key {where!r}"
    if e["type"] == "missing":
        return f"schema: {where} is missing"
    if e["loc"] and e["loc"][0] == "learner":
        return "learner id: only letters, digits and . _ @ + - are allowed (no paths)"
    return f"schema: {where}: {e['msg']}"


def read_submission(path: Path, max_bytes: int = MAX_BYTES) -> Accepted | Rejected:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Rejected(path, f"too large: {size:,} bytes (the limit is {max_bytes:,})")
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        return Rejected(path, f"unreadable: {exc.strerror or exc}")
    if len(raw) > max_bytes:
        return Rejected(path, f"too large: more than {max_bytes:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected(path, f"not UTF-8: invalid byte at offset {exc.start}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejected(path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
    if not isinstance(data, dict):
        return Rejected(path, "schema: the file must hold a JSON object")
    learner = data.get("learner") if isinstance(data.get("learner"), str) else None
    if data.get("format") != FORMAT:
        return Rejected(path, f"schema: not a {FORMAT} file", learner)
    if data.get("version") != VERSION:
        return Rejected(path, f"version: {data.get('version')!r} is not supported (this reader accepts {VERSION})",
                        learner)
    claimed = SCORE_KEYS & set(data)
    if claimed:
        return Rejected(path, f"tampered: a submission may not carry {', '.join(sorted(claimed))}; "
                              "scores come from the key", learner)
    try:
        submission = Submission.model_validate(data)
    except ValidationError as exc:
        return Rejected(path, _first_error(exc), learner)
    return Accepted(path, submission, hashlib.sha256(raw).hexdigest())


def dedupe(items: list[Accepted | Rejected]) -> list[Accepted | Rejected]:
    """One submission per learner and quiz in a batch: the latest submitted_at stands, and
    the others are rejected as duplicates naming the file that stands."""
    latest: dict[tuple[str, str], Accepted] = {}
    for item in items:
        if isinstance(item, Accepted):
            key = (item.submission.quiz, item.submission.learner)
            best = latest.get(key)
            if best is None or (item.submission.submitted_at, str(item.path)) > (
                    best.submission.submitted_at, str(best.path)):
                latest[key] = item
    out: list[Accepted | Rejected] = []
    for item in items:
        if isinstance(item, Accepted):
            keep = latest[(item.submission.quiz, item.submission.learner)]
            if keep is not item:
                out.append(Rejected(item.path, f"duplicate: learner {item.submission.learner!r} also submitted "
                                               f"{keep.path.name}, which is later and is graded instead",
                                    item.submission.learner))
                continue
        out.append(item)
    return out
