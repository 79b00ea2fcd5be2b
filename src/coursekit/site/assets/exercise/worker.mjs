// The exercise runtime: Python (Pyodide, vendored into the site) in a module Web Worker.
//
// exercise.js keeps one such worker per page session and terminates it to stop runaway
// code (Stop, time limit); it then starts a new one. Messages in:
//   {type: "run", job, mode: "run" | "check", exercise: {id, base, starter, tests, data}, code}
// Messages out:
//   {type: "ready", bootId, ms}            Python is up and pytest is imported
//   {type: "started", job}                 the job's code begins to run (time limit starts)
//   {type: "out", job, stream, text}       stdout / stderr, batched and capped
//   {type: "test", job, result}            one test's verdict, as soon as pytest has it
//   {type: "done", job, exitCode, report}  report: the verdicts (check) or null (run)
//   {type: "failed", job, message}         the runtime itself failed (not the learner's code)
import { loadPyodide } from "../pyodide/pyodide.mjs";

const ROOT = "/home/pyodide/exercises";
const OUTPUT_CAP = 200_000; // characters of output per job; the rest is dropped with a note
const FLUSH_MS = 50;

const here = (path) => new URL(path, import.meta.url).href;
const fetchOk = async (url, as) => {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return as === "text" ? r.text() : r.arrayBuffer();
};

// Everything the boot needs is fetched at once, while Pyodide itself loads.
const manifest = fetch(here("manifest.json")).then((r) => r.json());
const wheels = manifest.then((m) => Promise.all(m.wheels.map((w) => fetchOk(here(`../wheels/${w}`)))));
const runnerSource = fetchOk(here("runner.py"), "text");

let job = null; // the job whose output is being collected
let waiting = 0; // jobs received whose turn has not come (the boot skips its warm-up for them)
let out = { text: "", stream: "stdout", sent: 0, last: 0, posts: 0, dropped: false };

function flush() {
  if (out.text && job !== null) {
    postMessage({ type: "out", job, stream: out.stream, text: out.text });
    out.posts += 1;
  }
  out.text = "";
  out.last = performance.now();
}

function write(stream, text) {
  if (job === null) return;
  if (out.sent >= OUTPUT_CAP) {
    if (!out.dropped) {
      out.dropped = true;
      flush();
      postMessage({ type: "out", job, stream: "stderr",
        text: `\n[output limit reached: more than ${OUTPUT_CAP} characters; the rest is not shown]\n` });
    }
    return;
  }
  if (stream !== out.stream) flush();
  out.stream = stream;
  const room = OUTPUT_CAP - out.sent;
  const piece = text.length > room ? text.slice(0, room) : text;
  out.text += piece;
  out.sent += piece.length;
  // The worker may be stuck in a Python loop where no timer fires: flush from here. The first
  // writes go out at once (output printed just before a hang must show); a flood is batched.
  if (out.posts < 100 || out.text.length > 8192 || performance.now() - out.last > FLUSH_MS) flush();
}

const bootId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

async function boot() {
  const t0 = performance.now();
  const marks = {};
  const py = await loadPyodide({ indexURL: here("../pyodide/") });
  marks.pyodide = Math.round(performance.now() - t0);
  // Raw writes (not line-batched): pytest's progress dots arrive without newlines.
  for (const [stream, setter] of [["stdout", "setStdout"], ["stderr", "setStderr"]]) {
    const decoder = new TextDecoder();
    py[setter]({ write: (bytes) => { write(stream, decoder.decode(bytes, { stream: true })); return bytes.length; } });
  }
  py.setStdin({ error: true }); // input() raises EOFError rather than hanging the worker
  for (const buf of await wheels) py.unpackArchive(buf, "wheel");
  marks.wheels = Math.round(performance.now() - t0);
  py.FS.mkdirTree(ROOT);
  const mod = py.runPython(`
import sys, types
# Pyodide does not write bytecode by default; pytest then rewrites the asserts of every test
# module on every Check. Cached rewrites of unchanged tests are sound; the learner's file
# drops its cache whenever it changes (runner.fresh_source).
sys.dont_write_bytecode = False
coursekit_runner = types.ModuleType("coursekit_runner")
coursekit_runner.__file__ = "/lib/coursekit_runner.py"
sys.modules["coursekit_runner"] = coursekit_runner
coursekit_runner`);
  py.runPython(await runnerSource, { globals: mod.__dict__ });
  py.runPython("import pytest");
  marks.pytest = Math.round(performance.now() - t0);
  // A first pytest run sets up most of pytest's machinery: do it now, on a throwaway test,
  // while the learner reads, so that the learner's first Check is quick. When a job is
  // already waiting (Check pressed during the boot), its own run does the warming instead.
  if (waiting === 0) {
    py.FS.mkdirTree(`${ROOT}/.warm-up`);
    py.FS.writeFile(`${ROOT}/.warm-up/test_warm_up.py`, "def test_warm_up():\n    assert 1 + 1 == 2\n");
    mod.run_tests(`${ROOT}/.warm-up`, py.toPy(["test_warm_up.py"]), null, ROOT);
    marks.warmUp = Math.round(performance.now() - t0);
  }
  return { py, runner: mod, ms: Math.round(performance.now() - t0), marks };
}

const ready = boot();
ready.then(
  ({ ms, marks }) => postMessage({ type: "ready", bootId, ms, marks }),
  (e) => postMessage({ type: "failed", job: null, message: `Python could not start: ${e.message ?? e}` }),
);

const fetched = new Map(); // exercise id -> Promise of {path: text or ArrayBuffer}

function filesOf(ex) {
  if (!fetched.has(ex.id)) {
    const names = [...ex.tests, "conftest.py", ...ex.data];
    const p = Promise.all(names.map((n) => fetchOk(new URL(n, ex.base).href, ex.data.includes(n) ? "bytes" : "text")))
      .then((bodies) => Object.fromEntries(names.map((n, i) => [n, bodies[i]])));
    p.catch(() => fetched.delete(ex.id));
    fetched.set(ex.id, p);
  }
  return fetched.get(ex.id);
}

const encoder = new TextEncoder();

// Unchanged files are left alone, so pytest's cache of rewritten test modules stays valid.
function writeFile(py, path, body) {
  const bytes = typeof body === "string" ? encoder.encode(body) : new Uint8Array(body);
  try {
    const old = py.FS.readFile(path);
    if (old.length === bytes.length && old.every((b, i) => b === bytes[i])) return false;
  } catch { /* a new file */ }
  py.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
  py.FS.writeFile(path, bytes);
  return true;
}

let queue = Promise.resolve();

async function handle(msg) {
  const { py, runner } = await ready;
  const ex = msg.exercise;
  const files = await filesOf(ex);
  const folder = `${ROOT}/${ex.id}`;
  for (const [name, body] of Object.entries(files)) writeFile(py, `${folder}/${name}`, body);
  if (writeFile(py, `${folder}/${ex.starter}`, msg.code)) runner.fresh_source(`${folder}/${ex.starter}`);
  job = msg.job;
  out = { text: "", stream: "stdout", sent: 0, last: performance.now(), posts: 0, dropped: false };
  postMessage({ type: "started", job });
  const t0 = performance.now();
  let exitCode = 0;
  let report = null;
  try {
    if (msg.mode === "check") {
      const emit = (json) => { flush(); postMessage({ type: "test", job: msg.job, result: JSON.parse(json) }); };
      report = JSON.parse(runner.run_tests(folder, py.toPy(ex.tests), emit, ROOT));
      exitCode = report.exit_code;
    } else {
      exitCode = runner.run_script(folder, ex.starter, ROOT);
    }
  } finally {
    flush();
    job = null;
  }
  postMessage({ type: "done", job: msg.job, exitCode, report, bootId, ms: Math.round(performance.now() - t0) });
}

onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type !== "run") return;
  waiting += 1;
  queue = queue.then(async () => {
    await ready.catch(() => {});
    waiting -= 1;
    return handle(msg);
  }).catch((e) => {
    job = null;
    postMessage({ type: "failed", job: msg.job, message: String(e.message ?? e) });
  });
};
