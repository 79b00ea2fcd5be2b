"""The ``coursekit`` command: the typer app, assembled from the command groups in
coursekit.commands. Each command parses its options, calls its room, prints.

Exit codes: 0 ok, 1 the user's input (content, answers, learner code) is wrong, 2 usage.
"""

from __future__ import annotations

import typer

from coursekit.commands.course import build, schema, stats, validate
from coursekit.commands.exercise import exercise_app
from coursekit.commands.export import export
from coursekit.commands.grade import grade_app
from coursekit.commands.gradebook import gradebook_app
from coursekit.commands.quiz import quiz_app
from coursekit.commands.report import report
from coursekit.commands.roster import roster

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Build, check and take an interactive course.")
# --help lists the commands in this order, then the groups.
for command in (roster, validate, build, stats, schema, report, export):
    app.command()(command)
for name, group in (("quiz", quiz_app), ("exercise", exercise_app), ("grade", grade_app), ("gradebook", gradebook_app)):
    app.add_typer(group, name=name)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
