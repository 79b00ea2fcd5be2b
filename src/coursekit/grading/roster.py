"""The roster a team lead or an instructor reads: each learner's progress by module, from a
gradebook (quiz grades and exercise grades), against the course's quizzes and exercises."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path

from coursekit.content.catalog import Catalog


@dataclass(frozen=True)
class ModuleProgress:
    module: int
    quiz_percent: float | None  # the module's quizzes together, None when none was graded
    exercises_passed: int
    exercises_total: int
    missing: list[str]  # quiz and exercise ids with no grade, or not passed
    complete: bool


@dataclass(frozen=True)
class LearnerRow:
    learner: str
    modules: list[ModuleProgress]
    quiz_percent: float | None  # every quiz of the course, a missing one counting 0; None: none graded
    exercises_passed: int
    exercises_total: int
    missing: list[str] = field(default_factory=list)

    @property
    def modules_complete(self) -> int:
        return sum(m.complete for m in self.modules)


@dataclass(frozen=True)
class Roster:
    modules: list[int]
    learners: list[LearnerRow]

    def completion(self) -> dict[int, float]:
        """The share of learners who completed each module (0 with no learners)."""
        n = len(self.learners)
        return {
            m: (sum(r.modules[i].complete for r in self.learners) / n if n else 0.0) for i, m in enumerate(self.modules)
        }

    def as_json(self) -> dict:
        return {
            "modules": self.modules,
            "completion": {str(k): v for k, v in self.completion().items()},
            "learners": [asdict(r) | {"modules_complete": r.modules_complete} for r in self.learners],
        }

    def csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(
            [
                "learner",
                "quiz_percent",
                "exercises_passed",
                "exercises_total",
                "modules_complete",
                *[f"module {m} quiz %" for m in self.modules],
                *[f"module {m} exercises" for m in self.modules],
                "missing",
            ]
        )
        for r in self.learners:
            w.writerow(
                [
                    r.learner,
                    _pct(r.quiz_percent),
                    r.exercises_passed,
                    r.exercises_total,
                    r.modules_complete,
                    *[_pct(m.quiz_percent) for m in r.modules],
                    *[f"{m.exercises_passed}/{m.exercises_total}" for m in r.modules],
                    " ".join(r.missing),
                ]
            )
        return buf.getvalue()


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def read_gradebook(path: Path) -> tuple[dict[tuple[str, str], tuple[Fraction, int]], dict[tuple[str, str], bool]]:
    """(quiz, learner) -> (score, max) and (exercise, learner) -> passed, read-only."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such gradebook")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        quizzes = (
            {
                (q, learner): (Fraction(score), int(mx))
                for q, learner, score, mx in conn.execute("SELECT quiz, learner, score, max_score FROM quiz_grades")
            }
            if "quiz_grades" in tables
            else {}
        )
        exercises = (
            {
                (e, learner): bool(passed_all)
                for e, learner, passed_all in conn.execute(
                    "SELECT exercise, learner, status = 'passed' FROM exercise_grades"
                )
            }
            if "exercise_grades" in tables
            else {}
        )
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{path}: not a coursekit gradebook ({exc})") from None
    finally:
        conn.close()
    return quizzes, exercises


def build_roster(cat: Catalog, path: Path, sort: str = "learner") -> Roster:
    quizzes, exercises = read_gradebook(path)
    modules = sorted(cat.modules) or sorted({q.model.module for q in cat.quizzes.values()})
    quiz_by_module = {m: [qid for qid, q in cat.quizzes.items() if q.model.module == m] for m in modules}
    ex_by_module = {m: [eid for eid, e in cat.exercises.items() if e.model.module == m] for m in modules}
    maxima = {qid: sum(q.points for q in entry.model.questions) for qid, entry in cat.quizzes.items()}
    learners = sorted({learner for _, learner in quizzes} | {learner for _, learner in exercises}, key=str.casefold)
    rows = []
    for learner in learners:
        per_module, missing = [], []
        total_score, total_max, any_quiz = Fraction(0), 0, False
        for m in modules:
            got = [quizzes.get((qid, learner)) for qid in quiz_by_module[m]]
            score = sum((g[0] for g in got if g), Fraction(0))
            mx = sum(g[1] if g else maxima[qid] for g, qid in zip(got, quiz_by_module[m]))
            graded = [g for g in got if g]
            any_quiz |= bool(graded)
            total_score, total_max = total_score + score, total_max + mx
            passed = [eid for eid in ex_by_module[m] if exercises.get((eid, learner))]
            gaps = [qid for qid, g in zip(quiz_by_module[m], got) if not g]
            gaps += [eid for eid in ex_by_module[m] if eid not in passed]
            missing += gaps
            per_module.append(
                ModuleProgress(
                    m,
                    float(score / mx * 100) if graded and mx else None,
                    len(passed),
                    len(ex_by_module[m]),
                    gaps,
                    not gaps,
                )
            )
        rows.append(
            LearnerRow(
                learner,
                per_module,
                float(total_score / total_max * 100) if any_quiz and total_max else None,
                sum(p.exercises_passed for p in per_module),
                sum(p.exercises_total for p in per_module),
                missing,
            )
        )
    if sort == "progress":
        rows.sort(key=lambda r: (-r.modules_complete, -(r.quiz_percent or 0), r.learner.casefold()))
    return Roster(modules, rows)
