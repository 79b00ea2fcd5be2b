"""The terminal quiz on a real pseudo-terminal: arrow-key menus, every question type."""

import re
import sys

import pexpect

from coursekit.quiz.variants import shuffled

DOWN, ENTER, SPACE = "\x1b[B", "\r", " "


def test_all_types_with_arrow_keys(minimal_site):
    child = pexpect.spawn(sys.executable, ["-m", "coursekit", "quiz", "take", "all-types"], cwd=str(minimal_site),
                          env={"TERM": "xterm", "COLUMNS": "160", "LINES": "50", "PATH": "/usr/bin:/bin"},
                          encoding="utf-8", timeout=30, dimensions=(50, 160))
    try:
        child.expect("What is 3 \\+ 3")
        child.expect("Your choice")
        child.send(ENTER)  # the first choice, "6"
        child.expect("correct")
        child.expect("Choose all that apply")
        child.send(SPACE + DOWN + DOWN + SPACE + ENTER)  # tick 2 and 4
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
        child.send(ENTER)  # Paris is listed first
        child.expect("Match: Italy")
        child.send(DOWN + ENTER)  # Rome
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
