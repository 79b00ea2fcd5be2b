// How the page's Python is set up for exercises: shared by the worker (in the browser) and by
// snapshot.mjs (in Node, at build time), so that a Python restored from the build's memory
// snapshot is the same Python that a plain boot gives.
//
// The pytest wheels stay zipped: Python imports them from the .whl files on sys.path
// (zipimport), which saves unpacking 1.8 MB on every boot and gives the same pytest.

export const ROOT = "/home/pyodide/exercises"; // each exercise runs in ROOT/<id>
export const LIB = "/lib/coursekit"; // the wheels and coursekit_runner.py

// Put the files Python needs into its file system: the wheels and the runner. A snapshot
// holds Python's memory but not its file system, so this runs after a restore too.
export function installFiles(py, wheels, runnerSource) {
  py.FS.mkdirTree(LIB);
  py.FS.mkdirTree(ROOT);
  for (const { name, bytes } of wheels) py.FS.writeFile(`${LIB}/${name}`, new Uint8Array(bytes));
  py.FS.writeFile(`${LIB}/coursekit_runner.py`, runnerSource);
}

// Import the runner and pytest. Returns the runner module.
export function importRunner(py, wheelNames) {
  const paths = [...wheelNames.map((n) => `${LIB}/${n}`), LIB];
  return py.runPython(`
import sys
sys.path[1:1] = ${JSON.stringify(paths)}
# Pyodide does not write bytecode by default; pytest then rewrites the asserts of every test
# module on every Check. Cached rewrites of unchanged tests are sound; the learner's file
# drops its cache whenever it changes (runner.fresh_source).
sys.dont_write_bytecode = False
import coursekit_runner, pytest
coursekit_runner`);
}

// Tests that take pytest through the paths a learner's Check takes (a pass, a failed assert
// with a diff, an error, fixtures, parametrize), so that those parts are loaded before the
// learner's first Check rather than during it.
const WARM_UP = `import pytest


@pytest.fixture
def learner():
    return {"a": [1, 2, 3], "b": "text"}


def test_passes(learner):
    assert learner["b"] == "text"


@pytest.mark.parametrize("n", [1, 2])
def test_parametrized(n, tmp_path, capsys):
    print(n)
    assert n > 0


def test_fails_on_a_list(learner):
    assert learner["a"] == [1, 2, 4]


def test_fails_on_a_float():
    assert 0.1 + 0.2 == pytest.approx(0.4)


def test_fails_on_a_dict():
    assert {"x": 1, "y": "two"} == {"x": 1, "y": "three"}


def test_raises():
    with pytest.raises(ValueError):
        int("12")


def test_errors():
    raise KeyError("missing")
`;

export function warmUp(py, runner) {
  const folder = `${ROOT}/.warm-up`;
  py.FS.mkdirTree(folder);
  py.FS.writeFile(`${folder}/test_warm_up.py`, WARM_UP);
  runner.run_tests(folder, py.toPy(["test_warm_up.py"]), null, ROOT);
  py.runPython(`import shutil; shutil.rmtree(${JSON.stringify(folder)}, ignore_errors=True)`);
}
