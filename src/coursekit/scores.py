"""How a score is written for a person: whole points as they are ("3"), a fraction of a point
rounded half up to two places at most ("2.5", "0.33", "0.13" for 1/8). A quiz taken in the
terminal, the table of `coursekit grade quiz` and the page's widget (site/assets/grading.js
fmtScore, checked against this one by tests/site/test_templates.py) write it alike. A
percentage is written in whole percents ("75%"), alike in the item reports, the roster's page
and the roster in the terminal. Statistics (means, difficulty, discrimination) are not scores:
the item reports print them to two fixed places (grading/report_text.num).
"""

from __future__ import annotations

from fractions import Fraction


def fmt_score(score: Fraction) -> str:
    if score.denominator == 1:
        return str(score.numerator)
    hundredths = int(abs(score) * 100 + Fraction(1, 2))  # exact: half up, as the page rounds
    text = f"{hundredths // 100}.{hundredths % 100:02d}".rstrip("0").rstrip(".")
    return f"-{text}" if score < 0 and hundredths else text


def fmt_percent(percent: float | None) -> str:
    """A percentage (75.0 for three quarters) in whole percents, "75%"; "–" for none."""
    return "–" if percent is None else f"{percent:.0f}%"
