"""Audit logs for the explorer: time windows, server-side filters and a ``tail -f`` follower.

Both audit APIs answer newest first and filter on the server (reference §10.1, §10.3):

- the legacy mail audit log pages by ``pageToken`` inside ``afterDate``/``beforeDate`` and
  filters by ``includeUids`` and ``types``;
- organisation audit events page by ``iteration_key`` inside ``started_at``/``ended_at`` and
  filter by ``include_uids``, ``types``, ``service`` and ``ip``.

``TimeWindow`` turns a preset (1 h, 24 h, 7 d, 30 d) or a custom start/end into concrete bounds
using an injectable clock, so tests and snapshots pin "now". ``MailQuery``/``EventsQuery`` hold
the filters a view offers and turn them into the client's keyword arguments. ``Follower`` polls
the head of a log for events newer than the newest one seen and hands back only the new ones
(deduplicated by ``uniqId`` / ``idempotency_id``), so a view can prepend them like ``tail -f``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..api.models import AuditEvent, MailEvent
from .paged import Chunk

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from ..api.paging import Pager

Clock = Callable[[], datetime]
E = TypeVar("E")


def utc_now() -> datetime:
    """The current time, timezone-aware UTC (the default clock)."""
    return datetime.now(timezone.utc)


# ------------------------------------------------------------------------- time windows

PRESETS: dict[str, timedelta] = {
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
CUSTOM = "custom"
PRESET_LABELS = {"1h": "1 h", "24h": "24 h", "7d": "7 d", "30d": "30 d", CUSTOM: "custom"}


@dataclass(frozen=True)
class TimeWindow:
    """A preset span ending now, or a custom ``start``..``end`` (``end`` None = now)."""

    preset: str = "24h"
    start: datetime | None = None
    end: datetime | None = None

    def __post_init__(self) -> None:
        if self.preset != CUSTOM and self.preset not in PRESETS:
            raise ValueError(f"unknown time window preset {self.preset!r}")
        if self.preset == CUSTOM and self.start is None:
            raise ValueError("a custom time window needs a start")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("the window ends before it starts")

    @classmethod
    def custom(cls, start: datetime, end: datetime | None = None) -> TimeWindow:
        """A window from ``start`` to ``end`` (open-ended up to now when ``end`` is None)."""
        return cls(CUSTOM, as_utc(start), as_utc(end) if end is not None else None)

    def bounds(self, now: datetime) -> tuple[datetime, datetime]:
        """The concrete ``(start, end)`` of this window at time ``now``."""
        if self.preset == CUSTOM:
            assert self.start is not None
            return self.start, self.end or now
        return now - PRESETS[self.preset], now

    @property
    def label(self) -> str:
        """Short text for a status line: ``24 h`` or ``2024-05-01 10:00 → now``."""
        if self.preset != CUSTOM:
            return PRESET_LABELS[self.preset]
        assert self.start is not None
        end = short_time(self.end) if self.end is not None else "now"
        return f"{short_time(self.start)} → {end}"


def as_utc(moment: datetime) -> datetime:
    """``moment`` as aware UTC; a naive time is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def short_time(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM`` in UTC."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M")


_RELATIVE = re.compile(r"^-?(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(text: str, now: datetime) -> datetime:
    """A moment typed by the user: ``2024-05-01``, ``2024-05-01 10:00``, ISO 8601, ``now``,
    or relative to now such as ``90m``, ``2h``, ``3d``, ``1w`` (all UTC).

    Raises ``ValueError`` with a readable message otherwise.
    """
    raw = text.strip()
    if raw.lower() == "now":
        return now
    relative = _RELATIVE.match(raw.lower())
    try:
        if relative:
            amount, unit = relative.groups()
            return now - timedelta(**{_UNITS[unit]: int(amount)})
        return as_utc(datetime.fromisoformat(raw.replace("Z", "+00:00")))
    except OverflowError:  # e.g. 99999999d, or year 1 moved to UTC: before year 1
        raise ValueError(f"{raw!r} is out of range: use a date between years 1 and 9999"
                         ) from None
    except ValueError:
        raise ValueError(
            f"cannot read {raw!r}: use YYYY-MM-DD, YYYY-MM-DD HH:MM, now or 2h/3d") from None


# ------------------------------------------------------------------------ server filters


def _clean(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))


@dataclass(frozen=True)
class MailQuery:
    """What the mail audit view asks the server for: a window, users and event types."""

    window: TimeWindow = field(default_factory=TimeWindow)
    uids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    def with_(self, **changes: Any) -> MailQuery:
        """A copy with ``changes`` (uids/types normalised to unique, stripped tuples)."""
        for name in ("uids", "types"):
            if name in changes:
                changes[name] = _clean(changes[name])
        return replace(self, **changes)

    def kwargs(self, now: datetime) -> dict[str, Any]:
        """Keyword arguments for the client's mail audit log pager at time ``now``."""
        start, end = self.window.bounds(now)
        return {"after": start, "before": end, **self.filters()}

    def filters(self) -> dict[str, Any]:
        """The non-time filters, as client keyword arguments."""
        return {"include_uids": list(self.uids) or None, "types": list(self.types) or None}

    def describe(self) -> str:
        """The active filters as short text (for the view's status line)."""
        parts = [self.window.label]
        if self.uids:
            parts.append("user " + ",".join(self.uids))
        if self.types:
            parts.append("type " + ",".join(self.types))
        return " · ".join(parts)


@dataclass(frozen=True)
class EventsQuery:
    """What the audit events view asks the server for: window, users, types, service, IP."""

    window: TimeWindow = field(default_factory=TimeWindow)
    uids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    service: str = ""
    ip: str = ""

    def with_(self, **changes: Any) -> EventsQuery:
        """A copy with ``changes`` (uids/types normalised, service/ip stripped)."""
        for name in ("uids", "types"):
            if name in changes:
                changes[name] = _clean(changes[name])
        for name in ("service", "ip"):
            if name in changes:
                changes[name] = (changes[name] or "").strip()
        return replace(self, **changes)

    def kwargs(self, now: datetime) -> dict[str, Any]:
        """Keyword arguments for the client's audit events pager at time ``now``."""
        start, end = self.window.bounds(now)
        return {"started_at": start, "ended_at": end, **self.filters()}

    def filters(self) -> dict[str, Any]:
        """The non-time filters, as client keyword arguments."""
        return {"include_uids": list(self.uids) or None, "types": list(self.types) or None,
                "service": self.service or None, "ip": self.ip or None}

    def describe(self) -> str:
        """The active filters as short text (for the view's status line)."""
        parts = [self.window.label]
        for label, values in (("user", self.uids), ("type", self.types)):
            if values:
                parts.append(f"{label} " + ",".join(values))
        if self.service:
            parts.append(f"service {self.service}")
        if self.ip:
            parts.append(f"ip {self.ip}")
        return " · ".join(parts)


# ------------------------------------------------------------------------ event accessors


def mail_key(event: MailEvent) -> str:
    """The identity of a mail event (``uniqId``; falls back to request id + date)."""
    return event.uniq_id or f"{event.request_id}|{event.date}"


def mail_time(event: MailEvent) -> datetime | None:
    """When a mail event happened (aware UTC)."""
    return as_utc(event.date) if event.date is not None else None


def event_key(item: AuditEvent) -> str:
    """The identity of an audit event (``idempotency_id``; falls back to request id + time)."""
    event = item.event
    return event.idempotency_id or f"{event.request_id}|{event.occurred_at}"


def event_time(item: AuditEvent) -> datetime | None:
    """When an audit event happened (aware UTC)."""
    moment = item.event.occurred_at
    return as_utc(moment) if moment is not None else None


# ------------------------------------------------------------------------------ follow

# Fetch every event of a window, newest first: ``fetch(start, end)``.
WindowFetch = Callable[[datetime, datetime], AsyncIterator[E]]


class Follower(Generic[E]):
    """Polls the head of a newest-first log and returns only events not seen before.

    Each ``poll`` asks for the window ``[newest_seen - overlap, now]``; the server's lower
    bound is inclusive and events can land late with a slightly older time, so the window
    overlaps what was seen and duplicates are dropped by event id. Ids are remembered only
    while they can still come back (inside the overlap), so memory stays small however long
    the view follows. ``max_events`` bounds one poll: after a long pause the view gets the
    newest ``max_events`` rather than an unbounded burst.
    """

    def __init__(self, fetch: WindowFetch[E], *, key: Callable[[E], str],
                 when: Callable[[E], datetime | None], clock: Clock = utc_now,
                 overlap: timedelta = timedelta(seconds=60), max_events: int = 1000) -> None:
        self._fetch = fetch
        self._key = key
        self._when = when
        self._clock = clock
        self.overlap = overlap
        self.max_events = max_events
        self.newest: datetime | None = None
        self._seen: dict[str, datetime] = {}

    def prime(self, events: Iterable[E], *, since: datetime | None = None) -> None:
        """Remember events already on screen; with none, start following from ``since``
        (default: now), so only events after that moment are reported."""
        self._remember(events)
        if self.newest is None:
            self.newest = as_utc(since) if since is not None else self._clock()

    async def poll(self) -> list[E]:
        """Events that arrived since the last poll, newest first (empty when none)."""
        now = self._clock()
        if self.newest is None:
            self.newest = now
        start = self.newest - self.overlap
        fresh: list[E] = []
        async for event in self._fetch(start, now):
            if self._key(event) in self._seen:
                continue
            fresh.append(event)
            if len(fresh) >= self.max_events:
                break
        self._remember(fresh)
        return fresh

    def _remember(self, events: Iterable[E]) -> None:
        for event in events:
            moment = self._when(event)
            if moment is None:
                continue
            self._seen[self._key(event)] = moment
            if self.newest is None or moment > self.newest:
                self.newest = moment
        if self.newest is not None:
            horizon = self.newest - self.overlap
            self._seen = {k: t for k, t in self._seen.items() if t >= horizon}


def mail_follower(fetch: WindowFetch[MailEvent], clock: Clock = utc_now,
                  **options: Any) -> Follower[MailEvent]:
    """A ``Follower`` for the mail audit log."""
    return Follower(fetch, key=mail_key, when=mail_time, clock=clock, **options)


def events_follower(fetch: WindowFetch[AuditEvent], clock: Clock = utc_now,
                    **options: Any) -> Follower[AuditEvent]:
    """A ``Follower`` for organisation audit events."""
    return Follower(fetch, key=event_key, when=event_time, clock=clock, **options)


# ------------------------------------------------------------------- client adapters


class LogSource:
    """The list source of an audit view: one server query, paged newest first.

    The window's bounds are fixed when the first page is fetched (``reset`` forgets them):
    with a moving "now" each page would ask a different window, and a legacy log's offset
    tokens would then skip or repeat events.
    """

    def __init__(self, client: Y360Client, query: MailQuery | EventsQuery, *,
                 clock: Clock = utc_now, page_size: int = 100) -> None:
        self.client = client
        self.query = query
        self.clock = clock
        self.page_size = page_size
        self.bounds: tuple[datetime, datetime] | None = None

    def reset(self, query: MailQuery | EventsQuery | None = None) -> None:
        """Start again (with a new ``query``): the next fetch takes a fresh "now"."""
        if query is not None:
            self.query = query
        self.bounds = None

    async def next(self, cursor: Any) -> Chunk[Any]:
        """The page at ``cursor`` (None = first) as a ``Chunk`` for a sequential list."""
        if cursor is None or self.bounds is None:
            self.bounds = self.query.window.bounds(self.clock())
        page = await self._pager(*self.bounds).fetch(cursor)
        return Chunk(page.items, more=page.has_more, cursor=page.cursor)

    def window_fetch(self) -> WindowFetch[Any]:
        """For a ``Follower``: every event of a window, newest first, with this query's
        filters (the follower picks the window)."""
        def fetch(start: datetime, end: datetime) -> AsyncIterator[Any]:
            return self._pager(start, end).items()

        return fetch

    def _pager(self, start: datetime, end: datetime) -> Pager[Any]:
        audit = self.client.audit
        if isinstance(self.query, MailQuery):
            return audit.mail_log(self.page_size, after=start, before=end,
                                  **self.query.filters())
        return audit.events(end, started_at=start, count=self.page_size,
                            **self.query.filters())

    def follower(self, **options: Any) -> Follower[Any]:
        """A ``Follower`` polling this query's head."""
        if isinstance(self.query, MailQuery):
            return mail_follower(self.window_fetch(), self.clock, **options)
        return events_follower(self.window_fetch(), self.clock, **options)
