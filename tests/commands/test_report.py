"""`coursekit report` (coursekit.commands.report), run as a process."""

import json

from .process import run


def test_report_terminal_html_and_json(minimal_site, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    answers = [
        {"two-plus-two": "a", "sky": False, "half": "0.5"},
        {"two-plus-two": "b", "sky": True},
        {"two-plus-two": "a", "sky": False, "half": "2"},
        {"two-plus-two": "b", "sky": False},
    ]
    for i, responses in enumerate(answers):
        (subs / f"l{i}.json").write_text(
            json.dumps(
                {
                    "format": "coursekit-submission",
                    "version": 1,
                    "learner": f"l{i}",
                    "quiz": "basics",
                    "submitted_at": "2026-11-20T10:00:00+00:00",
                    "responses": responses,
                }
            )
        )
    book = tmp_path / "g.sqlite"
    assert run("grade", "quiz", "basics", subs, "--gradebook", book, cwd=minimal_site).returncode == 0
    html = tmp_path / "report.html"
    r = run("report", "basics", "--gradebook", book, "--html", html, cwd=minimal_site)
    assert r.returncode == 0, r.stderr
    assert "two-plus-two" in r.stdout and "<svg" in html.read_text()
    data = json.loads(run("report", "basics", "--gradebook", book, "--json", cwd=minimal_site).stdout)
    assert data["submissions"] == 4
