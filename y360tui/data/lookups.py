"""``LookupCache``: values fetched one key at a time (a user's 2FA state), with bounded
concurrency, shared by every view and the findings."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class LookupCache(Generic[K, V]):
    """Values fetched one key at a time (e.g. a user's 2FA state), with bounded concurrency.

    ``load(keys)`` fetches only keys neither cached, in flight nor failed, at most
    ``concurrency`` at a time; ``get`` reads the cache without fetching.
    """

    fetch: Callable[[K], Awaitable[V]]
    concurrency: int = 8
    values: dict[K, V] = field(default_factory=dict)
    errors: dict[K, BaseException] = field(default_factory=dict)
    _inflight: set[K] = field(default_factory=set)
    _semaphore: asyncio.Semaphore | None = None

    def get(self, key: K) -> V | None:
        """The cached value of ``key``, or None."""
        return self.values.get(key)

    def missing(self, keys: Iterable[K]) -> list[K]:
        """Keys that a ``load`` would fetch (each once, in order)."""
        seen: set[K] = set()
        out = []
        for k in keys:
            if k in seen or k in self.values or k in self._inflight or k in self.errors:
                continue
            seen.add(k)
            out.append(k)
        return out

    async def load(self, keys: Iterable[K]) -> int:
        """Fetch the missing ``keys``; returns how many values arrived. Failures are kept in
        ``errors`` (and not retried until ``forget_errors``)."""
        todo = self.missing(keys)
        if not todo:
            return 0
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.concurrency)
        self._inflight.update(todo)
        results = await asyncio.gather(*(self._one(k) for k in todo))
        return sum(results)

    async def _one(self, key: K) -> bool:
        assert self._semaphore is not None
        try:
            async with self._semaphore:
                self.values[key] = await self.fetch(key)
            return True
        except Exception as exc:
            self.errors[key] = exc
            return False
        finally:
            self._inflight.discard(key)

    def forget_errors(self) -> None:
        """Allow failed keys to be fetched again."""
        self.errors.clear()

    def invalidate(self, key: K) -> None:
        """Drop ``key`` from the cache (after an edit changed it)."""
        self.values.pop(key, None)
        self.errors.pop(key, None)
