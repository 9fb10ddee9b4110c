"""``y360tui export VIEW``: every view to CSV and JSON, filters, time windows, exit codes, and
no token in anything printed."""

from __future__ import annotations

import csv
import io
import json

import pytest

from y360tui import headless
from y360tui.cli import main
from y360tui.data.demo import demo_session
from y360tui.data.sources import HEADLESS_VIEWS, MAIL_FLOW_VIEWS

DEMO = ["--demo", "--users", "120", "--seed", "7"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["export", *argv])
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("view", HEADLESS_VIEWS)
def test_every_view_exports_csv_and_json(view, capsys):
    code, out, err = run(capsys, view, *DEMO, "--format", "csv")
    assert code == 0, err
    header = out.splitlines()[0].split(",")
    assert "id" in header or "time" in header or "owner" in header or "uid" in header \
        or (view == "domains" and header[0] == "name") \
        or (view in MAIL_FLOW_VIEWS and header[0] == "position")  # ordered lists: by place
    rows = csv_rows(out)
    assert rows, f"{view}: no rows"
    assert f"{len(rows):,} {view} row(s) as csv to stdout" in err
    code, out, err = run(capsys, view, *DEMO, "--format", "json", "--quiet")
    assert code == 0, err
    records = json.loads(out)
    assert len(records) == len(rows)
    assert list(records[0]) == header
    assert err == ""


def test_users_3000_prints_a_header_and_every_row(capsys):
    code, out, _ = run(capsys, "users", "--demo", "--users", "3000", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("id,login,email,name,dept")
    assert len(lines) == 3001
    assert len({row["id"] for row in csv_rows(out)}) == 3000


def test_filter_and_per_row_values(capsys):
    code, out, _ = run(capsys, "users", *DEMO, "--filter", "status:blocked")
    assert code == 0
    rows = csv_rows(out)
    assert rows and {r["status"] for r in rows} == {"blocked"}
    assert "2fa" not in rows[0]  # a per-row value is exported only when the filter asks
    code, out, _ = run(capsys, "users", *DEMO, "--filter", "2fa:off -status:dismissed")
    assert code == 0
    rows = csv_rows(out)
    assert rows and {r["2fa"] for r in rows} == {"off"}


def test_output_file_and_format_from_extension(tmp_path, capsys):
    target = tmp_path / "groups.json"
    code, out, err = run(capsys, "groups", *DEMO, "--output", str(target))
    assert code == 0 and out == ""
    assert f"as json to {target}" in err
    assert json.loads(target.read_text(encoding="utf-8"))[0]["name"]


def test_unwritable_output_is_refused_before_loading(tmp_path, capsys, monkeypatch):
    """A missing directory or a directory as --output fails at once, not after every page."""
    def loading(*args, **kwargs):
        raise AssertionError("loaded the view for an unwritable --output")

    monkeypatch.setattr(headless, "_source", loading)
    for target, reason in ((tmp_path / "no" / "x.csv", "No such file or directory"),
                           (tmp_path, "Is a directory")):
        code, _, err = run(capsys, "users", *DEMO, "--output", str(target))
        assert code == 1
        assert f"cannot write {target}: {reason}" in err


def test_unwritable_output_is_a_message(tmp_path, capsys):
    code, _, err = run(capsys, "groups", *DEMO, "--output", str(tmp_path / "no" / "x.csv"))
    assert code == 1
    assert "cannot write" in err and "No such file or directory" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["users", "--filter", "bogus:1"],
    ["users", "--filter", "status:sleeping"],
    ["users", "--window", "7d"],
    ["audit-events", "--window", "7d", "--since", "2d"],
    ["mail-audit", "--since", "yesterday-ish"],
    ["nothing"],
    ["users", "--format", "xml"],
])
def test_usage_errors_exit_2(argv, capsys):
    code, _, err = run(capsys, *argv, *DEMO)
    assert code == 2
    assert "usage: y360tui export" in err and "Traceback" not in err


def test_audit_windows(capsys):
    code, out, _ = run(capsys, "audit-events", *DEMO, "--window", "30d", "-q")
    assert code == 0
    month = csv_rows(out)
    code, out, _ = run(capsys, "audit-events", *DEMO, "-q")
    day = csv_rows(out)
    assert len(month) > len(day) > 0
    code, out, _ = run(capsys, "mail-audit", *DEMO, "--since", "3d", "--until", "1d", "-q")
    assert code == 0 and csv_rows(out)


def test_no_credentials_says_what_to_set(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("Y360_TOKEN", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    code, out, err = run(capsys, "users")
    assert code == 2 and out == ""
    assert "Y360_TOKEN" in err


SECRET = "y0_AgAAAA-do-not-print-me"


def test_api_error_prints_the_api_message_and_never_the_token(monkeypatch, capsys):
    # A token the demo org does not know: every request is refused with the API's 401.
    monkeypatch.setattr(headless, "_client",
                        lambda args, say: (demo_session(50, 7, token=SECRET).client, ""))
    code, out, err = run(capsys, "users", "--demo")
    assert code == 1
    assert "export users: 401" in err
    assert SECRET not in out + err and "Traceback" not in err


def test_network_error_never_prints_the_token(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("Y360_TOKEN", SECRET)
    monkeypatch.setenv("Y360_ORG_ID", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    code, out, err = run(capsys, "groups", "--base-url", "http://127.0.0.1:9", "-q")
    assert code == 1
    assert "network" in err
    assert SECRET not in out + err
