"""The edit journal: one line per write, secrets never stored, newest first, filters."""

from __future__ import annotations

import json
import threading

import pytest

from y360tui.data.journal import (
    REDACTED,
    Journal,
    JournalEntry,
    Target,
    default_path,
    filter_entries,
    redact,
)


def entry(action: str = "user.block", outcome: str = "ok", **kw) -> JournalEntry:
    return JournalEntry(action=action, target=Target("user", "113", "ivan"), outcome=outcome,
                        **kw)


def test_record_writes_one_stamped_line(tmp_path):
    path = tmp_path / "sub" / "journal.jsonl"
    journal = Journal(path, profile="prod", org="42", clock=lambda: "2026-01-01T00:00:00+00:00")
    journal.record(entry(before={"isEnabled": True}, after={"isEnabled": False}))
    lines = path.read_text().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["time"] == "2026-01-01T00:00:00+00:00"
    assert (data["profile"], data["org"], data["action"]) == ("prod", "42", "user.block")
    assert data["target"] == {"kind": "user", "id": "113", "label": "ivan"}
    assert data["before"] == {"isEnabled": True} and data["after"] == {"isEnabled": False}
    assert data["outcome"] == "ok" and data["error"] is None


def test_entries_newest_first_and_corrupt_lines_skipped(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    journal.record(entry("a"))
    journal.append_line('{"torn": ')  # a crash mid-write must not hide the rest
    journal.record(entry("b", outcome="failed", error={"status": 409, "message": "taken"}))
    got = journal.entries()
    assert [e.action for e in got] == ["b", "a"]
    assert got[0].error == {"status": 409, "message": "taken"}


def test_missing_file_reads_as_empty(tmp_path):
    assert Journal(tmp_path / "none.jsonl").entries() == []


def test_unknown_outcome_rejected(tmp_path):
    with pytest.raises(ValueError):
        Journal(tmp_path / "j.jsonl").record(entry(outcome="maybe"))


def test_secret_keys_are_redacted_everywhere(tmp_path):
    path = tmp_path / "j.jsonl"
    journal = Journal(path)
    journal.record(entry(
        before={"password": "hunter2-secret", "nested": [{"access_token": "y0_tok"}]},
        after={"authType": "portal", "Authorization": "OAuth y0_tok", "dropOtp": True},
        error={"status": 400, "message": "bad", "client_secret": "s3"},
    ))
    text = path.read_text()
    for secret in ("hunter2-secret", "y0_tok", "s3\""):
        assert secret not in text
    data = json.loads(text)
    assert data["before"]["password"] == REDACTED
    assert data["after"]["dropOtp"] is True  # a flag, not a secret
    assert data["after"]["authType"] == "portal"


def test_redact_leaves_plain_values():
    assert redact({"name": {"first": "A"}, "tags": ["x"]}) == {"name": {"first": "A"},
                                                               "tags": ["x"]}


def test_concurrent_appends_never_interleave(tmp_path):
    path = tmp_path / "j.jsonl"
    journal = Journal(path)
    big = "x" * 5000

    def write(n: int) -> None:
        for i in range(50):
            journal.record(entry(f"t{n}.{i}", note=big))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = path.read_text().splitlines()
    assert len(lines) == 400
    assert {json.loads(line)["action"] for line in lines} == {
        f"t{n}.{i}" for n in range(8) for i in range(50)}


def test_filter_by_words_outcome_and_kind(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    journal.record(entry("user.block"))
    journal.record(JournalEntry(action="group.delete", target=Target("group", "7", "Sales"),
                                outcome="failed", error={"status": 403, "message": "denied"}))
    all_ = journal.entries()
    assert [e.action for e in filter_entries(all_, "sales")] == ["group.delete"]
    assert [e.action for e in filter_entries(all_, "DENIED group")] == ["group.delete"]
    assert [e.action for e in filter_entries(all_, outcome="ok")] == ["user.block"]
    assert [e.action for e in filter_entries(all_, kind="user")] == ["user.block"]
    assert filter_entries(all_, "nothing-like-this") == []


def test_default_path_under_user_data_dir():
    path = default_path()
    assert path.name == "journal.jsonl" and "y360tui" in str(path)


def test_flags_about_secrets_stay_readable(tmp_path):
    """Issue 9 §4: passwordChangeRequired is a flag, not a secret; a password still goes."""
    path = tmp_path / "j.jsonl"
    Journal(path).record(entry(
        before={"passwordChangeRequired": "(unknown)", "hasPassword": True},
        after={"passwordChangeRequired": True, "password": "Hunter-22-secret",
               "password_hash": "x1f", "oauth_token": False, "client_secret": None},
    ))
    data = json.loads(path.read_text())
    assert data["after"]["passwordChangeRequired"] is True
    assert data["before"] == {"passwordChangeRequired": "(unknown)", "hasPassword": True}
    assert data["after"]["password"] == REDACTED and data["after"]["password_hash"] == REDACTED
    assert data["after"]["oauth_token"] is False and data["after"]["client_secret"] is None
    assert "Hunter-22-secret" not in path.read_text()
