"""Option order per learner, in real Chromium across the whole built course: the key is seldom
first for any one learner, learners see different orders, a reload keeps a learner's order, and
the page orders exactly as coursekit.quiz.order does. The same on the assessment build, where the
order comes from the learner id entered."""

from pathlib import Path

import pytest

from coursekit.content.catalog import Layout, load_catalog
from coursekit.quiz.order import quiz_order

# Statistics of the order need many questions: these run on the real course's quizzes (the
# same order in Python and JS on a fixture course is tests/quiz/test_js_equivalence.py).
pytestmark = pytest.mark.content
REPO = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(Layout(REPO))

READ = """(selector) => [...document.querySelectorAll(selector)].map(form => ({
    id: form.dataset.quiz,
    lists: Object.fromEntries([...form.querySelectorAll('.ck-question')]
        .filter(li => li.dataset.type === 'single' || li.dataset.type === 'multiple' || li.dataset.type === 'matching')
        .map(li => [li.dataset.type === 'matching' ? li.dataset.question + ':right' : li.dataset.question,
                    li.dataset.type === 'matching'
                        ? [...li.querySelector('select').options].filter(o => o.value).map(o => o.value)
                        : [...li.querySelectorAll('.ck-option input')].map(i => i.value)]))
}))"""


def quiz_pages(site: Path, marker: str) -> list[str]:
    return sorted(
        "/" + p.parent.relative_to(site).as_posix() + "/" if p.name == "index.html" else "/" + p.name
        for p in site.rglob("*.html")
        if marker in p.read_text(encoding="utf-8")
    )


def key_first_share(orders: dict[str, dict[str, list[str]]]) -> tuple[int, int]:
    first = total = 0
    for qid, lists in orders.items():
        for q in CATALOG.quizzes[qid].model.questions:
            if q.id in lists and getattr(q, "options", None):
                key = set(q.correct_ids)
                total += 1
                first += set(lists[q.id][: len(key)]) == key
    return first, total


def visit(page, base: str, pages: list[str], selector: str) -> dict[str, dict[str, list[str]]]:
    orders = {}
    for path in pages:
        page.goto(base + path)
        page.wait_for_function(f"[...document.querySelectorAll('{selector}')].every(f => f.dataset.ckAttached === '1')")
        for quiz in page.evaluate(READ, selector):
            orders[quiz["id"]] = quiz["lists"]
    return orders


def differing(a: dict, b: dict) -> tuple[int, int]:
    pairs = [(a[qid][k], b[qid][k]) for qid in a for k in a[qid] if not k.endswith(":right")]
    return sum(x != y for x, y in pairs), len(pairs)


def test_learner_site_orders(browser, built_course, serve):
    base = serve(built_course)
    pages = quiz_pages(built_course, 'data-ck-quiz="')
    assert len(pages) >= 6
    seen = {}
    for profile in ("first", "second"):
        context = browser.new_context()  # a fresh profile: its own seed
        page = context.new_page()
        orders = visit(page, base, pages, "form.ck-quiz")
        seed = page.evaluate("localStorage.getItem('coursekit:variant-seed')")
        first, total = key_first_share(orders)
        assert total >= 20 and first * 3 <= total, f"{profile}: key first in {first} of {total}"
        for qid, lists in orders.items():  # exactly the Python order for this browser's seed
            assert lists == quiz_order(qid, CATALOG.quizzes[qid].model, seed), qid
        again = visit(page, base, pages[:2], "form.ck-quiz")  # a reload keeps the order
        assert again == {k: orders[k] for k in again}
        seen[profile] = orders
        context.close()
    changed, total = differing(seen["first"], seen["second"])
    assert changed * 2 > total, f"two profiles differ on {changed} of {total} choice questions"


@pytest.fixture(scope="module")
def assessment_site(tmp_path_factory):
    from coursekit.site.builds import build_assessment

    site = tmp_path_factory.mktemp("assessment-order") / "site"
    build_assessment(REPO, CATALOG, list(CATALOG.quizzes), site)
    return site


def test_assessment_orders_come_from_the_learner_id(browser, assessment_site, serve):
    base = serve(assessment_site)
    pages = quiz_pages(assessment_site, 'data-ck-assessment="')
    assert len(pages) == len(CATALOG.quizzes)
    seen = {}
    for learner in ("learner-one", "Learner.Two"):
        context = browser.new_context()
        page = context.new_page()
        orders = {}
        for path in pages:
            page.goto(base + path)
            page.wait_for_function("document.querySelector('form.ck-assessment').dataset.ckAttached === '1'")
            page.fill(".ck-assess__learner", learner)
            [quiz] = page.evaluate(READ, "form.ck-assessment")
            orders[quiz["id"]] = quiz["lists"]
            page.reload()  # the id is kept in the browser, and so is the order
            page.wait_for_function("document.querySelector('form.ck-assessment').dataset.ckAttached === '1'")
            assert page.evaluate(READ, "form.ck-assessment")[0]["lists"] == quiz["lists"]
        for qid, lists in orders.items():  # no key in the page: the order is the unbalanced one
            assert lists == quiz_order(qid, CATALOG.quizzes[qid].model, learner.lower(), with_key=False), qid
        first, total = key_first_share(orders)
        assert first * 3 <= total, f"{learner}: key first in {first} of {total}"
        seen[learner] = orders
        context.close()
    changed, total = differing(*seen.values())
    assert changed * 2 > total, f"two learner ids differ on {changed} of {total} choice questions"
