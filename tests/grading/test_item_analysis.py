"""Item statistics against values worked out by hand, and a simulated class on a real quiz."""

from __future__ import annotations

import math
import random
from fractions import Fraction as F
from pathlib import Path

import pytest

from coursekit.content.loader import load_model
from coursekit.content.models import Quiz, Reflection
from coursekit.grading.analysis import GradedSubmission, analyse, submissions_from_items
from coursekit.grading.statistics import cronbach_alpha, item_rest_correlation, kr20
from coursekit.quiz import variants
from coursekit.quiz.grading import grade_question


def grade_submissions(quiz: Quiz, responses: dict[str, dict]) -> list[GradedSubmission]:
    """Grade learner -> responses with the key (coursekit.quiz.grading). For a quiz without
    variant questions; a variant question's score depends on the learner's variant, which
    the gradebook knows."""
    return [
        GradedSubmission(
            learner,
            dict(answers),
            {q.id: grade_question(q, answers.get(q.id)).score for q in quiz.questions if not isinstance(q, Reflection)},
        )
        for learner, answers in responses.items()
    ]


def base(qid: str, qtype: str, **extra) -> dict:
    return {
        "id": qid,
        "type": qtype,
        "objective": "obj",
        "prompt": f"Prompt of {qid}?",
        "explanation": "Because.",
        **extra,
    }


def option(oid: str, correct: bool = False) -> dict:
    return {
        "id": oid,
        "text": f"Option {oid.upper()}",
        "correct": correct,
        "feedback": "fb",
        **({} if correct else {"misconception": f"Believes {oid} <is> right & more"}),
    }


def single(qid: str, right: str = "a", ids: str = "abcd") -> dict:
    return base(qid, "single", options=[option(i, i == right) for i in ids])


def true_false(qid: str) -> dict:
    return base(
        qid, "true_false", answer=True, feedback_true="yes", feedback_false="no", misconception="Counts calendar years."
    )


def quiz(*questions: dict) -> Quiz:
    return Quiz.model_validate({"title": "Test quiz", "module": 1, "questions": list(questions)})


# --- a 4-learner x 3-item dichotomous matrix -------------------------------------------
#
#            q1 q2 q3  total
#   ann       1  1  1    3
#   bob       1  1  0    2
#   cat       1  0  0    1
#   dan       0  0  0    0
#
# p:  q1 = 3/4, q2 = 2/4 = 1/2, q3 = 1/4.
# Totals 3, 2, 1, 0: mean 3/2; population variance ((3/2)^2 + (1/2)^2 + (1/2)^2 + (3/2)^2)/4 = 5/4.
# KR-20 = k/(k-1) (1 - sum(pq)/var) with sum(pq) = 3/16 + 4/16 + 3/16 = 5/8:
#       = 3/2 * (1 - (5/8)/(5/4)) = 3/2 * 1/2 = 3/4.
# Corrected point-biserial, item vs rest (total minus item):
#   q1: x = 1,1,1,0; rest = 2,1,0,0. mean x 3/4, mean rest 3/4. cov = E[xr] - 9/16 = 12/16 - 9/16 = 3/16;
#       var x = 3/16; var rest = 5/4 - 9/16 = 11/16. r = (3/16)/sqrt(3/16 * 11/16) = 3/sqrt(33) = 0.5222
#       (check: (M1 - M0)/s_rest * sqrt(pq) = (1 - 0)/sqrt(11/16) * sqrt(3/16) = sqrt(3/11) = 0.5222).
#       Against the uncorrected total it would be 3/sqrt(15) = 0.7746: the test tells the two apart.
#   q2: x = 1,1,0,0; rest = 2,1,1,0. cov = 3/4 - 1/2 = 1/4; var x = 1/4; var rest = 6/4 - 1 = 1/2.
#       r = (1/4)/sqrt(1/8) = 1/sqrt(2) = 0.7071.
#   q3: x = 1,0,0,0; rest = 2,2,1,0. cov = 1/2 - 5/16 = 3/16; var x = 3/16; var rest = 9/4 - 25/16 = 11/16.
#       r = 3/sqrt(33) = 0.5222.

DICHOTOMOUS = quiz(single("q1"), true_false("q2"), single("q3", right="b", ids="abc"))
RESPONSES = {  # chosen so that the scores are the matrix above
    "ann": {"q1": "a", "q2": True, "q3": "b"},
    "bob": {"q1": "a", "q2": "true", "q3": "a"},
    "cat": {"q1": "a", "q2": False, "q3": "c"},
    "dan": {"q1": "b", "q2": "", "q3": "a"},
}


def test_grade_submissions_builds_the_matrix():
    subs = grade_submissions(DICHOTOMOUS, RESPONSES)
    assert [[s.scores[q] for q in ("q1", "q2", "q3")] for s in subs] == [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]


def test_dichotomous_difficulty_discrimination_and_kr20():
    report = analyse(DICHOTOMOUS, grade_submissions(DICHOTOMOUS, RESPONSES), quiz_id="t")
    q1, q2, q3 = report.items
    assert (q1.difficulty, q2.difficulty, q3.difficulty) == (F(3, 4), F(1, 2), F(1, 4))
    assert q1.discrimination == pytest.approx(3 / math.sqrt(33))
    assert q1.discrimination != pytest.approx(3 / math.sqrt(15))  # the item-rest, not the item-total
    assert q2.discrimination == pytest.approx(1 / math.sqrt(2))
    assert q3.discrimination == pytest.approx(3 / math.sqrt(33))
    assert report.reliability_method == "KR-20"
    assert report.reliability == F(3, 4)
    assert report.submissions == 4 and report.max_score == 3
    assert report.mean_total == F(3, 2)
    # sample SD of 3, 2, 1, 0: sqrt(5/3)
    assert report.sd_total == pytest.approx(math.sqrt(5 / 3))
    assert any("rough" in n for n in report.notes)  # 4 submissions is a small sample


def test_kr20_equals_alpha_on_dichotomous_items():
    m = [[F(1), F(1), F(1)], [F(1), F(1), F(0)], [F(1), F(0), F(0)], [F(0), F(0), F(0)]]
    assert kr20(m, [1, 1, 1]) == cronbach_alpha(m) == F(3, 4)
    with pytest.raises(ValueError):
        kr20([[F(1, 2), F(1)], [F(0), F(0)]], [1, 1])


def test_choice_counts_with_misconceptions():
    report = analyse(DICHOTOMOUS, grade_submissions(DICHOTOMOUS, RESPONSES))
    q1, q2, q3 = report.items
    assert [(a.key, a.kind, a.count, a.share) for a in q1.answers] == [
        ("a", "key", 3, F(3, 4)),
        ("b", "distractor", 1, F(1, 4)),
        ("c", "distractor", 0, F(0)),
        ("d", "distractor", 0, F(0)),
    ]
    assert q1.answers[1].misconception == "Believes b <is> right & more"
    assert q1.answers[0].misconception is None
    # true/false: dan left it blank, so 2 right, 1 wrong (with the misconception), 1 blank
    assert [(a.key, a.kind, a.count) for a in q2.answers] == [
        ("true", "key", 2),
        ("false", "distractor", 1),
        ("blank", "blank", 1),
    ]
    assert q2.answers[1].misconception == "Counts calendar years."
    assert q2.answered == 3 and q2.n == 4
    assert [(a.key, a.count) for a in q3.answers] == [("a", 2), ("b", 1), ("c", 1)]


def test_non_functioning_distractors_are_flagged_and_used_ones_are_not():
    report = analyse(DICHOTOMOUS, grade_submissions(DICHOTOMOUS, RESPONSES))
    q1 = report.items[0]
    flagged = [f.message for f in q1.flags if f.code == "non-functioning-distractor"]
    assert len(flagged) == 2
    assert "'c'" in flagged[0] and "'d'" in flagged[1] and "0 of 4" in flagged[0]
    assert not any(f.code == "non-functioning-distractor" for f in report.items[2].flags)


# --- partial credit: Cronbach's alpha ---------------------------------------------------
#
#            X (multiple, 2 pts)  Y (single, 1)  Z (matching, 2 pairs, 1)  total
#   ann        2                    1              1                         4
#   bob        1                    1              1/2                       5/2
#   cat        1                    0              1/2                       3/2
#   dan        0                    0              0                         0
#
# Population variances: X: mean 1, (1+0+0+1)/4 = 1/2. Y: 1/4. Z: mean 1/2, (1/4+0+0+1/4)/4 = 1/8.
# Totals: mean 2, deviations 2, 1/2, -1/2, -2: (4 + 1/4 + 1/4 + 4)/4 = 17/8.
# alpha = 3/2 * (1 - (1/2 + 1/4 + 1/8)/(17/8)) = 3/2 * (1 - 7/17) = 3/2 * 10/17 = 15/17 = 0.882.
# (With N - 1 in every variance the divisor cancels: the same 15/17.)
# X's difficulty: mean 1 of 2 points = 1/2.

PARTIAL = quiz(
    base("x", "multiple", points=2, options=[option("r1", True), option("r2", True), option("w1"), option("w2")]),
    single("y"),
    base(
        "z",
        "matching",
        pairs=[{"id": "p1", "left": "L1", "right": "R1"}, {"id": "p2", "left": "L2", "right": "R2"}],
        distractors=[{"id": "dx", "text": "Decoy", "misconception": "Matches by the first letter."}],
        correct_feedback="ok",
        wrong_feedback="no",
    ),
    base("why", "reflection"),
)
PARTIAL_RESPONSES = {
    "ann": {"x": ["r1", "r2"], "y": "a", "z": {"p1": "p1", "p2": "p2"}, "why": "Because of the base."},
    "bob": {"x": ["r1"], "y": "a", "z": {"p1": "p1", "p2": "dx"}, "why": "  "},
    "cat": {"x": ["r1", "r2", "w1"], "y": "c", "z": {"p1": "p1", "p2": "p1"}},
    "dan": {"x": ["w1", "w2"], "y": "d", "z": {"p1": "dx", "p2": "dx"}},
}


def test_partial_credit_uses_cronbach_alpha():
    subs = grade_submissions(PARTIAL, PARTIAL_RESPONSES)
    assert [[s.scores[q] for q in "xyz"] for s in subs] == [[2, 1, 1], [1, 1, F(1, 2)], [1, 0, F(1, 2)], [0, 0, 0]]
    report = analyse(PARTIAL, subs)
    assert report.reliability_method == "Cronbach's alpha"
    assert report.reliability == F(15, 17)
    assert report.items[0].difficulty == F(1, 2)
    assert report.max_score == 4 and report.mean_total == 2
    # the reflection is not an item; only its non-blank responses are counted
    assert [i.id for i in report.items] == ["x", "y", "z"]
    assert [(r.id, r.responses) for r in report.reflections] == [("why", 1)]


def test_multiple_select_and_matching_counts():
    report = analyse(PARTIAL, grade_submissions(PARTIAL, PARTIAL_RESPONSES))
    x, _, z = report.items
    assert [(a.key, a.kind, a.count) for a in x.answers] == [
        ("r1", "key", 3),
        ("r2", "key", 2),
        ("w1", "distractor", 2),
        ("w2", "distractor", 1),
    ]
    # p1 matched right by three, p2 by one; the decoy used by bob and dan
    assert [(a.key, a.kind, a.count) for a in z.answers] == [
        ("p1", "key", 3),
        ("p2", "key", 1),
        ("dx", "distractor", 2),
    ]
    assert z.answers[2].misconception == "Matches by the first letter."


def test_zero_variance_item_has_no_discrimination():
    q = quiz(single("all-right"), single("q1"), single("q2"))
    subs = grade_submissions(
        q,
        {
            "a": {"all-right": "a", "q1": "a", "q2": "a"},
            "b": {"all-right": "a", "q1": "a", "q2": "b"},
            "c": {"all-right": "a", "q1": "b", "q2": "b"},
        },
    )
    report = analyse(q, subs)
    item = report.items[0]
    assert item.difficulty == 1 and item.discrimination is None
    assert {f.code for f in item.flags} >= {"too-easy", "no-variance"}
    assert item_rest_correlation([[F(1), F(0)], [F(1), F(1)]], 0) is None


def test_flags_for_hard_easy_and_weakly_or_negatively_discriminating_items():
    # 20 learners; "anchor" orders them by ability (the first 10 right).
    # "hard" is right for one strong learner only: p = 1/20 < 0.2.
    # "reversed" is right for the three weakest only: negative discrimination.
    # "flat" is right for the even-numbered learners. Its rest scores (anchor + anchor2 + hard
    # + reversed) are 3,2,2,2,2,0,0,0,0,1 for the right group (l00..l18 even) and
    # 2,2,2,2,2,0,0,0,1,1 for the others: both means 1.2, so r = 0 exactly.
    q = quiz(single("anchor"), single("anchor2"), single("hard"), single("reversed"), single("flat"))
    responses = {}
    for i in range(20):
        strong = i < 10
        responses[f"l{i:02}"] = {
            "anchor": "a" if strong else "b",
            "anchor2": "a" if strong else "c",
            "hard": "a" if i == 0 else "d",
            "reversed": "a" if i >= 17 else "b",
            "flat": "a" if i % 2 == 0 else "b",
        }
    report = analyse(q, grade_submissions(q, responses))
    by_id = {i.id: i for i in report.items}
    codes = {k: {f.code for f in v.flags} for k, v in by_id.items()}
    assert "too-hard" in codes["hard"] and by_id["hard"].difficulty == F(1, 20)
    assert "negative-discrimination" in codes["reversed"] and by_id["reversed"].discrimination < 0
    assert "low-discrimination" in codes["flat"] and by_id["flat"].discrimination == pytest.approx(0, abs=1e-12)
    assert "too-hard" not in codes["anchor"] and "low-discrimination" not in codes["anchor"]
    assert by_id["anchor"].discrimination > 0.5
    message = next(f.message for f in by_id["hard"].flags if f.code == "too-hard")
    assert message.startswith("Very hard") and "5%" in message


def test_numeric_and_short_text_mistakes_other_and_blank():
    q = quiz(
        base(
            "n",
            "numeric",
            answer="19",
            tolerance="1",
            unit="months",
            correct_feedback="ok",
            wrong_feedback="no",
            mistakes=[
                {"value": "7", "feedback": "f", "misconception": "Ignores the year."},
                {"value": "31", "tolerance": "1", "feedback": "f", "misconception": "Adds two years."},
            ],
        ),
        base(
            "s",
            "short_text",
            accept=["Douyin"],
            correct_feedback="ok",
            wrong_feedback="no",
            mistakes=[{"answers": ["ByteDance"], "feedback": "f", "misconception": "Parent company."}],
        ),
    )
    responses = {
        "a": {"n": "19 months", "s": "douyin"},
        "b": {"n": 7, "s": " ByteDance "},
        "c": {"n": "30", "s": "bytedance"},
        "d": {"n": "32", "s": "Kuaishou"},
        "e": {"n": "abc", "s": ""},
        "f": {"n": None},
    }
    report = analyse(q, grade_submissions(q, responses))
    n, s = report.items
    assert [(a.key, a.kind, a.count) for a in n.answers] == [
        ("right", "key", 1),
        ("mistake-1", "mistake", 1),
        ("mistake-2", "mistake", 2),
        ("other:abc", "other", 1),
        ("blank", "blank", 1),
    ]
    assert n.answers[2].misconception == "Adds two years."
    assert [(a.key, a.count) for a in s.answers] == [
        ("right", 1),
        ("mistake-1", 2),
        ("other:kuaishou", 1),
        ("blank", 2),
    ]
    assert s.answered == 4


def test_submissions_from_gradebook_rows_and_bad_scores():
    rows = [("ann", "q1", "a", "1"), ("ann", "q2", True, "1"), ("bob", "q1", "b", "0"), ("ann", "q3", "b", F(1))]
    subs = submissions_from_items(rows)
    assert subs == [
        GradedSubmission("ann", {"q1": "a", "q2": True, "q3": "b"}, {"q1": 1, "q2": 1, "q3": 1}),
        GradedSubmission("bob", {"q1": "b"}, {"q1": 0}),
    ]
    report = analyse(DICHOTOMOUS, subs)  # bob's missing q2 and q3 count as blank, 0
    assert report.items[1].answers[-1].key == "blank" and report.items[1].answers[-1].count == 1
    with pytest.raises(ValueError, match="outside 0..1"):
        analyse(DICHOTOMOUS, [GradedSubmission("x", {}, {"q1": F(3, 2)})])


def test_no_submissions_gives_an_empty_report():
    report = analyse(DICHOTOMOUS, [])
    assert report.submissions == 0 and report.reliability is None and report.mean_total is None
    assert all(i.difficulty is None and i.discrimination is None and not i.flags for i in report.items)
    assert any("undefined" in n for n in report.notes)
    assert report.as_json()["items"][0]["difficulty"] is None


# --- a simulated class on a real course quiz -------------------------------------------


def wrong_answer(q, rng: random.Random):
    """A plausible wrong response of the question's type."""
    if q.type == "single":
        return rng.choice([o.id for o in q.options if not o.correct])
    if q.type == "multiple":
        right = q.correct_ids
        return rng.sample(right, max(1, len(right) - 1)) + [rng.choice([o.id for o in q.options if not o.correct])]
    if q.type == "true_false":
        return not q.answer
    if q.type == "numeric":
        return str(rng.choice(q.mistakes).value) if q.mistakes and rng.random() < 0.7 else "1"
    if q.type == "short_text":
        return rng.choice(q.mistakes).answers[0] if q.mistakes and rng.random() < 0.7 else "no idea"
    if q.type == "ordering":
        return [i.id for i in reversed(q.items)]
    if q.type == "matching":
        ids = [p.id for p in q.pairs]
        return dict(zip(ids, ids[1:] + ids[:1]))
    raise AssertionError(q.type)


def right_answer(q):
    return {
        "single": lambda: q.correct_ids[0],
        "multiple": lambda: q.correct_ids,
        "true_false": lambda: q.answer,
        "numeric": lambda: str(q.answer),
        "short_text": lambda: q.accept[0],
        "ordering": lambda: [i.id for i in q.items],
        "matching": lambda: {p.id: p.id for p in q.pairs},
    }[q.type]()


def simulate(quiz_model: Quiz, learners: int, seed: int) -> list[GradedSubmission]:
    """A Rasch-like class: learner ability theta ~ N(0, 1), item difficulty b spread over
    -1.5..1.5; P(right) = 1 / (1 + exp(-(1.7 * (theta - b)))). About 5% leave an answer blank."""
    rng = random.Random(seed)
    quiz_model = variants.concrete_quiz(quiz_model, "simulated-class")  # one variant for the whole class
    qs = [q for q in quiz_model.questions if q.type != "reflection"]
    bs = {q.id: -1.5 + 3 * i / max(1, len(qs) - 1) for i, q in enumerate(qs)}
    out = []
    for n in range(learners):
        theta = rng.gauss(0, 1)
        answers = {}
        for q in qs:
            if rng.random() < 0.05:
                answers[q.id] = ""
            elif rng.random() < 1 / (1 + math.exp(-1.7 * (theta - bs[q.id]))):
                answers[q.id] = right_answer(q)
            else:
                answers[q.id] = wrong_answer(q, rng)
        out.append(
            GradedSubmission(f"learner-{n:03}", answers, {q.id: grade_question(q, answers[q.id]).score for q in qs})
        )
    return out


ALL_TYPES = Path(__file__).resolve().parents[1] / "fixtures" / "export" / "all-types.yml"


@pytest.fixture(scope="module")
def story():
    return simulation_quiz()


def simulation_quiz() -> Quiz:
    """A quiz with a question of every type (tests/fixtures/export/all-types.yml), less three
    that the simulated class cannot answer as it means to: one is known only by its pattern (no
    literal right answer), one accepts "1" (the simulation's wrong numeric answer), and one has
    no wrong option to pick."""
    loaded = load_model(Quiz, ALL_TYPES)
    assert loaded.model is not None, loaded.errors
    keep = [q for q in loaded.model.questions if q.id not in ("pattern-only", "sig-figs-power", "seven-right")]
    assert len(keep) == len(loaded.model.questions) - 3
    return loaded.model.model_copy(update={"questions": keep})


def test_simulated_class_discriminates_and_is_reliable(story):
    report = analyse(story, simulate(story, 200, seed=20240912), quiz_id="all-types")
    assert report.submissions == 200 and not report.notes
    for item in report.items:
        assert item.discrimination is not None and item.discrimination > 0.2, (item.id, item.discrimination)
        assert 0.1 < item.difficulty < 0.95
        if item.type in ("numeric", "short_text"):  # each learner falls in exactly one row
            assert sum(a.count for a in item.answers) == item.n
    # easier items (lower b) come first in the simulation: difficulty falls along the quiz
    ps = [float(i.difficulty) for i in report.items]
    assert ps[0] > ps[-1] + 0.4
    assert report.reliability is not None and report.reliability > 0.6
    # every diagnosed numeric mistake is seen, with its misconception text from the quiz
    numeric = next(i for i in report.items if i.id == "how-many")
    mistakes = [a for a in numeric.answers if a.kind == "mistake"]
    how_many = next(q for q in story.questions if q.id == "how-many")
    assert how_many.type == "numeric" and how_many.mistakes
    assert [a.misconception for a in mistakes] == [m.misconception for m in how_many.mistakes]
    assert all(a.count > 0 for a in mistakes)


def test_random_guessing_gives_no_discrimination(story):
    """Control: answers unrelated to ability give item-rest correlations near zero."""
    rng = random.Random(7)
    story = variants.concrete_quiz(story, "guessing")
    qs = [q for q in story.questions if q.type != "reflection"]
    subs = []
    for n in range(200):
        answers = {q.id: right_answer(q) if rng.random() < 0.5 else wrong_answer(q, rng) for q in qs}
        subs.append(GradedSubmission(str(n), answers, {q.id: grade_question(q, answers[q.id]).score for q in qs}))
    report = analyse(story, subs)
    assert all(abs(i.discrimination) < 0.25 for i in report.items)
    assert report.reliability < 0.3


def test_exact_helpers():
    from coursekit.grading.statistics import pearson, pvariance

    assert pvariance([F(1), F(1, 2), F(1, 2), F(0)]) == F(1, 8)  # Z in the alpha example
    assert pearson([F(1), F(2), F(3)], [F(2), F(4), F(6)]) == pytest.approx(1.0)
    assert pearson([F(1), F(2), F(3)], [F(3), F(2), F(1)]) == pytest.approx(-1.0)
    assert pearson([F(1), F(1)], [F(1), F(2)]) is None


def test_ordering_mistakes_and_variant_numeric():
    q = quiz(
        base(
            "order",
            "ordering",
            partial=True,
            correct_feedback="ok",
            wrong_feedback="no",
            items=[{"id": "x", "text": "X"}, {"id": "y", "text": "Y"}, {"id": "z", "text": "Z"}],
            mistakes=[{"order": ["z", "y", "x"], "feedback": "f", "misconception": "Reverses time."}],
        ),
        base(
            "vary",
            "numeric",
            variables={"a": {"min": 1, "max": 9}},
            formula="a * 2",
            correct_feedback="ok",
            wrong_feedback="no",
        ),
    )
    # the variant's scores come from the gradebook (each learner had their own numbers)
    subs = [
        GradedSubmission("a", {"order": ["x", "y", "z"], "vary": "4"}, {"order": F(1), "vary": F(1)}),
        GradedSubmission("b", {"order": ["z", "y", "x"], "vary": "5"}, {"order": F(0), "vary": F(0)}),
        GradedSubmission("c", {"order": ["y", "x", "z"], "vary": ""}, {"order": F(2, 3), "vary": F(0)}),
    ]
    report = analyse(q, subs)
    order, vary = report.items
    assert [(a.key, a.count) for a in order.answers] == [("right", 1), ("mistake-1", 1), ("other", 1)]
    assert order.answers[1].misconception == "Reverses time."
    assert order.difficulty == F(5, 9)  # (1 + 0 + 2/3) / 3
    assert report.reliability_method == "Cronbach's alpha"  # 2/3 is partial credit
    assert [(a.key, a.count) for a in vary.answers] == [("right", 1), ("other:5", 1), ("blank", 1)]


def test_wrong_answers_are_listed_as_given_most_frequent_first():
    q = quiz(
        base("n", "numeric", answer="16.3", tolerance="0.05", unit="x", correct_feedback="ok", wrong_feedback="no"),
        base("s", "short_text", accept=["Douyin"], correct_feedback="ok", wrong_feedback="no"),
    )
    answers = ["16,3"] * 5 + ["16.3x"] * 2 + ["163"] + [str(i) for i in range(20, 32)]
    responses = {f"l{i}": {"n": a, "s": "Tik  Tok" if i % 2 else "tiktok"} for i, a in enumerate(answers)}
    n, s = analyse(q, grade_submissions(q, responses)).items
    others = [(a.label, a.count) for a in n.answers if a.kind == "other"]
    assert others[0] == ("“16,3”", 5)  # the decimal comma shows at once
    assert len(others) == 11 and others[-1] == ("4 other wrong answers", 4)  # ten listed, the rest counted
    assert sum(c for _, c in others) == len(answers) - 2  # "16.3x" is right twice: the unit is read
    assert sorted((a.label, a.count) for a in s.answers if a.kind == "other") == [("“tik tok”", 10), ("“tiktok”", 10)]


def test_flags_agree_with_the_figures_the_report_prints():
    """An item printed as 0.20 is not flagged "below 0.2"; a distractor printed as 5% is not "under 5%"."""
    from coursekit.grading.analysis import ItemStats, _flags
    from coursekit.grading.answer_counts import AnswerCount
    from coursekit.grading.statistics import shown

    almost = ItemStats(
        "q",
        "single",
        "P",
        1,
        1000,
        1000,
        F(199, 1000),
        F(199, 1000),
        0.5,
        [AnswerCount("d", "D", "distractor", 49, F(49, 1000))],
    )
    assert shown(F(199, 1000)) == 0.2 and _flags(almost) == []
    below = ItemStats(
        "q",
        "single",
        "P",
        1,
        1000,
        1000,
        F(194, 1000),
        F(194, 1000),
        0.194,
        [AnswerCount("d", "D", "distractor", 44, F(44, 1000))],
    )
    assert {f.code for f in _flags(below)} == {"too-hard", "low-discrimination", "non-functioning-distractor"}
