"""Show an ItemReport in a terminal, as rich tables. Every text from the quiz or the
gradebook is shown as literal text, never read as rich markup."""

from __future__ import annotations

from fractions import Fraction

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coursekit.grading.analysis import ItemReport, ItemStats
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


def items_table(report: ItemReport) -> Table:
    """One row per scored question: n, difficulty, discrimination, flags."""
    table = Table(
        title=Text(f"Item statistics: {report.title}"),
        caption=Text(summary_line(report)),
        header_style="bold",
        expand=False,
    )
    table.add_column("#", justify="right")
    table.add_column("Question")
    table.add_column("Type")
    table.add_column("n", justify="right")
    table.add_column("Difficulty p", justify="right")
    table.add_column("Discrim. r", justify="right")
    table.add_column("Flags")
    for index, item in enumerate(report.items, 1):
        p = Text(
            num(item.difficulty) + (f" {MARK}" if p_flagged(item) else ""), style="bold red" if p_flagged(item) else ""
        )
        r = Text(
            num(item.discrimination) + (f" {MARK}" if r_flagged(item) else ""),
            style="bold red" if r_flagged(item) else "",
        )
        table.add_row(
            str(index), Text(item.id), Text(item.type), str(item.n), p, r, Text(flag_summary(item), style="yellow")
        )
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
        table.add_row(
            Text(answer_label(a)),
            Text(KIND_LABEL.get(a.kind, a.kind), style=style),
            str(a.count),
            percent(a.share),
            Text(a.misconception or ""),
        )
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
            console.print(
                Text(f"Reflection {r.id} (not scored): {r.responses} response{'s' if r.responses != 1 else ''}")
            )
