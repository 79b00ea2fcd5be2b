// Build time, in Node: boot the exercise Python once (Pyodide, pytest, the runner, a warm-up
// run) and save its memory, gzipped, so that the page restores it instead of booting.
//
//   node snapshot.mjs <pyodide dir> <runner.py> <out file> <wheel>...
//
// Called by the build (coursekit.site.runtime.runtime_snapshot), which caches the result by a
// hash of every input. A snapshot only fits the exact Pyodide build that made it (Pyodide
// checks its build id on load), and the worker falls back to a plain boot if it does not.
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { installFiles, importRunner, warmUp } from "./boot.mjs";

const [pyodideDir, runnerPath, outPath, ...wheelPaths] = process.argv.slice(2);
if (!outPath || wheelPaths.length === 0) {
  console.error("usage: node snapshot.mjs <pyodide dir> <runner.py> <out file> <wheel>...");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  _makeSnapshot: true,
  stdout: () => {},
  stderr: () => {},
});
const wheels = wheelPaths.map((p) => ({ name: path.basename(p), bytes: fs.readFileSync(p) }));
installFiles(py, wheels, fs.readFileSync(runnerPath, "utf8"));
const runner = importRunner(py, wheels.map((w) => w.name));
warmUp(py, runner);
runner.destroy();
py.runPython("import gc; gc.collect()");
const memory = py.makeMemorySnapshot();
const tmp = `${outPath}.${process.pid}.tmp`;
fs.writeFileSync(tmp, gzipSync(memory, { level: 6 }));
fs.renameSync(tmp, outPath);
console.log(JSON.stringify({ bytes: memory.length, out: outPath }));
