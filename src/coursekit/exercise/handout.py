"""What of an exercise a learner may have: the starter, the public tests, the data and the
README of each data folder. Never the solution or hidden tests. The page, the notebook, the
zip and the site's download folder all ship from these lists."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coursekit.content.catalog import LoadedExercise


def data_files(ex: LoadedExercise) -> list[str]:
    """The exercise's data, with the README of each data folder (where every row comes from):
    shipped wherever the data goes, listed in exercise.yml or not."""
    files = list(ex.model.files.data)
    for folder in dict.fromkeys(str(PurePosixPath(name).parent) for name in ex.model.files.data):
        readme = (PurePosixPath(folder) / "README.md").as_posix()
        if readme not in files and ex.file(readme).is_file():
            files.append(readme)
    return files


def learner_files(ex: LoadedExercise) -> list[str]:
    """What a learner may have: the starter, the public tests, the data and its README. Never the
    solution or hidden tests."""
    f = ex.model.files
    return [f.starter, *f.tests, *data_files(ex)]
