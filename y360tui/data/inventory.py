"""The Shared files inventory: every public Disk resource of the organisation (no widgets).

The Disk admin API lists public resources *per user* and has no org-wide list, so a complete
inventory costs one request per user (100,000 at 100,000 users). ``Inventory`` makes that
bearable and serves the Shared files view, a user detail's "Shared files" link, the headless
export and the public-link findings from one set of rows:

1. **Likely owners first.** The organisation's audit events (``disk_fs-set-public``,
   ``…-set-public-settings``, ``…-set-private``; server-side type filter) and the legacy Disk
   audit log (``fs-set-public``; read in ``LEGACY_SLICES`` time slices at once) for the
   retention window name the users who published; they are scanned first, as they are found,
   so the first links show in a second or two.
2. **Then everyone else**, in the background, to catch what the logs no longer hold: every
   user of the session's directory list (``DirectoryCache.load_all_users``, pages of 1,000),
   owners known from the cache before the rest. ``limit=PAGE_LIMIT`` per request: one request
   per user.
3. **At the speed the API allows.** ``AdaptiveLimit`` starts at 16 requests in flight, grows
   by a quarter each time a full window of answers came back within twice the fastest round
   trip, shrinks when answers slow down, halves on a 429 and pauses every new request for the
   server's ``Retry-After``. The scan's client does not retry 429 itself (it would sleep per
   request, blind to the others).
4. **Public settings only when asked.** A row's access settings are fetched when it is shown
   (``load_settings`` from the view), exported, or checked by a finding; they are kept.
5. **Kept between runs.** ``InventoryCache`` (SQLite, ``<platformdirs user_cache_dir>/y360tui/
   inventory-<org>-<server hash>.sqlite``; no token, only the org id, the server URL, the rows
   and their settings). A start with a cache shows its rows at once, marked with their age,
   then rescans the owners the audit events name since the cache's checkpoint (the delta),
   then everyone. A file unpublished since then disappears when its owner is rescanned. A
   corrupt cache or one of another schema version is deleted and rebuilt, with a message.
   ``restart(full=True)`` (``R`` in the view) forgets the rows and scans from scratch.

``status_text()`` says which phase runs, with progress and an ETA; ``version`` changes on every
change and ``generation`` when rows were removed (a view then reloads its list).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..api.errors import NotFound, RateLimited, Y360Error
from ..api.models import Name, PublicSettings, ResourceShort, ResourceType, ShortUser
from .directory import U_ID, U_LOGIN, U_NAME
from .links import SharedFile, failure_text

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from .directory import DirectoryCache

SCHEMA_VERSION = 1
RETENTION_DAYS = 90  # how far back the audit logs are read on a first scan
PAGE_LIMIT = 1000  # public resources per request: one request per user
LEGACY_SLICES = 8  # time slices of the legacy Disk log read at once
EVENT_TYPES = ("disk_fs-set-public", "disk_fs-set-public-settings", "disk_fs-set-private")
LEGACY_TYPES = frozenset({"fs-set-public", "fs-set-public-settings"})
SETTINGS_CONCURRENCY = 8
FLUSH_SECONDS = 1.0  # cache writes are batched this often

CACHED, AUDIT, LIKELY, EVERYONE, DONE, FAILED = (
    "cached", "audit logs", "likely owners", "every user", "done", "failed")

Clock = Callable[[], float]
Sleep = Callable[[float], Any]


# --------------------------------------------------------------------------- concurrency


class AdaptiveLimit:
    """How many requests may be in flight, adapted to the server's answers (see the module
    docstring). ``clock`` and ``sleep`` are injectable (tests use a fake clock)."""

    def __init__(self, start: int = 16, *, low: int = 2, high: int = 96,
                 clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep,
                 default_pause: float = 1.0) -> None:
        self.limit = start
        self.low, self.high = low, high
        self.clock, self.sleep = clock, sleep
        self.default_pause = default_pause
        self.in_flight = 0
        self.paused_until = 0.0
        self.baseline: float | None = None  # the fastest recent round trip
        self.peak = self.lowest = start
        self.throttled = 0  # 429 answers seen
        self.pauses: list[float] = []  # each pause's length, as decided
        self._fast = self._slow = 0
        self._last_cut = float("-inf")
        self._freed = asyncio.Event()

    async def acquire(self) -> None:
        """Wait for a free slot (and for any Retry-After pause to end), then take it."""
        while True:
            wait = self.paused_until - self.clock()
            if wait > 0:
                await self.sleep(wait)
                continue
            if self.in_flight < self.limit:
                self.in_flight += 1
                return
            self._freed.clear()
            await self._freed.wait()

    def release(self, seconds: float | None, *, throttled: bool = False,
                retry_after: float | None = None) -> None:
        """Give the slot back: the answer took ``seconds`` (None: failed, no signal), or was
        a 429 (``throttled``) asking to wait ``retry_after`` seconds."""
        self.in_flight -= 1
        if throttled:
            self._throttle(retry_after)
        elif seconds is not None:
            self._answer(seconds)
        self._freed.set()

    def _throttle(self, retry_after: float | None) -> None:
        now = self.clock()
        self.throttled += 1
        pause = retry_after if retry_after is not None else self.default_pause
        if now + pause > self.paused_until:
            self.paused_until = now + pause
            self.pauses.append(pause)
        # One cut per burst: the requests in flight when the server said "too many" answer
        # 429 together.
        if now - self._last_cut > max(pause, self.baseline or 0.0):
            self.limit = max(self.low, self.limit // 2)
            self.lowest = min(self.lowest, self.limit)
            self._last_cut = now
        self._fast = self._slow = 0

    def _answer(self, seconds: float) -> None:
        base = self.baseline
        if base is None or seconds < base:
            self.baseline = base = seconds
        else:  # drift up very slowly: the path to the server may have changed
            self.baseline = base = base + (seconds - base) * 0.001
        if seconds <= 2 * base + 0.005:
            self._fast += 1
            self._slow = 0
            if self._fast >= self.limit and self.limit < self.high:
                self.limit = min(self.high, self.limit + max(1, self.limit // 4))
                self.peak = max(self.peak, self.limit)
                self._fast = 0
        elif seconds > 4 * base + 0.02:
            self._slow += 1
            if self._slow >= max(4, self.limit // 2):
                self.limit = max(self.low, self.limit - max(1, self.limit // 4))
                self._slow = self._fast = 0


# --------------------------------------------------------------------------- the cache


def default_cache_dir() -> Path:
    """``<user cache dir>/y360tui`` (Linux: ``~/.cache/y360tui``)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("y360tui", appauthor=False))


def cache_path(directory: Path, org_id: int, server: str) -> Path:
    """The cache file of one org on one server (the URL is hashed, not written in the name)."""
    digest = hashlib.sha256(server.encode()).hexdigest()[:10]
    return directory / f"inventory-{org_id}-{digest}.sqlite"


@dataclass
class CachedRow:
    """One file as the cache holds it."""

    uid: str
    login: str
    name: str
    resource: ResourceShort
    settings: PublicSettings | None


class InventoryCache:
    """The inventory of one org in SQLite (see the module docstring). Every method may raise
    ``sqlite3.Error``; ``Inventory`` turns that into a message and goes on without a cache."""

    def __init__(self, path: Path, *, org_id: int, server: str) -> None:
        self.path = path
        self.org_id = org_id
        self.server = server
        self.db: sqlite3.Connection | None = None
        self.message = ""  # why an old cache was discarded, if it was

    def open(self) -> None:
        """Open (or create) the file; a corrupt one or one of another version or org is
        deleted and made again, with ``message`` saying so."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._connect()
            problem = self._check()
        except sqlite3.DatabaseError as exc:
            problem = f"unreadable ({exc})"
        if problem:
            self.message = f"inventory cache discarded: {problem}"
            self.close()
            self.path.unlink(missing_ok=True)
            self._connect()
        self._create()

    def _connect(self) -> None:
        self.db = sqlite3.connect(self.path, isolation_level=None)  # explicit transactions
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")

    def _check(self) -> str:
        assert self.db is not None
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        if version == 0 and not tables:
            return ""  # a new file
        if version != SCHEMA_VERSION:
            return f"written by another version of y360tui (schema {version})"
        org = self.meta("org_id")
        if org != str(self.org_id):
            return f"made for another organisation ({org})"
        self.db.execute("SELECT count(*) FROM files").fetchone()
        return ""

    def _create(self) -> None:
        assert self.db is not None
        self.db.executescript(f"""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS files (
                uid TEXT NOT NULL, path TEXT NOT NULL, login TEXT, owner_name TEXT,
                name TEXT, type TEXT, public_hash TEXT, created_at TEXT, modified_at TEXT,
                settings TEXT, PRIMARY KEY (uid, path));
            PRAGMA user_version = {SCHEMA_VERSION};
        """)
        self.set_meta(org_id=str(self.org_id), server=self.server)

    def close(self) -> None:
        """Close the connection (the file stays)."""
        if self.db is not None:
            self.db.close()
            self.db = None

    def meta(self, key: str) -> str | None:
        """One meta value (None when unset)."""
        assert self.db is not None
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, **values: str) -> None:
        """Set meta values."""
        assert self.db is not None
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())

    def rows(self) -> list[CachedRow]:
        """Every cached file, in the order they were first found."""
        assert self.db is not None
        out = []
        for (uid, path, login, owner_name, name, kind, key, created, modified,
             settings) in self.db.execute("SELECT * FROM files ORDER BY rowid"):
            resource = ResourceShort.model_construct(
                public_hash=key, name=name, path=path, type=ResourceType(kind),
                created_at=_moment(created), modified_at=_moment(modified))
            out.append(CachedRow(uid, login or "", owner_name or "", resource,
                                 PublicSettings.model_validate_json(settings)
                                 if settings else None))
        return out

    def save(self, owners: dict[str, list[SharedFile]], *, meta: dict[str, str] | None = None,
             keep_only: Iterable[str] | None = None) -> None:
        """Replace the files of each uid in ``owners`` (an empty list deletes them), set
        ``meta``; with ``keep_only``, drop every other uid's files. One transaction."""
        assert self.db is not None
        db = self.db
        db.execute("BEGIN")
        try:
            db.executemany("DELETE FROM files WHERE uid = ?", ((u,) for u in owners))
            db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?)",
                           (_record(f) for files in owners.values() for f in files))
            if keep_only is not None:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (uid TEXT PRIMARY KEY)")
                db.execute("DELETE FROM keep")
                db.executemany("INSERT OR IGNORE INTO keep VALUES (?)",
                               ((u,) for u in keep_only))
                db.execute("DELETE FROM files WHERE uid NOT IN (SELECT uid FROM keep)")
            if meta:
                self.set_meta(**meta)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _record(f: SharedFile) -> tuple[Any, ...]:
    r = f.resource
    settings = f.settings.model_dump_json(by_alias=True) if f.settings is not None else None
    return (f.owner.id, r.path, f.owner.nickname, f.owner.name.full, r.name, r.type.value,
            r.public_hash, r.created_at.isoformat() if r.created_at else None,
            r.modified_at.isoformat() if r.modified_at else None, settings)


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# --------------------------------------------------------------------------- the inventory


@dataclass
class Stats:
    """What a run cost: requests by kind."""

    resources: int = 0  # public-resources requests (one per user scanned)
    settings: int = 0
    audit: int = 0  # pages of both audit logs
    throttled: int = 0

    @property
    def requests(self) -> int:
        return self.resources + self.settings + self.audit


def owner_of(uid: str, login: str = "", name: str = "") -> ShortUser:
    """A light owner object (``SharedFile.owner``): uid, login, full name."""
    login = login.split("@", 1)[0] if "@" in login else login
    return ShortUser.model_construct(id=uid, nickname=login or uid,
                                     name=Name.model_construct(last=name, first="", middle=""))


def ago(seconds: float) -> str:
    """``42 s``, ``5 min``, ``3 h``, ``2 d``."""
    if seconds < 90:
        return f"{max(0, int(seconds))} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    if seconds < 129600:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} d"


class Inventory:
    """Public Disk resources of every user (see the module docstring).

    ``cache`` None keeps nothing between runs. ``clock`` (wall, for the cache's age and the
    audit window), ``monotonic`` and ``sleep`` are injectable, as is ``limit``.
    """

    def __init__(self, client: Y360Client, directory: DirectoryCache, *,
                 cache: InventoryCache | None = None, clock: Clock = time.time,
                 monotonic: Clock = time.monotonic, sleep: Sleep = asyncio.sleep,
                 limit: AdaptiveLimit | None = None, retention_days: int = RETENTION_DAYS,
                 page_limit: int = PAGE_LIMIT) -> None:
        self.client = client
        policy = client.retry_policy
        # 429 is this scan's signal to slow down: not retried blindly per request.
        self.scan_client = client.with_retry(
            replace(policy, statuses=policy.statuses - {429}))
        self.directory = directory
        self.cache = cache
        self.clock, self.monotonic, self.sleep = clock, monotonic, sleep
        self.limit = limit or AdaptiveLimit(clock=monotonic, sleep=sleep)
        self.retention = retention_days * 86400
        self.page_limit = page_limit
        self.message = ""  # about the cache (discarded, unusable)
        self._reset_rows()
        self._task: asyncio.Task[None] | None = None
        self._settings_gate = asyncio.Semaphore(SETTINGS_CONCURRENCY)
        self._waiters: list[asyncio.Future[None]] = []
        self._cache_opened = False
        self._full = False

    def _reset_rows(self) -> None:
        self.rows: list[SharedFile] = []  # in the order found
        self.by_owner: dict[str, list[SharedFile]] = {}
        self.version = 0
        self.generation = getattr(self, "generation", -1) + 1
        self.stats = Stats()
        self.phase = ""
        self.complete = False
        self.error: BaseException | None = None
        self.notes: list[str] = []  # sources that could not be read (a 403 on an audit log)
        self.cached_at: float | None = None  # when the cached rows shown were complete
        self.completed_at: float | None = None
        self.first_row_at: float | None = None  # monotonic, for benchmarks
        self.started_at = 0.0
        self.cache_load_s: float | None = None  # reading the cached rows took this long
        self.likely_found = self.likely_done = 0
        self.everyone_total = self.everyone_done = 0
        self._everyone_started = 0.0
        self._everyone_base = 0  # users already scanned when the every-user pass began
        self._scanned: set[str] = set()
        self._queued: set[str] = set()
        self._likely: deque[tuple[str, str, str]] = deque()
        self._dirty: set[str] = set()
        self._stale_settings: set[str] = set()
        self._last_flush = 0.0
        self.failed: dict[str, str] = {}  # uid -> why its resources could not be listed
        self._fatal: BaseException | None = None  # a 401/403: the whole scan fails

    # ------------------------------------------------------------------ running

    def start(self) -> asyncio.Task[None]:
        """Run the discovery in the background (once; again after a failure)."""
        task = self._task
        if task is None or (task.done() and (task.cancelled() or task.exception())):
            task = self._task = asyncio.ensure_future(self._run())
        return task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def restart(self, *, full: bool = True) -> asyncio.Task[None]:
        """Stop the run, forget the rows (``full``: the cache's rows too) and scan again."""
        if self._task is not None:
            self._task.cancel()
        self._task = None
        self._reset_rows()
        self._full = full
        self._notify()
        return self.start()

    async def wait_complete(self) -> None:
        """Wait for the current run to end (starting it if needed); raise its error."""
        await asyncio.shield(self.start())

    async def aclose(self) -> None:
        """Stop the run, write what was found, close the scan's client and the cache."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        self._flush(force=True)
        if self.cache is not None:
            self.cache.close()
        await self.scan_client.aclose()

    async def _run(self) -> None:
        self.started_at = self.monotonic()
        started = self.clock()
        since = started - self.retention
        if self._open_cache() and not self._full:
            since = max(since, self._load_cache())
        self._full = False
        try:
            self.phase = AUDIT
            discovery = asyncio.ensure_future(self._discover(since, started))
            try:
                await self._scan(discovery)
            finally:
                discovery.cancel()
            self.complete = True
            self.completed_at = self.clock()
            self.cached_at = None
            self.phase = DONE
            self._flush(force=True, final=started)  # the audit delta starts there next time
        except asyncio.CancelledError:
            self._flush(force=True)
            raise
        except BaseException as exc:
            self.error = exc
            self.phase = FAILED
            self._flush(force=True)
            raise
        finally:
            self._notify()

    # ------------------------------------------------------------------ cache

    def _open_cache(self) -> bool:
        if self.cache is None:
            return False
        if self._cache_opened:
            return self.cache.db is not None
        self._cache_opened = True
        try:
            self.cache.open()
            self.message = self.cache.message
            return True
        except (sqlite3.Error, OSError) as exc:
            self.message = f"inventory cache not used: {exc}"
            self.cache.close()
            self.cache = None
            return False

    def _load_cache(self) -> float:
        """Show the cached rows; return the audit checkpoint to read the delta from."""
        assert self.cache is not None
        began = self.monotonic()
        try:
            rows = self.cache.rows()
            done = self.cache.meta("complete_at")
            checkpoint = self.cache.meta("checkpoint")
        except (sqlite3.Error, ValueError) as exc:  # unreadable rows: start again
            self.message = f"inventory cache discarded: {exc}"
            with contextlib.suppress(sqlite3.Error):
                self.cache.save({}, keep_only=())
            return 0.0
        owners: dict[str, ShortUser] = {}
        fresh = set(self.by_owner)  # listed already this session (a user detail asked)
        for row in rows:
            if row.uid in fresh:
                continue
            owner = owners.get(row.uid)
            if owner is None:
                owner = owners[row.uid] = owner_of(row.uid, row.login, row.name)
            shared = SharedFile(owner, row.resource, row.settings)
            self.by_owner.setdefault(row.uid, []).append(shared)
            self.rows.append(shared)
        if rows:
            self.first_row_at = self.monotonic()
        self.cached_at = float(done) if done else None
        self.cache_load_s = self.monotonic() - began
        self.phase = CACHED
        self._bump()
        return float(checkpoint) if checkpoint and done else 0.0

    def _flush(self, *, force: bool = False, final: float | None = None) -> None:
        """Write the owners changed since the last write (every ``FLUSH_SECONDS``)."""
        cache = self.cache
        if cache is None or cache.db is None:
            return
        now = self.monotonic()
        if not force and now - self._last_flush < FLUSH_SECONDS:
            return
        self._last_flush = now
        dirty = {uid: self.by_owner.get(uid, []) for uid in self._dirty}
        self._dirty.clear()
        meta = keep = None
        if final is not None:
            meta = {"complete_at": repr(self.completed_at or final), "checkpoint": repr(final)}
            keep = self.by_owner.keys()
        try:
            cache.save(dirty, meta=meta, keep_only=keep)
        except sqlite3.Error as exc:  # a full disk, a locked file: go on without it
            self.message = f"inventory cache not written: {exc}"
            cache.close()

    # ------------------------------------------------------------------ discovery

    async def _discover(self, since: float, until: float) -> None:
        """Read both audit logs for ``[since, until]``; queue each owner named."""
        results = await asyncio.gather(self._from_events(since, until),
                                       self._from_disk_log(since, until),
                                       return_exceptions=True)
        for name, result in zip(("audit events", "Disk audit log"), results, strict=True):
            if isinstance(result, Y360Error):
                self.notes.append(f"{name} not read ({failure_text(result)})")
            elif isinstance(result, BaseException):
                raise result
        self._notify()

    async def _from_events(self, since: float, until: float) -> None:
        pager = self.client.audit.events(_utc(until), started_at=_utc(since), count=100,
                                         types=EVENT_TYPES)
        async for page in pager:
            self.stats.audit += 1
            for item in page.items:
                event = item.event
                meta = event.meta or {}
                owner = str(meta.get("owner_uid") or "")
                if not owner:
                    owner = str(meta.get("tgt_rawaddress", "")).partition(":")[0]
                if not owner.isdigit():
                    owner = str(event.uid or "")
                if not owner.isdigit():
                    continue
                mine = owner == str(event.uid)
                if event.type != "disk_fs-set-public":
                    self._stale_settings.add(owner)  # settings changed, or unpublished
                self._queue(owner, item.user_login if mine else "",
                            item.user_name if mine else "")

    async def _from_disk_log(self, since: float, until: float) -> None:
        step = (until - since) / LEGACY_SLICES

        async def one(k: int) -> None:
            pager = self.client.audit.disk_log(100, after=_utc(since + k * step),
                                               before=_utc(since + (k + 1) * step))
            async for page in pager:
                self.stats.audit += 1
                for event in page.items:
                    if event.event_type.value in LEGACY_TYPES and event.owner_uid.isdigit():
                        self._queue(event.owner_uid, event.owner_login, event.owner_name)

        await asyncio.gather(*(one(k) for k in range(LEGACY_SLICES)))

    def _queue(self, uid: str, login: str, name: str) -> None:
        if uid in self._queued:
            return
        self._queued.add(uid)
        self._likely.append((uid, login, name))
        self.likely_found += 1
        self._notify()

    # ------------------------------------------------------------------ scanning

    async def _everyone(self) -> list[tuple[str, str, str]]:
        """Every user of the directory, owners the cache knows first."""
        await self.directory.load_all_users()
        users = [(r[U_ID], r[U_LOGIN], r[U_NAME]) for _, r in self.directory.users.rows()]
        known = self.by_owner.keys()
        return [u for u in users if u[0] in known] + [u for u in users if u[0] not in known]

    async def _scan(self, discovery: asyncio.Future[None]) -> None:
        everyone_task = asyncio.ensure_future(self._everyone())
        everyone: deque[tuple[str, str, str]] | None = None
        tasks: set[asyncio.Task[None]] = set()
        try:
            while True:
                if self._fatal is not None:
                    raise self._fatal
                item = self._next(everyone)
                if item is not None:
                    await self.limit.acquire()
                    task = asyncio.ensure_future(self._scan_one(*item))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                    self._flush()
                    continue
                if everyone is None and everyone_task.done():
                    users = everyone_task.result()
                    everyone = deque(u for u in users if u[0] not in self._scanned)
                    self.everyone_total = len(users)
                    self.everyone_done = self._everyone_base = len(users) - len(everyone)
                    self._everyone_started = self.monotonic()
                    continue
                if discovery.done() and everyone is not None and not tasks:
                    discovery.result()
                    return
                waits = [self._next_change()]
                waits += [f for f in (discovery, everyone_task) if not f.done()]
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            everyone_task.cancel()
            for task in tasks:
                task.cancel()

    def _next(self, everyone: deque[tuple[str, str, str]] | None) -> tuple[str, str, str] | None:
        while self._likely:
            item = self._likely.popleft()
            if item[0] not in self._scanned:
                self.phase = LIKELY
                self._scanned.add(item[0])  # now: the task starts later
                return item
        if everyone is not None:
            while everyone:
                item = everyone.popleft()
                if item[0] not in self._scanned:
                    self.phase = EVERYONE
                    self._scanned.add(item[0])
                    return item
        return None

    async def _scan_one(self, uid: str, login: str, name: str) -> None:
        started = self.monotonic()
        try:
            resources = await self._list(self.scan_client, uid)
        except RateLimited as exc:
            self.stats.throttled += 1
            self.limit.release(None, throttled=True, retry_after=exc.retry_after)
            self._scanned.discard(uid)
            self._likely.appendleft((uid, login, name))  # again, first, after the pause
            self._notify()
            return
        except NotFound:  # gone from the org since the list was read: nothing published
            resources = []
        except Y360Error as exc:  # one user: said on the status line, the scan goes on
            self.limit.release(None)
            if getattr(exc, "status", 0) in (401, 403):  # the token may not: nobody can be read
                self._fatal = self._fatal or exc
            self.failed[uid] = failure_text(exc)
            self._notify()
            return
        except BaseException:
            self.limit.release(None)
            raise
        self.limit.release(self.monotonic() - started)
        if uid in self._queued:
            self.likely_done += 1
        else:
            self.everyone_done += 1
        owner = self.by_owner[uid][0].owner if self.by_owner.get(uid) else owner_of(uid, login,
                                                                                    name)
        self._apply(uid, owner, resources)

    async def _list(self, client: Y360Client, uid: str) -> list[ResourceShort]:
        out: list[ResourceShort] = []
        pager = client.disk.admin_public_resources(uid, self.page_limit)
        async for page in pager:
            self.stats.resources += 1
            out += page.items
        return out

    def _apply(self, uid: str, owner: Any, resources: list[ResourceShort]) -> list[SharedFile]:
        """Make ``uid``'s rows what the server just listed: new ones appended, changed ones
        updated in place (settings dropped when the link changed), gone ones removed."""
        old = {f.resource.path: f for f in self.by_owner.get(uid, [])}
        stale = uid in self._stale_settings
        self._stale_settings.discard(uid)
        files = []
        for resource in resources:
            shared = old.pop(resource.path, None)
            if shared is None:
                shared = SharedFile(owner, resource)
                self.rows.append(shared)
                if self.first_row_at is None:
                    self.first_row_at = self.monotonic()
            else:
                if stale or shared.resource.public_hash != resource.public_hash:
                    shared.settings, shared.settings_error = None, ""
                shared.resource = resource
            files.append(shared)
        if old:
            gone = {id(f) for f in old.values()}
            self.rows = [f for f in self.rows if id(f) not in gone]
            self.generation += 1
        if files:
            self.by_owner[uid] = files
        else:
            self.by_owner.pop(uid, None)
        if files or old:
            self._dirty.add(uid)
        self._bump()
        return files

    def _bump(self) -> None:
        self.version += 1
        self._notify()

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def _next_change(self) -> asyncio.Future[None]:
        """A future resolved at the next ``_notify`` (registered now, so a change between a
        check and the wait that follows it cannot be missed: no shared flag to clear)."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        return waiter

    # ------------------------------------------------------------------ reading

    async def wait_rows(self, count: int, generation: int) -> None:
        """Return once there are more than ``count`` rows, the run ended, or the rows were
        replaced (``generation`` changed); starts the run if needed."""
        task = self.start()
        while len(self.rows) <= count and not task.done() and self.generation == generation:
            await asyncio.wait([self._next_change(), task], return_when=asyncio.FIRST_COMPLETED)
        if task.done() and not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]

    def progress(self) -> tuple[int, int | None]:
        """Users scanned in this run, of the users to scan (None until the directory is in)."""
        total = self.everyone_total or None
        done = len(self._scanned) if total is None else self.everyone_done
        return done, total

    async def changed(self) -> None:
        """Return at the next change (rows, phase, progress) or when the run ends."""
        task = self.start()
        if not task.done():
            await asyncio.wait([self._next_change(), task], return_when=asyncio.FIRST_COMPLETED)

    async def files_of(self, uid: str, owner: Any = None) -> list[SharedFile]:
        """``uid``'s files, listed again now (a user detail asks): the inventory and the
        cache are updated with what the server says."""
        resources = await self._list(self.client, uid)
        owner = owner or (self.by_owner[uid][0].owner if self.by_owner.get(uid)
                          else owner_of(uid))
        files = self._apply(uid, owner, resources)
        self._flush(force=True)
        return files

    async def load_settings(self, files: Iterable[SharedFile]) -> None:
        """Fetch the access settings of ``files`` that have none yet (a failure is kept on
        the file as ``settings_error``); they are cached with the rows."""
        wanted = [f for f in files if f.settings is None and not f.settings_error]

        async def one(shared: SharedFile) -> None:
            async with self._settings_gate:
                if shared.settings is not None:
                    return
                wait = self.limit.paused_until - self.monotonic()
                if wait > 0:
                    await self.sleep(wait)
                self.stats.settings += 1
                try:
                    key = shared.resource.public_hash
                    disk = self.client.disk
                    shared.settings = await (
                        disk.admin_public_settings(key) if key else
                        disk.admin_public_settings_by_path(shared.owner.id,
                                                           shared.resource.path))
                    shared.settings_error = ""
                except Y360Error as exc:
                    shared.settings_error = failure_text(exc)
                self._dirty.add(shared.owner.id)

        if wanted:
            await asyncio.gather(*(one(f) for f in wanted))
            self._bump()
            self._flush()

    # ------------------------------------------------------------------ status

    def eta(self) -> float | None:
        """Seconds left of the every-user pass at its current rate (None: not known yet)."""
        if self.phase != EVERYONE or not self.everyone_total:
            return None
        elapsed = self.monotonic() - self._everyone_started
        done = self.everyone_done - self._everyone_base  # this pass's own rate
        if elapsed < 1.0 or done < 50:
            return None
        return (self.everyone_total - self.everyone_done) * elapsed / done

    def status_text(self) -> str:
        """Which phase runs, with progress and an ETA; the cache's age while it is shown."""
        parts = []
        now = self.clock()
        if self.cached_at is not None and not self.complete:
            parts.append(f"cached {ago(now - self.cached_at)} ago, refreshing")
        phase = self.phase
        if phase in (AUDIT, CACHED) and self.running:
            parts.append(f"reading audit logs · {self.likely_found:,} likely owners")
        elif phase == LIKELY:
            parts.append(f"likely owners (audit logs): {self.likely_done:,} of "
                         f"{self.likely_found:,}")
        elif phase == EVERYONE:
            eta = self.eta()
            text = f"every user: {self.everyone_done:,} of {self.everyone_total:,}"
            if eta is not None:
                text += f" · ETA {ago(eta)}"
            parts.append(text + f" · {self.limit.in_flight} in flight")
        elif phase == DONE and self.completed_at is not None:
            age = now - self.completed_at
            parts.append("complete" if age < 60 else f"complete, scanned {ago(age)} ago")
        elif phase == FAILED and self.error is not None:
            error = self.error
            parts.append("scan failed: " + (failure_text(error) if isinstance(error, Y360Error)
                                            else str(error)))
        if self.failed:
            parts.append(f"{len(self.failed):,} users not read "
                         f"({next(iter(self.failed.values()))})")
        if self.limit.throttled:
            parts.append(f"{self.limit.throttled} × 429, at {self.limit.limit} in flight")
        parts += self.notes
        if self.message:
            parts.append(self.message)
        return " · ".join(parts)


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)


# --------------------------------------------------------------------------- sessions


def inventory_for(linker: Any, *, cache_dir: Path | None = None) -> Inventory:
    """The session's inventory, kept on its ``Linker`` (made on first use; with
    ``cache_dir``, cached there per org and server)."""
    inventory = getattr(linker, "inventory", None)
    client = linker.client
    cache = None
    if cache_dir is not None:
        server = client.urls.get("cloud", "")
        cache = InventoryCache(cache_path(cache_dir, client.org_id, server),
                               org_id=client.org_id, server=server)
    if inventory is None:
        inventory = Inventory(client, linker.directory, cache=cache)
        linker.inventory = inventory
    elif inventory.cache is None and cache is not None and inventory._task is None:
        inventory.cache = cache  # made by a user detail first; the run has not started
    return inventory


def rows_after(inventory: Inventory, cursor: Any, size: int) -> tuple[list[SharedFile], Any,
                                                                        bool]:
    """Rows after ``cursor`` (``(generation, index)``), the next cursor, and whether more
    may come."""
    generation, index = cursor if cursor else (inventory.generation, 0)
    rows = inventory.rows[index:index + size]
    end = index + len(rows)
    more = end < len(inventory.rows) or not inventory.complete
    return rows, (generation, end), more
