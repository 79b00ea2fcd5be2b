"""Benchmark: pages in headless Chromium, transferred bytes and time until interactive (a script, not a test).

Three kinds of page, each against a peer built and measured in the same run on the same machine:

  quiz      one real quiz of the course (default quizzes/agile-pivots.yml), converted at run time
            into mkdocs-quiz syntax, keeping only the questions both tools can express. Both
            sides are built from that same question subset, in the same temporary MkDocs
            project (same mkdocs.yml, Material features and Markdown extensions; only the
            plugin differs): ours with the coursekit plugin, the peer with mkdocs-quiz
            (benchmarks/.venv, pinned in peers.txt), with mkdocs-quiz's default options.
            Target (issue): our transfer at most the peer's, interactive time no worse. Measured
            twice: served from 127.0.0.1 as is, and on an emulated slow 4G link (CDP: 150 ms per
            request, 1.6 Mbit/s down) from a server that gzips text as a static host would.
  plain     a page with no quiz or exercise: the course's /profiles/ against the same course
            built by Material alone (coursekit off, its syntax stripped from the pages); and the
            plain page of the quiz project against mkdocs-quiz's (which adds its assets to every
            page).
  exercise  a module page of the course (overview, citations, an exercise, a quiz, key points)
            before the runtime loads (nothing scrolled, nothing clicked), against the same
            page built by Material alone. Asserts that Pyodide, the editor bundle, the worker
            and the wheels are not requested.

Every page load is a new browser context (empty cache) in the system Chromium (the
arguments of tests/conftest.py), each site served by Python's http.server on 127.0.0.1. Requests to any other host fail at DNS
(--host-resolver-rules) and are reported. Bytes: every response of the page until the
network is idle, as served (headers + body, uncompressed: http.server does not compress)
and as gzip (level 6) would send the text bodies (what a static host sends).

Time until interactive (quiz pages): from navigation start until, with the first paint
done, a click on the first question's first answer followed by its submit/Check button
produces feedback in the page. A probe injected before any page script repeats that click
every 4 ms (unchecking the answer between tries) and records performance.now() of the first
success. DOMContentLoaded and load are the ends of those events (Navigation Timing).

Usage:
    .venv/bin/python benchmarks/pages.py [--runs 5] [--quiz agile-pivots]
        [--plain-page /profiles/] [--exercise-page /modules/01-story-so-far/] [--json]

Prints a Markdown report; benchmarks/pages.md records a run and reads it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import io
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

import yaml

REPO = Path(__file__).resolve().parents[1]
PEER_MKDOCS = REPO / "benchmarks" / ".venv" / "bin" / "mkdocs"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
# No CDN: every host but 127.0.0.1 fails to resolve, with no interception cost per request.
BLOCK_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
VIEWPORT = {"width": 1200, "height": 900}
# Lighthouse's mobile profile ("slow 4G"): 150 ms per request, 1.6 Mbit/s down, 750 kbit/s up (CDP emulation)
SLOW_NETWORK = {"latency": 150, "downloadThroughput": 1638.4 * 1024 / 8, "uploadThroughput": 750 * 1024 / 8}
LAZY_RUNTIME = ("/pyodide/", "/wheels/", "editor.js", "worker.mjs", "runner.py", "manifest.json")
COMPRESSIBLE = ("text/", "javascript", "json", "xml", "svg")

# --- serving, building ---------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Gzip(_Quiet):
    """As a static host sends: text files gzipped (level 6) when the browser accepts it."""

    cache: dict[str, bytes] = {}

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        if (
            not os.path.isfile(path)
            or "gzip" not in self.headers.get("Accept-Encoding", "")
            or not any(k in ctype for k in COMPRESSIBLE)
        ):
            return super().send_head()
        if path not in self.cache:
            self.cache[path] = gzip.compress(Path(path).read_bytes(), 6)
        data = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def serve(directory: Path, gzipped: bool = False) -> str:
    handler = _Gzip if gzipped else _Quiet
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def mkdocs_build(mkdocs: list[str], config_file: Path, site: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [*mkdocs, "build", "-q", "-f", str(config_file), "-d", str(site)],
        cwd=config_file.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"build of {config_file} failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - t0


def course_config() -> dict:
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
DIRECTIVE_LINE = re.compile(r"^::(quiz|exercise|references|timeline)\{[^}]*\}\s*$")
CITATION = re.compile(r"\s?:fact\[[^\]]*\]")


def strip_coursekit(markdown: str) -> str:
    """The page as Material alone would show it to a learner: no directives, no instructor
    blocks, no citations (what the coursekit plugin turns into widgets, hides or links)."""
    out, fence, instructor = [], None, False
    for line in markdown.splitlines():
        m = FENCE.match(line)
        if fence:
            out.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            out.append(line)
            continue
        if instructor:
            instructor = line.strip() != ":::"
            continue
        if line.strip() == ":::instructor":
            instructor = True
            continue
        if DIRECTIVE_LINE.match(line):
            continue
        out.append(CITATION.sub("", line))
    return "\n".join(out) + "\n"


def build_course(tmp: Path) -> dict:
    """The course as it ships (coursekit on), and Material alone on the same pages."""
    ours = tmp / "course-site"
    t_ours = mkdocs_build([sys.executable, "-m", "mkdocs"], REPO / "mkdocs.yml", ours)
    docs = tmp / "course-stripped"
    shutil.copytree(REPO / course_config()["docs_dir"], docs)
    for md_file in docs.rglob("*.md"):
        md_file.write_text(strip_coursekit(md_file.read_text(encoding="utf-8")), encoding="utf-8")
    data = course_config()
    data["docs_dir"] = str(docs)
    data["strict"] = False
    for entry in data["plugins"]:
        if isinstance(entry, dict) and "coursekit" in entry:
            entry["coursekit"] = {**(entry["coursekit"] or {}), "enabled": False}
    cfg = tmp / "mkdocs-material-only.yml"
    cfg.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    base = tmp / "course-material-only"
    t_base = mkdocs_build([sys.executable, "-m", "mkdocs"], cfg, base)
    return {"ours": ours, "material": base, "build_s": {"ours": t_ours, "material": t_base}}


# --- the same quiz in mkdocs-quiz syntax ------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _quote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in str(text).strip().splitlines()]


def convert_question(q: dict) -> tuple[str | None, str]:
    """A coursekit question as an mkdocs-quiz <quiz> block, or None and why it was dropped."""
    kind = q["type"]
    if q.get("hints"):
        return None, "has hints (mkdocs-quiz has none)"
    prompt = str(q["prompt"]).strip()
    if "[[" in prompt or re.search(r"^[-*] \[", prompt, re.M):
        return None, "prompt would read as mkdocs-quiz syntax"
    lines = ["<quiz>", prompt]
    if kind in ("single", "multiple"):
        for o in q["options"]:
            lines.append(f"- [{'x' if o.get('correct') else ' '}] {_one_line(o['text'])}")
            lines += _quote(o["feedback"])
    elif kind == "true_false":
        for value, label in ((True, "True"), (False, "False")):
            lines.append(f"- [{'x' if q['answer'] is value else ' '}] {label}")
            lines += _quote(q["feedback_true" if value else "feedback_false"])
    elif kind == "short_text":
        if len(q.get("accept", [])) != 1 or q.get("mistakes") or q.get("case_sensitive"):
            return None, (
                f"short text with {len(q.get('accept', []))} accepted answers and "
                f"{len(q.get('mistakes', []))} diagnosed mistakes (an mkdocs-quiz blank takes one "
                "answer, compared case-insensitively, with no feedback per wrong answer)"
            )
        lines.append(f"[[{q['accept'][0]}]]")
        lines.append("")
        lines.append("---")
    elif kind == "numeric":
        return None, (
            "numeric with tolerance and diagnosed mistakes (an mkdocs-quiz blank compares text "
            "exactly: no tolerance, no number parsing, no feedback per wrong value)"
        )
    else:
        return None, f"{kind} (no mkdocs-quiz equivalent)"
    lines.append("")
    lines.append(str(q["explanation"]).strip())
    lines.append("</quiz>")
    return "\n".join(lines), ""


def build_quiz_project(tmp: Path, quiz_id: str) -> dict:
    """One temporary MkDocs project, built twice: coursekit and mkdocs-quiz, same pages, same quiz."""
    quiz = yaml.safe_load((REPO / "quizzes" / f"{quiz_id}.yml").read_text(encoding="utf-8"))
    kept, dropped, blocks = [], [], []
    for q in quiz["questions"]:
        block, why = convert_question(q)
        if block is None:
            dropped.append((q["id"], q["type"], why))
            continue
        q = {k: v for k, v in q.items() if k != "section"}  # links into course pages this project lacks
        kept.append(q)
        blocks.append(block)
    subset = {**quiz, "questions": kept}

    # the module page that declares the quiz's objectives (coursekit checks them): same file on both sides
    cfg = course_config()
    module_src = next(
        p
        for p in (REPO / cfg["docs_dir"] / "modules").glob("*.md")
        if re.search(rf"^module:\s*{quiz['module']}\s*$", p.read_text(encoding="utf-8"), re.M)
    )
    front = module_src.read_text(encoding="utf-8").split("---", 2)[1]
    plain_src = REPO / cfg["docs_dir"] / "profiles.md"

    out = {
        "kept": [(q["id"], q["type"]) for q in kept],
        "dropped": dropped,
        "sites": {},
        "build_s": {},
        "module_page": module_src.name,
        "plain_page": plain_src.name,
    }
    description = str(quiz.get("description", "")).strip()
    for side in ("ours", "peer"):
        root = tmp / f"quiz-{side}"
        docs = root / "docs"
        (docs / "modules").mkdir(parents=True)
        (docs / "modules" / module_src.name).write_text(f"---{front}---\n\n# {quiz['title']}\n", encoding="utf-8")
        (docs / "index.md").write_text(plain_src.read_text(encoding="utf-8"), encoding="utf-8")
        if side == "ours":
            (root / "quizzes").mkdir()
            (root / "exercises").mkdir()
            (root / "quizzes" / f"{quiz_id}.yml").write_text(
                yaml.safe_dump(subset, sort_keys=False, allow_unicode=True), encoding="utf-8"
            )
            body = f'::quiz{{id="{quiz_id}"}}\n'
            plugin = {"coursekit": {"quizzes_dir": "quizzes", "exercises_dir": "exercises"}}
        else:
            # our widget shows the quiz's description inside the form; here it is a paragraph
            body = (description + "\n\n" if description else "") + "\n\n".join(blocks) + "\n"
            plugin = "mkdocs_quiz"
        (docs / "quiz.md").write_text(f"# Quiz: {quiz['title']}\n\n{body}", encoding="utf-8")
        data = {k: v for k, v in cfg.items() if k not in ("nav", "exclude_docs")}
        data.update(
            {
                "docs_dir": "docs",
                "strict": False,
                "site_url": "http://127.0.0.1/",
                "plugins": ["search", plugin],
                "nav": [{"Home": "index.md"}, {quiz["title"]: f"modules/{module_src.name}"}, {"Quiz": "quiz.md"}],
            }
        )
        (root / "mkdocs.yml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        mkdocs = [sys.executable, "-m", "mkdocs"] if side == "ours" else [str(PEER_MKDOCS)]
        out["build_s"][side] = mkdocs_build(mkdocs, root / "mkdocs.yml", root / "site")
        out["sites"][side] = root / "site"
    return out


# --- what the HTML carries ------------------------------------------------------------------


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def html_parts(html: str, side: str) -> list[tuple[str, int, int]]:
    """(part, raw bytes, gzip bytes of that part alone) of a quiz page's HTML."""

    def part(name: str, pieces: list[str]) -> tuple[str, int, int]:
        blob = "".join(pieces).encode()
        return name, len(blob), gz(blob) if blob else 0

    if side == "ours":
        data = re.findall(r' data-ck-quiz="[^"]*"', html)
        forms = re.findall(r'<form class="ck-quiz".*?</form>', html, re.S)
        rest = "".join(forms)
        for d in data:
            rest = rest.replace(d, "", 1)
        scripts = [js for js in re.findall(r"<script>.*?</script>", html, re.S) if "ck-" in js]
        styles = [css for css in re.findall(r"<style>.*?</style>", html, re.S) if ".ck-" in css]
        return [
            part("inline CSS (the quiz styles)", styles),
            part("inline script (quiz.js bundled with grading.js and responses.js)", scripts),
            part("quiz data (data-ck-quiz attribute: key, feedback, explanations as JSON)", data),
            part("quiz form markup", [rest]),
        ]
    sources = re.findall(r"<!-- mkdocs-quiz-source\n.*?-->\n?", html, re.S)
    styles = re.findall(r'<style type="text/css">.*?</style>', html, re.S)
    scripts = list(re.findall(r'<script type="text/javascript"[^>]*>.*?</script>', html, re.S))
    sidebar = re.findall(r'<div id="quiz-progress-sidebar".*?</nav>', html, re.S)
    quizzes = re.findall(r'<div class="quiz[ "].*?</section>\s*</div>', html, re.S)
    return [
        part("inline CSS (quiz.css)", styles),
        part("inline scripts (quiz.js, js-confetti, translations, config)", scripts),
        part("quiz source comments (embed_source)", sources),
        part("progress sidebar markup", sidebar),
        part("quiz markup (questions, answers, feedback, explanations)", quizzes),
    ]


# --- one page load ----------------------------------------------------------------------

PROBE = r"""
(() => {
  if (!location.protocol.startsWith("http")) return;
  const cfg = __CFG__;
  const out = window.__bench = { tti: null, exercise: null, attempts: 0, done: false };
  const painted = () => performance.getEntriesByType("paint").some((e) => e.name === "first-contentful-paint");
  const shown = (q) => cfg.quiz.feedback === "ours"
    ? (q.querySelector(".ck-feedback")?.childElementCount ?? 0) > 0
    : !!q.querySelector(".quiz-feedback:not(.hidden)");
  function tick() {
    const now = performance.now();
    if (cfg.exercise && out.exercise === null && document.querySelector(cfg.exercise)) out.exercise = now;
    if (cfg.quiz && out.tti === null && painted()) {
      const q = document.querySelector(cfg.quiz.question);
      const input = q && q.querySelector(cfg.quiz.input);
      if (input) {
        out.attempts++;
        input.checked = false;
        input.click();
        const submit = cfg.quiz.submit ? q.querySelector(cfg.quiz.submit) : null;
        if (submit) submit.click();
        if (shown(q)) out.tti = performance.now();
      }
    }
    out.done = (!cfg.quiz || out.tti !== null) && (!cfg.exercise || out.exercise !== null);
    if (!out.done) setTimeout(tick, 4);
  }
  tick();
})();
"""
QUIZ_PROBES = {
    "ours": {
        "question": "form.ck-quiz li.ck-question:has(input[type=radio], input[type=checkbox])",
        "input": "input[type=radio], input[type=checkbox]",
        "submit": ".ck-check",
        "feedback": "ours",
    },
    "peer": {"question": "div.quiz", "input": "fieldset input", "submit": 'button[type="submit"]', "feedback": "peer"},
}
TIMINGS = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint");
  return { html: n.responseEnd, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, fcp: fcp ? fcp.startTime : null,
           tti: window.__bench.tti, exercise: window.__bench.exercise, attempts: window.__bench.attempts,
           resources: Object.fromEntries(performance.getEntriesByType("resource").map(
             (e) => [new URL(e.name).pathname, [e.startTime, e.responseEnd]])) };
}"""


def is_local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1:", "data:", "blob:"))


def load_page(browser, base: str, path: str, probe: dict, network: dict | None = None, gzipped: bool = False) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(PROBE.replace("__CFG__", json.dumps(probe)))
    finished, failed, outside, errors = [], [], [], []
    context.on("requestfinished", lambda r: finished.append(r))
    context.on("requestfailed", lambda r: failed.append(r.url))
    context.on("request", lambda r: None if is_local(r.url) else outside.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if network:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **network})
    page.goto(base + path, wait_until="load", timeout=60_000)
    if probe:
        page.wait_for_function("() => window.__bench && window.__bench.done", timeout=30_000, polling=50)
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=10_000)
    timings = page.evaluate(TIMINGS)
    files = []
    for request in finished:
        response = request.response()
        if response is None or not is_local(request.url) or request.url.startswith(("data:", "blob:")):
            continue
        sizes = request.sizes()
        try:
            body = response.body()
        except Exception:
            body = b""
        ctype = response.headers.get("content-type", "")
        zipped = gz(body) if body and any(k in ctype for k in COMPRESSIBLE) else len(body)
        # what crossed the wire: the headers, then the body as the server sent it (http.server:
        # as stored; the gzip server: compressed at level 6, the same bytes as the gzip column)
        sent = zipped if gzipped else len(body)
        files.append(
            {
                "url": request.url.replace(base, ""),
                "type": ctype.split(";")[0],
                "transfer": sizes["responseHeadersSize"] + sent,
                "body": len(body),
                "gzip": zipped,
            }
        )
    context.close()
    return {
        **timings,
        "files": files,
        "requests": len(files),
        "transfer": sum(f["transfer"] for f in files),
        "body": sum(f["body"] for f in files),
        "gzip": sum(f["gzip"] for f in files),
        "outside": outside,
        "failed": failed,
        "errors": errors,
        "lazy": [f["url"] for f in files if any(x in f["url"] for x in LAZY_RUNTIME)],
    }


# --- report -------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    chromium = subprocess.run([chromium_path(), "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src", "benchmarks/pages.py", "mkdocs.yml", "course", "quizzes"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    peer = subprocess.run(
        [
            str(PEER_MKDOCS.parent / "python"),
            "-c",
            "import importlib.metadata as m; print(m.version('mkdocs-quiz'), m.version('mkdocs-material'))",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB",
        "chromium": chromium,
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "peer": f"mkdocs-quiz {peer[0]}, mkdocs-material {peer[1]}" if len(peer) == 2 else "?",
    }


def chromium_path() -> str:
    for candidate in (
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("Chromium not found (Debian: apt-get install chromium, or set CHROMIUM=/path)")


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def stat(values: list[float], fmt: str = ",.0f") -> str:
    values = sorted(v for v in values if v is not None)
    if not values:
        return "n/a"
    med = statistics.median(values)
    if values[0] == values[-1]:
        return f"{med:{fmt}}"
    return f"{med:{fmt}} ({values[0]:{fmt}} to {values[-1]:{fmt}})"


def ratios(a: list[dict], b: list[dict], key: str) -> list[float]:
    return [x[key] / y[key] for x, y in zip(a, b) if x.get(key) and y.get(key)]


ROWS = [
    ("transfer", "transferred, as served (KB: headers + bodies as sent)", 1000, ",.1f"),
    ("gzip", "bodies gzipped (KB: what a static host sends)", 1000, ",.1f"),
    ("requests", "requests", 1, ",.0f"),
    ("fcp", "first contentful paint (ms)", 1, ",.0f"),
    ("dcl", "DOMContentLoaded end (ms)", 1, ",.0f"),
    ("load", "load end (ms)", 1, ",.0f"),
    ("tti", "interactive: answer + submit gives feedback (ms)", 1, ",.0f"),
    ("exercise", "exercise widget attached (ms)", 1, ",.0f"),
]
QUIZ_TARGETS = {"transfer": "≤ 1.00", "gzip": "≤ 1.00", "tti": "≤ 1.00"}


def verdict(rs: list[float]) -> str:
    """Met when the median of the per-run ratios is at most 1; says so when the runs disagree."""
    if not rs:
        return "n/a"
    med, lo, hi = statistics.median(rs), min(rs), max(rs)
    if med <= 1.0:
        return f"**met** ({med:.2f})" + (f", though some runs were above 1 (up to {hi:.2f})" if hi > 1.0 else "")
    return f"**not met** ({med:.2f})" + (f", within the spread of the runs ({lo:.2f} to {hi:.2f})" if lo <= 1.0 else "")


def table(title: str, a_name: str, b_name: str, a: list[dict], b: list[dict], targets: dict) -> str:
    lines = [
        f"**{title}**",
        "",
        f"| measure | {a_name} | {b_name} | ratio ours/peer | target | met? |",
        "|---|---|---|---|---|---|",
    ]
    for key, label, scale, fmt in ROWS:
        if not any(r.get(key) is not None for r in a + b):
            continue
        va = [r[key] / scale if r.get(key) is not None else None for r in a]
        vb = [r[key] / scale if r.get(key) is not None else None for r in b]
        rs = ratios(a, b, key)
        target = targets.get(key, "")
        met = ("yes" if statistics.median(rs) <= 1.0 else "**no**") if target and rs else ""
        lines.append(
            f"| {label} | {stat(va, fmt)} | {stat(vb, fmt)} | {stat(rs, '.2f') if rs else ''} | {target} | {met} |"
        )
    return "\n".join(lines) + "\n"


def breakdown(name: str, files: list[dict]) -> str:
    lines = [f"| {name}: file | type | as served (B) | gzip (B) |", "|---|---|---|---|"]
    for f in sorted(files, key=lambda f: -f["gzip"]):
        lines.append(f"| `{f['url']}` | {f['type']} | {f['transfer']:,} | {f['gzip']:,} |")
    total_t, total_g = sum(f["transfer"] for f in files), sum(f["gzip"] for f in files)
    lines.append(f"| **total** ({len(files)} requests) | | **{total_t:,}** | **{total_g:,}** |")
    return "\n".join(lines) + "\n"


CLOSE_TTI = (
    "What would close it (in src/coursekit, not done here): the quiz script is inline after the quizzes and "
    "attaches while the page is parsed, before Material's own script, so what is left is the page itself: "
    "the bytes before the quiz (Material's head and stylesheets) and the first paint."
)


def interactive_story(ours: list[dict], peer: list[dict]) -> str:
    """When our quiz could first be answered against the page's own milestones (medians over the runs, ms)."""

    def nav(runs, key):
        return statistics.median(r[key] for r in runs if r.get(key) is not None)

    return (
        f"ours was interactive at {nav(ours, 'tti'):,.0f} ms (its script is inline after the quizzes; the HTML "
        f"had arrived at {nav(ours, 'html'):,.0f} ms, the first paint came at {nav(ours, 'fcp'):,.0f} ms, "
        f"DOMContentLoaded at {nav(ours, 'dcl'):,.0f} ms); mkdocs-quiz attaches at DOMContentLoaded, "
        f"{nav(peer, 'dcl'):,.0f} ms, first paint {nav(peer, 'fcp'):,.0f} ms."
    )


def differing(ours: list[dict], peer: list[dict]) -> str:
    """The files whose gzipped size differs between two loads, or that only one of them made."""
    a, b = {f["url"]: f["gzip"] for f in ours}, {f["url"]: f["gzip"] for f in peer}
    parts = []
    for url in sorted(a.keys() | b.keys(), key=lambda u: -abs(a.get(u, 0) - b.get(u, 0))):
        if a.get(url) != b.get(url):
            parts.append(f"`{url}` {a.get(url, 0):,} against {b.get(url, 0):,} B gzipped")
    return "; ".join(parts) or "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quiz", default="agile-pivots", help="quiz id in quizzes/ to convert for the peer")
    parser.add_argument("--plain-page", default="/profiles/")
    parser.add_argument("--exercise-page", default="/modules/01-story-so-far/")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not PEER_MKDOCS.exists():
        raise SystemExit(f"{PEER_MKDOCS} is missing: `make bench` installs the peers (benchmarks/peers.txt)")

    from playwright.sync_api import sync_playwright

    t_start = time.perf_counter()
    load_start = load_avg()
    with tempfile.TemporaryDirectory(prefix="coursekit-pages-") as tmp:
        tmp = Path(tmp)
        course = build_course(tmp)
        quiz = build_quiz_project(tmp, args.quiz)
        bases = {
            "course": serve(course["ours"]),
            "material": serve(course["material"]),
            "quiz-ours": serve(quiz["sites"]["ours"]),
            "quiz-peer": serve(quiz["sites"]["peer"]),
            "quiz-ours-gz": serve(quiz["sites"]["ours"], gzipped=True),
            "quiz-peer-gz": serve(quiz["sites"]["peer"], gzipped=True),
        }
        ex_probe = {"exercise": "section.ck-exercise[data-ck-attached]", "quiz": QUIZ_PROBES["ours"]}
        quiz_ours, quiz_peer = {"quiz": QUIZ_PROBES["ours"]}, {"quiz": QUIZ_PROBES["peer"]}
        # comparison -> (ours: server, path, probe), (peer: server, path, probe), network, gzip served
        pairs = {
            "quiz": (("quiz-ours", "/quiz/", quiz_ours), ("quiz-peer", "/quiz/", quiz_peer), None, False),
            "quiz-slow": (
                ("quiz-ours-gz", "/quiz/", quiz_ours),
                ("quiz-peer-gz", "/quiz/", quiz_peer),
                SLOW_NETWORK,
                True,
            ),
            "plain-quiz-project": (("quiz-ours", "/", {}), ("quiz-peer", "/", {}), None, False),
            "plain": (("course", args.plain_page, {}), ("material", args.plain_page, {}), None, False),
            "exercise": (("course", args.exercise_page, ex_probe), ("material", args.exercise_page, {}), None, False),
        }
        html = {
            side: (quiz["sites"][side] / "quiz" / "index.html").read_text(encoding="utf-8") for side in ("ours", "peer")
        }
        results = {k: {"ours": [], "peer": []} for k in pairs}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS + BLOCK_ARGS)
            for run in range(args.runs + 1):  # run 0 warms Chromium and the OS caches, not counted
                for name, (ours, peer, network, gzipped) in pairs.items():
                    order = ("ours", "peer") if run % 2 else ("peer", "ours")  # alternate who goes first
                    for side in order:
                        key, path, probe = ours if side == "ours" else peer
                        r = load_page(browser, bases[key], path, probe, network, gzipped)
                        if run:
                            results[name][side].append(r)
                if run:
                    q = results["quiz"]
                    print(
                        f"run {run}/{args.runs}: quiz page interactive ours {q['ours'][-1]['tti']:.0f} ms, "
                        f"mkdocs-quiz {q['peer'][-1]['tti']:.0f} ms; load average {load_avg()}",
                        file=sys.stderr,
                    )
            browser.close()
    elapsed = time.perf_counter() - t_start
    m = machine()
    if args.json:
        print(
            json.dumps(
                {"machine": m, "quiz": {k: v for k, v in quiz.items() if k != "sites"}, "results": results},
                indent=2,
                default=str,
            )
        )
        return 0

    problems = []
    for name, sides in results.items():
        for side, runs in sides.items():
            for r in runs:
                problems += [f"{name}/{side}: request left 127.0.0.1: {u}" for u in r["outside"]]
                problems += [f"{name}/{side}: JavaScript error: {e}" for e in r["errors"]]
    lazy = sorted({u for r in results["exercise"]["ours"] for u in r["lazy"]})
    if lazy:
        problems.append(f"exercise page: the runtime was requested before any interaction: {lazy}")

    q_ours, q_peer = results["quiz"]["ours"], results["quiz"]["peer"]
    s_ours, s_peer = results["quiz-slow"]["ours"], results["quiz-slow"]["peer"]
    print(
        f"- Machine: {m['cpu']}; {m['chromium']}; load average {load_start} at the start, {load_avg()} at the end "
        "(the machine is shared)"
    )
    print(f"- Date: {m['date']}; commit {m['commit']}; peer {m['peer']} (benchmarks/.venv, default options)")
    print(
        f"- {args.runs} runs after one warm-up round; every page load in a new browser context (empty cache); "
        f"ours and the peer alternate which goes first; figures are median (min to max); a ratio is "
        f"ours/peer within the same run. Whole benchmark: {elapsed:.0f} s\n"
    )

    print(
        f"Quiz `{args.quiz}` (quizzes/{args.quiz}.yml): {len(quiz['kept'])} of "
        f"{len(quiz['kept']) + len(quiz['dropped'])} questions kept on both sides "
        f"({', '.join(sorted({t for _, t in quiz['kept']}))}); dropped:\n"
    )
    for qid, kind, why in quiz["dropped"]:
        print(f"- `{qid}` ({kind}): {why}")
    print(
        "\nKept as written (prompts, options, per-option feedback, explanations; our side also keeps the "
        "misconceptions); only the `section` links were removed, as the temporary project has no course pages to "
        "link to. In mkdocs-quiz each option's feedback is a `>` line under it, the explanation is the block's "
        "content, true/false is two options. Both projects: the course's mkdocs.yml (theme, features, palette, "
        "Markdown extensions) with plugins `search` plus the one plugin, three pages (a copy of "
        f"course/{quiz['plain_page']}, the quiz's module page for its objectives, the quiz page).\n"
    )

    print(
        table(
            "Quiz page, served from 127.0.0.1: coursekit against mkdocs-quiz (same questions, same project)",
            "coursekit",
            "mkdocs-quiz",
            q_ours,
            q_peer,
            QUIZ_TARGETS,
        )
    )
    print(
        table(
            "Quiz page on an emulated slow 4G link (150 ms per request, 1.6 Mbit/s down), text served "
            "gzipped as a static host would",
            "coursekit",
            "mkdocs-quiz",
            s_ours,
            s_peer,
            QUIZ_TARGETS,
        )
    )
    print(
        table(
            f"Plain page of the same project (a copy of course/{quiz['plain_page']}): coursekit against "
            "mkdocs-quiz, which adds its assets to every page",
            "coursekit",
            "mkdocs-quiz",
            results["plain-quiz-project"]["ours"],
            results["plain-quiz-project"]["peer"],
            {},
        )
    )
    print(
        table(
            f"Plain page of the course, `{args.plain_page}`: coursekit against Material alone "
            "(the same course with coursekit off and its syntax stripped from the pages)",
            "coursekit",
            "Material alone",
            results["plain"]["ours"],
            results["plain"]["peer"],
            {},
        )
    )
    print(
        "Files that differ (last run): "
        + differing(results["plain"]["ours"][-1]["files"], results["plain"]["peer"][-1]["files"])
        + "\n"
    )
    print(
        table(
            f"Exercise page of the course, `{args.exercise_page}`, before the runtime loads: coursekit "
            "against Material alone on the same prose",
            "coursekit",
            "Material alone",
            results["exercise"]["ours"],
            results["exercise"]["peer"],
            {},
        )
    )
    print(
        "Files that differ (last run): "
        + differing(results["exercise"]["ours"][-1]["files"], results["exercise"]["peer"][-1]["files"])
        + "\n"
    )
    print(
        'On the exercise page, "interactive" is the page\'s own quiz (the same probe as above); '
        '"exercise widget attached" is when the exercise\'s buttons are wired (`data-ck-attached`). '
        "Runtime requested before any interaction (must be nothing): "
        f"{', '.join(f'`{u}`' for u in lazy) or '**nothing**'} (checked on every run: no URL with "
        f"{', '.join(f'`{x}`' for x in LAZY_RUNTIME)}).\n"
    )
    outside = sorted({u for k in results.values() for s in k.values() for r in s for u in r["outside"]})
    print(f"Requests that left 127.0.0.1, on any page: {', '.join(outside) or 'none'}.\n")

    print("Targets (quiz page against mkdocs-quiz, median of the per-run ratios):\n")
    for label, a, b in (("from 127.0.0.1", q_ours, q_peer), ("on slow 4G", s_ours, s_peer)):
        print(
            f"- {label}: transfer gzipped {verdict(ratios(a, b, 'gzip'))}; as served "
            f"{verdict(ratios(a, b, 'transfer'))}; interactive time {verdict(ratios(a, b, 'tti'))}."
        )
    print()
    missed = [
        (label, a, b)
        for label, a, b in (("from 127.0.0.1", q_ours, q_peer), ("on slow 4G", s_ours, s_peer))
        if statistics.median(ratios(a, b, "tti")) > 1.0
    ]
    for label, a, b in missed:
        print(f"Why interactive time is missed {label}: " + interactive_story(a, b) + "\n")
    if missed:
        print(CLOSE_TTI + "\n")
    print("Files of one cold load of the quiz page (last run, from 127.0.0.1):\n")
    print(breakdown("coursekit", q_ours[-1]["files"]))
    print(breakdown("mkdocs-quiz", q_peer[-1]["files"]))
    print("What the quiz page's HTML carries for the quiz (gzip: that part compressed alone):\n")
    print("| side | part | raw (B) | gzip (B) |")
    print("|---|---|---|---|")
    for side, name in (("ours", "coursekit"), ("peer", "mkdocs-quiz")):
        for part, raw, g in html_parts(html[side], side):
            print(f"| {name} | {part} | {raw:,} | {g:,} |")
        print(f"| {name} | whole HTML document | {len(html[side].encode()):,} | {gz(html[side].encode()):,} |")
    if problems:
        print("\nPROBLEMS:\n" + "\n".join(f"- {p}" for p in problems))
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
