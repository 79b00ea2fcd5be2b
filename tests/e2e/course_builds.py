"""The real course's three builds (learner, instructor, assessment), each served on 127.0.0.1,
and the list of every page in a build. Shared by the whole-site browser tests
(accessibility, offline, keyboard, print and motion): each build is made once per session.
Every test that uses them asks for `built_course`, which marks it `content` (tests/conftest.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Wide enough for Material's navigation tabs (shown from 76.25em), which axe must see too.
VIEWPORT = {"width": 1280, "height": 900}
AUDIENCES = ("learner", "instructor", "assessment")
SCHEMES = ("light", "dark")

_built: dict[tuple[str, str], tuple[Path, str]] = {}


def course_site(audience: str, built_course: Path, tmp_path_factory, serve) -> tuple[Path, str]:
    """(site dir, base URL) of one build of the real course, built at most once per session.
    The learner build is conftest's `built_course`; the instructor build is served from the
    address it was built for, so Material's instant navigation works in it too."""
    from coursekit.content.catalog import Layout, load_catalog
    from coursekit.site import builds

    key = (str(tmp_path_factory.getbasetemp()), audience)
    if key in _built:
        return _built[key]
    if audience == "learner":
        site = built_course
    elif audience == "instructor":
        from conftest import build_site

        site = tmp_path_factory.mktemp("instructor") / "site"
        site.mkdir()
        url = serve(site)
        before = os.environ.get("COURSEKIT_AUDIENCE")
        os.environ["COURSEKIT_AUDIENCE"] = "instructor"
        try:
            build_site(REPO, site, site_url=url + "/")
        finally:
            if before is None:
                os.environ.pop("COURSEKIT_AUDIENCE", None)
            else:
                os.environ["COURSEKIT_AUDIENCE"] = before
    else:  # what `coursekit build --audience assessment` makes: every quiz
        catalog = load_catalog(Layout(REPO))
        site = tmp_path_factory.mktemp("assessment") / "site"
        builds.build_assessment(REPO, catalog, sorted(catalog.quizzes), site)
    _built[key] = (site, serve(site))
    return _built[key]


def site_pages(site: Path) -> list[str]:
    """Every page of a build, as paths from the site root ('/', '/modules/01-x/', '/404.html'):
    the sitemap's pages, checked against the HTML files the build wrote, and the 404 page."""
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    root = urlsplit(locs[0]).path.rstrip("/") if locs else ""
    from_sitemap = ["/" + urlsplit(loc).path[len(root) :].lstrip("/") for loc in locs]
    written = {
        "/" if p.parent == site else f"/{p.parent.relative_to(site).as_posix()}/"
        for p in site.rglob("index.html")
        if "assets" not in p.relative_to(site).parts
    }
    missing = sorted(set(written) - set(from_sitemap))
    assert not missing, f"pages written but not in the sitemap: {missing}"
    pages = list(dict.fromkeys(from_sitemap))
    if (site / "404.html").exists():
        pages.append("/404.html")
    assert len(pages) >= 2, f"no pages found in {site}"
    return pages


def run_axe(page, context: str | None = None) -> list[dict]:
    """axe-core (from node_modules, never a CDN) on the page or on one element: its serious and
    critical violations of WCAG 2.0/2.1 A and AA."""
    # Colours mid-transition (a button just hovered) are neither state: let them finish first.
    page.evaluate("""async () => {
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));  // transitions start
        await Promise.race([new Promise(r => setTimeout(r, 2000)), Promise.all(document.getAnimations()
            .filter(a => a.effect?.getTiming().iterations !== Infinity).map(a => a.finished.catch(() => null)))]);
    }""")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async ([selector, tags]) => await axe.run(selector ? document.querySelector(selector) : document,
            {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        [context, AXE_TAGS],
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict], where: str) -> list[str]:
    """One line per element: the rule, the page (or state) and the element, target and HTML."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            html = " ".join(node["html"].split())
            lines.append(
                f"{v['id']} ({v['impact']}) on {where}: {' '.join(map(str, node['target']))}\n"
                f"    element: {html[:240]}\n    {summary[:400]}"
            )
    return lines
