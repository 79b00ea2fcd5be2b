"""Show an ItemReport as one self-contained HTML page (Jinja2, escaped by default).

The page has no external assets and no JavaScript: inline CSS (light and dark, from
prefers-color-scheme), an inline SVG chart of difficulty and discrimination with a title and
a description, and the same figures in tables with headers. Every text from the quiz or
the gradebook is escaped by the template. Writing the file is the caller's job
(grading/item_report.write_html, which never overwrites a file it did not write).
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from coursekit.grading.analysis import LOW_DISCRIMINATION, TOO_EASY, TOO_HARD, ItemReport, ItemStats
from coursekit.grading.report_text import (
    KIND_LABEL,
    MARK,
    answer_label,
    flag_summary,
    num,
    p_flagged,
    r_flagged,
    summary_line,
)
from coursekit.grading.statistics import percent

_ENV = Environment(
    loader=PackageLoader("coursekit.grading", "templates"),
    autoescape=select_autoescape(["j2", "html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

# chart geometry (SVG user units; the viewBox scales it to the page)
LABEL_W, PANEL_W, GAP, ROW_H, TOP, BOTTOM = 190, 270, 60, 28, 44, 34
R_MIN, R_MAX = -0.5, 1.0  # discrimination axis; lower values are drawn at the edge, their number shown
PX = LABEL_W  # the difficulty panel's left edge
RX = LABEL_W + PANEL_W + GAP  # the discrimination panel's left edge


def _p_x(v: float) -> float:
    return PX + v * PANEL_W


def _r_x(v: float) -> float:
    return RX + (min(max(v, R_MIN), R_MAX) - R_MIN) / (R_MAX - R_MIN) * PANEL_W


def _axes(bottom: int) -> dict:
    """The grid lines, the dashed threshold guides and their labels, as the template draws them."""
    p_grid = [{"x": f"{_p_x(v):.1f}", "label": f"{v:g}"} for v in (0, 0.25, 0.5, 0.75, 1)]
    r_grid = [
        {"x": f"{_r_x(v):.1f}", "label": f"{v:g}", "cls": "zero" if v == 0 else "grid"} for v in (-0.5, 0, 0.5, 1)
    ]
    guides = [{"x": f"{_p_x(v):.1f}", "label": f"{v:g}"} for v in (float(TOO_HARD), float(TOO_EASY))]
    guides.append({"x": f"{_r_x(LOW_DISCRIMINATION):.1f}", "label": f"{LOW_DISCRIMINATION:g}"})
    return {
        "p_grid": p_grid,
        "r_grid": r_grid,
        "guides": guides,
        "grid_top": TOP - 6,
        "guide_top": TOP - 10,
        "guide_label_y": TOP - 13,
        "bottom": bottom,
        "label_y": bottom + 16,
    }


def _chart_row(index: int, item: ItemStats) -> dict:
    """One question's two bars (or the words for a missing figure), with their numbers."""
    y = TOP + index * ROW_H
    mid = y + ROW_H / 2 + 4
    label = f"{index + 1}. {item.id}"
    row = {
        "item": item,
        "mid": mid,
        "label": label[:25] + "…" if len(label) > 26 else label,
        "label_x": LABEL_W - 10,
        "bar_y": y + 6,
        "bar_h": ROW_H - 12,
        "p_mark": f" {MARK}" if p_flagged(item) else "",
        "r_mark": f" {MARK}" if r_flagged(item) else "",
        "p": None,
        "r": None,
    }
    if item.difficulty is not None:
        p = float(item.difficulty)
        row["p"] = {
            "cls": "bar-p flagged" if p_flagged(item) else "bar-p",
            "width": f"{max(p * PANEL_W, 1.5):.1f}",
            "text_x": f"{_p_x(p) + 5:.1f}",
            "value": f"{p:.2f}",
        }
    if item.discrimination is not None:
        r = item.discrimination
        x0, x1 = sorted((_r_x(0), _r_x(r)))
        row["r"] = {
            "cls": "bar-r flagged" if r_flagged(item) else "bar-r",
            "x": f"{x0:.1f}",
            "width": f"{max(x1 - x0, 1.5):.1f}",
            "value": f"{r:.2f}",
            "text_x": f"{x1 + 5:.1f}" if r >= 0 else f"{max(x0 - 5, RX + 2):.1f}",
            "anchor": None if r >= 0 else "end" if x0 - 5 > RX + 40 else "start",
        }
    return row


def _chart(report: ItemReport) -> dict:
    bottom = TOP + ROW_H * len(report.items)
    return {
        "width": LABEL_W + PANEL_W + GAP + PANEL_W + 50,
        "height": bottom + BOTTOM,
        "px": PX,
        "rx": RX,
        "empty_x": PX + 4,
        "undefined_x": f"{_r_x(0) + 5:.1f}",
        "desc": _chart_desc(report),
        "axes": _axes(bottom),
        "rows": [_chart_row(i, item) for i, item in enumerate(report.items)],
    }


def _chart_desc(report: ItemReport) -> str:
    if not report.items:
        return "No scored questions."
    parts = [
        f"{i.id}: difficulty {num(i.difficulty)}, discrimination {num(i.discrimination)}"
        + (" (flagged)" if i.flags else "")
        for i in report.items
    ]
    return (
        f"Horizontal bars for {len(report.items)} questions. Dashed lines mark the flag thresholds: "
        f"difficulty {float(TOO_HARD):g} and {float(TOO_EASY):g}, discrimination {LOW_DISCRIMINATION:g}. "
        + "; ".join(parts)
        + "."
    )


def _answers(item: ItemStats) -> list[dict]:
    unused = {f.answer for f in item.flags if f.code == "non-functioning-distractor"}
    return [
        {
            "answer": a,
            "label": answer_label(a),
            "kind": KIND_LABEL.get(a.kind, a.kind),
            "unused": a.key in unused,
            "width": f"{float(a.share) * 100:.1f}",
            "share": percent(a.share),
        }
        for a in item.answers
    ]


def render_html(report: ItemReport) -> str:
    """The whole report as one HTML document (UTF-8 text; no external assets, no script)."""
    items = [
        {
            "item": item,
            "p_flagged": p_flagged(item),
            "r_flagged": r_flagged(item),
            "flag_summary": flag_summary(item),
            "answers": _answers(item),
        }
        for item in report.items
    ]
    thresholds = {
        "too_hard": f"{float(TOO_HARD):g}",
        "too_easy": f"{float(TOO_EASY):g}",
        "low_discrimination": f"{LOW_DISCRIMINATION:g}",
    }
    return _ENV.get_template("item_report.html.j2").render(
        report=report,
        name=report.title + (f" ({report.quiz_id})" if report.quiz_id else ""),
        summary_line=summary_line(report),
        chart=_chart(report),
        items=items,
        thresholds=thresholds,
        mark=MARK,
        num=num,
    )
