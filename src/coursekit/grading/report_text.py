"""The words and numbers both views of an ItemReport print (``report_terminal`` and
``report_html``): labels, flag summaries, figures to two places, the one-line summary."""

from __future__ import annotations

from fractions import Fraction

from coursekit.grading.analysis import ItemReport, ItemStats
from coursekit.grading.answer_counts import AnswerCount

KIND_LABEL = {
    "key": "right",
    "distractor": "distractor",
    "mistake": "diagnosed mistake",
    "other": "other wrong",
    "blank": "blank",
}
FLAG_SHORT = {
    "too-hard": "very hard",
    "too-easy": "very easy",
    "low-discrimination": "weak r",
    "negative-discrimination": "negative r",
    "no-variance": "no variance",
    "non-functioning-distractor": "unused distractor",
}
MARK = "⚑"


def num(value: Fraction | float | None, places: int = 2) -> str:
    return "–" if value is None else f"{float(value):.{places}f}"


def flag_summary(item: ItemStats) -> str:
    counts: dict[str, int] = {}
    for f in item.flags:
        counts[f.code] = counts.get(f.code, 0) + 1
    return ", ".join(f"{n} × {FLAG_SHORT.get(c, c)}" if n > 1 else FLAG_SHORT.get(c, c) for c, n in counts.items())


def p_flagged(item: ItemStats) -> bool:
    return any(f.code in ("too-hard", "too-easy") for f in item.flags)


def r_flagged(item: ItemStats) -> bool:
    return any(f.code in ("low-discrimination", "negative-discrimination", "no-variance") for f in item.flags)


def summary_line(report: ItemReport) -> str:
    parts = [f"{report.submissions} submission{'s' if report.submissions != 1 else ''}"]
    if report.mean_total is not None:
        sd = f" (SD {num(report.sd_total)})" if report.sd_total is not None else ""
        parts.append(f"mean score {num(report.mean_total)} of {report.max_score}{sd}")
    parts.append(f"reliability ({report.reliability_method}) {num(report.reliability)}")
    return " · ".join(parts)


def answer_label(a: AnswerCount) -> str:
    if a.kind in ("key", "distractor") and a.key not in ("true", "false", "right"):
        return f"{a.key}: {a.label}"
    return a.label
