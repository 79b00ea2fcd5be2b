"""The checks of figures.yml beyond its schema: every number a figure draws is written as one of
the figures of the fact it names, and every reference (fact, node, timeline) resolves."""

from __future__ import annotations

from dataclasses import dataclass, field

from coursekit.content.case_models import (
    BarFigure,
    Fact,
    Figure,
    FigureBar,
    FigureBase,
    FigureSegment,
    FlowFigure,
    StackedFigure,
    TimelineFigure,
    figure_number,
)
from coursekit.content.errors import ContentError
from coursekit.content.figures import normalise, unaccounted_figures
from coursekit.content.positions import Loc, Positions, duplicates


@dataclass
class _Problems:
    """The problems found so far, and what every check needs to find them."""

    pos: Positions
    facts: dict[str, Fact]
    facts_file: str
    errors: list[ContentError] = field(default_factory=list)

    def add(self, loc: Loc, message: str) -> None:
        self.errors.append(self.pos.error(loc, message))

    def fact_of(self, loc: Loc, fid: str | None) -> None:
        if fid is not None and fid not in self.facts:
            self.add(loc + ("fact",), f"unknown fact {fid!r} (facts are listed in {self.facts_file})")

    def drawn(self, loc: Loc, item: FigureBar | FigureSegment) -> str | None:
        """The unit of a drawn value, after checking it is a figure of its fact."""
        self.fact_of(loc, item.fact)
        fact = self.facts.get(item.fact)
        if fact is not None and normalise(item.value) not in {normalise(f) for f in fact.figures}:
            listed = ", ".join(fact.figures) or "none"
            self.add(
                loc + ("value",),
                f"{item.value!r} is not a figure of fact {item.fact} "
                f"(its figures: {listed}); a figure draws only numbers from the fact base",
            )
        return figure_number(item.value)[1]


def figure_problems(
    base: FigureBase, pos: Positions, facts: dict[str, Fact], has_timeline: bool, facts_file: str, timeline_file: str
) -> list[ContentError]:
    """Every problem of a valid figures.yml model against the fact base, at path:line:col."""
    found = _Problems(pos, facts, facts_file)
    found.errors += duplicates(
        [(f.id, pos.error(("figures", i, "id"), "")) for i, f in enumerate(base.figures)], "figure id"
    )
    known = [f for fact in facts.values() for f in fact.figures]
    for i, fig in enumerate(base.figures):
        at = ("figures", i)
        _words(found, at, fig, known)
        if fig.type == "bars":
            _bars(found, at, fig)
        elif fig.type == "stacked":
            _stacked(found, at, fig)
        elif fig.type == "flow":
            _flow(found, at, fig)
        elif fig.type == "timeline":
            _timeline(found, at, fig, has_timeline, timeline_file)
    return found.errors


def _words(found: _Problems, at: Loc, fig: Figure, known: list[str]) -> None:
    """The figure's alt text, caption and note state no number the fact base does not hold."""
    for key in ("alt", "caption", "note"):
        for _, _, figure in unaccounted_figures(getattr(fig, key) or "", known):
            found.add(
                at + (key,),
                f"{key}: figure {figure!r} is not in the fact base (write it as one of the figures in facts.yml)",
            )


def _bars(found: _Problems, at: Loc, fig: BarFigure) -> None:
    """Each bar draws a figure of its fact; the bars of a panel share a unit, and so do the
    panels of a shared scale."""
    every: set[str] = set()
    for p, panel in enumerate(fig.panels):
        units = {found.drawn(at + ("panels", p, "bars", b), bar) for b, bar in enumerate(panel.bars)}
        every |= units
        if len(units) > 1:
            found.add(
                at + ("panels", p),
                "the bars of one panel must share a unit "
                f"(found {', '.join(sorted(units))}); put the others in a panel of their own",
            )
    if fig.scale == "shared" and len(every) > 1:
        found.add(
            at + ("panels",),
            f"panels on a shared scale must share a unit (found "
            f"{', '.join(sorted(every))}); use 'scale: per-panel' and say so in the note",
        )


def _stacked(found: _Problems, at: Loc, fig: StackedFigure) -> None:
    """Each segment draws a figure of its fact, a percentage; a stack's shares add up to 100% at most."""
    for s, stack in enumerate(fig.stacks):
        units = {found.drawn(at + ("stacks", s, "segments", g), seg) for g, seg in enumerate(stack.segments)}
        total = sum(figure_number(seg.value)[0] for seg in stack.segments)
        if units != {"%"}:
            found.add(at + ("stacks", s), "a stack's segments are shares, written as percentages")
        elif total > 101:
            found.add(at + ("stacks", s), f"the shares add up to {total}%, more than 100%")


def _flow(found: _Problems, at: Loc, fig: FlowFigure) -> None:
    """Node ids and grid cells are unique; every fact, edge end and grouped node exists."""
    ids = [n.id for n in fig.nodes]
    found.errors += duplicates(
        [(n.id, found.pos.error(at + ("nodes", j, "id"), "")) for j, n in enumerate(fig.nodes)], "node id"
    )
    found.errors += duplicates(
        [(f"{n.col},{n.row}", found.pos.error(at + ("nodes", j, "col"), "")) for j, n in enumerate(fig.nodes)],
        "grid cell (col,row)",
    )
    for j, n in enumerate(fig.nodes):
        found.fact_of(at + ("nodes", j), n.fact)
    for j, e in enumerate(fig.edges):
        for key, end in (("from", e.source), ("to", e.target)):
            if end not in ids:
                found.add(at + ("edges", j, key), f"unknown node {end!r} (known: {', '.join(ids)})")
    for j, g in enumerate(fig.groups):
        found.fact_of(at + ("groups", j), g.fact)
        for k, nid in enumerate(g.nodes):
            if nid not in ids:
                found.add(at + ("groups", j, "nodes", k), f"unknown node {nid!r}")


def _timeline(found: _Problems, at: Loc, fig: TimelineFigure, has_timeline: bool, timeline_file: str) -> None:
    """The timeline data file exists, every fact named exists, and the span runs forwards."""
    if not has_timeline:
        found.add(at + ("type",), f"a timeline figure needs {timeline_file}")
    for k, fid in enumerate(fig.facts):
        if fid not in found.facts:
            found.add(at + ("facts", k), f"unknown fact {fid!r}")
    if fig.start and fig.end and fig.start > fig.end:
        found.add(at + ("end",), f"end {fig.end} comes before start {fig.start}")
