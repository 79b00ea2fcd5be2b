"""Course statistics: what a course holds, how long it takes, and which objectives its quizzes
under-assess.

Time is computed, not trusted: a module takes its reading time (its words at READING_WPM),
plus its exercises' own ``minutes``, plus its quizzes (QUIZ_MINUTES per question type). A
module page whose stated ``minutes`` (teaching + exercises) differ from that by more than a
quarter gets a warning.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from coursekit.content.catalog import Catalog
from coursekit.content.directives import find_containers, find_directives, prose_lines
from coursekit.content.frontmatter import split_front_matter

MIN_QUESTIONS_PER_OBJECTIVE = 2
READING_WPM = 200  # words a minute: a careful read of technical prose
# Minutes a question takes to answer with thought, by type. A reflection takes the larger of
# REFLECTION_MINUTES and its min_words written at WRITING_WPM.
QUIZ_MINUTES = {
    "true_false": 0.5,
    "single": 1.0,
    "short_text": 1.0,
    "multiple": 1.5,
    "ordering": 1.5,
    "numeric": 2.0,
    "matching": 2.0,
}
REFLECTION_MINUTES = 5.0
WRITING_WPM = 20
TOLERANCE = 0.25  # stated and computed minutes may differ by this share of the computed ones

_WORD = re.compile(r"[A-Za-z0-9][\w'’.,$%-]*")
_UNREAD = re.compile(r"<!--.*?-->|:fact\[[^\]]*\]|\]\([^)]*\)|\{[#.][^}]*\}", re.S)  # comments, citations, link targets


def reading_words(text: str) -> int:
    """The words a learner reads on a page: prose and code, without the front matter,
    directive lines, instructor-only blocks, HTML comments, citations and link targets."""
    _, body, _ = split_front_matter(text)
    hidden: set[int] = set()
    for block in find_containers(body):
        if block.kind == "instructor" and block.end:
            hidden.update(range(block.start, block.end + 1))
    hidden.update(d.line for d in find_directives(body))
    lines = body.splitlines()
    prose = {n for n, _, _ in prose_lines(body)}
    kept = [
        line
        for n, line in enumerate(lines, start=1)
        if n not in hidden and (n in prose or not line.lstrip().startswith(("```", "~~~")))
    ]
    return len(_WORD.findall(_UNREAD.sub(" ", "\n".join(kept))))


def question_minutes(q) -> float:
    if q.type == "reflection":
        return max(REFLECTION_MINUTES, q.min_words / WRITING_WPM)
    return QUIZ_MINUTES.get(q.type, 1.0)


def _module_time(cat: Catalog, number: int, page) -> dict:
    words = reading_words(page.path.read_text(encoding="utf-8"))
    reading = math.ceil(words / READING_WPM)
    quiz = math.ceil(
        sum(
            question_minutes(q)
            for quiz in cat.quizzes.values()
            if quiz.model.module == number
            for q in quiz.model.questions
        )
    )
    exercises = sum(e.model.minutes for e in cat.exercises.values() if e.model.module == number)
    stated = page.module.minutes.teaching + page.module.minutes.exercises
    computed = reading + quiz + exercises
    warning = None
    if computed and abs(stated - computed) > TOLERANCE * computed:
        warning = (
            f"{page.rel}: states {stated} min (teaching {page.module.minutes.teaching} + exercises "
            f"{page.module.minutes.exercises}), but its parts add up to {computed} min (reading {reading}, "
            f"exercises {exercises}, quiz {quiz}): more than a quarter apart"
        )
    return {
        "words": words,
        "minutes_reading": reading,
        "minutes_quiz": quiz,
        "minutes_exercises_computed": exercises,
        "minutes_computed": computed,
        "minutes_stated": stated,
        "warning": warning,
    }


def course_time(cat: Catalog) -> dict:
    """Each module's computed time and the course's total, in minutes."""
    modules = {n: _module_time(cat, n, p) for n, p in sorted(cat.modules.items())}
    total = {
        key: sum(m[key] for m in modules.values())
        for key in ("minutes_reading", "minutes_quiz", "minutes_exercises_computed", "minutes_computed")
    }
    return {
        "modules": modules,
        **total,
        "reading_wpm": READING_WPM,
        "warnings": [m["warning"] for m in modules.values() if m["warning"]],
    }


def course_counts(cat: Catalog) -> dict[str, int]:
    """How much the course holds, as ``coursekit validate`` reports it."""
    return {
        "modules": len(cat.modules),
        "quizzes": len(cat.quizzes),
        "questions": sum(len(q.model.questions) for q in cat.quizzes.values()),
        "exercises": len(cat.exercises),
    }


def quiz_rows(cat: Catalog) -> list[dict]:
    """One row per quiz, in catalog order: id, title, module, questions, points."""
    return [
        {
            "id": q.id,
            "title": q.model.title,
            "module": q.model.module,
            "questions": len(q.model.questions),
            "points": sum(x.points for x in q.model.questions),
        }
        for q in cat.quizzes.values()
    ]


def course_stats(cat: Catalog) -> dict:
    modules = cat.modules
    questions = [q for quiz in cat.quizzes.values() for q in quiz.model.questions]
    per_objective = Counter(q.objective for q in questions)
    teaching = sum(p.module.minutes.teaching for p in modules.values())
    practice = sum(p.module.minutes.exercises for p in modules.values())
    time = course_time(cat)
    return {
        "modules": len(modules),
        "quizzes": len(cat.quizzes),
        "questions": len(questions),
        "question_types": dict(sorted(Counter(q.type for q in questions).items())),
        "exercises": len(cat.exercises),
        "objectives": len(cat.objectives),
        "minutes": teaching + practice,  # as the pages state them
        "minutes_teaching": teaching,
        "minutes_exercises": practice,
        "minutes_computed": time["minutes_computed"],
        "minutes_reading": time["minutes_reading"],
        "minutes_quiz": time["minutes_quiz"],
        "minutes_exercises_computed": time["minutes_exercises_computed"],
        "timing": {
            "reading_words_per_minute": READING_WPM,
            "quiz_minutes_per_question": QUIZ_MINUTES,
            "reflection_minutes": f"max({REFLECTION_MINUTES:g}, min_words / {WRITING_WPM})",
            "warn_when_stated_differs_by_more_than": TOLERANCE,
        },
        "warnings": time["warnings"],
        "questions_per_objective": {o: per_objective.get(o, 0) for o in cat.objectives},
        "objectives_under_assessed": sorted(
            o for o in cat.objectives if per_objective.get(o, 0) < MIN_QUESTIONS_PER_OBJECTIVE
        ),
        "per_module": [
            {
                "module": n,
                "title": p.title,
                "objectives": len(p.module.objectives),
                "quizzes": sum(1 for q in cat.quizzes.values() if q.model.module == n),
                "questions": sum(len(q.model.questions) for q in cat.quizzes.values() if q.model.module == n),
                "exercises": sum(1 for e in cat.exercises.values() if e.model.module == n),
                "minutes": p.module.minutes.teaching + p.module.minutes.exercises,
                **time["modules"][n],
            }
            for n, p in sorted(modules.items())
        ],
    }
