"""Show an ItemReport: as rich tables in a terminal, or as one self-contained HTML page.

The HTML page has no external assets and no JavaScript: inline CSS (light and dark, from
prefers-color-scheme), an inline SVG chart of difficulty and discrimination with a title and
a description, and the same figures in tables with headers. Every text from the quiz or
the gradebook is escaped. Writing the file is the caller's job (coursekit.files.write_atomic).
"""

from __future__ import annotations

from fractions import Fraction
from html import escape

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coursekit.grading.analysis import (
    LOW_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    AnswerCount,
    ItemReport,
    ItemStats,
)

KIND_LABEL = {"key": "right", "distractor": "distractor", "mistake": "diagnosed mistake",
              "other": "other wrong", "blank": "blank"}
FLAG_SHORT = {"too-hard": "very hard", "too-easy": "very easy", "low-discrimination": "weak r",
              "negative-discrimination": "negative r", "no-variance": "no variance",
              "non-functioning-distractor": "unused distractor"}
MARK = "⚑"


def _num(value: Fraction | float | None, places: int = 2) -> str:
    return "–" if value is None else f"{float(value):.{places}f}"


def _share(share: Fraction) -> str:
    return f"{float(share) * 100:.0f}%"


def _flag_summary(item: ItemStats) -> str:
    counts: dict[str, int] = {}
    for f in item.flags:
        counts[f.code] = counts.get(f.code, 0) + 1
    return ", ".join(f"{n} × {FLAG_SHORT.get(c, c)}" if n > 1 else FLAG_SHORT.get(c, c) for c, n in counts.items())


def _p_flagged(item: ItemStats) -> bool:
    return any(f.code in ("too-hard", "too-easy") for f in item.flags)


def _r_flagged(item: ItemStats) -> bool:
    return any(f.code in ("low-discrimination", "negative-discrimination", "no-variance") for f in item.flags)


def _summary_line(report: ItemReport) -> str:
    parts = [f"{report.submissions} submission{'s' if report.submissions != 1 else ''}"]
    if report.mean_total is not None:
        sd = f" (SD {_num(report.sd_total)})" if report.sd_total is not None else ""
        parts.append(f"mean score {_num(report.mean_total)} of {report.max_score}{sd}")
    parts.append(f"reliability ({report.reliability_method}) {_num(report.reliability)}")
    return " · ".join(parts)


# --- terminal ------------------------------------------------------------------------


def items_table(report: ItemReport) -> Table:
    """One row per scored question: n, difficulty, discrimination, flags."""
    table = Table(title=Text(f"Item statistics: {report.title}"), caption=Text(_summary_line(report)),
                  header_style="bold", expand=False)
    table.add_column("#", justify="right")
    table.add_column("Question")
    table.add_column("Type")
    table.add_column("n", justify="right")
    table.add_column("Difficulty p", justify="right")
    table.add_column("Discrim. r", justify="right")
    table.add_column("Flags")
    for index, item in enumerate(report.items, 1):
        p = Text(_num(item.difficulty) + (f" {MARK}" if _p_flagged(item) else ""),
                 style="bold red" if _p_flagged(item) else "")
        r = Text(_num(item.discrimination) + (f" {MARK}" if _r_flagged(item) else ""),
                 style="bold red" if _r_flagged(item) else "")
        table.add_row(str(index), Text(item.id), Text(item.type), str(item.n), p, r,
                      Text(_flag_summary(item), style="yellow"))
    return table


def answers_table(item: ItemStats) -> Table:
    """How often each answer was given, with the misconception each wrong one diagnoses."""
    prompt = item.prompt if len(item.prompt) <= 100 else item.prompt[:99].rstrip() + "…"
    table = Table(title=Text(f"{item.id}: {prompt}"), title_justify="left", header_style="bold")
    table.add_column("Answer")
    table.add_column("Kind")
    table.add_column("Count", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Misconception it diagnoses")
    for a in item.answers:
        style = "green" if a.kind == "key" else "red" if a.kind == "distractor" and a.share < Fraction(1, 20) else ""
        table.add_row(Text(_answer_label(a)), Text(KIND_LABEL.get(a.kind, a.kind), style=style), str(a.count),
                      _share(a.share), Text(a.misconception or ""))
    return table


def render_terminal(report: ItemReport, console: Console, *, details: bool = True) -> None:
    """Print the report: the items table, notes, and (with details) each question's answer
    counts and the reasons for its flags."""
    console.print(items_table(report))
    for note in report.notes:
        console.print(Text(f"Note: {note}", style="yellow"))
    if details:
        for item in report.items:
            console.print()
            console.print(answers_table(item))
            for f in item.flags:
                console.print(Text(f"  {MARK} {f.message}", style="yellow"))
    if report.reflections:
        console.print()
        for r in report.reflections:
            console.print(Text(f"Reflection {r.id} (not scored): {r.responses} response"
                               f"{'s' if r.responses != 1 else ''}"))


def _answer_label(a: AnswerCount) -> str:
    if a.kind in ("key", "distractor") and a.key not in ("true", "false", "right"):
        return f"{a.key}: {a.label}"
    return a.label


# --- HTML ----------------------------------------------------------------------------

CSS = """
:root { color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --stripe: #f6f8fa;
  --bar-p: #0969da; --bar-r: #8250df; --flag: #cf222e; --guide: #6e7781; --key: #1a7f37;
  --key-bg: #dafbe1; --flag-bg: #ffebe9; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --stripe: #151b23;
  --bar-p: #4493f8; --bar-r: #ab7df8; --flag: #ff7b72; --guide: #9198a1; --key: #3fb950;
  --key-bg: #12261e; --flag-bg: #2d1214; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.3rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin: 0 0 .25rem; }
a { color: var(--bar-p); }
.muted, .prompt { color: var(--muted); }
.summary { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: 1rem 0; padding: 0; }
.summary div { min-width: 8rem; } .summary dt { color: var(--muted); font-size: .85rem; }
.summary dd { margin: 0; font-size: 1.25rem; font-weight: 600; }
.notes li, .flags li { margin: .2rem 0; }
.flags { list-style: none; padding: 0; } .flags li { padding: .35rem .6rem; border-left: 4px solid var(--flag);
  background: var(--flag-bg); }
.mark { color: var(--flag); font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid var(--border); }
thead th { border-bottom: 2px solid var(--fg); }
tbody tr:nth-child(even) { background: var(--stripe); }
tbody th { font-weight: 400; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.kind-key { background: var(--key-bg) !important; }
tr.kind-key td.kind { color: var(--key); font-weight: 600; }
.sharebar { display: inline-block; width: 4rem; height: .6rem; margin-right: .4rem; vertical-align: middle;
  border: 1px solid var(--guide); }
.sharebar span { display: block; height: 100%; background: var(--fg); }
.pct { display: inline-block; min-width: 2.6em; }
.scroll { overflow-x: auto; max-width: 100%; position: relative; }  /* relative: keeps .sr-only inside */
.scroll:focus-visible { outline: 2px solid var(--bar-p); outline-offset: 2px; }
.item { margin: 2rem 0; padding-top: .5rem; border-top: 1px solid var(--border); }
.stats { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; margin: .5rem 0; }
.stats dt { display: inline; color: var(--muted); }
.stats dd { display: inline; margin: 0 0 0 .3rem; font-weight: 600; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.chart { width: 100%; height: auto; max-width: 60rem; }
.chart text { fill: var(--fg); font: 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.chart .axis text, .chart .muted { fill: var(--muted); font-size: 11px; }
.chart .bar-p { fill: var(--bar-p); } .chart .bar-r { fill: var(--bar-r); }
.chart .flagged { fill: var(--flag); }
.chart .grid { stroke: var(--border); stroke-width: 1; }
.chart .guide { stroke: var(--guide); stroke-width: 1.5; stroke-dasharray: 4 3; }
.chart .zero { stroke: var(--fg); stroke-width: 1; }
.legend { margin: .25rem 0 0; color: var(--muted); font-size: .9rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media print { body { font-size: 11pt; } .item { break-inside: avoid; } }
"""

# chart geometry (SVG user units; the viewBox scales it to the page)
LABEL_W, PANEL_W, GAP, ROW_H, TOP, BOTTOM = 190, 270, 60, 28, 44, 34
R_MIN, R_MAX = -0.5, 1.0  # discrimination axis; lower values are drawn at the edge, their number shown


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _scroll(table_id: str, table: str) -> str:
    """A wide table scrolls inside its own region on a narrow screen, not the page; the
    region is focusable so keyboard users can scroll it too, and named by the caption."""
    return (f'<div class="scroll" role="region" tabindex="0" aria-labelledby="{table_id}">'
            + table.replace("<caption>", f'<caption id="{table_id}">', 1) + "</div>")


def _flag_mark() -> str:
    return f'<span class="mark" aria-hidden="true">{MARK}</span><span class="sr-only"> (flagged)</span>'


def _chart(report: ItemReport) -> str:
    items = report.items
    height = TOP + ROW_H * len(items) + BOTTOM
    width = LABEL_W + PANEL_W + GAP + PANEL_W + 50
    px = LABEL_W  # difficulty panel's left edge
    rx = LABEL_W + PANEL_W + GAP  # discrimination panel's left edge

    def p_x(v: float) -> float:
        return px + v * PANEL_W

    def r_x(v: float) -> float:
        return rx + (min(max(v, R_MIN), R_MAX) - R_MIN) / (R_MAX - R_MIN) * PANEL_W

    bottom = TOP + ROW_H * len(items)
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
           '<title id="chart-title">Difficulty and discrimination per question</title>',
           f'<desc id="chart-desc">{_e(_chart_desc(report))}</desc>',
           f'<text x="{px}" y="16" font-weight="600">Difficulty p (share of points earned)</text>',
           f'<text x="{rx}" y="16" font-weight="600">Discrimination r (item–rest)</text>']
    # grid, guides and axes
    out.append('<g class="axis" aria-hidden="true">')
    for v in (0, 0.25, 0.5, 0.75, 1):
        out.append(f'<line class="grid" x1="{p_x(v):.1f}" y1="{TOP - 6}" x2="{p_x(v):.1f}" y2="{bottom}"/>'
                   f'<text x="{p_x(v):.1f}" y="{bottom + 16}" text-anchor="middle">{v:g}</text>')
    for v in (-0.5, 0, 0.5, 1):
        cls = "zero" if v == 0 else "grid"
        out.append(f'<line class="{cls}" x1="{r_x(v):.1f}" y1="{TOP - 6}" x2="{r_x(v):.1f}" y2="{bottom}"/>'
                   f'<text x="{r_x(v):.1f}" y="{bottom + 16}" text-anchor="middle">{v:g}</text>')
    for v in (float(TOO_HARD), float(TOO_EASY)):
        out.append(f'<line class="guide" x1="{p_x(v):.1f}" y1="{TOP - 10}" x2="{p_x(v):.1f}" y2="{bottom}"/>'
                   f'<text x="{p_x(v):.1f}" y="{TOP - 13}" text-anchor="middle">{v:g}</text>')
    out.append(f'<line class="guide" x1="{r_x(LOW_DISCRIMINATION):.1f}" y1="{TOP - 10}" '
               f'x2="{r_x(LOW_DISCRIMINATION):.1f}" y2="{bottom}"/>'
               f'<text x="{r_x(LOW_DISCRIMINATION):.1f}" y="{TOP - 13}" text-anchor="middle">'
               f'{LOW_DISCRIMINATION:g}</text>')
    out.append('</g>')
    for index, item in enumerate(items):
        y = TOP + index * ROW_H
        mid = y + ROW_H / 2 + 4
        label = f"{index + 1}. {item.id}"
        if len(label) > 26:
            label = label[:25] + "…"
        out.append(f'<g><title>{_e(item.id)}: p {_num(item.difficulty)}, r {_num(item.discrimination)}</title>')
        out.append(f'<text x="{LABEL_W - 10}" y="{mid}" text-anchor="end">{_e(label)}</text>')
        bar_y, bar_h = y + 6, ROW_H - 12
        if item.difficulty is None:
            out.append(f'<text class="muted" x="{px + 4}" y="{mid}">no data</text>')
        else:
            p = float(item.difficulty)
            cls = "bar-p flagged" if _p_flagged(item) else "bar-p"
            out.append(f'<rect class="{cls}" x="{px}" y="{bar_y}" width="{max(p * PANEL_W, 1.5):.1f}" '
                       f'height="{bar_h}"/>')
            mark = f" {MARK}" if _p_flagged(item) else ""
            out.append(f'<text x="{p_x(p) + 5:.1f}" y="{mid}">{p:.2f}{mark}</text>')
        if item.discrimination is None:
            mark = f" {MARK}" if _r_flagged(item) else ""
            out.append(f'<text class="muted" x="{r_x(0) + 5:.1f}" y="{mid}">undefined{mark}</text>')
        else:
            r = item.discrimination
            cls = "bar-r flagged" if _r_flagged(item) else "bar-r"
            x0, x1 = sorted((r_x(0), r_x(r)))
            out.append(f'<rect class="{cls}" x="{x0:.1f}" y="{bar_y}" width="{max(x1 - x0, 1.5):.1f}" '
                       f'height="{bar_h}"/>')
            mark = f" {MARK}" if _r_flagged(item) else ""
            if r >= 0:
                out.append(f'<text x="{x1 + 5:.1f}" y="{mid}">{r:.2f}{mark}</text>')
            else:
                out.append(f'<text x="{max(x0 - 5, rx + 2):.1f}" y="{mid}" '
                           f'text-anchor="{"end" if x0 - 5 > rx + 40 else "start"}">{r:.2f}{mark}</text>')
        out.append('</g>')
    out.append('</svg>')
    return "\n".join(out)


def _chart_desc(report: ItemReport) -> str:
    if not report.items:
        return "No scored questions."
    parts = [f"{i.id}: difficulty {_num(i.difficulty)}, discrimination {_num(i.discrimination)}"
             + (" (flagged)" if i.flags else "") for i in report.items]
    return (f"Horizontal bars for {len(report.items)} questions. Dashed lines mark the flag thresholds: "
            f"difficulty {float(TOO_HARD):g} and {float(TOO_EASY):g}, discrimination {LOW_DISCRIMINATION:g}. "
            + "; ".join(parts) + ".")


def _summary_table(report: ItemReport) -> str:
    rows = []
    for index, item in enumerate(report.items, 1):
        p = _e(_num(item.difficulty)) + (" " + _flag_mark() if _p_flagged(item) else "")
        r = _e(_num(item.discrimination)) + (" " + _flag_mark() if _r_flagged(item) else "")
        rows.append(f'<tr><td class="num">{index}</td><th scope="row"><a href="#q-{_e(item.id)}">'
                    f'<code>{_e(item.id)}</code></a></th><td>{_e(item.type)}</td>'
                    f'<td class="num">{item.n}</td><td class="num">{item.answered}</td>'
                    f'<td class="num">{p}</td><td class="num">{r}</td><td>{_e(_flag_summary(item))}</td></tr>')
    return _scroll("cap-summary", '<table><caption>Questions at a glance</caption><thead><tr>'
                   '<th scope="col" class="num">#</th><th scope="col">Question</th><th scope="col">Type</th>'
                   '<th scope="col" class="num">n</th><th scope="col" class="num">Answered</th>'
                   '<th scope="col" class="num">Difficulty p</th><th scope="col" class="num">Discrimination r</th>'
                   '<th scope="col">Flags</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def _item_section(index: int, item: ItemStats) -> str:
    rows = []
    for a in item.answers:
        width = f"{float(a.share) * 100:.1f}"
        misconception = _e(a.misconception) if a.misconception else '<span class="muted">–</span>'
        unused = " " + _flag_mark() if any(f.code == "non-functioning-distractor" and f.answer == a.key
                                           for f in item.flags) else ""
        rows.append(f'<tr class="kind-{_e(a.kind)}"><th scope="row">{_e(_answer_label(a))}</th>'
                    f'<td class="kind">{_e(KIND_LABEL.get(a.kind, a.kind))}{unused}</td>'
                    f'<td class="num">{a.count}</td>'
                    f'<td class="num"><span class="sharebar" aria-hidden="true"><span style="width:{width}%">'
                    f'</span></span><span class="pct">{_e(_share(a.share))}</span></td><td>{misconception}</td></tr>')
    flags = ""
    if item.flags:
        flags = ('<ul class="flags">' + "".join(f'<li><span class="mark" aria-hidden="true">{MARK}</span> '
                                                f'{_e(f.message)}</li>' for f in item.flags) + "</ul>")
    stats = (f'<dl class="stats"><div><dt>Points</dt><dd>{item.points}</dd></div>'
             f'<div><dt>Answered</dt><dd>{item.answered} of {item.n}</dd></div>'
             f'<div><dt>Mean score</dt><dd>{_e(_num(item.mean_score))}</dd></div>'
             f'<div><dt>Difficulty p</dt><dd>{_e(_num(item.difficulty))}</dd></div>'
             f'<div><dt>Discrimination r</dt><dd>{_e(_num(item.discrimination))}</dd></div></dl>')
    table = ""
    if item.answers:
        table = _scroll(f"cap-{_e(item.id)}",
                        f'<table><caption>Answers to <code>{_e(item.id)}</code></caption><thead><tr>'
                        '<th scope="col">Answer</th><th scope="col">Kind</th><th scope="col" class="num">Count</th>'
                        '<th scope="col" class="num">Share</th><th scope="col">Misconception it diagnoses</th>'
                        '</tr></thead><tbody>' + "".join(rows) + "</tbody></table>")
    return (f'<section class="item" id="q-{_e(item.id)}" aria-labelledby="h-{_e(item.id)}">'
            f'<h3 id="h-{_e(item.id)}">{index}. <code>{_e(item.id)}</code> '
            f'<span class="muted">({_e(item.type)})</span></h3>'
            f'<p class="prompt">{_e(item.prompt)}</p>{stats}{flags}{table}</section>')


METHODS = f"""<h2 id="methods">How these figures are computed</h2>
<dl>
<dt>Difficulty p</dt><dd>Mean score on the question divided by its points: for a right-or-wrong question,
the share who got it right. Flagged below {float(TOO_HARD):g} (very hard) and above {float(TOO_EASY):g}
(very easy). A blank answer scores 0.</dd>
<dt>Discrimination r</dt><dd>The corrected point-biserial: Pearson's correlation between the score on
the question and the rest score (the total minus this question). Undefined when either does not vary.
Flagged below {LOW_DISCRIMINATION:g}; a negative value often means a wrong key.</dd>
<dt>Reliability</dt><dd>KR-20 when every question was scored 0 or full marks only, otherwise Cronbach's
alpha (of which KR-20 is the special case), from population variances in numerator and denominator.</dd>
<dt>Standard deviation</dt><dd>Of the total scores, with divisor N&nbsp;&minus;&nbsp;1.</dd>
<dt>Distractors</dt><dd>A wrong option chosen by fewer than 5% of learners does no work and is
flagged. Shares are of all submissions; in multiple-select and matching questions one learner may
count in several rows.</dd>
</dl>"""


def render_html(report: ItemReport) -> str:
    """The whole report as one HTML document (UTF-8 text; no external assets, no script)."""
    name = report.title + (f" ({report.quiz_id})" if report.quiz_id else "")
    summary = (f'<dl class="summary"><div><dt>Submissions</dt><dd>{report.submissions}</dd></div>'
               f'<div><dt>Mean score</dt><dd>{_e(_num(report.mean_total))} / {report.max_score}</dd></div>'
               f'<div><dt>Standard deviation</dt><dd>{_e(_num(report.sd_total))}</dd></div>'
               f'<div><dt>Reliability ({_e(report.reliability_method)})</dt>'
               f'<dd>{_e(_num(report.reliability))}</dd></div>'
               f'<div><dt>Flagged questions</dt><dd>{len(report.flagged)} of {len(report.items)}</dd></div></dl>')
    notes = ('<ul class="notes">' + "".join(f"<li>{_e(n)}</li>" for n in report.notes) + "</ul>"
             if report.notes else "")
    legend = (f'<p class="legend">Bars in the flag colour, marked {MARK}, are outside the thresholds '
              'shown as dashed lines. The table below gives the same figures.</p>')
    reflections = ""
    if report.reflections:
        reflections = '<h2 id="reflections">Reflections (not scored)</h2>' + _scroll(
            "cap-reflections",
            '<table><caption>Responses to reflection questions</caption><thead><tr><th scope="col">Question</th>'
            '<th scope="col">Prompt</th><th scope="col" class="num">Responses</th></tr></thead><tbody>'
            + "".join(f'<tr><th scope="row"><code>{_e(r.id)}</code></th><td>{_e(r.prompt)}</td>'
                      f'<td class="num">{r.responses}</td></tr>' for r in report.reflections)
            + "</tbody></table>")
    sections = "".join(_item_section(i, item) for i, item in enumerate(report.items, 1))
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Item statistics: {_e(name)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<h1>Item statistics: {_e(report.title)}</h1>
<p class="muted">{_e(f"Quiz {report.quiz_id}. " if report.quiz_id else "")}{_e(_summary_line(report))}</p>
{summary}
{notes}
<h2 id="chart">Difficulty and discrimination</h2>
{_chart(report)}
{legend}
{_summary_table(report)}
<h2 id="questions">Answers, question by question</h2>
{sections}
{reflections}
{METHODS}
</main>
</body>
</html>
"""
