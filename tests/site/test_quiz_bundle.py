"""A quiz page carries one inline script: quiz.js (assess.js in an assessment build) bundled by
esbuild with the modules it imports, cached in node_modules; without esbuild the modules ship
as written, loaded as an async module with its imports preloaded."""

import logging
import re
import shutil
import stat
from pathlib import Path

from coursekit.site import bundle, runtime

REPO = Path(__file__).resolve().parents[2]
ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"
PAGE = Path("all-types") / "index.html"  # a page with a quiz and nothing else of ours
SCRIPT_TAG = re.compile(r'<script[^>]*\bsrc="([^"]*assets/coursekit/[^"]*)"')
PRELOAD_TAG = re.compile(r'<link rel="modulepreload" href="([^"]*)">')
# What a module that still imports something looks like, minified or not.
IMPORT = re.compile(r'(?<![\w$.])import(?:\s*[{*"\'(]|\s+[\w$])|(?<![\w$.])export\s*(?:\*|\{[^}]*\})\s*from\s*["\']')


INLINE = re.compile(r"<script>(.*?)</script>", re.S)


def asset_names(site: Path) -> set[str]:
    return {p.name for p in (site / "assets" / "coursekit").iterdir() if p.is_file()}


def inline_scripts(html: str) -> list[str]:
    """The page's coursekit inline scripts (Material's own inline scripts set up its palette and config)."""
    return [js for js in INLINE.findall(html) if "ck-" in js]


def fake_node_modules(tmp_path: Path, log: Path) -> Path:
    """A node_modules whose esbuild is the real one behind a wrapper that logs each call."""
    nm = tmp_path / "node_modules"
    (nm / ".bin").mkdir(parents=True)
    (nm / "esbuild").symlink_to(REPO / "node_modules" / "esbuild")
    wrapper = nm / ".bin" / "esbuild"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{ESBUILD}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return nm


def test_quiz_page_carries_one_self_contained_script(minimal_site, tmp_path, build):
    assert ESBUILD.is_file(), "esbuild is a devDependency: run `npm ci`"
    site = build(minimal_site, tmp_path / "out")
    html = (site / PAGE).read_text(encoding="utf-8")
    assert SCRIPT_TAG.findall(html) == [] and PRELOAD_TAG.findall(html) == []
    [js] = inline_scripts(html)
    # a classic script (Material's instant navigation re-runs inline scripts as classic ones),
    # after the quiz it attaches to, and it ends nowhere but at its own closing tag
    assert js.startswith("var coursekitQuiz=") and html.index("<script>var coursekitQuiz=") > html.index(
        '<form class="ck-quiz'
    )
    assert IMPORT.search(js) is None and "export" not in re.sub(r'"[^"]*"', "", js), "the bundle is still a module"
    assert bundle.UNSAFE_INLINE.search(js) is None
    # the widget and the grader are both in it, and it exports the grader it runs
    assert "ck-quiz__score" in js and "no grading rule for" in js and "gradeQuestion" in js
    # no script ships beside it: nothing on the page would load it
    assert not {"quiz.js", "grading.js", "responses.js"} & asset_names(site)


def test_assessment_script_is_bundled_without_the_grader(minimal_site, tmp_path, build, monkeypatch):
    monkeypatch.setenv("COURSEKIT_AUDIENCE", "assessment")
    site = build(minimal_site, tmp_path / "out")
    html = (site / PAGE).read_text(encoding="utf-8")
    assert SCRIPT_TAG.findall(html) == [] and PRELOAD_TAG.findall(html) == []
    [js] = inline_scripts(html)
    assert IMPORT.search(js) is None
    assert "ck-assess__status" in js and "coursekit-submission" in js  # the form and the export
    grader = (bundle.SCRIPTS / "grading.js").read_text(encoding="utf-8")
    for marker in re.findall(r'"([^"]{12,})"', grader) + ["gradeQuestion", "coursekitQuiz"]:  # the grader's messages
        assert marker not in html, marker
    assert not {"assess.js", "quiz.js", "grading.js", "responses.js", "numbers.js", "order.js"} & asset_names(site)


def test_a_bundle_that_cannot_be_inlined_ships_as_modules(minimal_site, tmp_path, build, monkeypatch, caplog):
    # A string in a script that would end the <script> element early: the bundle is not inlined.
    scripts = tmp_path / "assets"
    shutil.copytree(bundle.SCRIPTS, scripts, ignore=shutil.ignore_patterns("exercise"))
    monkeypatch.setattr(bundle, "SCRIPTS", scripts)
    monkeypatch.setattr(bundle, "ESBUILD_OPTIONS", (*bundle.ESBUILD_OPTIONS, "--supported:inline-script=false"))
    grading = scripts / "grading.js"
    grading.write_text(grading.read_text().replace('"No answer given."', '"No answer given.</script>"'))
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        site = build(minimal_site, tmp_path / "out")
    assert "cannot be inlined in HTML" in caplog.text
    html = (site / PAGE).read_text(encoding="utf-8")
    assert inline_scripts(html) == [] and SCRIPT_TAG.findall(html) == ["../assets/coursekit/quiz.js"]
    assert "grading.js" in asset_names(site)


def test_without_esbuild_the_modules_ship_preloaded(minimal_site, tmp_path, build, monkeypatch, caplog):
    monkeypatch.setattr(bundle, "_candidates", lambda start: [tmp_path / "no" / "node_modules"])
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        site = build(minimal_site, tmp_path / "out")
    notes = [r for r in caplog.records if "esbuild was not found" in r.getMessage()]
    assert len(notes) == 1 and notes[0].levelno == logging.INFO, caplog.text
    assert "quiz.js unbundled" in notes[0].getMessage()
    for page, up in ((PAGE, "../"), (Path("modules") / "01-basics" / "index.html", "../../")):
        html = (site / page).read_text(encoding="utf-8")
        assert SCRIPT_TAG.findall(html)[0] == f"{up}assets/coursekit/quiz.js"
        assert sorted(PRELOAD_TAG.findall(html)) == [
            f"{up}assets/coursekit/{name}" for name in ("grading.js", "numbers.js", "order.js", "responses.js")
        ]

    # the preloads are the script's real imports, and each file is shipped as written
    def imports(name):
        return re.findall(
            r'^import [^;]* from "\./([\w.]+)";', (bundle.SCRIPTS / name).read_text(encoding="utf-8"), re.M
        )

    assert sorted(bundle.module_graph("quiz.js")) == sorted(
        {*imports("quiz.js"), *(m for name in imports("quiz.js") for m in imports(name))}
    )
    assert asset_names(site) == {"quiz.js", "grading.js", "responses.js", "numbers.js", "order.js"}
    for name in ("quiz.js", "grading.js", "responses.js", "numbers.js", "order.js"):
        assert (site / "assets" / "coursekit" / name).read_bytes() == (bundle.SCRIPTS / name).read_bytes()


def test_without_esbuild_an_assessment_site_ships_no_grader(minimal_site, tmp_path, build, monkeypatch):
    monkeypatch.setattr(bundle, "_candidates", lambda start: [tmp_path / "no" / "node_modules"])
    monkeypatch.setenv("COURSEKIT_AUDIENCE", "assessment")
    site = build(minimal_site, tmp_path / "out")
    html = (site / PAGE).read_text(encoding="utf-8")
    assert sorted(PRELOAD_TAG.findall(html)) == [
        f"../assets/coursekit/{name}" for name in ("numbers.js", "order.js", "responses.js")
    ]
    assert asset_names(site) == {"assess.js", "responses.js", "numbers.js", "order.js"}


def test_bundle_is_made_once_and_remade_when_a_module_changes(minimal_site, tmp_path, build, monkeypatch):
    calls = tmp_path / "esbuild-calls.log"
    nm = fake_node_modules(tmp_path, calls)
    monkeypatch.setattr(bundle, "_candidates", lambda start: [nm])
    ran = lambda: calls.read_text().count("\n") if calls.exists() else 0  # noqa: E731

    page_script = lambda site: inline_scripts((site / PAGE).read_text(encoding="utf-8"))[0]  # noqa: E731

    first = build(minimal_site, tmp_path / "one")
    assert ran() == 1
    cached = list((nm / runtime.CACHE).glob("quiz-*.js"))
    assert len(cached) == 1 and page_script(first) == cached[0].read_text(encoding="utf-8").strip()
    stamp = cached[0].stat().st_mtime_ns
    second = build(minimal_site, tmp_path / "two")
    assert ran() == 1, "the second build ran esbuild again"
    assert cached[0].stat().st_mtime_ns == stamp
    assert page_script(second) == cached[0].read_text(encoding="utf-8").strip()

    # an imported module (not the entry) changes: the bundle is made again
    scripts = tmp_path / "assets"
    shutil.copytree(bundle.SCRIPTS, scripts, ignore=shutil.ignore_patterns("exercise"))
    monkeypatch.setattr(bundle, "SCRIPTS", scripts)
    build(minimal_site, tmp_path / "three")
    assert ran() == 1  # a copy of the same scripts: the same bundle
    grading = scripts / "grading.js"
    grading.write_text(grading.read_text().replace('"No answer given."', '"Nothing answered."'))
    third = build(minimal_site, tmp_path / "four")
    assert ran() == 2
    assert "Nothing answered." in page_script(third)
    # the earlier bundle is gone, the new one is the page's (an assess.js bundle would be kept)
    now = list((nm / runtime.CACHE).glob("quiz-*.js"))
    assert len(now) == 1 and now != cached and page_script(third) == now[0].read_text(encoding="utf-8").strip()
    assert len(list((nm / runtime.CACHE).glob("quiz-*.meta.json"))) == 1
    assert not [p for p in (nm / runtime.CACHE).iterdir() if ".tmp" in p.name]


def test_a_failing_esbuild_falls_back_to_the_modules(minimal_site, tmp_path, build, monkeypatch, caplog):
    nm = tmp_path / "node_modules"
    (nm / ".bin").mkdir(parents=True)
    broken = nm / ".bin" / "esbuild"
    broken.write_text("#!/bin/sh\necho 'esbuild: wrong platform' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setattr(bundle, "_candidates", lambda start: [nm])
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        site = build(minimal_site, tmp_path / "out")
    notes = [r for r in caplog.records if "wrong platform" in r.getMessage()]
    assert len(notes) == 1 and notes[0].levelno == logging.WARNING, caplog.text
    assert "grading.js" in asset_names(site) and "modulepreload" in (site / PAGE).read_text(encoding="utf-8")
    assert not [p for p in (nm / runtime.CACHE).iterdir() if p.suffix == ".js"]
