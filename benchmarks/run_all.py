"""`make bench`: run every benchmark and rewrite benchmarks/RESULTS.md with what they print.

Each benchmark also keeps its own notes file (grade-quizzes.md, exercise-runtime.md,
regrade-exercises.md);
RESULTS.md is the latest run of all of them, with the machine, date and commit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ("Site build and plugin overhead (issue 7 target: at most 15%)", ["site_build.py", "--runs", "8"]),
    ("Grading quiz submissions (issue 6 target: 10,000 in under 10 s)", ["grade_quizzes.py", "--runs", "3"]),
    ("Exercises in the page (cold and warm Check, weight before the runtime)", ["exercise_runtime.py", "--runs", "5"]),
    (
        "Grading exercises in the sandbox against nbgrader (200 submissions)",
        ["grade_exercises.py", "--submissions", "200", "--runs", "3", "--nbgrader-runs", "2"],
    ),
    (
        "Regrading exercises: a rerun over 200 unchanged submissions (issue 18 target: under a tenth of the first run)",
        ["regrade_exercises.py", "--submissions", "200", "--runs", "3"],
    ),
    (
        "Pages in the browser (quiz page against mkdocs-quiz: transfer and time until interactive)",
        ["pages.py", "--runs", "5"],
    ),
]


def main() -> int:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    parts = [
        "# Benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores, {memory:.0f} GiB. Date: "
        f"{datetime.now(UTC).isoformat(timespec='minutes')}. Commit: {commit}.",
        "Written by `make bench`; each section is the benchmark's own report.",
        "",
    ]
    failed = 0
    for title, cmd in BENCHMARKS:
        print(f"== {title}", flush=True)
        proc = subprocess.run([sys.executable, str(HERE / cmd[0]), *cmd[1:]], capture_output=True, text=True)
        body = (
            proc.stdout.strip()
            if proc.returncode == 0
            else f"FAILED (exit {proc.returncode}):\n\n```\n{proc.stderr[-3000:]}\n```"
        )
        failed += proc.returncode != 0
        body = "\n".join(("#" + line) if line.startswith("#") else line for line in body.splitlines())
        parts += [f"## {title}", "", body, ""]
        print(body, flush=True)
    (HERE / "RESULTS.md").write_text("\n".join(parts))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
