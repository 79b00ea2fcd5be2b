"""Benchmark of the in-page exercise runtime (a script, not a test).

Measures, in headless Chromium with a new browser context (empty cache) per run:

  weight   JS and CSS (gzipped) that a module page loads before the runtime does, i.e.
           before the exercise comes into view or is used: Material's and ours.
  cold     Check pressed as soon as the page is ready, nothing loaded yet: from the click
           to the first test verdict on screen (boots Pyodide, loads pytest, runs the tests).
  read     Check pressed after the runtime was prefetched while the learner read (the
           exercise scrolled into view, Python booted): click to first verdict.
  warm     a second Check on the same page: click to first verdict, and to all verdicts.
  bare     for reference, Pyodide's own loadPyodide() in a module worker, nothing of ours.

Usage:
    .venv/bin/python benchmarks/exercise_runtime.py [--runs 5] [--page /modules/01-story-so-far/]
        [--course PATH]  (default: this repository's course)

Prints a Markdown report; benchmarks/exercise-runtime.md records the results.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
BOOT_TIMEOUT_MS = 120_000


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(directory: Path) -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def build(course: Path, site: Path) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    mkdocs_build(load_config(str(course / "mkdocs.yml"), site_dir=str(site)))


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def weight_run(browser, base: str, page_path: str) -> dict:
    """JS and CSS loaded by the page while the exercise is out of view and untouched."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    seen: list[tuple[str, str, int]] = []

    def on_response(response):
        kind = response.request.resource_type
        url = response.url
        if kind in ("script", "stylesheet") or url.endswith((".js", ".mjs", ".css")):
            with contextlib.suppress(Exception):
                seen.append((url, kind, gz(response.body())))

    page.on("response", on_response)
    page.goto(base + page_path, wait_until="load")
    page.wait_for_timeout(2500)  # let idle-time loads (search worker, ...) happen too
    context.close()
    lazy = [u for u, _, _ in seen if any(x in u for x in ("editor.js", "worker.mjs", "pyodide"))]
    ours = sum(n for u, _, n in seen if "/assets/coursekit/" in u)
    return {
        "total": sum(n for _, _, n in seen),
        "ours": ours,
        "files": len(seen),
        "lazy_loaded": lazy,
        "list": sorted(((u.replace(base, ""), n) for u, _, n in seen), key=lambda x: -x[1]),
    }


def check_timing(page, index: int) -> dict:
    return page.evaluate(f"coursekitRuntime.events.filter(e => e.mode === 'check')[{index}]")


def wait_done(page, section, expect_checks: int) -> None:
    page.wait_for_function(
        f"() => coursekitRuntime.events.filter(e => e.mode === 'check' && e.doneAt).length >= {expect_checks}",
        timeout=BOOT_TIMEOUT_MS,
    )


def check_runs(browser, base: str, page_path: str, exercise: str | None, prefetch: bool, warm_checks: int) -> dict:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    fetched: list[int] = []
    page.goto(base + page_path, wait_until="load")
    # What the runtime fetches (the worker's requests included): bytes as served, uncompressed.
    context.on("response", lambda r: fetched.append(len(r.body())) if r.ok and r.request.method == "GET" else None)
    selector = f'section.ck-exercise[data-exercise="{exercise}"]' if exercise else "section.ck-exercise"
    section = page.locator(selector).first
    page.wait_for_function(f"() => document.querySelector('{selector}')?.dataset.ckAttached")
    if prefetch:
        section.scroll_into_view_if_needed()
        page.wait_for_function("() => coursekitRuntime.bootId", timeout=BOOT_TIMEOUT_MS)
        page.wait_for_timeout(300)
    else:
        section.locator(".ck-check").scroll_into_view_if_needed()
    section.locator(".ck-check").click()
    wait_done(page, section, 1)
    first = check_timing(page, 0)
    out = {
        "first_verdict_ms": first["firstVerdictAt"] - first["clickedAt"],
        "done_ms": first["doneAt"] - first["clickedAt"],
        "boot_ms": page.evaluate("coursekitRuntime.bootMs"),
        "boot_marks": page.evaluate("coursekitRuntime.bootMarks"),
        "warm": [],
    }
    for i in range(1, warm_checks + 1):
        section.locator(".ck-check").click()
        wait_done(page, section, i + 1)
        t = check_timing(page, i)
        out["warm"].append(
            {
                "first_verdict_ms": t["firstVerdictAt"] - t["clickedAt"],
                "done_ms": t["doneAt"] - t["clickedAt"],
                "worker_ms": t.get("workerMs"),
            }
        )
    out["workers"] = page.evaluate("coursekitRuntime.workersCreated")
    out["runtime_bytes"] = sum(fetched)
    context.close()
    return out


BARE_WORKER = """
// No widget: Pyodide's own loadPyodide(), pytest from the same wheels (unpacked, as Pyodide's
// docs do it), the exercise's files written to the file system, and pytest.main on its tests.
import { loadPyodide } from "./assets/coursekit/pyodide/pyodide.mjs";
const EX = %(exercise)s;
const t0 = performance.now();
const get = (u) => fetch(new URL(u, import.meta.url)).then((r) => r.arrayBuffer());
const manifest = await fetch(new URL("./assets/coursekit/exercise/manifest.json", import.meta.url)).then((r) => r.json());
const wheels = Promise.all(manifest.wheels.map((w) => get(`./assets/coursekit/wheels/${w}`)));
const files = Promise.all(EX.files.map((f) => get(`./assets/coursekit/exercises/${EX.id}/${f}`)));
const py = await loadPyodide({ indexURL: new URL("./assets/coursekit/pyodide/", import.meta.url).href });
const boot = performance.now() - t0;
for (const w of await wheels) py.unpackArchive(w, "wheel");
const bodies = await files;
py.FS.mkdirTree("/home/pyodide/ex");
EX.files.forEach((f, i) => { py.FS.mkdirTree(("/home/pyodide/ex/" + f).replace(/\\/[^/]*$/, "")); py.FS.writeFile("/home/pyodide/ex/" + f, new Uint8Array(bodies[i])); });
py.setStdout({ batched: () => {} });
py.globals.set("tests", py.toPy(EX.tests));
const code = py.runPython(`
import os, pytest
os.chdir("/home/pyodide/ex")
pytest.main(["-q", "-p", "no:cacheprovider", "--color=no", *tests])`);
postMessage({ boot, total: performance.now() - t0, exitCode: Number(code) });
"""
BARE_PAGE = """<!doctype html><script type="module">
const w = new Worker("bare-worker.mjs", { type: "module" });
w.onmessage = (e) => { window.bare = e.data; };
</script>"""


def exercise_files(site: Path, page_path: str, exercise: str | None) -> dict:
    """The exercise's learner files as the site ships them (starter, tests, data, conftest.py)."""
    html = (site / page_path.strip("/") / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'class="ck-exercise[^"]*"[^>]*data-exercise="([^"]+)"', html) or re.findall(
        r'data-exercise="([^"]+)"', html
    )
    ex = exercise or ids[0]
    folder = site / "assets/coursekit/exercises" / ex
    files = sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.suffix not in (".ipynb", ".zip")
    )
    return {"id": ex, "files": files, "tests": [f for f in files if Path(f).name.startswith("test_")]}


def bare_run(browser, base: str) -> dict:
    """Reference: the same tests in a bare Pyodide worker, nothing of ours around it."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/bare-pyodide.html")
    page.wait_for_function("() => window.bare", timeout=BOOT_TIMEOUT_MS)
    result = page.evaluate("window.bare")
    context.close()
    return result


def summary(values: list[float]) -> str:
    values = sorted(values)
    return f"{statistics.median(values):,.0f} (min {values[0]:,.0f}, max {values[-1]:,.0f}, n={len(values)})"


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    chromium = subprocess.run(
        [shutil.which("chromium") or "chromium", "--version"], capture_output=True, text=True
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src", "benchmarks"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    pyodide = json.loads((REPO / "node_modules/pyodide/package.json").read_text())["version"]
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores, {mem} GiB",
        "chromium": chromium,
        "pyodide": pyodide,
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", type=int, default=3, help="re-checks per run")
    parser.add_argument("--course", type=Path, default=REPO)
    parser.add_argument("--page", default="/modules/01-story-so-far/")
    parser.add_argument("--exercise", default=None, help="exercise id on the page (default: the first)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        t0 = time.perf_counter()
        build(args.course, site)
        build_s = time.perf_counter() - t0
        (site / "bare-worker.mjs").write_text(
            BARE_WORKER % {"exercise": json.dumps(exercise_files(site, args.page, args.exercise))}
        )
        (site / "bare-pyodide.html").write_text(BARE_PAGE)
        base = serve(site)
        # The same site without the memory snapshot: the worker boots Python and imports pytest.
        plain = Path(tmp) / "plain"
        shutil.copytree(site, plain, copy_function=os.link)
        manifest_file = plain / "assets/coursekit/exercise/manifest.json"
        manifest = json.loads(manifest_file.read_text())
        manifest_file.unlink()
        manifest_file.write_text(json.dumps({**manifest, "snapshot": None}))
        plain_base = serve(plain)
        results = {
            "machine": machine(),
            "build_s": build_s,
            "weight": [],
            "cold": [],
            "read": [],
            "bare": [],
            "cold_plain": [],
            "read_plain": [],
        }
        with sync_playwright() as p:
            chromium = shutil.which("chromium") or shutil.which("chromium-browser")
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for i in range(args.runs):
                results["bare"].append(bare_run(browser, base))
                results["weight"].append(weight_run(browser, base, args.page))
                results["cold"].append(check_runs(browser, base, args.page, args.exercise, False, 0))
                results["read"].append(check_runs(browser, base, args.page, args.exercise, True, args.warm))
                results["cold_plain"].append(check_runs(browser, plain_base, args.page, args.exercise, False, 0))
                results["read_plain"].append(check_runs(browser, plain_base, args.page, args.exercise, True, args.warm))
                print(
                    f"run {i + 1}/{args.runs}: cold {results['cold'][-1]['first_verdict_ms']:.0f} ms, "
                    f"after reading {results['read'][-1]['first_verdict_ms']:.0f} ms, "
                    f"no snapshot: cold {results['cold_plain'][-1]['first_verdict_ms']:.0f} ms, "
                    f"after reading {results['read_plain'][-1]['first_verdict_ms']:.0f} ms, "
                    f"warm {[round(w['done_ms']) for w in results['read'][-1]['warm']]} ms",
                    file=sys.stderr,
                )
            browser.close()

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    m = results["machine"]
    w = results["weight"][0]
    warm_first = [x["first_verdict_ms"] for r in results["read"] for x in r["warm"]]
    warm_done = [x["done_ms"] for r in results["read"] for x in r["warm"]]
    boots = [r["boot_ms"] for r in results["cold"] + results["read"] if r["boot_ms"]]
    print(f"- Machine: {m['cpu']}; {m['chromium']}; Pyodide {m['pyodide']}; load average at the end {m['load']}")
    print(
        f"- Date: {m['date']}; commit {m['commit']}; page {args.page}; {args.runs} runs, "
        f"each in a new browser context (empty cache)\n"
    )
    print("| measure | median (min, max) | target |")
    print("|---|---|---|")
    cold_first = statistics.median(r["first_verdict_ms"] for r in results["cold"])
    print(
        f"| cold Check: click to first verdict, nothing loaded before (ms) | "
        f"{summary([r['first_verdict_ms'] for r in results['cold']])} | ≤ 3,500 "
        f"(**{'met' if cold_first <= 3500 else 'not met'}**) |"
    )
    print(
        f"| Check after reading (runtime prefetched): click to first verdict (ms) | "
        f"{summary([r['first_verdict_ms'] for r in results['read']])} | |"
    )
    print(
        f"| warm re-check: click to first verdict (ms) | {summary(warm_first)} | ≤ 300 "
        f"(**{'met' if statistics.median(warm_first) <= 300 else 'not met'}**) |"
    )
    print(f"| warm re-check: click to all verdicts (ms) | {summary(warm_done)} | |")
    print(
        f"| warm re-check: time inside the worker, pytest included (ms) | "
        f"{summary([x['worker_ms'] for r in results['read'] for x in r['warm'] if x['worker_ms'] is not None])} | |"
    )
    print(f"| runtime boot in the worker: Pyodide, wheels, pytest warm-up (ms) | {summary(boots)} | |")
    print(
        f"| without the memory snapshot: cold Check, click to first verdict (ms) | "
        f"{summary([r['first_verdict_ms'] for r in results['cold_plain']])} | |"
    )
    print(
        f"| without the memory snapshot: Check after reading, click to first verdict (ms) | "
        f"{summary([r['first_verdict_ms'] for r in results['read_plain']])} | |"
    )
    print(
        f"| without the memory snapshot: warm re-check, click to first verdict (ms) | "
        f"{summary([x['first_verdict_ms'] for r in results['read_plain'] for x in r['warm']])} | |"
    )
    print(
        f"| bytes fetched for the runtime (cold Check, as served, uncompressed; MB) | "
        f"{summary([r['runtime_bytes'] / 1e6 for r in results['cold']])} | |"
    )
    print(
        f"| the same without the memory snapshot (MB) | "
        f"{summary([r['runtime_bytes'] / 1e6 for r in results['cold_plain']])} | |"
    )
    bare_total = statistics.median(b["total"] for b in results["bare"])
    cold_done = statistics.median(r["done_ms"] for r in results["cold"])
    print(f"| cold Check: click to all verdicts (ms) | {summary([r['done_ms'] for r in results['cold']])} | |")
    print(f"| bare Pyodide, no widget: loadPyodide() (ms) | {summary([b['boot'] for b in results['bare']])} | |")
    print(
        f"| bare Pyodide, no widget: boot, pytest wheels, the same tests run (ms) | "
        f"{summary([b['total'] for b in results['bare']])} | |"
    )
    ratio = cold_done / bare_total
    print(
        f"| cold Check (all verdicts) ÷ bare Pyodide running the same tests | {ratio:.2f} | ≤ 1.3 "
        f"(**{'met' if ratio <= 1.3 else 'not met'}**) |"
    )
    print(
        f"| JS + CSS before the runtime loads, gzipped (KB) | "
        f"{summary([x['total'] / 1000 for x in results['weight']])} | ≤ 150 |"
    )
    print(f"| of which coursekit's own (KB) | {summary([x['ours'] / 1000 for x in results['weight']])} | |")
    print(f"\nLoaded lazily before any interaction (must be empty): {w['lazy_loaded'] or 'nothing'}\n")
    print("Files loaded before the runtime (gzipped bytes):\n")
    for url, n in w["list"]:
        print(f"- `{url}`: {n:,}")
    marks = [r["boot_marks"] for r in results["read"] if r["boot_marks"]]
    if marks:
        print(
            "\nBoot phases in the worker, ms since the worker started (median): "
            + ", ".join(f"{k} {statistics.median(mk[k] for mk in marks):,.0f}" for k in marks[0])
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
