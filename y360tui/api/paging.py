"""Every paging style of the APIs behind one interface: ``Page[T]`` and ``Pager[T]``.

A ``Pager`` is an async iterator of ``Page`` objects. Each page carries its items, the
collection's ``total`` when the API tells it, ``has_more`` and an opaque ``cursor``: pass
it to ``Pager.resume_from()`` (or a sub-client's ``start=``) to continue after that page.

Styles (reference §4) and what their cursor is:

- (a) page/perPage with totals in the body, and (e2) Tracker page/perPage with
  ``X-Total-Count``/``Link`` headers: the next page number. These are ``NumberedPager``\\ s,
  which add random access (``get_page``) and ``fetch_all(concurrency=N)``.
- (b) pageToken/nextPageToken: the next page token.
- (c) iteration_key in a time window: the next iteration key.
- (d) limit/offset: the next offset (the end is a short or empty page).
- (e1) Tracker relative: the uid of the last user seen.

The sub-clients turn each API's envelope into a ``Page`` with the ``*_page`` helpers below.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from .errors import DecodeError

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list.

    ``cursor`` resumes *after* this page (None when there is nothing more);
    ``total`` is the size of the whole collection if the API says it, else None;
    ``number``/``pages`` are set for numbered styles (a, e2).
    """

    items: list[T]
    total: int | None = None
    cursor: Any = None
    has_more: bool = False
    number: int | None = None
    pages: int | None = None

    def __len__(self) -> int:
        return len(self.items)


Fetch = Callable[[Any], Awaitable[Page[T]]]


@dataclass
class Pager(Generic[T]):
    """Async iterator over the pages of one list request.

    ``fetch(cursor)`` loads the page at ``cursor`` (``start`` for the first one).
    ``total`` is filled in once a page has told it. Iterating twice re-fetches.
    The first page is always yielded, even when empty; a trailing empty page (the
    limit/offset style only learns of the end that way) is not.
    """

    fetch: Fetch[T]
    start: Any = None
    total: int | None = field(default=None, init=False)

    def resume_from(self, cursor: Any) -> Pager[T]:
        """A pager over the same request that starts at ``cursor`` (a ``Page.cursor``)."""
        return type(self)(self.fetch, cursor)

    async def _load(self, cursor: Any) -> Page[T]:
        page = await self.fetch(cursor)
        if page.total is not None:
            self.total = page.total
        return page

    async def _pages(self) -> AsyncIterator[Page[T]]:
        cursor, first = self.start, True
        while True:
            page = await self._load(cursor)
            if first or page.items:
                yield page
            if not page.has_more:
                return
            if page.cursor == cursor or page.cursor is None:
                # A server that hands back the cursor it was given would loop forever.
                raise DecodeError(f"paging cursor did not advance ({cursor!r})")
            cursor, first = page.cursor, False

    def __aiter__(self) -> AsyncIterator[Page[T]]:
        return self._pages()

    async def items(self) -> AsyncIterator[T]:
        """Every item of every page, in order."""
        async for page in self:
            for item in page.items:
                yield item

    async def all(self) -> list[T]:
        """Every item, fetched page after page."""
        return [item async for item in self.items()]


@dataclass
class NumberedPager(Pager[T]):
    """A pager whose cursor is a 1-based page number: random access and concurrent fetch."""

    start: Any = 1

    async def get_page(self, number: int) -> Page[T]:
        """Page ``number`` (1-based); a page past the end comes back empty."""
        if not isinstance(number, int) or number < 1:
            raise ValueError(f"page number must be an int >= 1, got {number!r}")
        return await self._load(number)

    async def fetch_pages(self, concurrency: int = 4) -> list[Page[T]]:
        """Every page from ``start``: the first alone (to learn the page count), then the
        rest with at most ``concurrency`` requests in flight. Pages come back in order.

        For a large result the caller keeps (a full user sync), wrap the call in
        ``y360tui.api.bulk_decode()``: it keeps the cyclic GC from rescanning every page
        already decoded (see ``y360tui.api.memory``)."""
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        first = await self._load(self.start)
        if not first.has_more:
            return [first]
        last = first.pages
        if last is None:
            # Without a page count there is nothing to fan out over: walk sequentially.
            return [first, *[p async for p in self.resume_from(first.cursor)]]
        gate = asyncio.Semaphore(concurrency)

        async def one(number: int) -> Page[T]:
            async with gate:
                return await self._load(number)

        rest = await _gather_all([one(n) for n in range(first.cursor, last + 1)])
        return [first, *rest]

    async def fetch_all(self, concurrency: int = 4) -> list[T]:
        """Every item of every page (see ``fetch_pages``), in collection order."""
        pages = await self.fetch_pages(concurrency)
        return [item for page in pages for item in page.items]


async def _gather_all(coros: Sequence[Awaitable[T]]) -> list[T]:
    """Like ``asyncio.gather`` but a failure cancels the siblings before it propagates."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


# --- envelope -> Page helpers, one per style -------------------------------------------


def numbered_page(items: list[T], number: int, pages: int, total: int | None) -> Page[T]:
    """Style (a): the body says ``page``, ``pages`` and ``total``."""
    more = number < pages
    return Page(items, total, number + 1 if more else None, more, number, pages)


def token_page(items: list[T], next_token: str | None) -> Page[T]:
    """Style (b): ``nextPageToken`` is ``""`` on the last page."""
    return Page(items, None, next_token or None, bool(next_token))


def key_page(items: list[T], next_key: str | None) -> Page[T]:
    """Style (c): ``iteration_key`` is null/absent (or, defensively, ``""``) at the end."""
    return Page(items, None, next_key or None, bool(next_key))


def offset_page(items: list[T], offset: int, limit: int) -> Page[T]:
    """Style (d): a page shorter than ``limit`` (or empty) is the last."""
    more = len(items) >= limit > 0
    return Page(items, None, offset + len(items) if more else None, more)


def relative_page(items: list[T], has_next: bool, last_id: Any) -> Page[T]:
    """Style (e1): continue after the id of the last item while ``hasNext``."""
    more = bool(has_next and items)
    return Page(items, None, last_id if more else None, more)


_LINK_NEXT = re.compile(r'<[^>]*>\s*;\s*rel="?next"?')


def header_page(items: list[T], number: int, headers: httpx.Headers) -> Page[T]:
    """Style (e2): ``X-Total-Count``/``X-Total-Pages`` headers and a ``Link rel="next"``."""
    total = _int_header(headers, "x-total-count")
    pages = _int_header(headers, "x-total-pages")
    more = bool(_LINK_NEXT.search(headers.get("link", "")))
    if pages is not None:
        more = more or number < pages
    return Page(items, total, number + 1 if more else None, more, number, pages)


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    try:
        return int(headers[name])
    except (KeyError, ValueError):
        return None
