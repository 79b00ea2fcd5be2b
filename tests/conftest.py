"""Shared fixtures: the repository, fixture sites built for real, a local server, Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITES = Path(__file__).resolve().parent / "fixtures" / "sites"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


E2E = Path(__file__).resolve().parent / "e2e"
COURSE_TESTS = Path(__file__).resolve().parent / "course"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these markers
def pytest_collection_modifyitems(config, items):
    """Markers by place and by need: every test under tests/e2e/, and any other test that
    launches Chromium, is `e2e`; every test under tests/course/, and any other test that uses
    the real course's build (`built_course`), is `content`. `pytest -m "not content"` then tests
    the machinery alone, without course/."""
    for item in items:
        path = Path(item.path)
        fixtures = getattr(item, "fixturenames", ())
        if path.is_relative_to(E2E) or "browser" in fixtures:
            item.add_marker(pytest.mark.e2e)
        if path.is_relative_to(COURSE_TESTS) or "built_course" in fixtures:
            item.add_marker(pytest.mark.content)


def course_params(pattern: str) -> list:
    """The real course's files matching ``pattern`` (from the repository root), as parameters
    marked `content`: a machinery check parametrized over fixtures plus these also checks every
    file of the course, and deselecting `content` leaves the fixtures."""
    return [
        pytest.param(p, id=f"course-{p.relative_to(REPO).as_posix()}", marks=pytest.mark.content)
        for p in sorted(REPO.glob(pattern))
    ]


@pytest.fixture(autouse=True, scope="module")
def _no_fork_server_across_modules():
    """Stop the exercise grader's fork server after each test module that started one: its
    reader thread would otherwise make this process multi-threaded for the tests after it,
    and the quiz batch grader forks its workers."""
    yield
    import sys

    server = sys.modules.get("coursekit.exercise.trusted_server")
    if server is not None:
        server.stop_fork_server()


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def copy_site(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(FIXTURE_SITES / name, target)
    return target


@pytest.fixture
def fixture_site(tmp_path: Path):
    """fixture_site(name) -> a writable copy of tests/fixtures/sites/<name>."""
    return lambda name: copy_site(name, tmp_path)


@pytest.fixture(scope="session")
def build():
    """build(root, site_dir) -> site_dir, built by MkDocs from root/mkdocs.yml."""
    return build_site


@pytest.fixture
def minimal_site(tmp_path: Path) -> Path:
    """A writable copy of the small fixture course."""
    return copy_site("minimal", tmp_path)


def build_site(root: Path, site_dir: Path, site_url: str | None = None) -> Path:
    """Build as `mkdocs build` does. Pass the URL the site will be served at when a test
    needs Material's instant navigation: it only intercepts links that match site_url,
    port included."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides = {"site_url": site_url} if site_url else {}
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), **overrides)
    build(config)
    return site_dir


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """serve(directory) -> base URL on 127.0.0.1 (one server per directory, so the same URL
    each time); servers stop at the end of the session. A directory may be served before
    it is built: files are read at request time."""
    servers: dict[str, tuple[ThreadingHTTPServer, str]] = {}

    def start(directory: Path) -> str:
        key = str(Path(directory).resolve())
        if key not in servers:
            handler = functools.partial(_QuietHandler, directory=key)
            server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[key] = (server, f"http://127.0.0.1:{server.server_address[1]}")
        return servers[key][1]

    yield start
    for server, _ in servers.values():
        server.shutdown()


@pytest.fixture(scope="session")
def served_build(serve):
    """served_build(root, site_dir) -> URL: serve site_dir, then build root into it with a
    matching site_url, so Material's instant navigation works in the browser."""

    def make(root: Path, site_dir: Path) -> str:
        site_dir.mkdir(parents=True, exist_ok=True)
        url = serve(site_dir)
        build_site(root, site_dir, site_url=url + "/")
        return url

    return make


@pytest.fixture(scope="session")
def built_course(tmp_path_factory, served_build) -> Path:
    """The real course, built once per session; serve(built_course) gives its URL, at which
    instant navigation works. Only tests marked `content` may use it."""
    site = tmp_path_factory.mktemp("course") / "site"
    served_build(REPO, site)
    return site


def chromium_path() -> str:
    for candidate in (
        os.environ.get("CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail(
        "Chromium not found: install it (Debian: apt-get install chromium) or set CHROMIUM=/path/to/it. "
        "The browser tests are part of the suite and are not skipped."
    )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh context per test; any request that leaves 127.0.0.1 is recorded and fails the test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def on_request(request):
        url = request.url
        if not (url.startswith("http://127.0.0.1:") or url.startswith("data:") or url.startswith("blob:")):
            outside.append(url)

    pg.on("request", on_request)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"
    assert not errors, f"JavaScript errors on the page: {errors}"
