"""The content models: what a quiz, an exercise and a module page may say.

Every model forbids unknown keys, so a misspelt key is an error rather than a silently
ignored setting. Fields that teaching depends on (feedback, misconceptions, objectives,
hints, timings) are required, not recommended.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from coursekit.content.patterns import pattern_problems

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- quizzes ------------------------------------------------------------------------


class Option(Strict):
    id: Slug = Field(description="Stable id of the option, unique within its question.")
    text: Text = Field(description="What the learner sees (Markdown).")
    correct: bool = Field(False, description="Whether choosing this option is right.")
    fixed: bool = Field(
        False,
        description="Keep this option where it is written (e.g. 'None of the above', a scale); "
        "the others are shown in an order of the learner's own.",
    )
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
    hints: list[Text] = Field(default_factory=list, description="Progressive hints, revealed one at a time.")


class ChoiceQuestion(QuestionBase):
    options: list[Option] = Field(
        min_length=2,
        description="The choices. Each learner sees them in an order of their own; "
        "an option with 'fixed: true' keeps its place.",
    )

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


class Variable(Strict):
    """A parameter of a variant: the values min, min+step, ..., up to max."""

    min: Decimal
    max: Decimal
    step: Decimal = Field(Decimal(1), gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Variable:
        if self.max < self.min:
            raise ValueError("max must not be below min")
        if (self.max - self.min) / self.step > 10_000:
            raise ValueError("a variable may take at most 10,001 values (raise 'step')")
        return self

    @property
    def values(self) -> list[Decimal]:
        count = int((self.max - self.min) // self.step)
        return [self.min + i * self.step for i in range(count + 1)]


class Numeric(QuestionBase):
    """A number. With ``variables`` and ``formula`` it is a seeded variant question: the
    prompt, explanation and feedback may use {{name}} placeholders, and {{answer}}."""

    type: Literal["numeric"]
    answer: Decimal | None = Field(None, description="The right value (or give 'formula' with 'variables').")
    variables: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$")], Variable] = Field(
        default_factory=dict, description="Parameters of a variant question, each with a range."
    )
    formula: str | None = Field(
        None,
        description="Arithmetic over the variables giving the answer, e.g. 'after / before'. "
        "Evaluated by a small safe evaluator, never by eval().",
    )
    round_to: int | None = Field(None, ge=0, le=12, description="Decimal places the formula's answer is rounded to.")
    tolerance: Decimal = Field(Decimal(0), ge=0, description="Accepted distance from the answer.")
    tolerance_mode: Literal["absolute", "relative"] = Field(
        "absolute", description="'relative' reads the tolerance as a fraction of the answer (0.01 = 1%)."
    )
    sig_figs: int | None = Field(
        None,
        ge=1,
        le=15,
        description="Accept an answer that equals the right one at this many significant figures "
        "(instead of a tolerance).",
    )
    unit: str | None = Field(None, description="Shown beside the input; the learner may type it too.")
    correct_feedback: Text
    wrong_feedback: Text = Field(description="Shown for a wrong answer that no mistake matches.")
    mistakes: list[NumericMistake] = Field(default_factory=list)

    @model_validator(mode="after")
    def _answer_or_formula(self) -> Numeric:
        if (self.answer is None) == (self.formula is None):
            raise ValueError("give either 'answer' or 'formula' (with 'variables'), not both or neither")
        if self.formula is not None and not self.variables:
            raise ValueError("a 'formula' needs 'variables'")
        if self.variables and self.formula is None:
            raise ValueError("'variables' need a 'formula' for the answer")
        if self.sig_figs is not None and self.tolerance:
            raise ValueError("use either 'sig_figs' or 'tolerance', not both")
        if self.variables and self.mistakes:
            raise ValueError("diagnosed 'mistakes' are fixed values, so they do not fit a variant question")
        return self


class TextMistake(Strict):
    answers: list[Text] = Field(min_length=1)
    feedback: Text
    misconception: Text


class ShortText(QuestionBase):
    """Answers match after trimming, folding runs of spaces and (unless case_sensitive) case."""

    type: Literal["short_text"]
    accept: list[Text] = Field(default_factory=list, description="Accepted answers.")
    pattern: str | None = Field(
        None,
        description="A regular expression the whole (normalised) answer must match. Use the syntax "
        "Python and JavaScript share: no lookbehind, no named groups, no inline flags.",
    )
    case_sensitive: bool = False
    correct_feedback: Text
    wrong_feedback: Text
    mistakes: list[TextMistake] = Field(default_factory=list)

    @model_validator(mode="after")
    def _accepts_something(self) -> ShortText:
        if not self.accept and self.pattern is None:
            raise ValueError("give 'accept' answers, a 'pattern', or both")
        if self.pattern is not None:
            problems = pattern_problems(self.pattern, self.case_sensitive)
            if problems:
                raise ValueError(f"pattern: {problems[0]}")
        return self


class OrderItem(Strict):
    id: Slug
    text: Text


class OrderMistake(Strict):
    order: list[Slug] = Field(min_length=2, description="A wrong order worth diagnosing (item ids).")
    feedback: Text
    misconception: Text


class Ordering(QuestionBase):
    """Put items in order. Listed in the right order; shown shuffled.

    Scoring: all or nothing, or with ``partial: true`` the share of item pairs in the right
    relative order (Kendall's tau distance).
    """

    type: Literal["ordering"]
    items: list[OrderItem] = Field(min_length=2, max_length=12, description="The items, in the right order.")
    partial: bool = False
    correct_feedback: Text
    wrong_feedback: Text
    mistakes: list[OrderMistake] = Field(default_factory=list)

    @model_validator(mode="after")
    def _mistakes_are_orders(self) -> Ordering:
        ids = [i.id for i in self.items]
        for m in self.mistakes:
            if sorted(m.order) != sorted(ids):
                raise ValueError("each mistake's 'order' must list every item id exactly once")
            if m.order == ids:
                raise ValueError("a mistake's 'order' is the right order")
        return self


class MatchPair(Strict):
    id: Slug
    left: Text = Field(description="The prompt side, shown in order.")
    right: Text = Field(description="Its match, offered among all right sides and the distractors.")


class MatchDistractor(Strict):
    id: Slug
    text: Text
    misconception: Text = Field(description="What matching this to anything reveals.")


class Matching(QuestionBase):
    """Match each left item with a right one. Score: the share of pairs matched right."""

    type: Literal["matching"]
    pairs: list[MatchPair] = Field(min_length=2, max_length=12)
    distractors: list[MatchDistractor] = Field(default_factory=list)
    correct_feedback: Text
    wrong_feedback: Text


class Reflection(QuestionBase):
    """Free text, never auto-scored: kept for the instructor to read. Worth no points."""

    type: Literal["reflection"]
    points: int = Field(0, ge=0, le=0, description="Reflections are never scored.")
    min_words: int = Field(0, ge=0, le=2000, description="Ask for at least this many words.")


Question = Annotated[
    SingleChoice | MultipleSelect | TrueFalse | Numeric | ShortText | Ordering | Matching | Reflection,
    Field(discriminator="type"),
]


class Quiz(Strict):
    title: Text
    module: int = Field(ge=1, description="Number of the module this quiz belongs to.")
    description: str | None = None
    show_answer_after: int = Field(
        2, ge=1, le=20, description="Wrong checks of a question before the widget offers 'Show answer'."
    )
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
