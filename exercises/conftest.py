# The `learner` fixture gives each exercise's tests the learner's module (see
# coursekit.exercise.fixtures for which file stands behind it).
from coursekit.exercise.fixtures import exercise_dir, learner  # noqa: F401
