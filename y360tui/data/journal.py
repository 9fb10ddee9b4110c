"""The edit journal: one JSON object per line, appended for every write the app attempts.

Where: one file per organisation and profile, ``<user data dir>/y360tui/journal/
<profile>-<org id>.jsonl`` (Linux: ``~/.local/share/y360tui/journal/``); a ``--demo`` run writes
under ``…/y360tui/demo-journal/`` instead, so it never touches the real journal.
``--journal PATH`` (or the config file's ``journal`` key, for a real org) moves it: a directory
(one that exists, or a path ending in ``/``) holds the per-org files, anything else is one file
shared by every org and profile, which :meth:`Journal.entries` filters by its stamps. See
:func:`open_journal`. The single file of earlier versions (``…/y360tui/journal.jsonl``) is still
read, never written.

Each line holds ``time``, ``profile``, ``org``, ``action``, ``target`` (``kind``, ``id``,
``label``), ``before``, ``after``, ``outcome``, an optional ``note`` and ``error`` (``status``,
``code``, ``message``) when the API refused or the reply was ambiguous.

Outcomes: ``ok`` (applied; the note says "verified after an ambiguous reply" when the answer
was lost or garbled and the object was read back), ``failed`` (known not to have applied),
``uncertain`` (the reply was ambiguous and the object could not be read back: it may or may
not have applied), ``verify-mismatch`` (applied, but the read-back differs from the plan).

Secrets never reach the file: edits leave passwords out of ``before``/``after`` in the first
place, and :func:`redact` drops any key that names a secret as a second line of defence.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

OUTCOMES = ("ok", "failed", "uncertain", "verify-mismatch")

# Substrings of key names whose values are secrets (compared lower-case, without separators).
SECRET_KEY_PARTS = ("password", "token", "secret", "authorization", "apikey", "otp")
# A secret-named key that is a flag about the secret (``passwordChangeRequired``, ``dropOtp``,
# ``hasPassword``), not the secret itself: its value stays readable.
FLAG_PREFIXES = ("is", "has", "drop")
FLAG_SUFFIXES = ("required", "enabled", "expired", "changed")
REDACTED = "<redacted>"


def data_dir() -> Path:
    """``<user data dir>/y360tui``."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("y360tui"))


def default_path() -> Path:
    """The single journal file of earlier versions (still read, never written)."""
    return data_dir() / "journal.jsonl"


def default_dir(demo: bool = False) -> Path:
    """The directory of the per-org journal files (the demo's is another one)."""
    return data_dir() / ("demo-journal" if demo else "journal")


def file_for(directory: Path, profile: str, org: str | int) -> Path:
    """The journal file of one profile and org in ``directory``."""
    def slug(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9._-]", "_", text) or "_"

    return directory / f"{slug(profile or 'default')}-{slug(str(org or 'no-org'))}.jsonl"


def open_journal(location: str | Path | None = None, *, profile: str = "",
                 org: str | int = "", demo: bool = False,
                 config: dict[str, Any] | None = None) -> Journal:
    """The journal of a session of ``profile`` on ``org``.

    ``location`` is ``--journal``; without it a real org takes the config file's ``journal``
    key (its profile's ``[profile.NAME] journal`` first; ``config`` is the parsed file, read
    here when None). A directory (existing, or spelled with a trailing ``/``) holds one file
    per org and profile; any other path is one file for every session. Nothing given: one
    file per org and profile under :func:`default_dir` (the demo's own for ``demo``), and
    the earlier single file is read too.
    """
    if location is None and not demo:
        if config is None:
            from .config import ConfigError, load_config

            try:
                config = load_config()
            except ConfigError:
                config = {}
        own = (config.get("profile") or {}).get(profile) if profile else None
        location = (own or {}).get("journal") if isinstance(own, dict) else None
        location = location or config.get("journal") or None
    if location is None:
        directory = default_dir(demo)
        return Journal(file_for(directory, profile, org), profile=profile, org=str(org),
                       directory=directory, legacy=None if demo else default_path())
    text = str(location)
    path = Path(text).expanduser()
    if text.endswith(("/", os.sep)) or path.is_dir():
        return Journal(file_for(path, profile, org), profile=profile, org=str(org),
                       directory=path)
    return Journal(path, profile=profile, org=str(org))


def is_secret_key(key: str) -> bool:
    """True if a mapping key names a secret (``password``, ``access_token``, ``dropOtp``…)."""
    plain = key.lower().replace("_", "").replace("-", "")
    if plain.startswith(FLAG_PREFIXES) or plain.endswith(FLAG_SUFFIXES):
        return False  # a flag such as dropOtp or passwordChangeRequired
    return any(part in plain for part in SECRET_KEY_PARTS)


def redact(value: Any) -> Any:
    """A copy of ``value`` where every secret-named key's value is replaced by a marker.
    Yes/no values are never secrets and stay readable, whatever their key."""
    if isinstance(value, dict):
        return {k: (REDACTED if is_secret_key(str(k)) and not isinstance(v, (bool, type(None)))
                    else redact(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    return value


@dataclass(frozen=True)
class Target:
    """The object an edit touches: ``kind`` (user, group, department, file), id and a label."""

    kind: str
    id: str
    label: str = ""


@dataclass
class JournalEntry:
    """One journal line."""

    action: str
    target: Target
    outcome: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    note: str = ""
    profile: str = ""
    org: str = ""
    time: str = ""

    def to_json(self) -> str:
        """The entry as one redacted JSON line (no trailing newline)."""
        data = asdict(self)
        data["before"] = redact(data["before"])
        data["after"] = redact(data["after"])
        data["error"] = redact(data["error"])
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JournalEntry:
        """Rebuild an entry read from the file; unknown keys are ignored."""
        target = data.get("target") or {}
        return cls(
            action=str(data.get("action", "")),
            target=Target(str(target.get("kind", "")), str(target.get("id", "")),
                          str(target.get("label", ""))),
            outcome=str(data.get("outcome", "")),
            before=data.get("before") or {},
            after=data.get("after") or {},
            error=data.get("error"),
            note=str(data.get("note", "")),
            profile=str(data.get("profile", "")),
            org=str(data.get("org", "")),
            time=str(data.get("time", "")),
        )

    def search_text(self) -> str:
        """Lower-cased text a filter matches against."""
        parts = [self.time, self.profile, self.org, self.action, self.outcome,
                 self.target.kind, self.target.id, self.target.label, self.note,
                 (self.error or {}).get("message", "") if self.error else ""]
        return " ".join(str(p) for p in parts).lower()


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Journal:
    """Append-only JSON Lines journal, safe to call from threads and asyncio tasks.

    ``profile`` and ``org`` are stamped on every entry written through :meth:`record`, and
    :meth:`entries` shows only theirs (when ``org`` is set). ``directory``: where the files of
    every org and profile live (``entries(everyone=True)`` reads them all); ``legacy``: an
    earlier single file read along with ``path``. Without ``path``, the per-org file in the
    default directory (:func:`open_journal` is the way to build the session's journal).
    """

    def __init__(self, path: Path | str | None = None, *, profile: str = "", org: str = "",
                 clock: Any = now_iso, directory: Path | None = None,
                 legacy: Path | None = None) -> None:
        if path is None:
            directory = directory or default_dir()
            path = file_for(directory, profile, org)
        self.path = Path(path)
        self.profile = profile
        self.org = str(org or "")
        self.directory = directory
        self.legacy = legacy
        self._clock = clock
        self._lock = threading.Lock()

    def record(self, entry: JournalEntry) -> JournalEntry:
        """Stamp time/profile/org on ``entry`` and append it as one flushed line."""
        if entry.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {entry.outcome!r}")
        entry.time = entry.time or self._clock()
        entry.profile = entry.profile or self.profile
        entry.org = entry.org or str(self.org)
        self.append_line(entry.to_json())
        return entry

    def append_line(self, line: str) -> None:
        """Write one line; the lock keeps concurrent writers from interleaving."""
        data = (line + "\n").encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # O_APPEND makes each single write land at the end, even across processes.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)

    def entries(self, everyone: bool = False) -> list[JournalEntry]:
        """This org and profile's entries (every entry of the file when ``org`` is not set),
        newest first; ``everyone``: the entries of every org and profile in ``directory``.
        A torn or corrupt line is skipped, not fatal."""
        paths = self.sources(everyone)
        found: list[JournalEntry] = []
        for path in paths:
            found.extend(self._read(path))
        if not everyone and self.org:  # an entry stamped with no org or profile is kept
            found = [e for e in found if e.org in ("", self.org)
                     and e.profile in ("", self.profile)]
        if len(paths) > 1:  # newest first across files; each file is in time order already
            found.sort(key=lambda e: e.time)
        return list(reversed(found))

    def sources(self, everyone: bool = False) -> list[Path]:
        """The files :meth:`entries` reads, the earlier single file first (entries of the
        same second keep this order)."""
        paths = [self.legacy] if self.legacy is not None and self.legacy.is_file() else []
        if everyone and self.directory is not None and self.directory.is_dir():
            paths += [p for p in sorted(self.directory.glob("*.jsonl")) if p != self.path]
        return [*paths, self.path]

    @staticmethod
    def _read(path: Path) -> Iterator[JournalEntry]:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:  # none yet, or unreadable: nothing to show from it
            return
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict):
                yield JournalEntry.from_dict(data)


def filter_entries(entries: Iterable[JournalEntry], text: str = "", *,
                   outcome: str | None = None, kind: str | None = None) -> list[JournalEntry]:
    """Entries whose searchable text contains every word of ``text`` (case-insensitive)."""
    words = text.lower().split()
    return [
        e for e in entries
        if (outcome is None or e.outcome == outcome)
        and (kind is None or e.target.kind == kind)
        and all(w in e.search_text() for w in words)
    ]
