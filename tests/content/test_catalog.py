from pathlib import Path

from coursekit.content.catalog import Layout, load_catalog
from coursekit.content.directives import find_directives


def test_fixture_course_is_valid(minimal_site):
    cat = load_catalog(Layout(minimal_site))
    assert cat.errors == []
    assert set(cat.quizzes) == {"basics", "all-types"} and set(cat.exercises) == {"add-up"}
    assert set(cat.objectives) == {"add", "name"}


def errors_of(root: Path) -> list[str]:
    return [
        f"{e.path.relative_to(root).as_posix()}:{e.line}:{e.col}: {e.message}"
        for e in load_catalog(Layout(root)).errors
    ]


def test_cross_reference_errors_are_all_reported(minimal_site):
    quiz = minimal_site / "quizzes" / "basics.yml"
    text = quiz.read_text()
    text = text.replace("objective: name\n    prompt: Name", "objective: nmae\n    prompt: Name")
    text = text.replace('- {id: b, text: "22"', '- {id: a, text: "22"')
    text = text.replace("  - id: sky\n", "  - id: half\n")
    quiz.write_text(text)
    page = minimal_site / "course" / "modules" / "01-basics.md"
    page.write_text(page.read_text() + '\n::exercise{id="missing"}\n\n::quizz{id="x"}\n')
    errs = errors_of(minimal_site)
    assert any("unknown objective 'nmae'" in e and e.startswith("quizzes/basics.yml:") for e in errs)
    assert any("duplicate option id in question 'two-plus-two': 'a'" in e for e in errs)
    assert any("duplicate question id 'half'" in e for e in errs)
    assert any(e.startswith("course/modules/01-basics.md:28:1: unknown exercise 'missing'") for e in errs)
    assert any(e.startswith("course/modules/01-basics.md:30:1: unknown directive '::quizz'") for e in errs)


def test_missing_exercise_file(minimal_site):
    (minimal_site / "exercises" / "add-up" / "solution.py").unlink()
    errs = errors_of(minimal_site)
    assert len(errs) == 1 and "files: 'solution.py' not found" in errs[0]


def test_directives_skip_fenced_code_and_parse_attributes():
    text = '::quiz{id="a"}\n```\n::quiz{id="b"}\n```\n::exercise{#c}\n::quiz{id=d}\n::quiz{}\n'
    found = list(find_directives(text))
    assert [(d.kind, d.id, d.line, d.problem is None) for d in found] == [
        ("quiz", "a", 1, True),
        ("exercise", "c", 5, True),
        ("quiz", "d", 6, True),
        ("quiz", "", 7, False),
    ]


def test_unclosed_instructor_block(minimal_site):
    page = minimal_site / "course" / "modules" / "01-basics.md"
    page.write_text(page.read_text() + "\n:::instructor\nnotes\n")
    errs = errors_of(minimal_site)
    assert len(errs) == 1 and ":::instructor is not closed" in errs[0]


VARIANT = """
  - id: ratio
    type: numeric
    objective: add
    prompt: Divide {{a}} by {{b}}.
    explanation: It is {{answer}}.
    variables:
      a: {min: 1, max: 5}
      b: {min: 0, max: 3}
    formula: a / b
    tolerance: -1
    correct_feedback: Yes.
    wrong_feedback: No.
"""


def test_quiz_validation_errors_carry_positions(minimal_site):
    quiz = minimal_site / "quizzes" / "basics.yml"
    quiz.write_text(quiz.read_text() + VARIANT)
    errs = errors_of(minimal_site)
    assert any(
        e.startswith("quizzes/basics.yml:61:16: questions[5].tolerance: input should be greater than or equal to 0")
        for e in errs
    ), errs
    quiz.write_text(quiz.read_text().replace("tolerance: -1", "tolerance: 0"))
    errs = errors_of(minimal_site)
    assert errs == ["quizzes/basics.yml:60:14: questions[5].formula: formula fails for a=1, b=0: division by zero"]


def test_a_cached_catalog_is_reused_until_an_input_changes(minimal_site, tmp_path, monkeypatch):
    from coursekit.content import catalog

    cache = tmp_path / "cache"
    first = catalog.load_catalog_cached(Layout(minimal_site), cache)
    loads = []
    real = catalog.load_catalog
    monkeypatch.setattr(catalog, "load_catalog", lambda layout: loads.append(layout) or real(layout))
    again = catalog.load_catalog_cached(Layout(minimal_site), cache)
    assert loads == [] and again is not first
    assert {k: q.model.model_dump() for k, q in again.quizzes.items()} == {
        k: q.model.model_dump() for k, q in first.quizzes.items()
    }
    assert again.pages.keys() == first.pages.keys() and again.errors == first.errors == []

    quiz = minimal_site / "quizzes" / "basics.yml"
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text(text.replace("title:", "title: Changed", 1), encoding="utf-8")  # same second, maybe same size
    changed = catalog.load_catalog_cached(Layout(minimal_site), cache)
    assert len(loads) == 1 and changed.quizzes["basics"].model.title.startswith("Changed")

    # an error is reported from the cache as it was found
    quiz.write_text(text.replace("title:", "titel:", 1), encoding="utf-8")
    broken = catalog.load_catalog_cached(Layout(minimal_site), cache)
    cached = catalog.load_catalog_cached(Layout(minimal_site), cache)
    assert len(loads) == 2 and broken.errors and [str(e) for e in cached.errors] == [str(e) for e in broken.errors]

    (cache / "catalog.pickle").write_bytes(b"not a pickle")
    assert catalog.load_catalog_cached(Layout(minimal_site), cache).errors == broken.errors
    assert len(loads) == 3
