"""Taking a quiz in a shell: interactive prompts, or a non-interactive answers file."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.prompt import Prompt

from coursekit.content.models import MultipleSelect, Numeric, Question, Quiz, SingleChoice, TrueFalse
from coursekit.quiz.grading import QuestionResult, QuizResult, grade_question


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


def fmt_score(score: Fraction) -> str:
    return str(int(score)) if score.denominator == 1 else f"{float(score):.2f}".rstrip("0").rstrip(".")


def result_json(quiz_id: str, quiz_result: QuizResult) -> dict[str, Any]:
    return {
        "quiz": quiz_id,
        "score": float(quiz_result.score),
        "score_exact": str(quiz_result.score),
        "max_score": quiz_result.max_score,
        "questions": [
            {"id": r.question_id, "score": float(r.score), "max_score": r.max_score,
             "correct": r.correct, "answered": r.answered, "feedback": r.feedback,
             "misconceptions": r.misconceptions, "explanation": r.explanation}
            for r in quiz_result.results
        ],
    }


def print_result(console: Console, q: Question, r: QuestionResult) -> None:
    mark = "[green]✔ correct[/]" if r.correct else (
        "[yellow]◐ partly right[/]" if r.score > 0 else "[red]✘ not right[/]")
    console.print(f"{mark}  ({fmt_score(r.score)}/{r.max_score})")
    for line in r.feedback:
        console.print(Markdown(line))
    if r.answered:
        console.print(Markdown(f"**Explanation:** {r.explanation}"), style="dim")


def print_summary(console: Console, quiz: Quiz, quiz_result: QuizResult) -> None:
    console.print(Panel(f"Score: [bold]{fmt_score(quiz_result.score)}[/] / {quiz_result.max_score}",
                        title=quiz.title, expand=False))


def ask(console: Console, number: int, q: Question) -> Any:
    console.rule(f"Question {number}")
    console.print(Markdown(q.prompt))
    if isinstance(q, (SingleChoice, MultipleSelect)):
        for i, o in enumerate(q.options, start=1):
            console.print(f"  [bold]{i}[/]. {o.text}")
        valid = [str(i) for i in range(1, len(q.options) + 1)]
        if isinstance(q, SingleChoice):
            pick = Prompt.ask("Your choice", choices=valid, console=console, show_choices=False)
            return q.options[int(pick) - 1].id
        while True:
            raw = Prompt.ask("Your choices (numbers, separated by commas)", console=console)
            picks = [p.strip() for p in raw.split(",") if p.strip()]
            if picks and all(p in valid for p in picks):
                return [q.options[int(p) - 1].id for p in picks]
            console.print(f"[red]Type numbers from 1 to {len(q.options)}, e.g. 1,3[/]")
    if isinstance(q, TrueFalse):
        return Prompt.ask("True or false", choices=["true", "false"], console=console) == "true"
    label = f"Your answer ({q.unit})" if isinstance(q, Numeric) and q.unit else "Your answer"
    return Prompt.ask(label, console=console)


def take_interactive(console: Console, quiz: Quiz) -> tuple[dict[str, Any], QuizResult]:
    responses: dict[str, Any] = {}
    results = []
    for n, q in enumerate(quiz.questions, start=1):
        responses[q.id] = ask(console, n, q)
        r = grade_question(q, responses[q.id])
        print_result(console, q, r)
        results.append(r)
    return responses, QuizResult(results)


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
