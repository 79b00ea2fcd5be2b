"""The progress bar: drawn on a terminal (a pty here), never into a pipe."""

import json
import subprocess
import sys

import pexpect


def folder_of(tmp_path, n=60):
    folder = tmp_path / "subs"
    folder.mkdir()
    for i in range(n):
        (folder / f"s{i:03d}.json").write_text(
            json.dumps(
                {
                    "format": "coursekit-submission",
                    "version": 1,
                    "learner": f"s{i:03d}",
                    "quiz": "basics",
                    "attempt": 1,
                    "submitted_at": "2026-11-20T10:00:00Z",
                    "responses": {"two-plus-two": "a"},
                }
            )
        )
    return folder


def test_progress_bar_on_a_terminal_only(minimal_site, tmp_path):
    folder = folder_of(tmp_path)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "coursekit", "grade", "quiz", "basics", str(folder), "--gradebook", str(tmp_path / "g.sqlite")],
        cwd=str(minimal_site),
        encoding="utf-8",
        timeout=120,
        dimensions=(40, 120),
    )
    child.expect("grading")  # the bar's label, on stderr, which is the terminal
    child.expect(r"\d+/60")  # its count of files done (the table holds no such text)
    child.expect("60 graded, 0 regraded")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    piped = subprocess.run(
        [
            sys.executable,
            "-m",
            "coursekit",
            "grade",
            "quiz",
            "basics",
            str(folder),
            "--gradebook",
            str(tmp_path / "h.sqlite"),
        ],
        cwd=minimal_site,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0 and "/60" not in piped.stderr and "grading" not in piped.stderr
    assert "s059" in piped.stdout and "graded" in piped.stdout  # the table still goes to stdout
