"""The terminal quiz on a real pseudo-terminal: arrow-key menus, every question type."""

import re
import sys

import pexpect

from coursekit.content.catalog import Layout, load_catalog
from coursekit.quiz import variants
from coursekit.quiz.order import quiz_order
from coursekit.quiz.variants import shuffled

DOWN, ENTER, SPACE = "\x1b[B", "\r", " "


def _learner_order(site, quiz_id: str, learner: str) -> dict[str, list[str]]:
    seed = variants.seed_for(quiz_id, learner, 1)
    return quiz_order(quiz_id, load_catalog(Layout(site)).quizzes[quiz_id].model, seed)


def test_all_types_with_arrow_keys(minimal_site):
    order = _learner_order(minimal_site, "all-types", "pat")  # the options as this learner sees them
    down_to = lambda ids, wanted: DOWN * ids.index(wanted)  # noqa: E731
    child = pexpect.spawn(
        sys.executable,
        ["-m", "coursekit", "quiz", "take", "all-types", "--learner", "pat"],
        cwd=str(minimal_site),
        env={"TERM": "xterm", "COLUMNS": "160", "LINES": "50", "PATH": "/usr/bin:/bin"},
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 160),
    )
    try:
        child.expect("What is 3 \\+ 3")
        child.expect("Your choice")
        child.send(down_to(order["pick"], "six") + ENTER)
        child.expect("correct")
        child.expect("Choose all that apply")
        evens = order["evens"]
        first, second = sorted((evens.index("two"), evens.index("four")))
        child.send(DOWN * first + SPACE + DOWN * (second - first) + SPACE + ENTER)  # tick 2 and 4
        child.expect("Grass is green")
        child.expect("True or false")
        child.send(ENTER)
        child.expect(r"sold (\d+) items, then (\d+)")
        before, after = int(child.match.group(1)), int(child.match.group(2))
        child.expect("Your answer")
        child.sendline(f"{round((after - before) / before * 100, 1)}")
        child.expect("Name the colour of grass")
        child.expect("Your answer")
        child.sendline("Green")
        child.expect("The right order")
        shown = shuffled(["one", "two", "three"], "terminal:order")
        child.sendline(",".join(str(shown.index(i) + 1) for i in ["one", "two", "three"]))
        child.expect("Match: France")
        rights = order["capitals:right"]
        child.send(down_to(rights, "fr") + ENTER)  # Paris
        child.expect("Match: Italy")
        child.send(down_to(rights, "it") + ENTER)  # Rome
        child.expect("finish with an empty line")
        child.sendline("I learned how the terminal quiz works.")
        child.sendline("")
        child.expect(pexpect.EOF)
        transcript = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    finally:
        child.close()
    assert child.exitstatus == 0, transcript[-2000:]
    assert "Score: 7 / 7" in transcript, transcript[-2000:]
    assert "saved" in transcript


def _shown_options(site, learner: str) -> list[str]:
    """The option lines the numbered (piped) prompts print for the first two questions."""
    import subprocess

    r = subprocess.run(
        [sys.executable, "-m", "coursekit", "quiz", "take", "basics", "--learner", learner],
        cwd=str(site),
        input="1\n1\n1\n0.5\nx\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "160"},
    )
    return re.findall(r"^\s+\d+\. (.+)$", r.stdout, re.M)


def test_two_learners_see_their_own_option_orders(minimal_site):
    orders = {learner: _shown_options(minimal_site, learner) for learner in ("alice", "bob", "carol", "dan")}
    assert all(len(o) == 7 for o in orders.values()), orders  # 2 + 3 options, True and False
    assert len({tuple(o) for o in orders.values()}) >= 2, orders
    assert orders["alice"] == _shown_options(minimal_site, "alice")  # the same learner, the same order
