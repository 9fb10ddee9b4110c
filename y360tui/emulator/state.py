"""The in-memory organisation the emulator serves.

Every collection holds objects already in their **wire format** (the JSON dicts of
``shared/y360-api.md``), so a read is a slice plus ``json`` encoding and nothing else.

Collections and their wire shapes:

- ``users``: uid (str) -> v1User dict (§6.1), insertion order == id ascending (the paging order).
  Users removed by ``DELETE /users/{id}`` stay here with ``isDismissed: true`` and their uid in
  ``hidden_users``; lists skip them.
- ``departments``: id (int) -> v1Department dict (§7.1); id 1 is the root "All employees".
- ``groups``: id (int) -> v1Group dict (§8.1), members as ``[{"type", "id": str}]``.
- ``auth_types``: uid -> "portal" | "idp" (never exposed in the User object, §6.1).
- ``two_fa``: uid -> {"has2fa": bool, "hasSecurityPhone": bool}.
- ``mail_events``: list of v1MailEvent dicts (§10.1), **newest first**.
- ``disk_events``: list of DiskEvent dicts (§10.2), newest first.
- ``audit_events``: list of ``{"user_login", "user_name", "event": {...}}`` (§10.3), newest first.
- ``disk``: uid -> list of resource records, each
  ``{"name", "path" ("disk:/…"), "type", "created", "modified", "mime_type", "size",
  "public_key" (str|None), "public_url" (str|None), "resource_id",
  "public_settings": {"available_until", "accesses": [...]}}``.
- ``tracker_users``: list of Tracker User dicts (§13.2) sorted by ``uid``, without ``self``
  (added per request from the request's base URL).
- ``tracker_groups``: list of Tracker group dicts.
- ``service_apps``: list of ``{"id", "scopes"}``; ``service_app_secrets``: client id -> secret.
- ``tokens``: token -> {"uid": str, "scopes": set[str] | None (None = every scope)}.
  ``admin_token`` is the demo token printed by ``demo-server``.

Lazy parts: the generator leaves some collections unset and registers a builder for each in
``org.lazy`` (name -> callable); the first read of ``org.<name>`` runs it under ``org.lock``
(one builder may set several collections, e.g. ``two_fa`` and ``auth_types``). ``users`` may be
a :class:`LazyUsers`, a dict whose generated records are built a chunk at a time on first read.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class LazyUsers(dict):
    """uid -> user dict whose generated users are built ``chunk`` at a time on first read.

    Every generated uid is a key from the start (value ``None`` until its chunk is built), so
    ``len``, ``in``, key iteration and ``reversed`` cost nothing; reading a value builds its
    chunk (``build(k)`` returns the records of ``uids[k * chunk:(k + 1) * chunk]``), and
    ``values``/``items`` build every chunk left. Users added later are plain entries.
    """

    def __init__(self, uids: list[str], chunk: int,
                 build: Callable[[int], list[dict[str, Any]]]) -> None:
        super().__init__(dict.fromkeys(uids))
        self._uids = uids  # ascending (equal-length digit strings)
        self._chunk = chunk
        self._build: Callable[[int], list[dict[str, Any]]] | None = build
        self._pending = set(range(-(-len(uids) // chunk)))
        self._lock = threading.RLock()

    def _fill(self, k: int) -> None:
        with self._lock:
            if k not in self._pending or self._build is None:
                return
            start = k * self._chunk
            for uid, user in zip(self._uids[start:start + self._chunk], self._build(k),
                                 strict=True):
                if dict.__getitem__(self, uid) is None:
                    dict.__setitem__(self, uid, user)
            self._pending.discard(k)
            if not self._pending:
                self._build = None  # every record built: let the generator's state go

    def fill_all(self) -> None:
        """Build every chunk not built yet."""
        for k in sorted(self._pending):
            self._fill(k)

    def __getitem__(self, uid: str) -> dict[str, Any]:
        user = dict.__getitem__(self, uid)
        if user is None:
            self._fill(bisect_left(self._uids, uid) // self._chunk)
            user = dict.__getitem__(self, uid)
        return user

    def get(self, uid: Any, default: Any = None) -> Any:
        return self[uid] if dict.__contains__(self, uid) else default

    def values(self):  # type: ignore[override]
        self.fill_all()
        return dict.values(self)

    def items(self):  # type: ignore[override]
        self.fill_all()
        return dict.items(self)

    def pop(self, uid: Any, *default: Any) -> Any:
        if dict.__contains__(self, uid):
            self[uid]
        return dict.pop(self, uid, *default)

    def setdefault(self, uid: Any, default: Any = None) -> Any:
        return self[uid] if dict.__contains__(self, uid) else dict.setdefault(self, uid, default)

    def copy(self) -> dict[str, dict[str, Any]]:
        return dict(self.items())

    def __eq__(self, other: object) -> bool:
        self.fill_all()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self.fill_all()
        return dict.__repr__(self)

    def __reduce__(self) -> Any:  # copy / pickle as the plain dict it stands for
        return (dict, (self.copy(),))


@dataclass
class Org:
    id: int
    name: str
    domain: str
    admin_token: str
    admin_uid: str
    now: str  # the generator's "now" (ISO, UTC): events never lie after it
    organization: dict[str, Any] = field(default_factory=dict)  # §5 object
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    hidden_users: set[str] = field(default_factory=set)
    departments: dict[int, dict[str, Any]] = field(default_factory=dict)
    groups: dict[int, dict[str, Any]] = field(default_factory=dict)
    auth_types: dict[str, str] = field(default_factory=dict)
    two_fa: dict[str, dict[str, bool]] = field(default_factory=dict)
    mail_events: list[dict[str, Any]] = field(default_factory=list)
    disk_events: list[dict[str, Any]] = field(default_factory=list)
    audit_events: list[dict[str, Any]] = field(default_factory=list)
    disk: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tracker_users: list[dict[str, Any]] = field(default_factory=list)
    tracker_groups: list[dict[str, Any]] = field(default_factory=list)
    service_apps: list[dict[str, Any]] = field(default_factory=list)
    service_app_secrets: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Other demo tokens by role, e.g. {"readonly": token, "user": token} (see generate.py).
    extra_tokens: dict[str, str] = field(default_factory=dict)
    domain_2fa: dict[str, Any] = field(default_factory=dict)
    domain_sessions: dict[str, Any] = field(default_factory=lambda: {"authTTL": 1209600})
    domain_passwords: dict[str, Any] = field(default_factory=lambda: {"enabled": False})
    service_apps_active: bool = True
    # Writes come from request handlers that may run on several server threads.
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    # Collections not built yet: attribute name -> builder (see the module docstring).
    lazy: dict[str, Callable[[], None]] = field(default_factory=dict, repr=False)

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes the instance lacks: a lazy part not built yet.
        lazy = self.__dict__.get("lazy")
        if not lazy or name not in lazy:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        with self.__dict__["lock"]:
            build = lazy.get(name)
            if build is not None and name not in self.__dict__:
                build()
                for built in [k for k in lazy if k in self.__dict__]:
                    del lazy[built]
        return self.__dict__[name]

    def build_all(self) -> None:
        """Build every lazy part now (e.g. before serving, or to compare two orgs)."""
        for name in list(self.lazy):
            getattr(self, name)
        if isinstance(self.users, LazyUsers):
            self.users.fill_all()
