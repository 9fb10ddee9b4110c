"""Saved filters in the config file: written as TOML both readers accept, read back by view."""

from __future__ import annotations

import pytest

from y360tui.data import config
from y360tui.data.config import ConfigError, parse_config
from y360tui.data.saved_filters import save_filter, saved_filters

PROFILE = '''default_profile = "acme"

[profile.acme]
token = "y0_secret"
org_id = 1
'''


def read_both(path):
    text = path.read_text()
    return parse_config(text), config._parse_subset(text)  # tomllib (3.11+) and the subset


def test_save_then_read_keeps_the_profile(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(PROFILE)
    save_filter("users", "no-2fa", "2fa:off status:active", path)
    save_filter("users", "sales", 'dept:"Customer care"', path)
    save_filter("groups", "empty", "members:0", path)
    save_filter("users", "no-2fa", "2fa:off", path)  # replaced, not repeated
    for parsed in read_both(path):
        assert parsed["profile"]["acme"]["token"] == "y0_secret"
        assert parsed["filters"]["users"] == {"no-2fa": "2fa:off",
                                              "sales": 'dept:"Customer care"'}
    found = [(f.view, f.name, f.text) for f in saved_filters(path=path)]
    assert found == [("groups", "empty", "members:0"), ("users", "no-2fa", "2fa:off"),
                     ("users", "sales", 'dept:"Customer care"')]


def test_a_quote_in_the_filter_is_escaped(tmp_path):
    path = tmp_path / "config.toml"
    save_filter("users", "odd", "name:o'brien", path)
    assert saved_filters(path=path)[0].text == "name:o'brien"


@pytest.mark.parametrize("name", ["", "two words", "x" * 41, "=", "[a]"])
def test_bad_names_are_refused(tmp_path, name):
    with pytest.raises(ConfigError, match="a filter name is"):
        save_filter("users", name, "status:active", tmp_path / "c.toml")


def test_unwritable_place_is_a_config_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="cannot write"):
        save_filter("users", "a", "x", blocker / "config.toml")
