"""The course itself meets its brief: six modules, enough assessment, every objective covered."""

import json
import subprocess
import sys

COURSE_MIN = {"modules": 6, "quizzes": 6, "questions": 48, "exercises": 6}


def test_stats_meet_the_brief(repo):
    r = subprocess.run(
        [sys.executable, "-m", "coursekit", "stats", "--json"], cwd=repo, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout)
    assert {
        "modules",
        "quizzes",
        "questions",
        "exercises",
        "objectives",
        "minutes",
        "objectives_under_assessed",
    } <= stats.keys()
    assert stats["modules"] == 6
    for key, least in COURSE_MIN.items():
        assert stats[key] >= least, f"{key}: {stats[key]} < {least}"
    assert stats["objectives_under_assessed"] == []
    assert 5 * 60 <= stats["minutes"] <= 7 * 60  # about six hours
    for module in stats["per_module"]:
        assert module["questions"] >= 8 and module["exercises"] >= 1, module


def test_every_quiz_is_valid_and_has_three_question_types(repo):
    """That every wrong option names a misconception is the content models' rule (checked on
    tests/fixtures/broken-quizzes/missing-misconception.yml); here: the course loads under it."""
    from coursekit.content.catalog import Layout, load_catalog

    cat = load_catalog(Layout(repo))
    assert [e.format(repo) for e in cat.errors] == []
    assert len(cat.quizzes) >= COURSE_MIN["quizzes"]
    for quiz in cat.quizzes.values():
        assert len({q.type for q in quiz.model.questions}) >= 3, quiz.id


def _nav_pages(node) -> set[str]:
    if isinstance(node, str):
        return {node}
    if isinstance(node, list):
        return set().union(*(_nav_pages(n) for n in node))
    if isinstance(node, dict):
        return set().union(*(_nav_pages(v) for v in node.values()))
    return set()


def test_every_nav_page_exists_and_every_page_is_in_nav(repo):
    import yaml

    config = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = _nav_pages(config["nav"])
    pages = {
        p.relative_to(repo / "course").as_posix()
        for p in (repo / "course").rglob("*")
        if p.suffix in (".md", ".ipynb")
        and "data" not in p.relative_to(repo / "course").parts
        and ".ipynb_checkpoints" not in p.parts
    }
    assert listed - pages == set(), "nav lists missing pages"
    assert pages - listed == set(), "pages missing from the nav"
