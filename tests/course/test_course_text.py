"""Every string of the course (quizzes, exercises, data) renders the same through markup.inline's
shortcut as through the Markdown converter, and most of it is plain enough to take the shortcut."""

from pathlib import Path

import pytest
from test_markup import matches_markdown, strings_in

from coursekit import markup

REPO = Path(__file__).resolve().parents[2]
COURSE_FILES = [*REPO.glob("quizzes/*.yml"), *REPO.glob("exercises/*/exercise.yml"), *REPO.glob("course/data/*.yml")]


@pytest.mark.parametrize("text", strings_in(COURSE_FILES))
def test_shortcut_matches_markdown(text):
    matches_markdown(text)


def test_shortcut_is_taken_for_most_course_text():
    strings = strings_in(COURSE_FILES)
    assert sum(map(markup._plain, strings)) > len(strings) // 3
