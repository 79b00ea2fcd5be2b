"""The content models: what a quiz, an exercise and a module page may say.

Every model forbids unknown keys, so a misspelt key is an error rather than a silently
ignored setting. Fields that teaching depends on (feedback, misconceptions, objectives,
hints, timings) are required, not recommended.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- quizzes ------------------------------------------------------------------------


class Option(Strict):
    id: Slug = Field(description="Stable id of the option, unique within its question.")
    text: Text = Field(description="What the learner sees (Markdown).")
    correct: bool = Field(False, description="Whether choosing this option is right.")
    feedback: Text = Field(description="Shown when the learner chooses this option.")
    misconception: Text | None = Field(
        None, description="Required on wrong options: the misunderstanding this choice reveals."
    )

    @model_validator(mode="after")
    def _wrong_options_diagnose(self) -> Option:
        if not self.correct and self.misconception is None:
            raise ValueError("a wrong option needs a 'misconception' naming what it diagnoses")
        return self


class QuestionBase(Strict):
    id: Slug = Field(description="Stable id, unique within the quiz.")
    objective: Slug = Field(description="Id of the learning objective this question assesses.")
    prompt: Text = Field(description="The question (Markdown).")
    explanation: Text = Field(description="Why the right answer is right; shown after checking.")
    points: int = Field(1, ge=1, le=100, description="Weight of the question in the quiz score.")
    section: str | None = Field(
        None, description="Link to the page section that teaches this, e.g. 'modules/01-story.md#launch'."
    )


class ChoiceQuestion(QuestionBase):
    options: list[Option] = Field(min_length=2, description="The choices, in display order.")

    @property
    def correct_ids(self) -> list[str]:
        return [o.id for o in self.options if o.correct]


class SingleChoice(ChoiceQuestion):
    type: Literal["single"]

    @model_validator(mode="after")
    def _exactly_one(self) -> SingleChoice:
        if len(self.correct_ids) != 1:
            raise ValueError(
                f"a single-choice question needs exactly one option with 'correct: true' "
                f"(found {len(self.correct_ids)})"
            )
        return self


class MultipleSelect(ChoiceQuestion):
    """Partial credit: (right choices - wrong choices) / number of right options, floored at 0."""

    type: Literal["multiple"]

    @model_validator(mode="after")
    def _at_least_one(self) -> MultipleSelect:
        if not self.correct_ids:
            raise ValueError("a multiple-select question needs at least one option with 'correct: true'")
        return self


class TrueFalse(QuestionBase):
    type: Literal["true_false"]
    answer: bool = Field(description="Whether the statement in the prompt is true.")
    feedback_true: Text = Field(description="Shown when the learner answers 'true'.")
    feedback_false: Text = Field(description="Shown when the learner answers 'false'.")
    misconception: Text = Field(description="What choosing the wrong answer reveals.")


class NumericMistake(Strict):
    value: Decimal = Field(description="A wrong answer worth diagnosing.")
    tolerance: Decimal = Field(Decimal(0), ge=0, description="Absolute tolerance around the value.")
    feedback: Text
    misconception: Text


class Numeric(QuestionBase):
    type: Literal["numeric"]
    answer: Decimal = Field(description="The right value.")
    tolerance: Decimal = Field(Decimal(0), ge=0, description="Accepted distance from the answer.")
    tolerance_mode: Literal["absolute", "relative"] = Field(
        "absolute", description="'relative' reads the tolerance as a fraction of the answer (0.01 = 1%)."
    )
    unit: str | None = Field(None, description="Shown beside the input; the learner may type it too.")
    correct_feedback: Text
    wrong_feedback: Text = Field(description="Shown for a wrong answer that no mistake matches.")
    mistakes: list[NumericMistake] = Field(default_factory=list)


class TextMistake(Strict):
    answers: list[Text] = Field(min_length=1)
    feedback: Text
    misconception: Text


class ShortText(QuestionBase):
    """Answers match after trimming, folding runs of spaces and (unless case_sensitive) case."""

    type: Literal["short_text"]
    accept: list[Text] = Field(min_length=1, description="Accepted answers.")
    case_sensitive: bool = False
    correct_feedback: Text
    wrong_feedback: Text
    mistakes: list[TextMistake] = Field(default_factory=list)


Question = Annotated[
    SingleChoice | MultipleSelect | TrueFalse | Numeric | ShortText,
    Field(discriminator="type"),
]


class Quiz(Strict):
    title: Text
    module: int = Field(ge=1, description="Number of the module this quiz belongs to.")
    description: str | None = None
    questions: list[Question] = Field(min_length=1)


# --- exercises ----------------------------------------------------------------------


class Difficulty(StrEnum):
    beginner = "beginner"
    intermediate = "intermediate"
    advanced = "advanced"


class ExerciseFiles(Strict):
    starter: str = Field("starter.py", description="The learner's starting file, with TODO markers.")
    solution: str = Field("solution.py", description="A reference solution; never in a learner build.")
    tests: list[str] = Field(min_length=1, description="Public pytest files.")
    data: list[str] = Field(default_factory=list, description="Data files the exercise reads.")
    hidden_tests: list[str] = Field(
        default_factory=list, description="Tests only the instructor's grader runs; never in a learner build."
    )


class Exercise(Strict):
    title: Text
    module: int = Field(ge=1)
    objectives: list[Slug] = Field(min_length=1)
    difficulty: Difficulty
    minutes: int = Field(ge=1, le=600)
    summary: Text = Field(description="The task, as the learner reads it (Markdown).")
    hints: list[Text] = Field(min_length=1, description="Ordered hints, gentlest first.")
    files: ExerciseFiles


# --- pages --------------------------------------------------------------------------


class Objective(Strict):
    id: Slug
    text: Text


class Minutes(Strict):
    teaching: int = Field(ge=0)
    exercises: int = Field(ge=0)


class ModulePage(Strict):
    """Front matter of a module page. Material's own page keys are allowed beside ours."""

    module: int = Field(ge=1)
    title: str | None = None
    questions: list[Text] = Field(min_length=1, description="Questions the module answers.")
    objectives: list[Objective] = Field(min_length=1)
    key_points: list[Text] = Field(min_length=1)
    minutes: Minutes
    # Material for MkDocs front matter, passed through untouched.
    description: str | None = None
    icon: str | None = None
    status: str | None = None
    hide: list[str] | None = None
    tags: list[str] | None = None
    search: dict[str, Any] | None = None
    template: str | None = None


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
    date: Annotated[
        str, BeforeValidator(_date_text), StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    ] = Field(description="YYYY, YYYY-MM or YYYY-MM-DD.")
    title: Text
    text: str | None = None
    facts: list[FactId] = Field(min_length=1, description="The facts this event rests on.")


class Timeline(Strict):
    events: list[TimelineEvent] = Field(min_length=1)
