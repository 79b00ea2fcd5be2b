"""What every export format shares: the questions to write (variant pools expanded),
Markdown as HTML, the exact set of numbers a numeric question accepts, and warnings.

An export never changes a grading rule: where a target cannot express one of ours, it
writes the closest thing it can and the exporter says so in a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from html import unescape

from coursekit.content.formula import fmt
from coursekit.content.models import ChoiceQuestion, Numeric, Question, Quiz, ShortText
from coursekit.markup import inline, markdown
from coursekit.quiz import variants
from coursekit.quiz.grading import round_sig
from coursekit.quiz.order import STATIC_LEARNER, quiz_order


class ExportError(ValueError):
    """The quiz cannot be exported in the requested format; the message says why."""


@dataclass
class Warnings:
    """What an export left out or approximated, one sentence each, naming the question."""

    items: list[str] = field(default_factory=list)

    def add(self, question_id: str, text: str) -> None:
        line = f"{question_id}: {text}"
        if line not in self.items:
            self.items.append(line)


@dataclass(frozen=True)
class Entry:
    """One question as an export writes it.

    A variant question becomes its fixed pool: one Entry per variant, all with the same
    ``pool`` (the question id) and ``variant`` numbered from 1.
    """

    question: Question
    key: str  # unique in the quiz: the question id, or "<id>-v<n>" for a variant
    pool: str | None = None
    variant: int | None = None
    values: str = ""  # "big=490, small=30" for a variant

    @property
    def name(self) -> str:
        if self.variant is None:
            return self.question.id
        return f"{self.question.id} (variant {self.variant}: {self.values})"


def entries(quiz: Quiz, quiz_id: str = "") -> list[Entry]:
    """The questions as exports write them: variants as their pools, and choice options in the
    order the course's pages show before a learner's own (quiz/order.py): an LMS that shuffles
    (Moodle, QTI with shuffle) gives each learner their own order; one that does not (a GIFT import
    with the quiz's shuffling off, a question with a pinned option) still does not show the
    options as written, where the key may come first."""
    shown = quiz_order(quiz_id, quiz, STATIC_LEARNER)
    out: list[Entry] = []
    for q in quiz.questions:
        if isinstance(q, ChoiceQuestion) and q.id in shown:
            by_id = {o.id: o for o in q.options}
            q = q.model_copy(update={"options": [by_id[i] for i in shown[q.id]]})
        if variants.is_variant(q):
            for n, (values, concrete) in enumerate(variants.pool(q), start=1):
                shown = ", ".join(f"{k}={fmt(v)}" for k, v in values.items())
                out.append(Entry(concrete, f"{q.id}-v{n}", pool=q.id, variant=n, values=shown))
        else:
            out.append(Entry(q, q.id))
    return out


def groups(items: list[Entry]) -> list[list[Entry]]:
    """Consecutive entries grouped: a plain question alone, a variant pool together."""
    out: list[list[Entry]] = []
    for e in items:
        if e.pool is not None and out and out[-1][0].pool == e.pool:
            out[-1].append(e)
        else:
            out.append([e])
    return out


def html(text: str) -> str:
    """Block Markdown as HTML."""
    return markdown(text).strip()


def html_inline(text: str) -> str:
    """One-paragraph Markdown as HTML without the wrapping <p>."""
    return inline(text)


def plain(text: str) -> str:
    """Markdown as plain text, for targets that show text only (Moodle's matching answers)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", inline(text)))).strip()


def prompt_html(q: Question) -> str:
    """The prompt, with the reflection word-count request our widget shows beside it."""
    text = html(q.prompt)
    min_words = getattr(q, "min_words", 0)
    if min_words:
        text += f"\n<p><em>Aim for at least {min_words} words.</em></p>"
    return text


# --- numbers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """The numbers a numeric question accepts: [low, high], each end open or closed."""

    low: Decimal
    high: Decimal
    low_closed: bool = True
    high_closed: bool = True

    @property
    def centre(self) -> Decimal:
        return (self.low + self.high) / 2

    @property
    def half_width(self) -> Decimal:
        return (self.high - self.low) / 2

    @property
    def closed(self) -> bool:
        return self.low_closed and self.high_closed


def accepted_interval(q: Numeric) -> Interval:
    """Exactly the values grading.grade_question accepts as right (q must be concrete)."""
    assert q.answer is not None, "instantiate variants first"
    if q.sig_figs is not None:
        return _sig_fig_interval(round_sig(q.answer, q.sig_figs), q.sig_figs)
    tol = q.tolerance * abs(q.answer) if q.tolerance_mode == "relative" else q.tolerance
    return Interval(q.answer - tol, q.answer + tol)


def _sig_fig_interval(r: Decimal, figures: int) -> Interval:
    # round_sig rounds half away from zero, so for r > 0 the values [r - u/2, r + u/2)
    # round to r, where u is the unit of the last kept figure. At a power of ten the lower
    # neighbours have a unit ten times smaller, so the interval is lopsided there.
    if r == 0:
        return Interval(Decimal(0), Decimal(0))
    m = abs(r)
    unit = Decimal(1).scaleb(m.adjusted() - figures + 1)
    high = m + unit / 2
    low = m - (unit / 20 if m == Decimal(1).scaleb(m.adjusted()) else unit / 2)
    if r > 0:
        return Interval(low, high, low_closed=True, high_closed=False)
    return Interval(-high, -low, low_closed=False, high_closed=True)


def number(d: Decimal) -> str:
    """A decimal as plain digits (no exponent), as every target parses it."""
    return fmt(d)


def approximation_note(q: Numeric, target: str) -> str | None:
    """Why `answer ± tolerance` in `target` differs from our rule, if it does."""
    iv = accepted_interval(q)
    if iv.closed:
        return None
    return (
        f"{target} accepts {number(iv.centre)} ± {number(iv.half_width)} with both ends included; "
        f"coursekit excludes the end at {number(iv.high if not iv.high_closed else iv.low)} "
        f"(it rounds to a different {q.sig_figs}-significant-figure value)"
    )


# --- short text ---------------------------------------------------------------------


def short_text_problems(q: ShortText, warnings: Warnings, target: str) -> bool:
    """Warn about what no target carries; return False when nothing is left to export."""
    if q.pattern is not None:
        if not q.accept:
            warnings.add(
                q.id,
                f"left out: it accepts answers only by a regular expression, which {target} "
                "cannot check (add 'accept' answers to export it)",
            )
            return False
        warnings.add(q.id, f"its regular expression is left out; {target} accepts only the 'accept' list")
    return True


# --- fractions ----------------------------------------------------------------------

# Moodle's question_bank::fraction_options(): the only grades an answer may carry.
MOODLE_FRACTIONS = [
    Fraction(s)
    for s in (
        "1.0",
        "0.9",
        "0.8333333",
        "0.8",
        "0.75",
        "0.7",
        "0.6666667",
        "0.6",
        "0.5",
        "0.4",
        "0.3333333",
        "0.3",
        "0.25",
        "0.2",
        "0.1666667",
        "0.1428571",
        "0.125",
        "0.1111111",
        "0.1",
        "0.05",
        "0.0",
    )
]


def moodle_share(n: int) -> tuple[Fraction, bool]:
    """Moodle's allowed grade nearest to 1/n, and whether it is 1/n (to 7 places)."""
    target = Fraction(1, n)
    best = min(MOODLE_FRACTIONS, key=lambda f: abs(f - target))
    return best, abs(best - target) < Fraction(1, 10**7)


def percent(f: Fraction) -> str:
    """A Moodle fraction as the percentage its files hold: 33.33333, -50, 100, 0."""
    text = format((Decimal(f.numerator) / Decimal(f.denominator) * 100).quantize(Decimal("0.00001")), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text
