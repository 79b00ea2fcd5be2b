"""What the site offers a learner to download for each exercise: the files they may have
(``handout``), the ``learner`` fixture as conftest.py, the notebook and a zip of it all.
Every file has the same bytes on every build. Knows nothing of MkDocs."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from coursekit.exercise.handout import learner_files
from coursekit.exercise.notebook import exercise_notebook
from coursekit.site.runtime import ASSETS

if TYPE_CHECKING:
    from coursekit.content.catalog import LoadedExercise


def conftest_for(ex: LoadedExercise) -> str:
    """The `learner` fixture for a standalone exercise folder (the page and the zip use the same file)."""
    template = (ASSETS / "conftest_template.py").read_text(encoding="utf-8")
    marker = 'LEARNER_FILE = "starter.py"'
    assert marker in template, "conftest_template.py must set LEARNER_FILE"
    return template.replace(marker, f"LEARNER_FILE = {json.dumps(ex.model.files.starter)}")


_ZIP_README = """\
# {title}

{summary}

Your task is in `{starter}`: replace the `# TODO` lines. Then run the tests:

```sh
python -m pip install pytest   # once
python -m pytest               # in this folder
```

Every test passes when your code is right. The tests get your module through the `learner`
fixture defined in `conftest.py`, and run with this folder as the working directory.

## Hints

{hints}
"""


def exercise_zip(ex: LoadedExercise, target: Path) -> None:
    """A zip of the learner's files (in a folder named after the exercise), with the same bytes on every build."""
    m = ex.model
    entries = {name: ex.file(name).read_bytes() for name in learner_files(ex)}
    entries["conftest.py"] = conftest_for(ex).encode()
    entries["README.md"] = _ZIP_README.format(
        title=m.title,
        summary=m.summary.strip(),
        starter=m.files.starter,
        hints="\n".join(f"{i}. {h}" for i, h in enumerate(m.hints, start=1)),
    ).encode()
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{ex.id}/{name}", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[name])


def write_downloads(ex: LoadedExercise, folder: Path) -> None:
    """The exercise's downloads under ``folder``: starter, public tests, data, conftest.py,
    <id>.ipynb and <id>.zip."""
    import nbformat

    for name in learner_files(ex):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ex.dir / name, target)
    (folder / "conftest.py").write_text(conftest_for(ex), encoding="utf-8")
    nbformat.write(exercise_notebook(ex), str(folder / f"{ex.id}.ipynb"))
    exercise_zip(ex, folder / f"{ex.id}.zip")
