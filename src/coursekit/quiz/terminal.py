"""Taking a quiz in a shell: arrow-key prompts on a terminal, plain prompts on a pipe, or a
non-interactive answers file. Grading itself is coursekit.quiz.grading's."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.prompt import Prompt

from coursekit.content.models import (
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    Question,
    Quiz,
    Reflection,
    SingleChoice,
    TrueFalse,
)
from coursekit.quiz.grading import QuestionResult, QuizResult, grade_question
from coursekit.quiz.variants import shuffled
from coursekit.scores import fmt_score


class AnswersFileError(ValueError):
    pass


def read_answers(path: Path) -> dict[str, Any]:
    """An answers file maps question ids to responses (YAML or JSON; see the README)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswersFileError(f"{path}: cannot read ({exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise AnswersFileError(f"{path}{where}: not valid YAML or JSON") from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise AnswersFileError(f"{path}:1:1: expected a mapping of question ids to answers")
    return data


def unknown_ids(quiz: Quiz, answers: dict[str, Any]) -> list[str]:
    known = {q.id for q in quiz.questions}
    return [k for k in answers if k not in known]


def result_json(quiz_id: str, quiz_result: QuizResult, seed: str | None = None) -> dict[str, Any]:
    return {
        "quiz": quiz_id,
        "seed": seed,
        "score": float(quiz_result.score),
        "score_exact": str(quiz_result.score),
        "max_score": quiz_result.max_score,
        "questions": [
            {
                "id": r.question_id,
                "score": float(r.score),
                "max_score": r.max_score,
                "correct": r.correct,
                "answered": r.answered,
                "feedback": r.feedback,
                "misconceptions": r.misconceptions,
                "explanation": r.explanation,
            }
            for r in quiz_result.results
        ],
    }


def print_result(console: Console, q: Question, r: QuestionResult) -> None:
    if isinstance(q, Reflection):
        mark = "[cyan]✎ saved[/]" if r.answered else "[red]✘ no answer[/]"
    else:
        mark = (
            "[green]✔ correct[/]"
            if r.correct
            else ("[yellow]◐ partly right[/]" if r.score > 0 else "[red]✘ not right[/]")
        )
        mark += f"  ({fmt_score(r.score)}/{r.max_score})"
    console.print(mark)
    for line in r.feedback:
        console.print(Markdown(line))
    if r.answered:
        label = "Guidance" if isinstance(q, Reflection) else "Explanation"
        console.print(Markdown(f"**{label}:** {r.explanation}"), style="dim")


def print_summary(console: Console, quiz: Quiz, quiz_result: QuizResult) -> None:
    console.print(
        Panel(
            f"Score: [bold]{fmt_score(quiz_result.score)}[/] / {quiz_result.max_score}", title=quiz.title, expand=False
        )
    )


class Asker:
    """Asks one question. On a terminal it uses arrow-key menus (questionary); on a pipe,
    numbered plain prompts, so scripts and tests can drive it."""

    def __init__(self, console: Console, arrows: bool | None = None):
        self.console = console
        self.arrows = sys.stdin.isatty() and sys.stdout.isatty() if arrows is None else arrows

    def _pick(self, message: str, choices: list[tuple[str, str]]) -> str:
        if self.arrows:
            import questionary

            answer = questionary.select(message, choices=[questionary.Choice(t, v) for v, t in choices]).ask()
            if answer is None:
                raise KeyboardInterrupt
            return answer
        for i, (_, text) in enumerate(choices, start=1):
            self.console.print(f"  [bold]{i}[/]. {text}")
        valid = [str(i) for i in range(1, len(choices) + 1)]
        pick = Prompt.ask(message, choices=valid, console=self.console, show_choices=False)
        return choices[int(pick) - 1][0]

    def _numbers(self, message: str, count: int, exact: bool) -> list[int]:
        while True:
            raw = Prompt.ask(message, console=self.console)
            picks = [p.strip() for p in raw.split(",") if p.strip()]
            ok = picks and all(p.isdigit() and 1 <= int(p) <= count for p in picks)
            if ok and (not exact or sorted(int(p) for p in picks) == list(range(1, count + 1))):
                return [int(p) for p in picks]
            example = ",".join(str(i) for i in range(count, 0, -1)) if exact else "1,3"
            self.console.print(f"[red]Type numbers from 1 to {count}, separated by commas, e.g. {example}[/]")

    def ask(self, number: int, q: Question, order: dict[str, list[str]] | None = None) -> Any:
        """Ask q; ``order`` is the learner's order of the options (coursekit.quiz.order)."""
        self.console.rule(f"Question {number}")
        self.console.print(Markdown(q.prompt))
        order = order or {}
        if isinstance(q, (SingleChoice, MultipleSelect)):
            by_id = {o.id: o for o in q.options}
            options = [by_id[i] for i in order.get(q.id, by_id)]
        if isinstance(q, SingleChoice):
            return self._pick("Your choice", [(o.id, o.text) for o in options])
        if isinstance(q, MultipleSelect):
            if self.arrows:
                import questionary

                answer = questionary.checkbox(
                    "Choose all that apply (space to tick, enter when done)",
                    choices=[questionary.Choice(o.text, o.id) for o in options],
                ).ask()
                if answer is None:
                    raise KeyboardInterrupt
                return answer
            for i, o in enumerate(options, start=1):
                self.console.print(f"  [bold]{i}[/]. {o.text}")
            return [
                options[i - 1].id
                for i in self._numbers("Your choices (numbers, separated by commas)", len(options), exact=False)
            ]
        if isinstance(q, TrueFalse):
            return self._pick("True or false", [("true", "True"), ("false", "False")]) == "true"
        if isinstance(q, Ordering):
            shown = shuffled([i.id for i in q.items], f"terminal:{q.id}")
            text = {i.id: i.text for i in q.items}
            for i, item in enumerate(shown, start=1):
                self.console.print(f"  [bold]{i}[/]. {text[item]}")
            order = self._numbers("The right order (numbers, first to last, e.g. 2,3,1)", len(shown), exact=True)
            return [shown[i - 1] for i in order]
        if isinstance(q, Matching):
            text = {p.id: p.right for p in q.pairs} | {d.id: d.text for d in q.distractors}
            rights = [(i, text[i]) for i in order.get(f"{q.id}:right", text)]
            return {p.id: self._pick(f"Match: {p.left}", rights) for p in q.pairs}
        if isinstance(q, Reflection):
            self.console.print("[dim]Type your reflection; finish with an empty line.[/]")
            lines = []
            while line := Prompt.ask("", console=self.console, default="", show_default=False):
                lines.append(line)
            return "\n".join(lines)
        label = f"Your answer ({q.unit})" if isinstance(q, Numeric) and q.unit else "Your answer"
        return Prompt.ask(label, console=self.console)


def take_interactive(
    console: Console, quiz: Quiz, arrows: bool | None = None, order: dict[str, list[str]] | None = None
) -> tuple[dict[str, Any], QuizResult]:
    asker = Asker(console, arrows)
    responses: dict[str, Any] = {}
    results = []
    for n, q in enumerate(quiz.questions, start=1):
        responses[q.id] = asker.ask(n, q, order)
        r = grade_question(q, responses[q.id])
        print_result(console, q, r)
        results.append(r)
    return responses, QuizResult(results)
