// The exercise widget: turns each server-rendered <section class="ck-exercise"> into an
// editor with Run, Check, Hint, Reset and Stop, running Python in a module Web Worker.
//
// Loaded as an ES module on pages that embed an exercise. A module runs once per document,
// so the runtime below (one worker per page session) survives Material's instant
// navigation; widgets re-attach through document$. Nothing heavy loads up front: the
// editor bundle and Python start when an exercise scrolls into view or is first used.

const STORE = "coursekit:exercise:";
const SAVE_DELAY_MS = 300;

// --- the runtime: one worker per page session ------------------------------------------

const stats = { workersCreated: 0, bootId: null, bootMs: null, events: [] };
// Read-only numbers for tests and benchmarks (never used for grading).
globalThis.coursekitRuntime = stats;

const runtime = {
  worker: null,
  ready: null, // Promise resolved when Python is up in the current worker
  jobs: new Map(), // job id -> {handlers, resolve, timer, limitMs}
  nextJob: 1,

  start() {
    const worker = new Worker(new URL("worker.mjs", import.meta.url), { type: "module", name: "coursekit-python" });
    stats.workersCreated += 1;
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.addEventListener("message", (ev) => {
        const m = ev.data;
        if (m.type === "ready") {
          stats.bootId = m.bootId;
          stats.bootMs = m.ms;
          stats.bootMarks = m.marks;
          resolve();
        } else if (m.type === "failed" && m.job === null) {
          reject(new Error(m.message));
        }
      });
    });
    this.ready.catch(() => {});
    worker.addEventListener("message", (ev) => this.receive(ev.data));
    worker.addEventListener("error", (ev) => this.crash(`Python stopped unexpectedly: ${ev.message ?? "worker error"}`));
    return worker;
  },

  ensure() {
    return this.worker ?? this.start();
  },

  receive(m) {
    const j = this.jobs.get(m.job);
    if (!j) return;
    if (m.type === "started") {
      j.handlers.onStarted?.();
      j.timer = setTimeout(() => this.kill("timeout"), j.limitMs);
    } else if (m.type === "out") {
      j.handlers.onOut?.(m.stream, m.text);
    } else if (m.type === "test") {
      j.handlers.onTest?.(m.result);
    } else if (m.type === "done") {
      this.finish(m.job, { kind: "done", exitCode: m.exitCode, report: m.report, bootId: m.bootId, ms: m.ms });
    } else if (m.type === "failed") {
      this.finish(m.job, { kind: "failed", message: m.message });
    }
  },

  finish(id, result) {
    const j = this.jobs.get(id);
    if (!j) return;
    clearTimeout(j.timer);
    this.jobs.delete(id);
    j.resolve(result);
  },

  run(mode, exercise, code, handlers, limitMs) {
    this.ensure();
    const job = this.nextJob++;
    return new Promise((resolve) => {
      this.jobs.set(job, { handlers, resolve, timer: null, limitMs });
      this.worker.postMessage({ type: "run", job, mode, exercise, code });
    });
  },

  // Stop and the time limit end the worker: the only sure way to stop a Python loop
  // without cross-origin isolation. A fresh worker boots at once for the next Run.
  kill(kind) {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    this.ready = null;
    for (const id of [...this.jobs.keys()]) this.finish(id, { kind });
    stats.events.push({ type: kind, at: performance.now() });
    this.start();
  },

  crash(message) {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    for (const id of [...this.jobs.keys()]) this.finish(id, { kind: "failed", message });
  },

  busy() {
    return this.jobs.size > 0;
  },
};

// --- the editor, loaded on demand ---------------------------------------------------------

let editorModule = null;
const loadEditorModule = () => (editorModule ??= import(new URL("editor.js", import.meta.url).href));

// --- small helpers --------------------------------------------------------------------------

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

const storage = {
  get(key) {
    try { return localStorage.getItem(STORE + key); } catch { return null; }
  },
  set(key, value) {
    try { localStorage.setItem(STORE + key, value); } catch { /* private mode, quota: work stays in the page */ }
  },
  remove(key) {
    try { localStorage.removeItem(STORE + key); } catch { /* as above */ }
  },
};

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// --- one exercise --------------------------------------------------------------------------

function attach(section) {
  if (section.dataset.ckAttached) return;
  section.dataset.ckAttached = "1";
  const data = JSON.parse(section.querySelector("template.ck-exercise__data").content.textContent);
  const id = data.id;
  const base = new URL(`../exercises/${id}/`, import.meta.url).href;
  const spec = { id, base, starter: data.starter_file, tests: data.tests, data: data.data };
  const key = (k) => `${id}:${k}`;
  // Both written in by the build (coursekit/site/exercises.py has the defaults); read when used.
  const limitS = () => Number(section.dataset.timeLimit);
  const checksBeforeSolution = () => Number(section.dataset.checksBeforeSolution);

  // The server-rendered starter stays until the editor replaces it.
  const codeBox = section.querySelector(".ck-exercise__code");
  const staticCode = codeBox.querySelector(".highlight");
  let editor = null;
  let saved = storage.get(key("code"));
  if (saved !== null && saved !== data.starter) {
    const pre = staticCode.querySelector("pre");
    pre.replaceChildren(el("code", {}, saved)); // the learner's own code, as plain text until the editor loads
  }
  const code = () => (editor ? editor.getValue() : saved ?? data.starter);
  section.coursekit = { code }; // the code as it stands (for tests and other widgets)

  let saveTimer = null;
  const saveNow = () => {
    clearTimeout(saveTimer);
    saveTimer = null;
    if (!editor) return;
    saved = editor.getValue();
    if (saved === data.starter) storage.remove(key("code"));
    else storage.set(key("code"), saved);
  };
  addEventListener("pagehide", saveNow);

  const controls = el("div", { class: "ck-exercise__controls", role: "group", "aria-label": `Controls for ${data.title}` });
  const button = (label, cls, title) => {
    const b = el("button", { type: "button", class: `md-button ${cls}` }, label);
    if (title) b.title = title;
    controls.append(b);
    return b;
  };
  const runBtn = button("Run", "ck-run", "Run your code (its output appears below)");
  const checkBtn = button("Check", "md-button--primary ck-check", "Run the tests (Ctrl+Enter in the editor)");
  const stopBtn = button("Stop", "ck-stop", "Stop the running code");
  const hintBtn = button("Hint", "ck-hint-button");
  const resetBtn = button("Reset", "ck-reset", "Replace your code with the starter");
  stopBtn.disabled = true;

  const status = el("p", { class: "ck-exercise__status", role: "status", "aria-live": "polite" });
  const outputLabelId = `ck-output-${id}`;
  const outputBox = el("div", { class: "ck-exercise__output-box", hidden: "" });
  const output = el("pre", { class: "ck-exercise__output", tabindex: "0", "aria-labelledby": outputLabelId });
  const outputLabel = el("p", { class: "ck-exercise__label", id: outputLabelId }, "Output");
  outputBox.append(outputLabel, output);
  const results = el("ol", { class: "ck-exercise__results", "aria-label": "Test results", hidden: "" });
  const help = el("p", { class: "ck-exercise__help" },
    "Ctrl+Enter (⌘+Enter) in the editor checks your code. To leave the editor with the keyboard, press Esc, then Tab.");
  codeBox.after(help, controls, status, results, outputBox);

  // Hints: the server renders them all (readable without JavaScript); here they come one at a
  // time, just below the results.
  const hints = [...section.querySelectorAll(".ck-hint")];
  outputBox.after(...hints);
  let shown = Math.min(Number(storage.get(key("hints")) || 0), hints.length);
  const showHints = () => {
    hints.forEach((h, i) => { h.hidden = i >= shown; });
    hintBtn.textContent = shown < hints.length ? `Hint (${shown + 1} of ${hints.length})` : "No more hints";
    hintBtn.disabled = shown >= hints.length;
  };
  showHints();
  hintBtn.addEventListener("click", () => {
    if (shown >= hints.length) return;
    shown += 1;
    storage.set(key("hints"), String(shown));
    showHints();
    const h = hints[shown - 1];
    h.open = true;
    h.querySelector("summary")?.focus();
  });

  // The solution: offered once the tests pass, or after enough checks.
  let solutionShown = false;
  const offerSolution = (why) => {
    if (solutionShown || typeof data.solution !== "string") return;
    solutionShown = true;
    const box = el("details", { class: "success ck-exercise__solution" });
    box.append(el("summary", {}, why), el("pre", {}, ""));
    box.querySelector("pre").append(el("code", {}, data.solution));
    (hints.at(-1) ?? outputBox).after(box);
  };
  const checks = () => Number(storage.get(key("checks")) || 0);
  if (storage.get(key("passed"))) offerSolution("A model solution (you passed every test)");
  else if (checks() >= checksBeforeSolution()) offerSolution("A model solution");

  // The editor replaces the static code on first use, or when the exercise comes into view.
  let mounting = null;
  const mountEditor = () => (mounting ??= loadEditorModule().then((m) => {
    editor = m.createEditor(el("div"), code(), {
      label: `Python code for the exercise ${data.title}`,
      onChange: () => { clearTimeout(saveTimer); saveTimer = setTimeout(saveNow, SAVE_DELAY_MS); },
      onSubmit: () => { if (!checkBtn.disabled) execute("check"); },
    });
    const holder = el("div", { class: "ck-exercise__editor" });
    holder.append(editor.view.dom);
    staticCode.hidden = true;
    staticCode.after(holder);
    section.dataset.editor = "ready";
    return editor;
  }).catch((e) => {
    mounting = null;
    status.textContent = `The editor could not load (${e.message}); your code is still runnable.`;
    throw e;
  }));
  staticCode.tabIndex = 0;
  staticCode.setAttribute("aria-label", "Starter code: press Enter to edit");
  const editNow = () => mountEditor().then((ed) => ed.focus(), () => {});
  staticCode.addEventListener("click", editNow);
  staticCode.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); editNow(); }
  });

  // --- Run and Check ---
  // Disabling the focused button would drop keyboard focus to the page: hand it to Stop while
  // the code runs, and back afterwards.
  let returnFocus = null;
  const setBusy = (busy) => {
    const focused = document.activeElement;
    stopBtn.disabled = !busy;
    if (busy && (focused === runBtn || focused === checkBtn)) {
      returnFocus = focused;
      stopBtn.focus();
    }
    runBtn.disabled = checkBtn.disabled = resetBtn.disabled = busy;
    if (!busy && returnFocus && (document.activeElement === stopBtn || document.activeElement === document.body)) {
      returnFocus.focus();
    }
    if (!busy) returnFocus = null;
    if (busy) section.dataset.state = "running";
  };

  let pending = []; // [stream, text] pieces not yet on screen
  let paint = 0;
  const paintOutput = () => {
    paint = 0;
    for (const [stream, text] of pending) {
      // Text, never HTML; stderr in its own span so it can look different.
      output.append(stream === "stderr" ? el("span", { class: "ck-exercise__stderr" }, text) : document.createTextNode(text));
    }
    pending = [];
    output.scrollTop = output.scrollHeight;
  };
  const appendOutput = (stream, text) => {
    // Batch DOM writes per frame: a print loop can produce output faster than the page can show it.
    const last = pending.at(-1);
    if (last && last[0] === stream) last[1] += text;
    else pending.push([stream, text]);
    if (stream === "stderr") output.dataset.stderr = "1";
    paint ||= requestAnimationFrame(paintOutput);
  };
  const flushOutput = () => {
    if (paint) cancelAnimationFrame(paint);
    paintOutput();
  };

  const outcomeLabel = { passed: "passed", failed: "failed", error: "error", skipped: "skipped" };
  const addResult = (r) => {
    results.hidden = false;
    const li = el("li", { class: `ck-result ck-result--${r.outcome}`, "data-outcome": r.outcome, "data-test": r.name });
    const head = el("p", { class: "ck-result__head" });
    head.append(el("span", { class: "ck-result__badge" }, outcomeLabel[r.outcome] ?? r.outcome), " ",
      el("code", { class: "ck-result__name" }, r.name));
    li.append(head);
    // tabindex: a long message scrolls, and a scroll box must be reachable by keyboard.
    if (r.message) li.append(el("pre", { class: "ck-result__message", tabindex: "0" }, r.message));
    results.append(li); // pytest's full report is in the output panel below
  };

  async function execute(mode) {
    if (runtime.busy() && section.dataset.state === "running") return;
    saveNow();
    const t0 = performance.now();
    const timing = { mode, exercise: id, clickedAt: t0, firstVerdictAt: null, doneAt: null, workersBefore: stats.workersCreated };
    stats.events.push(timing);
    setBusy(true);
    output.replaceChildren();
    delete output.dataset.stderr;
    if (mode === "check") results.replaceChildren();
    outputLabel.textContent = mode === "check" ? "pytest's report" : "Output";
    results.hidden = true;
    outputBox.hidden = true;
    status.textContent = runtime.worker && stats.bootId ? "Running…" : "Starting Python (the first time takes a few seconds)…";
    const limit = limitS();
    const result = await runtime.run(mode, spec, code(), {
      onStarted: () => { status.textContent = mode === "check" ? "Running the tests…" : "Running your code…"; },
      onOut: (stream, text) => { outputBox.hidden = false; appendOutput(stream, text); },
      onTest: (r) => { timing.firstVerdictAt ??= performance.now(); addResult(r); },
    }, limit * 1000);
    flushOutput();
    timing.doneAt = performance.now();
    timing.kind = result.kind;
    timing.workerMs = result.ms;
    setBusy(false);
    if (result.kind === "stopped") {
      section.dataset.state = "stopped";
      status.textContent = "Stopped. Python restarts in the background; Run and Check work again.";
      return;
    }
    if (result.kind === "timeout") {
      section.dataset.state = "timeout";
      status.textContent = `Stopped after the time limit of ${limit} s (an endless loop?). Python restarts in the background; Run and Check work again.`;
      return;
    }
    if (result.kind === "failed") {
      section.dataset.state = "failed";
      status.textContent = `Python could not run your code: ${result.message}`;
      return;
    }
    section.dataset.bootId = result.bootId;
    if (mode === "run") {
      section.dataset.state = result.exitCode === 0 ? "ran" : "run-error";
      status.textContent = result.exitCode === 0
        ? (output.textContent ? "Your code ran. Its output is below." : "Your code ran, and printed nothing.")
        : `Your code stopped with an error (exit status ${result.exitCode}); see the output below.`;
      return;
    }
    const rs = result.report.results;
    const passed = rs.filter((r) => r.outcome === "passed").length;
    const allPassed = result.exitCode === 0 && rs.length > 0 && passed === rs.length;
    const n = checks() + 1;
    storage.set(key("checks"), String(n));
    section.dataset.state = allPassed ? "passed" : "failed";
    if (allPassed) {
      storage.set(key("passed"), "1");
      status.textContent = `All ${plural(rs.length, "test")} passed. Well done!`;
      offerSolution("A model solution (you passed every test)");
    } else {
      const failed = rs.length - passed;
      status.textContent = rs.length
        ? `${passed} of ${plural(rs.length, "test")} passed; ${failed} did not. Read the messages below.`
        : "The tests could not run; see the output below.";
      if (n >= checksBeforeSolution()) offerSolution("A model solution");
    }
  }

  runBtn.addEventListener("click", () => execute("run"));
  checkBtn.addEventListener("click", () => execute("check"));
  stopBtn.addEventListener("click", () => runtime.kill("stopped"));
  resetBtn.addEventListener("click", async () => {
    if (!confirm("Replace your code with the starter code? Your changes will be lost.")) return;
    storage.remove(key("code"));
    saved = null;
    const ed = await mountEditor().catch(() => null);
    ed?.setValue(data.starter);
    saved = null;
    storage.remove(key("code"));
    output.replaceChildren();
    outputBox.hidden = true;
    results.replaceChildren();
    results.hidden = true;
    status.textContent = "Your code is back to the starter.";
    ed?.focus();
  });
  // Using the controls counts as a first interaction: the editor and Python load then.
  controls.addEventListener("pointerdown", () => { runtime.ensure(); mountEditor().catch(() => {}); }, { once: true });
  controls.addEventListener("focusin", () => { runtime.ensure(); mountEditor().catch(() => {}); }, { once: true });
  observe(section, () => { runtime.ensure(); mountEditor().catch(() => {}); });
}

// When an exercise comes near the viewport, boot Python and import pytest while the learner reads.
let observer = null;
const onVisible = new WeakMap();
function observe(section, callback) {
  if (!("IntersectionObserver" in window)) return;
  observer ??= new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      observer.unobserve(e.target);
      onVisible.get(e.target)?.();
    }
  }, { rootMargin: "200px 0px" });
  onVisible.set(section, callback);
  observer.observe(section);
}

function attachAll() {
  document.querySelectorAll("section.ck-exercise").forEach(attach);
}

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(attachAll);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", attachAll);
} else {
  attachAll();
}
