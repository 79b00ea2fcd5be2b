"""Benchmark: grade 10,000 synthetic submissions of a 20-question quiz with `coursekit grade quiz`.

Run: .venv/bin/python benchmarks/grade_quizzes.py [--submissions N] [--runs R]
Writes benchmarks/grade-quizzes.md. Target (issue 6): under 10 s; the gradebook holds exactly
N rows after a second identical run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TYPES = ["single", "multiple", "true_false", "numeric", "short_text"]


def make_course(root: Path) -> None:
    (root / "course" / "modules").mkdir(parents=True)
    (root / "quizzes").mkdir()
    (root / "mkdocs.yml").write_text("site_name: bench\ndocs_dir: course\n")
    (root / "course" / "modules" / "01.md").write_text(
        "---\nmodule: 1\nquestions: [q]\nobjectives: [{id: o, text: t}]\nkey_points: [k]\n"
        "minutes: {teaching: 1, exercises: 1}\n---\n# M\n"
    )
    questions = []
    for i in range(20):
        kind = TYPES[i % len(TYPES)]
        q = {"id": f"q{i}", "type": kind, "objective": "o", "prompt": f"Q{i}", "explanation": "E"}
        if kind in ("single", "multiple"):
            q["options"] = [
                {
                    "id": f"o{j}",
                    "text": f"O{j}",
                    "correct": j < (1 if kind == "single" else 2),
                    "feedback": "f",
                    **({} if j < (1 if kind == "single" else 2) else {"misconception": "m"}),
                }
                for j in range(4)
            ]
        elif kind == "true_false":
            q.update(answer=True, feedback_true="t", feedback_false="f", misconception="m")
        elif kind == "numeric":
            q.update(
                answer=16.3,
                tolerance=0.1,
                correct_feedback="y",
                wrong_feedback="n",
                mistakes=[{"value": 6.1, "tolerance": 0.1, "feedback": "inv", "misconception": "m"}],
            )
        else:
            q.update(accept=["Douyin"], correct_feedback="y", wrong_feedback="n")
        questions.append(q)
    quiz = {"title": "Bench", "module": 1, "questions": questions}
    (root / "quizzes" / "bench.yml").write_text(json.dumps(quiz))


def make_submissions(folder: Path, n: int) -> None:
    rng = random.Random(42)
    folder.mkdir()
    answers = {
        "single": lambda: f"o{rng.randrange(4)}",
        "multiple": lambda: rng.sample([f"o{j}" for j in range(4)], 2),
        "true_false": lambda: rng.random() < 0.7,
        "numeric": lambda: rng.choice(["16.3", "6.1", "16.35", "x"]),
        "short_text": lambda: rng.choice(["Douyin", " douyin", "ByteDance", ""]),
    }
    for i in range(n):
        responses = {f"q{k}": answers[TYPES[k % len(TYPES)]]() for k in range(20)}
        sub = {
            "format": "coursekit-submission",
            "version": 1,
            "learner": f"learner{i:05d}",
            "quiz": "bench",
            "attempt": 1,
            "submitted_at": "2026-11-20T10:00:00+00:00",
            "responses": responses,
        }
        (folder / f"learner{i:05d}.json").write_text(json.dumps(sub))


def run(root: Path, subs: Path, book: Path) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "coursekit", "grade", "quiz", "bench", str(subs), "--gradebook", str(book)],
        cwd=root,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"grading failed:\n{proc.stderr[-2000:]}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--submissions", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_course(root)
        make_submissions(root / "subs", args.submissions)
        first, second = [], []
        for r in range(args.runs):
            book = root / f"grades{r}.sqlite"
            first.append(run(root, root / "subs", book)[0])
            t, peak_kb = run(root, root / "subs", book)
            second.append(t)
            with sqlite3.connect(book) as conn:
                rows = conn.execute("SELECT COUNT(*) FROM quiz_grades").fetchone()[0]
            assert rows == args.submissions, rows
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    med = statistics.median(first)
    lines = [
        "# Grading quiz submissions",
        "",
        f"`coursekit grade quiz` on {args.submissions:,} synthetic submissions of a 20-question quiz (all five",
        "auto-graded types), each a separate JSON file, into a fresh SQLite gradebook; then the same batch again.",
        "Times include process start-up, reading and validating every file, regrading, and the transaction.",
        "",
        f"- Machine: {os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB,"
        f" {platform.python_implementation()} {platform.python_version()}",
        f"- Date: {date.today().isoformat()}; commit {commit}; {args.runs} runs",
        f"- First run (grade and write): median {med:.2f} s (min {min(first):.2f}, max {max(first):.2f});"
        f" {med / args.submissions * 1e6:.0f} µs per submission",
        f"- Second identical run (all unchanged): median {statistics.median(second):.2f} s"
        f" (min {min(second):.2f}, max {max(second):.2f})",
        f"- Peak memory of the grading process: {peak_kb / 1024:.0f} MiB",
        f"- Rows in the gradebook after the second run: {args.submissions:,} (checked)",
        f"- Target: under 10 s: **{'met' if med < 10 else 'not met'}**",
        "",
    ]
    (HERE / "grade-quizzes.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
