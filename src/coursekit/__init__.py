"""coursekit: interactive course packages built on MkDocs, with quizzes and exercises."""

__version__ = "0.1.0"
