"""Helpers shared by the generator's parts: the wire-format clock, weighted lookups, the
per-part random stream."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import cached_property
from itertools import accumulate
from random import Random
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_HHMM = tuple(f"{h:02d}:{m:02d}" for h in range(24) for m in range(60))
_SS = tuple(f"{s:02d}" for s in range(60))
_MONTHS = _SS[1:13]
_DAYS = _SS[1:29]


class Clock:
    """Formats Unix seconds as the wire's date-time strings, caching the date part."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}
        self._tracker: dict[int, str] = {}

    def _day(self, day: int) -> str:
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%d")
        return text

    def iso(self, ts: int, suffix: str = "Z") -> str:
        """``2025-01-01T10:20:30Z`` (``suffix`` ``+00:00`` for the audit and disk APIs)."""
        day, sec = divmod(ts, 86400)
        date = self._days.get(day) or self._day(day)
        return f"{date}T{_HHMM[sec // 60]}:{_SS[sec % 60]}{suffix}"

    @staticmethod
    def bucket(ts: int, step: int, limit: int) -> int:
        """A stable instant in the ``step``-second bucket of ``ts``, never after ``limit``.

        Login dates are shared between users who logged in within the same bucket: 100,000
        unique strings would cost megabytes for no visible gain. Day buckets land in office
        hours (06:00-16:00 UTC).
        """
        key = ts // step * step
        salt = key // 600 * 7919
        instant = key + (salt % step if step < 86400 else 6 * 3600 + salt % 36000)
        if instant > limit:
            instant -= step
        return min(instant, limit)

    def tracker(self, ts: int) -> str:
        """Tracker's ``2025-01-01T10:20:30.123+0000`` (one shared string per instant)."""
        text = self._tracker.get(ts)
        if text is None:
            day, sec = divmod(ts, 86400)
            text = self._tracker[ts] = \
                f"{self._day(day)}T{_HHMM[sec // 60]}:{_SS[sec % 60]}.{ts * 7 % 1000:03d}+0000"
        return text


def _weighted(pairs: Any) -> tuple[list[Any], list[float]]:
    """Split ``((value, weight), …)`` into values and cumulative weights for ``choices``."""
    values = [p[0] for p in pairs]
    return values, list(accumulate(p[-1] for p in pairs))



def _expand(pairs: Any, scale: int = 10) -> list[Any]:
    """A lookup list where each value appears in proportion to its weight: pick by index."""
    out: list[Any] = []
    for *value, weight in pairs:
        out.extend([value[0] if len(value) == 1 else tuple(value)] * max(1, round(weight * scale)))
    return out


def _contact(ctype: str, value: str, label: str = "", main: bool = False) -> dict[str, Any]:
    contact = {"type": ctype, "value": value, "main": main, "alias": False, "synthetic": False}
    if label:
        contact["label"] = label
    return contact


class Part:
    """One part of the org built from its own random stream ``Random(f"{seed}:{name}")``, so
    the order in which parts are built (lazily, on first access) never changes their data.

    Attributes the part does not have are read from the directory context ``ctx`` (the
    :class:`~.directory.Directory` that built users, departments and groups).
    """

    name = ""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.rng = Random(f"{ctx.seed}:{self.name}")
        self.org, self.clock, self.n, self.now_ts = ctx.org, ctx.clock, ctx.n, ctx.now_ts
        self.uids, self.uid_ints = ctx.uids, ctx.uid_ints

    @cached_property
    def emails(self) -> list[str]:
        return self.ctx.emails  # built on first use: not every part needs it

    def __getattr__(self, name: str) -> Any:
        if name == "ctx":  # not set yet: no recursion
            raise AttributeError(name)
        return getattr(self.ctx, name)

    def hex(self, digits: int) -> str:
        return f"{self.rng.getrandbits(digits * 4):0{digits}x}"

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def ts_between(self, lo: int, hi: int) -> int:
        return lo + int(self.rng.random() * max(1, hi - lo))

    def pick(self, seq: Any) -> Any:
        """``rng.choice`` without its rejection sampling: several times faster, same idea."""
        return seq[int(self.rng.random() * len(seq))]
