"""The checks of figures.yml beyond its schema: every number a figure draws is written as one of
the figures of the fact it names, and every reference (fact, node, timeline) resolves."""

from __future__ import annotations

from collections import Counter

from coursekit.content.case_models import Fact, FigureBase, figure_number
from coursekit.content.errors import ContentError
from coursekit.content.figures import normalise, unaccounted_figures
from coursekit.content.loader import Positions


def _duplicates(items: list[tuple[str, ContentError]], what: str) -> list[ContentError]:
    counts = Counter(key for key, _ in items)
    seen: set[str] = set()
    out = []
    for key, where in items:
        if counts[key] > 1 and key in seen:
            out.append(ContentError(where.path, where.line, where.col, f"duplicate {what} {key!r}"))
        seen.add(key)
    return out


def figure_problems(
    base: FigureBase, pos: Positions, facts: dict[str, Fact], has_timeline: bool, facts_file: str, timeline_file: str
) -> list[ContentError]:
    """Every problem of a valid figures.yml model against the fact base, at path:line:col."""
    errors: list[ContentError] = []
    errors += _duplicates(
        [(f.id, pos.error(("figures", i, "id"), "")) for i, f in enumerate(base.figures)], "figure id"
    )
    known = [f for fact in facts.values() for f in fact.figures]

    def fact_of(loc: tuple, fid: str | None) -> None:
        if fid is not None and fid not in facts:
            errors.append(pos.error(loc + ("fact",), f"unknown fact {fid!r} (facts are listed in {facts_file})"))

    def drawn(loc: tuple, item) -> str | None:
        """The unit of a drawn value, after checking it is a figure of its fact."""
        fact_of(loc, item.fact)
        fact = facts.get(item.fact)
        if fact is not None and normalise(item.value) not in {normalise(f) for f in fact.figures}:
            listed = ", ".join(fact.figures) or "none"
            errors.append(
                pos.error(
                    loc + ("value",),
                    f"{item.value!r} is not a figure of fact {item.fact} "
                    f"(its figures: {listed}); a figure draws only numbers from the fact base",
                )
            )
        return figure_number(item.value)[1]

    for i, fig in enumerate(base.figures):
        at = ("figures", i)
        for key in ("alt", "caption", "note"):
            for _, _, figure in unaccounted_figures(getattr(fig, key) or "", known):
                errors.append(
                    pos.error(
                        at + (key,),
                        f"{key}: figure {figure!r} is not in the fact base "
                        "(write it as one of the figures in facts.yml)",
                    )
                )
        if fig.type == "bars":
            every: set[str] = set()
            for p, panel in enumerate(fig.panels):
                units = {drawn(at + ("panels", p, "bars", b), bar) for b, bar in enumerate(panel.bars)}
                every |= units
                if len(units) > 1:
                    errors.append(
                        pos.error(
                            at + ("panels", p),
                            "the bars of one panel must share a unit "
                            f"(found {', '.join(sorted(units))}); put the others in a panel of their own",
                        )
                    )
            if fig.scale == "shared" and len(every) > 1:
                errors.append(
                    pos.error(
                        at + ("panels",),
                        f"panels on a shared scale must share a unit (found "
                        f"{', '.join(sorted(every))}); use 'scale: per-panel' and say so in the note",
                    )
                )
        elif fig.type == "stacked":
            for s, stack in enumerate(fig.stacks):
                units = {drawn(at + ("stacks", s, "segments", g), seg) for g, seg in enumerate(stack.segments)}
                total = sum(figure_number(seg.value)[0] for seg in stack.segments)
                if units != {"%"}:
                    errors.append(
                        pos.error(at + ("stacks", s), "a stack's segments are shares, written as percentages")
                    )
                elif total > 101:
                    errors.append(pos.error(at + ("stacks", s), f"the shares add up to {total}%, more than 100%"))
        elif fig.type == "flow":
            ids = [n.id for n in fig.nodes]
            errors += _duplicates(
                [(n.id, pos.error(at + ("nodes", j, "id"), "")) for j, n in enumerate(fig.nodes)], "node id"
            )
            errors += _duplicates(
                [(f"{n.col},{n.row}", pos.error(at + ("nodes", j, "col"), "")) for j, n in enumerate(fig.nodes)],
                "grid cell (col,row)",
            )
            for j, n in enumerate(fig.nodes):
                fact_of(at + ("nodes", j), n.fact)
            for j, e in enumerate(fig.edges):
                for key, end in (("from", e.source), ("to", e.target)):
                    if end not in ids:
                        errors.append(
                            pos.error(at + ("edges", j, key), f"unknown node {end!r} (known: {', '.join(ids)})")
                        )
            for j, g in enumerate(fig.groups):
                fact_of(at + ("groups", j), g.fact)
                for k, nid in enumerate(g.nodes):
                    if nid not in ids:
                        errors.append(pos.error(at + ("groups", j, "nodes", k), f"unknown node {nid!r}"))
        elif fig.type == "timeline":
            if not has_timeline:
                errors.append(pos.error(at + ("type",), f"a timeline figure needs {timeline_file}"))
            for k, fid in enumerate(fig.facts):
                if fid not in facts:
                    errors.append(pos.error(at + ("facts", k), f"unknown fact {fid!r}"))
            if fig.start and fig.end and fig.start > fig.end:
                errors.append(pos.error(at + ("end",), f"end {fig.end} comes before start {fig.start}"))
    return errors
