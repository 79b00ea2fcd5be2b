"""Benchmark: `coursekit grade exercise` run again over 200 unchanged submissions.

Run: .venv/bin/python benchmarks/regrade_exercises.py [--submissions 200] [--runs 3]
Writes benchmarks/regrade-exercises.md and prints it. Target (issue 18): the rerun takes
under a tenth of the first run's wall time.

The submissions are variants of `gmv-growth` (the model solution, the untouched starter,
the solution with a last line that raises, a syntax error), each with its learner's id in a comment,
so that all 200 are different files and the first run really runs every one in the sandbox
(identical files would be run once). Each run: a fresh gradebook, the first run timed, then
the same command again (nothing changed: no submission is run), then once with --regrade as
a check that the first run's time is what running all of them costs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXERCISE = "gmv-growth"
EX_DIR = REPO / "exercises" / EXERCISE

TARGET = 0.1


def make_variants(n: int) -> list[tuple[str, str]]:
    """(kind, code) for n submissions in fixed shares."""
    solution = (EX_DIR / "solution.py").read_text(encoding="utf-8")
    starter = (EX_DIR / "starter.py").read_text(encoding="utf-8")
    kinds = [
        ("correct", solution, 0.6),
        ("starter", starter, 0.25),
        ("raises-at-end", solution + "\nraise RuntimeError('left in')\n", 0.1),
        ("syntax", solution.replace(":", "", 1), 0.05),
    ]
    out = [(k, code) for k, code, share in kinds for _ in range(round(share * n))]
    return (out + [kinds[0][:2]] * n)[:n]


def grade(folder: Path, book: Path, *extra: str) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "coursekit",
            "grade",
            "exercise",
            EXERCISE,
            str(folder),
            "--gradebook",
            str(book),
            "--json",
            *extra,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"grading failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed, [json.loads(line) for line in proc.stdout.splitlines()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--submissions", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    started = datetime.now(UTC)
    firsts, reruns, forced = [], [], []
    with tempfile.TemporaryDirectory(prefix="coursekit-regrade-bench-") as tmp:
        folder = Path(tmp) / "subs"
        folder.mkdir()
        for i, (kind, code) in enumerate(make_variants(args.submissions)):
            (folder / f"s{i:04d}.py").write_text(f"# learner s{i:04d} ({kind})\n{code}", encoding="utf-8")
        for n in range(args.runs):
            book = Path(tmp) / f"g{n}.sqlite"
            t1, o1 = grade(folder, book)
            assert sum(o["run"] == "graded" for o in o1) == args.submissions, "every submission must run"
            t2, o2 = grade(folder, book)
            assert all(o["run"] == "unchanged" for o in o2), "a rerun with nothing changed runs nothing"
            assert [(o["learner"], o["status"], o["passed"]) for o in o1] == [
                (o["learner"], o["status"], o["passed"]) for o in o2
            ]
            t3, o3 = grade(folder, book, "--regrade")
            assert sum(o["run"] == "graded" for o in o3) == args.submissions
            firsts.append(t1)
            reruns.append(t2)
            forced.append(t3)
            print(f"run {n + 1}: first {t1:.1f} s, rerun {t2:.2f} s, --regrade {t3:.1f} s", file=sys.stderr)
    first, rerun = statistics.median(firsts), statistics.median(reruns)
    ratio = rerun / first
    load = os.getloadavg()[0]
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        "# Regrading exercises: a rerun over unchanged submissions",
        "",
        f"{args.submissions} different submissions of `{EXERCISE}` graded by `coursekit grade exercise` (sandbox on,",
        "`--jobs 0`) into a fresh gradebook, then the same command again with nothing changed, then with",
        "`--regrade`. A row records the fingerprint of what it was graded from (the submission's bytes, the",
        "exercise's definition, its public and hidden tests and data files); the rerun compares and runs nothing.",
        "Times are wall clock for the whole command (start-up, reading and hashing every file, the gradebook).",
        "",
        f"- Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; CPython "
        f"{platform.python_version()}; load average (1 min) {load:.1f} at the end",
        f"- Date: {started.isoformat(timespec='minutes')}; commit {head}; runs: {args.runs}, median (min to max)",
        "",
        "| run | wall time (s) |",
        "|---|---|",
        f"| first run, every submission in the sandbox | {first:.2f} ({min(firsts):.2f} to {max(firsts):.2f}) |",
        f"| **rerun, nothing changed** | **{rerun:.2f}** ({min(reruns):.2f} to {max(reruns):.2f}) |",
        f"| `--regrade`, every submission again | {statistics.median(forced):.2f} ({min(forced):.2f} to "
        f"{max(forced):.2f}) |",
        "",
        f"**Target, the rerun under a tenth of the first run: {'met' if ratio < TARGET else 'NOT met'}** "
        f"(the rerun takes {ratio:.3f} of the first run, {1 / ratio:.0f}× less).",
        "",
        "The rerun's time is the command's start-up (Python, the course's catalog), reading and hashing 200",
        "files and one gradebook query; no sandbox, no pytest.",
        "",
        f"Reproduce: `.venv/bin/python benchmarks/regrade_exercises.py --submissions {args.submissions} "
        f"--runs {args.runs}` (needs bubblewrap).",
    ]
    text = "\n".join(lines) + "\n"
    (HERE / "regrade-exercises.md").write_text(text, encoding="utf-8")
    print(text)
    if ratio >= TARGET:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
