"""Saved filters: named filter texts per view, kept in the config file.

In ``config.toml`` (see ``data.config``), one table per view::

    [filters.users]
    no-2fa = '2fa:off status:active'
    admins = 'role:admin'

    [filters.groups]
    empty = 'members:0 type:generic'

The palette lists them ("Filter: no-2fa · Users") and applies one to its view; "Save filter"
in the palette adds the current view's filter here. Names are letters, digits, ``-`` and ``_``
(bare TOML keys, which the Python 3.10 subset reader also reads); the filter text is written as
a literal string (single quotes) unless it holds a single quote.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import ConfigError, config_path, load_config

NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")


@dataclass(frozen=True)
class SavedFilter:
    """One saved filter: the view it belongs to, its name and its text."""

    view: str
    name: str
    text: str


def saved_filters(config: dict[str, Any] | None = None,
                  path: Path | None = None) -> list[SavedFilter]:
    """Every saved filter of the config file (or of ``config`` already read), by view and
    name; entries that are not strings are skipped."""
    if config is None:
        config = load_config(path)
    tables = config.get("filters", {})
    out = []
    if isinstance(tables, dict):
        for view, entries in sorted(tables.items()):
            if not isinstance(entries, dict):
                continue
            for name, text in sorted(entries.items()):
                if isinstance(text, str) and text.strip():
                    out.append(SavedFilter(view, name, text.strip()))
    return out


def check_name(name: str) -> str:
    """``name`` if it can be a saved filter's name, else ConfigError saying what can."""
    if not NAME.fullmatch(name):
        raise ConfigError("a filter name is 1-40 Latin letters, digits, - or _ (no spaces)")
    return name


def save_filter(view: str, name: str, text: str, path: Path | None = None) -> Path:
    """Write (or replace) filter ``name`` of ``view`` in the config file; returns the file.
    ConfigError with a sentence if it cannot be written or the file is not valid."""
    check_name(name)
    if not text.strip():
        raise ConfigError("there is no filter to save")
    path = path or config_path()
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    new = _with_entry(old, view, name, text.strip())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from None
    return path


def _toml_string(text: str) -> str:
    return f"'{text}'" if "'" not in text and "\n" not in text else json.dumps(text)


def _with_entry(text: str, view: str, name: str, value: str) -> str:
    """``text`` (a config file) with ``name = value`` in table ``[filters.view]``."""
    lines = text.splitlines()
    header = f"[filters.{view}]"
    entry = f"{name} = {_toml_string(value)}"
    at = next((i for i, line in enumerate(lines) if line.strip() == header), None)
    if at is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += [header, entry]
        return "\n".join(lines) + "\n"
    end = next((i for i in range(at + 1, len(lines)) if lines[i].lstrip().startswith("[")),
               len(lines))
    key = re.compile(rf"\s*{re.escape(name)}\s*=")
    for i in range(at + 1, end):
        if key.match(lines[i]):
            lines[i] = entry
            break
    else:
        lines.insert(at + 1, entry)
    return "\n".join(lines) + "\n"
