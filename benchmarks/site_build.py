"""Benchmark: the full course build, and the coursekit plugin's overhead.

The same pages are built with the plugin on and with it off (`enabled: false`, so the
directives stay as text), alternating, in fresh processes. Target (issue 7): overhead at
most 15% of the build time without the plugin.
Run: .venv/bin/python benchmarks/site_build.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def config(enabled: bool, tmp: Path) -> Path:
    data = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    data["docs_dir"] = str(REPO / data["docs_dir"])
    data["strict"] = False  # with the plugin off, directives are plain text, which is fine
    for entry in data["plugins"]:
        if isinstance(entry, dict) and "coursekit" in entry:
            entry["coursekit"] = {**(entry["coursekit"] or {}), "enabled": enabled,
                                  "quizzes_dir": str(REPO / "quizzes"), "exercises_dir": str(REPO / "exercises")}
    path = tmp / f"mkdocs-{'on' if enabled else 'off'}.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def build_seconds(config_file: Path, site: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d", str(site)],
                          cwd=REPO, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        on, off = config(True, tmp), config(False, tmp)
        build_seconds(on, tmp / "warm")  # fill OS caches and the editor bundle cache first
        with_plugin, without = [], []
        for _ in range(args.runs):
            with_plugin.append(build_seconds(on, tmp / "on"))
            without.append(build_seconds(off, tmp / "off"))
    a, b = statistics.median(with_plugin), statistics.median(without)
    overhead = (a - b) / b
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    print("\n".join([
        "# Site build and plugin overhead", "",
        f"`mkdocs build` of the whole course in a fresh process, {args.runs} alternating runs each; commit {commit}.", "",
        "| build | median s (min, max) |", "|---|---|",
        f"| with the coursekit plugin | {a:.2f} ({min(with_plugin):.2f}, {max(with_plugin):.2f}) |",
        f"| plugin disabled | {b:.2f} ({min(without):.2f}, {max(without):.2f}) |", "",
        f"Plugin overhead: {overhead:+.0%} of the build without it. Target ≤ 15%: "
        f"**{'met' if overhead <= 0.15 else 'not met'}**. The plugin's share includes validating the whole",
        "course (every page, quiz, exercise, the figure rule and every variant formula), rendering the",
        "widgets, and copying the Pyodide runtime, wheels, downloads and editor bundle into the site.",
    ]))


if __name__ == "__main__":
    main()
