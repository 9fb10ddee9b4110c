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
a :class:`LazyUsers`, a dict whose generated records are rebuilt a chunk at a time when read and
not kept, except those taken for writing (``org.users[uid]``, ``get``), which are pinned.
Code that only reads a user goes through :func:`peek_user`/:func:`peek_users` or iterates
``values()``/``items()``; code that changes one takes it with ``org.users[uid]`` first.
"""

from __future__ import annotations

import json
import threading
import zlib
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


def encode_user(user: dict[str, Any]) -> bytes:
    """A user's wire JSON, as ``GET /users`` pages join it (compact, UTF-8)."""
    return json.dumps(user, ensure_ascii=False, separators=(",", ":")).encode()


def peek_user(users: dict[str, dict[str, Any]], uid: str, default: Any = None) -> Any:
    """``users.get(uid, default)`` for a reader that does not change the record: a
    :class:`LazyUsers` then neither builds nor keeps a record for it (see ``LazyUsers.peek``)."""
    if isinstance(users, LazyUsers):
        return users.peek(uid, default)
    return users.get(uid, default)


def peek_users(users: dict[str, dict[str, Any]], uids: Iterable[str]
               ) -> Iterator[dict[str, Any]]:
    """The records of ``uids`` (each a key of ``users``) in that order, for reading only."""
    if isinstance(users, LazyUsers):
        return users.peek_many(uids)
    return (users[uid] for uid in uids)


class LazyUsers(dict):
    """uid -> user dict whose generated records are rebuilt on demand instead of kept.

    Every generated uid is a key from the start, its value ``None`` while the record is
    *generated*: ``build(k)`` returns the records of ``uids[k * chunk:(k + 1) * chunk]``, the
    same every time (its own random stream), so such a record need not be kept. What is kept:

    - **pinned** records: ``users[uid]``, ``get``, ``setdefault``, ``pop`` and assignment
      store the record as the key's value, where it stays, so changes made to it in place
      persist (every write of the emulator goes through these). Users added later are plain
      entries, pinned from the start;
    - per chunk, once built, its users' wire JSON (:func:`encode_user`, one line each),
      zlib-compressed (~140 KB per 1,000 users), which ``GET /users`` pages serve;
    - a few recently built chunks of records and of decompressed JSON lines (LRU).

    Readers that do not change a record use ``peek``/``peek_many``/``values``/``items``,
    which return pinned records where there are some and otherwise records that are not
    kept (changes to those are lost). ``len``, ``in``, key iteration and ``reversed`` are
    the plain dict's.
    """

    RECORD_CHUNKS = 1  # chunks of built records kept (~4 MB each; sequential readers)
    JSON_CHUNKS = 2  # chunks of decompressed JSON lines kept (~0.8 MB each; a page may span 2)
    LOADS_BELOW = 250  # fewer wanted records of a packed chunk: json.loads them, not build

    def __init__(self, uids: list[str], chunk: int,
                 build: Callable[[int], list[dict[str, Any]]],
                 names: Callable[[], dict[str, str]] | None = None) -> None:
        """``names()``, if given, returns {nickname or alias: uid} of the generated records
        without building them (else ``name_owner`` builds every chunk once to learn them)."""
        super().__init__(dict.fromkeys(uids))
        self._uids = uids  # ascending (equal-length digit strings)
        self._chunk = chunk
        self._build = build
        self._chunks = -(-len(uids) // chunk)
        self._records: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()
        self._lines: OrderedDict[int, list[bytes]] = OrderedDict()
        self._packed: dict[int, bytes] = {}
        self._names_of = names
        self._names: dict[str, str] | None = None  # nickname/alias -> uid, generated records
        self._lock = threading.RLock()

    # -- chunks ------------------------------------------------------------------------------

    def _index(self, uid: str) -> int:
        """Position of generated ``uid`` in ``uids`` (-1 for a user added later)."""
        i = bisect_left(self._uids, uid)
        return i if i < len(self._uids) and self._uids[i] == uid else -1

    def _chunk_records(self, k: int, keep: bool = True) -> list[dict[str, Any]]:
        """The built records of chunk ``k`` (built now unless among the last few; kept
        among them if ``keep``). The first build packs the chunk's JSON."""
        with self._lock:
            records = self._records.get(k)
            if records is not None:
                self._records.move_to_end(k)
                return records
            records = self._build(k)
            if k not in self._packed:
                lines = [encode_user(user) for user in records]
                self._packed[k] = zlib.compress(b"\n".join(lines), 1)
                self._remember(self._lines, k, lines, self.JSON_CHUNKS)
            if keep:
                self._remember(self._records, k, records, self.RECORD_CHUNKS)
            return records

    def _chunk_lines(self, k: int) -> list[bytes]:
        """The wire JSON of chunk ``k``'s generated users, one per user."""
        with self._lock:
            lines = self._lines.get(k)
            if lines is not None:
                self._lines.move_to_end(k)
                return lines
            if k not in self._packed:
                self._chunk_records(k, keep=False)  # packs it and keeps its lines
                return self._lines[k]
            lines = zlib.decompress(self._packed[k]).split(b"\n")
            self._remember(self._lines, k, lines, self.JSON_CHUNKS)
            return lines

    @staticmethod
    def _remember(cache: OrderedDict[int, Any], k: int, value: Any, size: int) -> None:
        cache[k] = value
        cache.move_to_end(k)
        while len(cache) > size:
            cache.popitem(last=False)

    def _generated(self, k: int, positions: list[int]) -> list[dict[str, Any]]:
        """Records at ``positions`` (within chunk ``k``): from the kept records, else decoded
        from the packed JSON when few are wanted, else from a build of the chunk."""
        with self._lock:
            if (k not in self._records and k in self._packed
                    and len(positions) < self.LOADS_BELOW):
                lines = self._chunk_lines(k)
                return [json.loads(lines[j]) for j in positions]
            records = self._chunk_records(k)
            return [records[j] for j in positions]

    def fill_all(self) -> None:
        """Build and pack every chunk not packed yet (pages then only decompress)."""
        for k in range(self._chunks):
            if k not in self._packed:
                self._chunk_records(k, keep=False)

    # -- reading without keeping -------------------------------------------------------------

    def peek(self, uid: str, default: Any = None) -> Any:
        """The record of ``uid`` (``default`` if unknown) for reading: a pinned record if
        there is one, else a generated record that is not kept."""
        user = dict.get(self, uid, default)
        if user is not None or not dict.__contains__(self, uid):
            return user
        i = self._index(uid)
        return self._generated(i // self._chunk, [i % self._chunk])[0]

    def peek_many(self, uids: Iterable[str]) -> Iterator[dict[str, Any]]:
        """``peek`` of each of ``uids`` (keys), in order; runs within one chunk are decoded or
        built together."""
        pending: list[tuple[int, int]] = []  # (output position, index) of generated ones
        out: list[dict[str, Any] | None] = []
        for uid in uids:
            user = dict.__getitem__(self, uid)
            if user is None:
                pending.append((len(out), self._index(uid)))
            out.append(user)
        pending.sort(key=lambda p: p[1])
        start = 0
        while start < len(pending):
            k = pending[start][1] // self._chunk
            end = start
            while end < len(pending) and pending[end][1] // self._chunk == k:
                end += 1
            run = pending[start:end]
            for (pos, _), user in zip(run, self._generated(k, [i % self._chunk
                                                               for _, i in run]), strict=True):
                out[pos] = user
            start = end
        return iter(out)  # type: ignore[arg-type]

    def _iter_items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        uids, chunk, size = self._uids, self._chunk, len(self._uids)
        k_now, records, i = -1, None, 0
        for uid, user in dict.items(self):
            if user is None:
                if i >= size or uids[i] != uid:  # a key popped before this one
                    i = self._index(uid)
                k = i // chunk
                if k != k_now:
                    k_now, records = k, self._chunk_records(k)
                user = records[i % chunk]  # type: ignore[index]
            yield uid, user
            i += 1

    def values(self) -> _Values:  # type: ignore[override]
        return _Values(self)

    def items(self) -> _Items:  # type: ignore[override]
        return _Items(self)

    def json_lines(self, uids: list[str]) -> list[bytes | None]:
        """The wire JSON of each of ``uids`` that is a generated record, ``None`` for pinned
        and added users (whose records may have changed: the caller encodes those)."""
        out: list[bytes | None] = []
        k_now, lines = -1, None
        chunk = self._chunk
        for uid in uids:
            if dict.__getitem__(self, uid) is not None:
                out.append(None)
                continue
            i = self._index(uid)
            if i // chunk != k_now:
                k_now = i // chunk
                lines = self._chunk_lines(k_now)
            out.append(lines[i % chunk])  # type: ignore[index]
        return out

    def name_owner(self, name: str) -> str | None:
        """The uid of a generated (not pinned) user whose nickname or alias is ``name``."""
        with self._lock:
            if self._names is None and self._names_of is not None:
                self._names = self._names_of()
            if self._names is None:
                names: dict[str, str] = {}
                for k in range(self._chunks):
                    for user in self._chunk_records(k):
                        names[user["nickname"]] = user["id"]
                        for alias in user["aliases"]:
                            names[alias] = user["id"]
                self._names = names
        uid = self._names.get(name)
        return uid if uid is not None and dict.get(self, uid, 0) is None else None

    def pinned(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(uid, record) of pinned and added users, in key order."""
        return ((uid, user) for uid, user in dict.items(self) if user is not None)

    def pinned_count(self) -> int:
        return sum(user is not None for user in dict.values(self))

    # -- reading for writing: pins -----------------------------------------------------------

    def __getitem__(self, uid: str) -> dict[str, Any]:
        user = dict.__getitem__(self, uid)
        if user is None:
            with self._lock:
                user = dict.__getitem__(self, uid)
                if user is None:
                    # The record a reader may hold if its chunk is still kept (always so for
                    # an org of one chunk), else a copy decoded from its JSON.
                    user = self.peek(uid)
                    dict.__setitem__(self, uid, user)
        return user

    def get(self, uid: Any, default: Any = None) -> Any:
        return self[uid] if dict.__contains__(self, uid) else default

    def pop(self, uid: Any, *default: Any) -> Any:
        if dict.__contains__(self, uid):
            self[uid]
        return dict.pop(self, uid, *default)

    def setdefault(self, uid: Any, default: Any = None) -> Any:
        return self[uid] if dict.__contains__(self, uid) else dict.setdefault(self, uid, default)

    def copy(self) -> dict[str, dict[str, Any]]:
        return dict(self.items())

    def __eq__(self, other: object) -> bool:
        return self.copy() == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.copy())

    def __reduce__(self) -> Any:  # copy / pickle as the plain dict it stands for
        return (dict, (self.copy(),))


class _Values:
    """``LazyUsers.values()``: iterable, sized, not keeping the records it yields."""

    def __init__(self, users: LazyUsers) -> None:
        self._users = users

    def __len__(self) -> int:
        return dict.__len__(self._users)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (user for _, user in self._users._iter_items())


class _Items(_Values):
    """``LazyUsers.items()``."""

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any]]]:  # type: ignore[override]
        return self._users._iter_items()


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
