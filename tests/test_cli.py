"""The command line refuses bad options with a usage message, never a traceback."""

from __future__ import annotations

import pytest

from y360tui.cli import main


@pytest.mark.parametrize(("argv", "message"), [
    (["--demo", "--fault-rate", "2"], "add up to at most 1"),
    (["--demo", "--faults", "bogus", "--fault-rate", "0.1"], "unknown fault kinds ['bogus']"),
    (["--demo", "--users", "0"], "at least 1 user"),
    (["demo-server", "--users", "-5"], "at least 1 user"),
])
def test_bad_demo_options_are_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "usage:" in err and "Traceback" not in err


@pytest.mark.parametrize(("users", "said"), [(60, True), (40, False)])
def test_a_long_demo_generation_is_announced(users, said, capsys, monkeypatch):
    from y360tui.cli import build_parser
    from y360tui.ui import run

    monkeypatch.setattr(run, "SAY_GENERATING_FROM", 50)
    app = run.build_app(build_parser().parse_args(["--demo", "--users", str(users)]))
    assert app.org_name
    err = capsys.readouterr().err
    assert (f"generating a demo organisation of {users} users" in err) is said


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"y360tui {version('y360tui')}"


def test_journal_option_reaches_the_apps_journal(tmp_path, monkeypatch):
    from y360tui.cli import build_parser
    from y360tui.ui import run
    from y360tui.ui.forms.flow import journal_of

    monkeypatch.setattr(run.startup, "pause_gc", lambda: None)
    seen = {}

    def fake_run(self):
        seen["journal"] = journal_of(self)

    monkeypatch.setattr("y360tui.ui.app.Y360App.run", fake_run)
    path = tmp_path / "edits.jsonl"
    run.run_app(build_parser().parse_args(["--demo", "--users", "20", "--journal", str(path)]))
    assert seen["journal"].path == path and seen["journal"].profile == "demo"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    run.run_app(build_parser().parse_args(["--demo", "--users", "20"]))
    assert seen["journal"].path.parent == tmp_path / "data" / "y360tui" / "demo-journal"
