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
import { ROOT, installFiles, importRunner, warmUp } from "./boot.mjs";

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
const wheels = manifest.then((m) => Promise.all(m.wheels.map(async (name) => ({ name, bytes: await fetchOk(here(`../wheels/${name}`)) }))));
const runnerSource = fetchOk(here("runner.py"), "text");
// The build's memory snapshot of a booted, warmed-up Python (snapshot.mjs): restoring it skips
// Python's start-up and pytest's import. Without one (or if it does not fit), Python boots.
const snapshot = manifest.then((m) => (m.snapshot && typeof DecompressionStream === "function" ? fetchSnapshot(here(`../${m.snapshot}`)) : null))
  .catch((e) => { console.warn(`coursekit: no Python snapshot (${e.message ?? e}); booting Python instead`); return null; });

async function fetchSnapshot(url) {
  const bytes = new Uint8Array(await fetchOk(url));
  // Built gzipped; a server that sent it with Content-Encoding: gzip has inflated it already.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

// Pyodide copies a snapshot into the wasm memory as instantiated, which starts smaller than
// a booted Python: grow it first. Only while the snapshot loads; the originals come back after.
function memoryFor(snap) {
  const originals = { instantiate: WebAssembly.instantiate, instantiateStreaming: WebAssembly.instantiateStreaming };
  for (const [name, original] of Object.entries(originals)) {
    WebAssembly[name] = async function (...args) {
      const result = await original.apply(this, args);
      const memory = (result.instance ?? result).exports?.memory;
      if (memory instanceof WebAssembly.Memory) {
        const pages = Math.ceil(snap.length / 65536) - memory.buffer.byteLength / 65536;
        if (pages > 0) memory.grow(pages);
      }
      return result;
    };
  }
  return () => Object.assign(WebAssembly, originals);
}

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

async function startPython(marks, t0) {
  const options = { indexURL: here("../pyodide/") };
  const snap = await snapshot;
  if (snap) {
    const restore = memoryFor(snap);
    try {
      const py = await loadPyodide({ ...options, _loadSnapshot: snap });
      marks.restored = Math.round(performance.now() - t0);
      return { py, fromSnapshot: true };
    } catch (e) {
      console.warn(`coursekit: the Python snapshot could not be restored (${e.message ?? e}); booting Python instead`);
    } finally {
      restore();
    }
  }
  return { py: await loadPyodide(options), fromSnapshot: false };
}

async function boot() {
  const t0 = performance.now();
  const marks = {};
  const { py, fromSnapshot } = await startPython(marks, t0);
  marks.pyodide = Math.round(performance.now() - t0);
  // Raw writes (not line-batched): pytest's progress dots arrive without newlines.
  for (const [stream, setter] of [["stdout", "setStdout"], ["stderr", "setStderr"]]) {
    const decoder = new TextDecoder();
    py[setter]({ write: (bytes) => { write(stream, decoder.decode(bytes, { stream: true })); return bytes.length; } });
  }
  py.setStdin({ error: true }); // input() raises EOFError rather than hanging the worker
  const ws = await wheels;
  installFiles(py, ws, await runnerSource);
  marks.files = Math.round(performance.now() - t0);
  let runner;
  if (fromSnapshot) {
    runner = py.pyimport("coursekit_runner");
    // Every restore starts from the same memory: give random its own seed, as a boot would.
    py.runPython("import random; random.seed()");
  } else {
    runner = importRunner(py, ws.map((w) => w.name));
    marks.pytest = Math.round(performance.now() - t0);
  }
  // A first pytest run sets up pytest's machinery (or, after a restore, gets the browser to
  // compile its hot paths to fast code): do it now, while the learner reads, so that the
  // learner's first Check is quick. When a job is already waiting (Check pressed during the
  // boot), its own run does the warming instead.
  // After a restore the browser has compiled little of Python to fast code yet, so a few
  // rounds help; each first lets messages in, and a Check that arrived goes first.
  for (let round = 0; round < (fromSnapshot ? 4 : 1); round++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (waiting > 0) break;
    const start = performance.now();
    warmUp(py, runner);
    marks.warmUp = Math.round(performance.now() - t0);
    if (performance.now() - start < 120) break;
  }
  return { py, runner, ms: Math.round(performance.now() - t0), marks: { ...marks, snapshot: fromSnapshot } };
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
  let exitCode;
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
