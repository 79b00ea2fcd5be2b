"""Course statistics: what a course holds, and which objectives its quizzes under-assess."""

from __future__ import annotations

from collections import Counter

from coursekit.content.catalog import Catalog

MIN_QUESTIONS_PER_OBJECTIVE = 2


def course_stats(cat: Catalog) -> dict:
    modules = cat.modules
    questions = [q for quiz in cat.quizzes.values() for q in quiz.model.questions]
    per_objective = Counter(q.objective for q in questions)
    teaching = sum(p.module.minutes.teaching for p in modules.values())
    practice = sum(p.module.minutes.exercises for p in modules.values())
    return {
        "modules": len(modules),
        "quizzes": len(cat.quizzes),
        "questions": len(questions),
        "question_types": dict(sorted(Counter(q.type for q in questions).items())),
        "exercises": len(cat.exercises),
        "objectives": len(cat.objectives),
        "minutes": teaching + practice,
        "minutes_teaching": teaching,
        "minutes_exercises": practice,
        "questions_per_objective": {o: per_objective.get(o, 0) for o in cat.objectives},
        "objectives_under_assessed": sorted(
            o for o in cat.objectives if per_objective.get(o, 0) < MIN_QUESTIONS_PER_OBJECTIVE),
        "per_module": [
            {"module": n, "title": p.title, "objectives": len(p.module.objectives),
             "quizzes": sum(1 for q in cat.quizzes.values() if q.model.module == n),
             "questions": sum(len(q.model.questions) for q in cat.quizzes.values() if q.model.module == n),
             "exercises": sum(1 for e in cat.exercises.values() if e.model.module == n),
             "minutes": p.module.minutes.teaching + p.module.minutes.exercises}
            for n, p in sorted(modules.items())
        ],
    }
