"""Bounds on a learner's answer that keep grading any answer to milliseconds, in Python and in
the page alike: a longer answer is not read, and its feedback says why (quiz/grading.py).

The page's grader has no copy of these: site/quizzes.question_data writes them into each
question's data (``max_chars``, ``max_exponent``) and the assessment form's, and the widgets'
scripts read them from there. Patterns are bounded where they are loaded (content/patterns.py).
"""

MAX_SHORT_TEXT = 200  # characters of a short-text answer
MAX_REFLECTION = 20_000  # characters of a reflection
MAX_NUMBER_TEXT = 100  # characters of a numeric answer (and of a number in a submission file)
MAX_EXPONENT = 1000  # |e| in 1.5e300
