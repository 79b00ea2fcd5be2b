"""Bounds on what a learner hands in, each stated once.

A quiz answer's bounds keep grading any answer to milliseconds, in Python and in the page
alike: a longer answer is not read, and its feedback says why (quiz/grading.py). The page's
grader has no copy of these: site/quizzes.question_data writes them into each question's data
(``max_chars``, ``max_exponent``) and the assessment form's, and the widgets' scripts read them
from there. Patterns are bounded where they are loaded (content/patterns.py).

An exercise submission's bound is checked where a batch is listed (grading/exercise_batch.py,
before any file is read) and again where one file is read to be graded (exercise/grader.py).
"""

MAX_SHORT_TEXT = 200  # characters of a short-text answer
MAX_REFLECTION = 20_000  # characters of a reflection
MAX_NUMBER_TEXT = 100  # characters of a numeric answer (and of a number in a submission file)
MAX_EXPONENT = 1000  # |e| in 1.5e300
MAX_SUBMISSION_BYTES = 1024 * 1024  # one learner's exercise file: far more than any answer needs
