"""Figures as inline SVG, drawn from the figure models when the site is built.

Knows nothing of MkDocs. The SVG draws its colours from CSS (figures.css, which follows
Material's light and dark schemes), names every drawn number's fact in a ``data-fact``
attribute, and carries the figure's point as its accessible name (``role="img"``,
``aria-labelledby`` a ``<title>``) with the data itself in ``<desc>``. No script, no CDN.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from html import escape

from markupsafe import Markup

from coursekit.content.case_models import (
    BarFigure,
    Fact,
    FlowFigure,
    StackedFigure,
    Timeline,
    TimelineEvent,
    TimelineFigure,
    figure_number,
)
from coursekit.content.figures import FIGURE
from coursekit.site.render import human_date
from coursekit.site.templating import render

WIDTH = 720
FONT = 14  # px, in the SVG's own units
SMALL = 12
CHAR = 0.53  # average advance of a sans-serif character, in ems (for wrapping only)

MAX_CITED = 6  # sources named in a caption; a figure resting on more leaves them to its page
STYLE_NAMES = {"reported": "reported figure", "estimate": "estimate", "target": "target"}


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy word wrap to a width in px; a word longer than the width stays whole."""
    lines: list[str] = []
    text = FIGURE.sub(lambda m: m.group().replace(" ", "\u00a0"), text)  # a figure stays on one line
    for word in re.split(r"[ \t\r\n]+", text.strip()):
        if lines and _text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return [line.replace("\u00a0", " ") for line in lines] or [""]


def _t(x: float, y: float, text: str, cls: str = "", anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}"{c} text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _svg(fig_id: str, height: float, alt: str, desc: str, body: list[str], width: float = WIDTH) -> str:
    return render(
        "figure_svg.html.j2",
        uid=f"ck-fig-{fig_id}",
        width=math.ceil(width),
        height=math.ceil(height),
        alt=alt,
        desc=desc,
        body=Markup("".join(body)),
    )


def _hatch(fig_id: str) -> str:
    return (
        f'<defs><pattern id="ck-hatch-{fig_id}" width="7" height="7" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect class="ck-hatch-bg" width="7" height="7"/>'
        '<line class="ck-hatch" x1="0" y1="0" x2="0" y2="7"/></pattern></defs>'
    )


def _legend(styles: list[str], fig_id: str, y: float) -> list[str]:
    out, x = [], 0.0
    for style in styles:
        fill = f' style="fill:url(#ck-hatch-{fig_id})"' if style == "estimate" else ""
        out.append(f'<rect class="ck-bar ck-{style}" x="{x + 1:.1f}" y="{y - 11:.1f}" width="22" height="12"{fill}/>')
        out.append(_t(x + 30, y, STYLE_NAMES[style], "ck-small"))
        x += 30 + _text_width(STYLE_NAMES[style], SMALL) + 28
    return out


# --- bars -----------------------------------------------------------------------------


def _shown(bar) -> str:
    return f"{bar.prefix} {bar.value}" if bar.prefix else bar.value


def bars_svg(fig: BarFigure) -> str:
    """Horizontal bars, one panel under another, each from zero on its own scale, every bar
    labelled above and its value written at its end (no axis to read numbers from)."""
    styles = [s for s in STYLE_NAMES if any(b.style == s for p in fig.panels for b in p.bars)]
    body: list[str] = [_hatch(fig.id)] if "estimate" in styles else []
    y = 18.0
    if len(styles) > 1:
        body += _legend(styles, fig.id, y)
        y += 14
    if fig.note:
        y += 6
        body.append(_t(0, y + 4, fig.note, "ck-small ck-muted"))
        y += 14
    desc = []
    every = [figure_number(b.value)[0] for p in fig.panels for b in p.bars]
    for panel in fig.panels:
        y += 30
        body.append(_t(0, y, panel.title, "ck-heading"))
        y += 10
        values = [figure_number(b.value)[0] for b in panel.bars]
        labels = [_shown(b) for b in panel.bars]
        widest = [_shown(b) for p in fig.panels for b in p.bars]  # one room for every panel
        room = WIDTH - 8 - max(_text_width(v, FONT) for v in widest) - 16  # the longest bar leaves room for its value
        top = max(values) if fig.scale == "per-panel" else max(every)
        for bar, value, shown in zip(panel.bars, values, labels):
            y += 20
            body.append(_t(0, y, bar.label))
            y += 6
            length = max(2.0, float(value / top) * room) if top else 2.0
            fill = f' style="fill:url(#ck-hatch-{fig.id})"' if bar.style == "estimate" else ""
            body.append(
                f'<rect class="ck-bar ck-{bar.style}" x="1" y="{y:.1f}" width="{length:.1f}" height="22" '
                f'data-fact="{escape(bar.fact)}" data-value="{escape(bar.value)}"{fill}/>'
            )
            body.append(_t(length + 8, y + 16, shown, "ck-value", data_fact=bar.fact))
            y += 22 + 6
            desc.append(f"{panel.title}: {bar.label}, {shown} ({STYLE_NAMES[bar.style]}, fact {bar.fact}).")
    return _svg(fig.id, y + 8, fig.alt, " ".join(desc), body)


# --- stacked shares ---------------------------------------------------------------------


def stacked_svg(fig: StackedFigure) -> str:
    """Each stack one bar of shares, split into segments; each segment's name and share stand
    above it, or below when the one before would overlap."""
    body: list[str] = []
    desc = []
    y = 0.0
    full = WIDTH - 2
    for stack in fig.stacks:
        y += 24
        body.append(_t(0, y, stack.label, "ck-heading"))
        y += 40  # room for the labels above
        bar_y = y
        x = 1.0
        last_end_above = -1e9
        below_end = -1e9
        for i, seg in enumerate(stack.segments):
            share = figure_number(seg.value)[0]
            w = float(share / Decimal(100)) * full
            body.append(
                f'<rect class="ck-seg ck-c{i % 4}" x="{x:.1f}" y="{bar_y:.1f}" width="{w:.1f}" height="30" '
                f'data-fact="{escape(seg.fact)}" data-value="{escape(seg.value)}"/>'
            )
            text = f"{seg.label}: {seg.value}"
            tw = _text_width(text, FONT)
            centre = min(max(x + w / 2, tw / 2), WIDTH - tw / 2)
            if centre - tw / 2 > last_end_above + 10:
                ty, last_end_above = bar_y - 12, centre + tw / 2
                tick = (bar_y - 8, bar_y)
            else:
                centre = max(centre, below_end + 10 + tw / 2)
                ty, below_end = bar_y + 30 + 22, centre + tw / 2
                tick = (bar_y + 30, bar_y + 38)
            body.append(
                f'<line class="ck-axis" x1="{x + w / 2:.1f}" y1="{tick[0]:.1f}" x2="{x + w / 2:.1f}" '
                f'y2="{tick[1]:.1f}"/>'
            )
            body.append(_t(centre, ty, text, "ck-value", "middle", data_fact=seg.fact))
            desc.append(f"{stack.label}: {seg.label} {seg.value} (fact {seg.fact}).")
            x += w
        y = bar_y + 30 + 30
    return _svg(fig.id, y + 6, fig.alt, " ".join(desc), body)


# --- boxes and arrows ---------------------------------------------------------------------

BOX_GAP_X = 46  # between boxes: room for an arrow and a short label
ROW_GAP = 58
PAD = 8  # inside a box


def flow_svg(fig: FlowFigure) -> str:
    cols = max(n.col for n in fig.nodes)
    rows = max(n.row for n in fig.nodes)
    group_pad = 14 if fig.groups else 0
    cell_w = (WIDTH - 2 * group_pad) / cols
    at = {n.id: (n.col, n.row) for n in fig.nodes}
    beside = [_text_width(e.label, SMALL) + 18 for e in fig.edges if e.label and at[e.source][1] == at[e.target][1]]
    gap = max([BOX_GAP_X, *beside])  # a label between two boxes in a row fits between them
    words = [(w, FONT * 1.08) for n in fig.nodes for w in n.label.split()]
    words += [(w, SMALL) for n in fig.nodes for w in (n.detail or "").split()]
    text_w = max(cell_w - gap - 2 * PAD, *(_text_width(w, size) for w, size in words))
    box_w = text_w + 2 * PAD  # wide enough for the longest word; the drawing is scaled down to fit
    cell_w = box_w + gap
    width = max(WIDTH, 2 * group_pad + cols * cell_w)
    wrapped = {
        n.id: (wrap(n.label, text_w, FONT * 1.08), wrap(n.detail or "", text_w, SMALL) if n.detail else [])
        for n in fig.nodes
    }
    box_h = max(len(a) * 18 + len(b) * 15 for a, b in wrapped.values()) + 2 * PAD
    top = 34 if fig.groups else 4
    row_h = box_h + ROW_GAP
    boxes = {}
    for n in fig.nodes:
        x = group_pad + (n.col - 1) * cell_w + gap / 2
        y = top + (n.row - 1) * row_h
        boxes[n.id] = (x, y, box_w, box_h)
    body: list[str] = []
    for g in fig.groups:
        xs = [boxes[i][0] for i in g.nodes]
        ys = [boxes[i][1] for i in g.nodes]
        gx, gy = min(xs) - gap / 2 + 4, min(ys) - 30
        gw = max(xs) + box_w + gap / 2 - 4 - gx
        gh = max(ys) + box_h + 14 - gy
        attr = f' data-fact="{escape(g.fact)}"' if g.fact else ""
        body.append(
            f'<rect class="ck-group" x="{gx:.1f}" y="{gy:.1f}" width="{gw:.1f}" height="{gh:.1f}" rx="10"{attr}/>'
        )
        body.append(_t(gx + 12, gy + 19, g.label, "ck-small ck-group-label"))
    for n in fig.nodes:
        x, y, w, h = boxes[n.id]
        attr = f' data-fact="{escape(n.fact)}"' if n.fact else ""
        body.append(f'<rect class="ck-box" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6"{attr}/>')
        label, detail = wrapped[n.id]
        lines = [(line, FONT, "ck-box-label") for line in label] + [
            (line, SMALL, "ck-small ck-muted") for line in detail
        ]
        used = len(label) * 18 + len(detail) * 15
        ty = y + (h - used) / 2 - 4
        for text, size, cls in lines:
            ty += 18 if size == FONT else 15
            body.append(_t(x + w / 2, ty, text, cls, "middle"))
    pairs = {(e.source, e.target) for e in fig.edges}
    desc = [f"{n.label}" + (f" ({n.detail})" if n.detail else "") + "." for n in fig.nodes]
    for e in fig.edges:
        offset = 7.0 if (e.target, e.source) in pairs else 0.0
        body += _arrow(boxes[e.source], boxes[e.target], offset, e.label, e.style)
        names = {n.id: n.label for n in fig.nodes}
        desc.append(f"{names[e.source]} to {names[e.target]}" + (f": {e.label}" if e.label else "") + ".")
    for g in fig.groups:
        desc.append(f"Framed together: {g.label}.")
    height = top + rows * row_h - ROW_GAP + (14 if fig.groups else 0) + 6
    return _svg(fig.id, height, fig.alt, " ".join(desc), body, width)


def _edge_point(box: tuple[float, float, float, float], dx: float, dy: float) -> tuple[float, float]:
    """Where the ray from the box's centre in direction (dx, dy) leaves the box."""
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    scale = min((w / 2) / abs(dx) if dx else math.inf, (h / 2) / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale


def _arrow(a, b, offset: float, label: str | None, style: str) -> list[str]:
    ax, ay = a[0] + a[2] / 2, a[1] + a[3] / 2
    bx, by = b[0] + b[2] / 2, b[1] + b[3] / 2
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    nx, ny = -uy * offset, ux * offset  # two arrows between the same boxes run side by side
    sx, sy = _edge_point(a, dx, dy)
    ex, ey = _edge_point(b, -dx, -dy)
    sx, sy, ex, ey = sx + nx, sy + ny, ex + nx, ey + ny
    ex2, ey2 = ex - ux * 2, ey - uy * 2  # the tip touches the box, the line stops under the head
    head = [
        (ex2, ey2),
        (ex2 - ux * 10 - uy * 5, ey2 - uy * 10 + ux * 5),
        (ex2 - ux * 10 + uy * 5, ey2 - uy * 10 - ux * 5),
    ]
    out = [
        f'<line class="ck-edge ck-{style}" x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex2 - ux * 8:.1f}" y2="{ey2 - uy * 8:.1f}"/>',
        f'<polygon class="ck-head ck-{style}" points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in head) + '"/>',
    ]
    if label:
        mx, my = (sx + ex) / 2, (sy + ey) / 2
        if abs(ux) < 0.3:  # a vertical arrow: the label beside it (the second of a pair on the other side)
            lx, ly, anchor = (mx - 8, my + 4, "end") if offset and nx < 0 else (mx + 8, my + 4, "start")
        elif abs(uy) > 0.3:  # a slanted arrow: the label to its left
            lx, ly, anchor = mx - 8, my + 2, "end"
        else:  # a horizontal arrow: the label above it (below for the second of a pair)
            lx, anchor = mx, "middle"
            ly = my - 7 if offset <= 0 or ny < 0 else my + 16
        out.append(_t(lx, ly, label, "ck-small", anchor))
    return out


# --- timelines ----------------------------------------------------------------------------


def timeline_events(fig: TimelineFigure, timeline: Timeline) -> list[TimelineEvent]:
    events = sorted(timeline.events, key=lambda e: e.date)
    if fig.facts:
        events = [e for e in events if set(e.facts) & set(fig.facts)]
    if fig.start:
        events = [e for e in events if e.date[: len(fig.start)] >= fig.start]
    if fig.end:
        events = [e for e in events if e.date[: len(fig.end)] <= fig.end]
    return events


def _month_index(date: str) -> float:
    """Months since year 0, at the start of the date's period."""
    parts = [int(p) for p in date.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 1
    day = parts[2] if len(parts) > 2 else 1
    return year * 12 + (month - 1) + (day - 1) / 31


def _span(date: str) -> float:
    """How many months the date's precision covers: a year, a month, or a day."""
    return {1: 12.0, 2: 1.0}.get(len(date.split("-")), 0.0)


def timeline_svg(fig: TimelineFigure, timeline: Timeline) -> str:
    """One row per event: the date and title at the left, its mark on a shared time axis at
    the right; a mark spans the period the source dates the event to."""
    events = timeline_events(fig, timeline)
    first = int(events[0].date[:4]) if events else 2000
    last = int(events[-1].date[:4]) if events else 2000
    start, end = first * 12, (last + 1) * 12
    label_w = 390
    axis_x0, axis_x1 = label_w + 20, WIDTH - 10
    scale = (axis_x1 - axis_x0) / (end - start)
    body: list[str] = []
    rows = []
    y = 30.0
    for e in events:
        lines = wrap(e.title, label_w - 96, FONT)
        h = max(len(lines) * 17 + 8, 28)
        rows.append((e, lines, y, h))
        y += h
    height = y + 26
    for year in range(first, last + 2):
        x = axis_x0 + (year * 12 - start) * scale
        body.append(f'<line class="ck-grid" x1="{x:.1f}" y1="22" x2="{x:.1f}" y2="{y + 4:.1f}"/>')
        if year <= last:
            mid = x + 6 * scale
            body.append(_t(mid, 16, str(year), "ck-heading", "middle"))
            body.append(_t(mid, y + 20, str(year), "ck-small ck-muted", "middle"))
    desc = []
    for i, (e, lines, top, h) in enumerate(rows):
        if i % 2 == 0:
            body.append(f'<rect class="ck-band" x="0" y="{top:.1f}" width="{WIDTH}" height="{h:.1f}"/>')
        body.append(_t(0, top + 18, human_date(e.date), "ck-small ck-muted"))
        for j, line in enumerate(lines):
            body.append(_t(88, top + 18 + j * 17, line))
        x = axis_x0 + (_month_index(e.date) - start) * scale
        mid = top + h / 2
        span = _span(e.date)
        facts = " ".join(e.facts)
        if span:
            width = max(span * scale, 5.0)
            cls = "ck-period-year" if span == 12 else "ck-period-month"
            body.append(
                f'<rect class="ck-mark {cls}" x="{x:.1f}" y="{mid - 6:.1f}" width="{width:.1f}" height="12" '
                f'rx="3" data-facts="{escape(facts)}"/>'
            )
        else:
            body.append(
                f'<circle class="ck-mark ck-day" cx="{x:.1f}" cy="{mid:.1f}" r="6" data-facts="{escape(facts)}"/>'
            )
        desc.append(f"{human_date(e.date)}: {e.title}.")
    return _svg(fig.id, height, fig.alt, " ".join(desc), body)


# --- the figure element --------------------------------------------------------------------


def figure_facts(fig, timeline: Timeline | None) -> list[str]:
    """The facts a figure rests on, in the order it draws them."""
    ids: list[str] = []
    if fig.type == "bars":
        ids = [b.fact for p in fig.panels for b in p.bars]
    elif fig.type == "stacked":
        ids = [s.fact for st in fig.stacks for s in st.segments]
    elif fig.type == "flow":
        ids = [n.fact for n in fig.nodes if n.fact] + [g.fact for g in fig.groups if g.fact]
    elif fig.type == "timeline" and timeline is not None:
        ids = [f for e in timeline_events(fig, timeline) for f in e.facts]
    return list(dict.fromkeys(ids))


def figure_svg(fig, timeline: Timeline | None = None) -> str:
    if fig.type == "bars":
        return bars_svg(fig)
    if fig.type == "stacked":
        return stacked_svg(fig)
    if fig.type == "flow":
        return flow_svg(fig)
    if timeline is None:
        raise ValueError(f"figure {fig.id!r} draws the timeline, and there is none")
    return timeline_svg(fig, timeline)


def render_figure(fig, facts: dict[str, Fact], timeline: Timeline | None, cite: Callable[[list[Fact]], str]) -> str:
    """The whole <figure>: the SVG, then the caption with the sources of what it draws."""
    used = list({facts[i].cite: facts[i] for i in figure_facts(fig, timeline) if i in facts}.values())
    # A figure of many facts (a whole timeline) leaves its sources to the list it draws.
    sources = Markup(cite(used)) if 0 < len(used) <= MAX_CITED else ""
    return render(
        "figure.html.j2",
        fig=fig,
        svg=Markup(figure_svg(fig, timeline)),
        caption=" ".join(fig.caption.split()),
        sources=sources,
    )
