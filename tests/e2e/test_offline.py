"""The course is self-contained: no page of the learner, instructor or assessment build makes a
request that leaves the site's origin, whether the page is loaded, reached by Material's
instant navigation, or looked at for what it would load (scripts, styles, images, fonts)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from course_builds import AUDIENCES, VIEWPORT, course_site, site_pages

# What a page loads by itself: anything else with a URL (a link, a citation) is only followed on a click.
RESOURCE_ATTRS = {"src", "srcset", "poster", "data", "background"}
LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "icon",
    "manifest",
    "apple-touch-icon",
    "preconnect",
    "dns-prefetch",
}
ABSOLUTE_URL = re.compile(r"""https?://[^\s"'<>)\\]+""", re.I)
STANDARD_NAMES = re.compile(r"^https?://(www\.)?w3\.org/")  # XML namespaces, never fetched


def page_file(site: Path, path: str) -> Path:
    return site / path.lstrip("/") if path.endswith(".html") else site / path.lstrip("/") / "index.html"


def outside(url: str, origin: str) -> bool:
    return not (url.startswith(origin + "/") or url == origin or url.startswith(("data:", "blob:", "about:")))


class _Loads(HTMLParser):
    """Every URL a page would fetch on its own: resource attributes, loading <link>s, and absolute
    URLs inside inline scripts, styles and data attributes (a loader's configuration)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in RESOURCE_ATTRS or (
                tag == "link" and name == "href" and LOADING_RELS & set((a.get("rel") or "").lower().split())
            ):
                self.urls += [u.split()[0] for u in value.split(",") if u.strip()]
            elif name.startswith("data-") or name == "style":
                self.urls += ABSOLUTE_URL.findall(value)
        self._raw = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._raw = None

    def handle_data(self, data):
        if self._raw is not None:
            self.urls += ABSOLUTE_URL.findall(data)


def external_loads(html: str) -> list[str]:
    parser = _Loads()
    parser.feed(html)
    return sorted({u for u in parser.urls if re.match(r"^(https?:)?//", u) and not STANDARD_NAMES.match(u)})


def test_a_page_loading_from_a_cdn_is_caught():
    """The static check finds what mkdocs-jupyter's MathJax loader and a CDN stylesheet would fetch."""
    page = (
        '<html><head><link rel="stylesheet" href="https://cdn.example.org/x.css">'
        '<link rel="canonical" href="https://course.example.org/"></head><body>'
        '<a href="https://example.org/source">a source</a><svg xmlns="http://www.w3.org/2000/svg"></svg>'
        '<script data-mkdocs-jupyter-mathjax="{&quot;url&quot;: &quot;https://cdn.jsdelivr.net/npm/'
        'mathjax@4/tex-mml-chtml.js&quot;}">load()</script><img src="/local.png"></body></html>'
    )
    assert external_loads(page) == [
        "https://cdn.example.org/x.css",
        "https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js",
    ]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_page_loads_anything_from_another_origin(browser, built_course, tmp_path_factory, serve, audience):
    site, url = course_site(audience, built_course, tmp_path_factory, serve)
    pages = site_pages(site)
    # What the HTML would load, page by page (hidden and print-only content included).
    static = {
        path: found for path in pages if (found := external_loads(page_file(site, path).read_text(encoding="utf-8")))
    }

    # What the browser does fetch: each page loaded and left to settle, workers included.
    context = browser.new_context(viewport=VIEWPORT)
    requests: list[tuple[str, str]] = []
    current = {"path": ""}
    context.on("request", lambda r: requests.append((current["path"], r.url)) if outside(r.url, url) else None)
    page = context.new_page()
    try:
        for path in pages:
            current["path"] = path
            page.goto(url + path, wait_until="load")
            page.mouse.wheel(0, 20000)  # lazy content (exercise editors) comes near the viewport
            page.wait_for_load_state("networkidle")
        # Material's instant navigation between pages: a notebook page reached this way too.
        if audience != "assessment":
            page.goto(url + "/")
            page.evaluate("window.__stayed = true")
            notebook = next(
                (p for p in pages if "jupyter-wrapper" in page_file(site, p).read_text(encoding="utf-8")), None
            )
            assert notebook, "the course has a notebook page"
            current["path"] = f"/ then {notebook} by instant navigation"
            page.evaluate(
                "href => { const a = document.createElement('a'); a.href = href; "
                "document.querySelector('.md-content').append(a); a.click(); }",
                url + notebook,
            )
            page.wait_for_url("**" + notebook)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__stayed === true"), "expected instant navigation, got a page load"
    finally:
        context.close()
    problems = [f"  {path} would load: {', '.join(urls)}" for path, urls in static.items()]
    problems += [f"  {path} requested: {u}" for path, u in requests]
    assert not problems, f"the {audience} site reaches outside its origin:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def fixture_site_url(tmp_path_factory, served_build) -> str:
    import shutil

    root = tmp_path_factory.mktemp("offline") / "minimal"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "minimal", root)
    return served_build(root, root.parent / "site")


def test_the_check_fails_on_a_page_that_reaches_out(browser, fixture_site_url):
    """The browser check sees a request to another origin (here a stylesheet from a CDN host that
    does not answer): the test above would list it."""
    url = fixture_site_url
    context = browser.new_context()
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url) if outside(r.url, url) else None)
    context.route("**/*", lambda route: route.abort() if outside(route.request.url, url) else route.continue_())
    page = context.new_page()
    page.goto(url + "/")
    page.evaluate("""() => { const l = document.createElement('link'); l.rel = 'stylesheet';
        l.href = 'https://cdn.jsdelivr.net/npm/example.css'; document.head.append(l); }""")
    page.wait_for_timeout(300)
    context.close()
    assert seen == ["https://cdn.jsdelivr.net/npm/example.css"]
