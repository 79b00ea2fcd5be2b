"""The case's own data: the fact base (every figure a page may state, with its source), the
timeline, and the figures drawn from them (figures.yml). The course's texts and quizzes are in
coursekit.content.models."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints

from coursekit.content.models import Slug, Strict, Text

# --- the fact base and the timeline ------------------------------------------------

FactId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9-]*$", max_length=32)]


class Fact(Strict):
    id: FactId
    statement: Text = Field(description="The fact, in the course's own words.")
    figures: list[Text] = Field(
        default_factory=list,
        description="Every amount, percentage or multiple in the fact, written as the pages write it.",
    )
    source: Text = Field(description="The full source: outlet, date, and how it was relayed.")
    cite: Text = Field(description="The short inline citation, e.g. 'AP, 12 Sep 2023'.")
    url: str | None = None


class FactBase(Strict):
    facts: list[Fact] = Field(min_length=1)


def _date_text(value: Any) -> Any:
    # YAML reads 2025-07-02 as a date and 2024 as a number; the timeline wants the text.
    return value.isoformat() if hasattr(value, "isoformat") else str(value) if isinstance(value, int) else value


class TimelineEvent(Strict):
    date: Annotated[str, BeforeValidator(_date_text), StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = Field(
        description="YYYY, YYYY-MM or YYYY-MM-DD."
    )
    title: Text
    text: str | None = None
    facts: list[FactId] = Field(min_length=1, description="The facts this event rests on.")


class Timeline(Strict):
    events: list[TimelineEvent] = Field(min_length=1)


# --- figures drawn from the fact base (figures.yml) ---------------------------------

FigureValue = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"\d")]


class FigureBar(Strict):
    label: Text = Field(description="What the bar is, e.g. 'Reported target (disputed by TikTok)'.")
    value: FigureValue = Field(description="The number drawn, written exactly as in the fact's 'figures'.")
    fact: FactId = Field(description="The fact the number comes from.")
    prefix: str | None = Field(None, description="A qualifier shown before the value, e.g. 'up to', 'about'.")
    style: Literal["reported", "estimate", "target"] = Field(
        "reported", description="How the bar is drawn: a company figure, a third-party estimate, or a target."
    )


class FigurePanel(Strict):
    title: Text
    bars: list[FigureBar] = Field(min_length=1)


class FigureSegment(Strict):
    label: Text
    value: FigureValue = Field(description="A share, written exactly as in the fact's 'figures'.")
    fact: FactId


class FigureStack(Strict):
    label: Text
    segments: list[FigureSegment] = Field(min_length=2)


class FigureNode(Strict):
    id: Slug
    label: Text
    detail: str | None = Field(None, description="A second, smaller line in the box.")
    col: int = Field(ge=1, le=6, description="Grid column, from the left.")
    row: int = Field(ge=1, le=6, description="Grid row, from the top.")
    fact: FactId | None = None


class FigureEdge(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: Slug = Field(alias="from")
    target: Slug = Field(alias="to")
    label: str | None = None
    style: Literal["solid", "dashed"] = "solid"


class FigureGroup(Strict):
    label: Text
    nodes: list[Slug] = Field(min_length=1, description="The boxes the group frames.")
    fact: FactId | None = None


class FigureCommon(Strict):
    id: Slug
    caption: Text = Field(description="Shown under the figure (Markdown): what it shows.")
    alt: Text = Field(description="The figure's point, for readers who cannot see it (not 'a chart').")
    note: str | None = Field(None, description="A line inside the figure, e.g. 'Each panel has its own scale.'")


class BarFigure(FigureCommon):
    type: Literal["bars"]
    scale: Literal["shared", "per-panel"] = Field(
        "shared",
        description="One scale for every panel (the honest default), or one per panel; "
        "say so in the note when each panel has its own.",
    )
    panels: list[FigurePanel] = Field(min_length=1)


class StackedFigure(FigureCommon):
    type: Literal["stacked"]
    stacks: list[FigureStack] = Field(min_length=1)


class FlowFigure(FigureCommon):
    type: Literal["flow"]
    nodes: list[FigureNode] = Field(min_length=2)
    edges: list[FigureEdge] = Field(default_factory=list)
    groups: list[FigureGroup] = Field(default_factory=list)


class TimelineFigure(FigureCommon):
    """The events of the timeline data file, from ``start`` to ``end`` (inclusive, by prefix),
    or only those resting on one of ``facts``."""

    type: Literal["timeline"]
    facts: list[FactId] = Field(default_factory=list, description="Only the events citing one of these facts.")
    start: Annotated[str, BeforeValidator(_date_text), StringConstraints(pattern=r"^\d{4}(-\d{2})?$")] | None = None
    end: Annotated[str, BeforeValidator(_date_text), StringConstraints(pattern=r"^\d{4}(-\d{2})?$")] | None = None


Figure = Annotated[BarFigure | StackedFigure | FlowFigure | TimelineFigure, Field(discriminator="type")]


class FigureBase(Strict):
    figures: list[Figure] = Field(min_length=1)


_FIGURE_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def figure_number(value: str) -> tuple[Decimal, str]:
    """'US$17.5 billion' -> (17.5, 'US$ billion'): the number a figure draws, and its unit.

    A range such as '60-62%' draws its first number."""
    m = _FIGURE_NUMBER.search(value)
    if m is None:
        raise ValueError(f"{value!r} holds no number")
    unit = " ".join((value[: m.start()] + " " + value[m.end() :]).split())
    return Decimal(m.group().replace(",", "")), unit
