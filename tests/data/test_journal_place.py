"""Where the journal lives (issue 9 §2): per organisation and profile, a demo run never in the
real journal, ``--journal PATH`` and the config's ``journal`` key."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from y360tui.data.journal import (
    Journal,
    JournalEntry,
    Target,
    default_dir,
    default_path,
    open_journal,
)
from y360tui.ui.forms.flow import journal_of


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """platformdirs' user data dir under tmp_path (Linux: $XDG_DATA_HOME/y360tui)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "data" / "y360tui"


def entry(action: str = "user.block") -> JournalEntry:
    return JournalEntry(action=action, target=Target("user", "1", "ivan"), outcome="ok")


def test_one_file_per_org_and_profile_under_the_data_dir(data_home):
    acme = open_journal(profile="acme", org=101, config={})
    beta = open_journal(profile="beta", org=202, config={})
    assert acme.path == data_home / "journal" / "acme-101.jsonl"
    assert beta.path.parent == acme.path.parent != beta.path
    acme.record(entry("user.block"))
    beta.record(entry("group.delete"))
    assert [e.action for e in acme.entries()] == ["user.block"]
    assert [e.action for e in beta.entries()] == ["group.delete"]
    everything = acme.entries(everyone=True)
    assert {(e.profile, e.org, e.action) for e in everything} == {
        ("acme", "101", "user.block"), ("beta", "202", "group.delete")}


def test_a_demo_run_never_writes_into_the_real_journal(data_home):
    real = open_journal(profile="demo", org=7249523, config={})
    demo = open_journal(profile="demo", org=7249523, demo=True,
                        config={"journal": str(data_home / "shared.jsonl")})
    assert demo.path.parent == default_dir(demo=True) != real.path.parent
    demo.record(entry())
    assert not real.path.exists() and not (data_home / "shared.jsonl").exists()
    assert real.entries(everyone=True) == []
    assert len(demo.entries()) == 1


def test_journal_option_names_one_shared_file_filtered_by_org_and_profile(tmp_path):
    path = tmp_path / "audit" / "edits.jsonl"
    acme = open_journal(str(path), profile="acme", org=101)
    beta = open_journal(str(path), profile="beta", org=202)
    acme.record(entry("user.block"))
    beta.record(entry("group.delete"))
    assert acme.path == beta.path == path
    assert [e.action for e in acme.entries()] == ["user.block"]
    assert [e.action for e in beta.entries()] == ["group.delete"]
    assert len(acme.entries(everyone=True)) == 2
    assert [json.loads(line)["org"] for line in path.read_text().splitlines()] == ["101", "202"]


def test_journal_option_naming_a_directory_keeps_one_file_per_org(tmp_path):
    acme = open_journal(f"{tmp_path}/journals/", profile="acme", org=101)
    assert acme.path == tmp_path / "journals" / "acme-101.jsonl"
    acme.record(entry())
    beta = open_journal(str(tmp_path / "journals"), profile="beta", org=202)  # exists now
    assert beta.path == tmp_path / "journals" / "beta-202.jsonl"
    assert beta.entries() == [] and len(beta.entries(everyone=True)) == 1


def test_config_key_sets_the_place_and_the_profiles_own_key_wins(tmp_path):
    config = {"journal": str(tmp_path / "all.jsonl"),
              "profile": {"acme": {"journal": str(tmp_path / "acme.jsonl")}, "beta": {}}}
    assert open_journal(profile="acme", org=1, config=config).path == tmp_path / "acme.jsonl"
    assert open_journal(profile="beta", org=2, config=config).path == tmp_path / "all.jsonl"
    # --journal beats the config file
    assert open_journal(str(tmp_path / "cli.jsonl"), profile="acme", org=1,
                        config=config).path == tmp_path / "cli.jsonl"


def test_config_file_is_read_when_not_given(tmp_path, data_home):
    config_file = tmp_path / "config" / "y360tui" / "config.toml"
    config_file.parent.mkdir(parents=True)
    config_file.write_text(f'journal = "{tmp_path / "from-config.jsonl"}"\n')
    assert open_journal(profile="environment", org=5).path == tmp_path / "from-config.jsonl"


def test_the_earlier_single_file_is_still_read_for_its_org(data_home):
    legacy = default_path()
    Journal(legacy, profile="acme", org="101").record(entry("user.old"))
    Journal(legacy, profile="beta", org="202").record(entry("user.other"))
    acme = open_journal(profile="acme", org=101, config={})
    acme.record(entry("user.new"))
    assert [e.action for e in acme.entries()] == ["user.new", "user.old"]
    assert {e.action for e in acme.entries(everyone=True)} == {"user.new", "user.old",
                                                                "user.other"}
    assert legacy.read_text().count("\n") == 2  # never written to


def test_the_app_journal_follows_its_options(tmp_path):
    demo = SimpleNamespace(profile="demo", client=SimpleNamespace(org_id=42),
                           journal_options={"location": None, "demo": True})
    assert journal_of(demo).path.parent == default_dir(demo=True)
    chosen = SimpleNamespace(profile="acme", client=SimpleNamespace(org_id=42),
                             journal_options={"location": str(tmp_path / "j.jsonl")})
    assert journal_of(chosen).path == tmp_path / "j.jsonl"
    assert journal_of(chosen).org == "42" and journal_of(chosen).profile == "acme"
