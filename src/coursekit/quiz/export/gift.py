"""GIFT, Moodle's text format for questions, as Moodle's own GIFT importer reads it.

Every text is HTML (the question text starts with [html], and Moodle gives answers and
feedback the question's format). Special characters are escaped the way Moodle's exporter
does: a backslash before \\ ~ = # { } :, and newlines written as \\n, so one question is one
line and a blank line ends it.

Per type: single and multiple choice (with our per-option grades, -x% for wrong options),
true/false, numeric ({#...} with mistakes at 0% and a catch-all ~# for other wrong
answers), short answer (accepted answers, mistakes at 0%, and * at 0% for everything
else), matching (=left -> right, distractors with an empty left side) and essay ({}).
GIFT has no ordering question in Moodle core, no combined feedback for matching, and no
case-sensitive short answer: those are reported as warnings. Variants are written as their
fixed pool in a $CATEGORY of their own.

Option order: GIFT cannot say whether a question shuffles. Moodle shuffles a GIFT question's
options when the quiz's "Shuffle within questions" setting is on (its default); the options are
written in the course's mixed order (never key first by authoring), and a pinned option
('fixed: true') cannot be kept in place: a warning says so.
"""

from __future__ import annotations

from coursekit.content.models import (
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Quiz,
    Reflection,
    ShortText,
    SingleChoice,
    TrueFalse,
)

from .common import (
    Entry,
    Warnings,
    accepted_interval,
    approximation_note,
    entries,
    html,
    html_inline,
    moodle_share,
    number,
    percent,
    plain,
    prompt_html,
    short_text_problems,
)
from .moodle import BASE_CATEGORY

_RESERVED = {
    "\\": "\\\\",
    "~": "\\~",
    "=": "\\=",
    "#": "\\#",
    "{": "\\{",
    "}": "\\}",
    ":": "\\:",
    "\n": "\\n",
    "\r": "",
}


def escape(text: str) -> str:
    """Moodle's GIFT escaping (qformat_gift::repchar)."""
    return "".join(_RESERVED.get(c, c) for c in text)


def export(quiz_id: str, quiz: Quiz, warnings: Warnings) -> dict[str, bytes]:
    blocks: list[str] = []
    current = None
    for q in quiz.questions:
        pinned = [o.id for o in getattr(q, "options", []) if o.fixed]
        if pinned:
            warnings.add(
                q.id,
                f"option(s) {', '.join(pinned)} cannot be pinned in GIFT: with the quiz's "
                "'Shuffle within questions' on, Moodle moves them too",
            )
    for e in entries(quiz, quiz_id):
        body = _question(e, warnings)
        if body is None:
            continue
        category = f"{BASE_CATEGORY}/{quiz_id}" + (f"/{e.pool}" if e.pool else "")
        if category != current:
            blocks.append(f"$CATEGORY: {category}")
            current = category
        blocks.append(f"// {e.key}\n::{escape(e.name)}::[html]{escape(prompt_html(e.question))}{body}")
    head = [f"// coursekit export of quiz '{quiz_id}': {quiz.title}"]
    head += [f"// warning: {line}".replace("\n", " ") for line in warnings.items]
    text = "\n".join(head) + "\n\n" + "\n\n".join(blocks) + "\n"
    return {f"{quiz_id}.gift.txt": text.encode("utf-8")}


def _fb(markdown_text: str) -> str:
    return "#" + escape(html_inline(markdown_text))


def _general(e: Entry) -> str:
    return "\n\t####" + escape(html(e.question.explanation)) + "\n"


def _question(e: Entry, warnings: Warnings) -> str | None:
    q = e.question
    if isinstance(q, SingleChoice):
        lines = [("=" if o.correct else "~") + escape(html_inline(o.text)) + _fb(o.feedback) for o in q.options]
        return "{\n\t" + "\n\t".join(lines) + _general(e) + "}"
    if isinstance(q, MultipleSelect):
        n = len(q.correct_ids)
        if n == 1:
            # Moodle's GIFT reader allows weights of at most two digits (99%), and a 100%
            # answer written with = makes the question single-answer.
            warnings.add(
                q.id,
                "GIFT cannot mark a question with one right option as multiple-answer; "
                "Moodle imports it as single choice (same score, radio buttons)",
            )
            lines = [("=" if o.correct else "~") + escape(html_inline(o.text)) + _fb(o.feedback) for o in q.options]
            return "{\n\t" + "\n\t".join(lines) + _general(e) + "}"
        share, exact = moodle_share(n)
        if not exact:
            warnings.add(
                q.id,
                f"partial credit approximated: Moodle has no grade of 1/{n}, so each choice counts {percent(share)}%",
            )
        lines = [
            f"~%{percent(share if o.correct else -share)}%" + escape(html_inline(o.text)) + _fb(o.feedback)
            for o in q.options
        ]
        return "{\n\t" + "\n\t".join(lines) + _general(e) + "}"
    if isinstance(q, TrueFalse):
        # {TRUE#feedback when wrong#feedback when right}
        right, wrong = (q.feedback_true, q.feedback_false) if q.answer else (q.feedback_false, q.feedback_true)
        return "{" + ("TRUE" if q.answer else "FALSE") + _fb(wrong) + _fb(right) + _general(e).rstrip("\n") + "}"
    if isinstance(q, Numeric):
        iv = accepted_interval(q)
        note = approximation_note(q, "Moodle")
        if note:
            warnings.add(q.id, note)
        lines = [f"={number(iv.centre)}:{number(iv.half_width)}" + _fb(q.correct_feedback)]
        lines += [f"=%0%{number(m.value)}:{number(m.tolerance)}" + _fb(m.feedback) for m in q.mistakes]
        lines.append("~" + _fb(q.wrong_feedback))
        if q.unit:
            warnings.add(q.id, f"GIFT has no place for the unit ({q.unit}); it stays in the prompt only")
        return "{#\n\t" + "\n\t".join(lines) + _general(e) + "}"
    if isinstance(q, ShortText):
        if not short_text_problems(q, warnings, "GIFT"):
            return None
        if q.case_sensitive:
            warnings.add(q.id, "GIFT short answers are case-insensitive; coursekit's check is case-sensitive")
        warnings.add(q.id, "Moodle trims answers but does not fold runs of spaces inside them as coursekit does")
        lines = ["=" + escape(_literal(a)) + _fb(q.correct_feedback) for a in q.accept]
        lines += ["=%0%" + escape(_literal(a)) + _fb(m.feedback) for m in q.mistakes for a in m.answers]
        lines.append("=%0%*" + _fb(q.wrong_feedback))
        return "{\n\t" + "\n\t".join(lines) + _general(e) + "}"
    if isinstance(q, Matching):
        warnings.add(q.id, "GIFT matching has no right/wrong feedback; only the explanation is carried")
        pairs = [(html_inline(p.left), p.right) for p in q.pairs] + [("", d.text) for d in q.distractors]
        lines = [f"={escape(left)} -> {escape(_arrow_free(plain(right)))}" for left, right in pairs]
        return "{\n\t" + "\n\t".join(lines) + _general(e) + "}"
    if isinstance(q, Reflection):
        return "{" + _general(e).strip("\n\t") + "}"
    assert isinstance(q, Ordering)
    warnings.add(q.id, "left out: GIFT has no ordering question in Moodle core (use the Moodle XML export)")
    return None


def _literal(answer: str) -> str:
    return answer.replace("*", r"\*")  # a bare * is Moodle's short-answer wildcard


def _arrow_free(text: str) -> str:
    # "->" separates a matching pair and GIFT has no escape for it.
    return text.replace("->", "→")
