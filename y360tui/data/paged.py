"""Lists that load page by page, and per-key lookups that load on demand.

No widgets here: the UI drives these objects from its workers and reads them while rendering.

``PagedList[T]`` holds the rows of one remote list as they arrive:

- *random-access* sources (``page``/``perPage`` lists) can fetch any page ``n`` at any time;
  rows sit at their final position ``n * page_size + i`` and the total is known after the
  first page, so a table can show every slot and fill the holes as pages arrive;
- *sequential* sources (cursor, ``limit``/``offset``, Tracker ``_relative``) can only fetch the
  page after the last one loaded; the total stays unknown (``None``) until the last page.

Each page is in one of four states (``PageState``). ``load_page`` never fetches a page twice:
a second caller waits for the fetch already in flight. A failed page keeps its error and does
not disturb the pages already loaded; it is fetched again only through ``retry_failed`` (or an
explicit ``load_page``), so scrolling over it does not hammer a failing server.

Rows are meant to be compact (tuples of strings): each row gets a pre-lowered *search key* once,
on arrival, so filtering is one substring test per loaded row, run at C speed
(``compress``/``map(contains)``, no Python code per row). Typing one more
character only re-tests the previous matches. Filtering and sorting produce an *index* (a list
of row positions) over loaded rows only; a page that arrives later is merged into the index
without recomputing it.

A *short* page (fewer rows than ``page_size`` although more follow, e.g. a small first request
for a fast first paint) keeps its rows but stays MISSING, so the full page is fetched when the
rows after them are needed.
"""

from __future__ import annotations

import asyncio
import bisect
import gc
from collections.abc import Awaitable, Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from itertools import compress, repeat
from operator import contains
from typing import Any, Generic, TypeVar

from .fuzzy import FuzzyScan
from .lookups import LookupCache
from .query import Query, parse

__all__ = ["Chunk", "LookupCache", "PageState", "PagedList", "settle_heap"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class PageState(Enum):
    """Where one page of a ``PagedList`` stands."""

    MISSING = "missing"
    LOADING = "loading"
    LOADED = "loaded"
    FAILED = "failed"


@dataclass
class Chunk(Generic[T]):
    """What a source returns for one page.

    ``total``: rows in the whole list when the source says so (page/perPage lists do).
    ``more``: for sequential sources, whether a page follows this one.
    ``cursor``: for sequential sources, what to pass to fetch the page after this one.
    """

    rows: list[T]
    total: int | None = None
    more: bool = False
    cursor: Any = None


PageFetcher = Callable[[int], Awaitable[Chunk[T]]]
NextFetcher = Callable[[Any], Awaitable[Chunk[T]]]


# Rows stored between two freezes of the garbage collector's heap (see ``settle_heap``).
FREEZE_EVERY = 10_000


def settle_heap() -> None:
    """Move every object alive now into the collector's permanent generation.

    Why: a full (generation 2) collection rescans every long-lived object — the app's modules,
    classes, widgets, model schemas — and took 90-150 ms here, a frozen frame in the middle of
    scrolling every few hundred key presses. After a burst of rows arrives, those objects are
    there to stay, so they are frozen (``gc.freeze``) and later passes scan only newer objects.
    Young garbage is collected first (``gc.collect(1)``, a few ms) so it is not frozen with them.
    """
    gc.collect(1)
    gc.freeze()


def _default_key(row: Any) -> str:
    if isinstance(row, tuple):
        return "\t".join(str(cell) for cell in row).lower()
    return str(row).lower()


class PagedList(FuzzyScan[T]):
    """The rows of one remote list, loaded page by page (see the module docstring).

    Build one with ``PagedList.random(fetch_page, page_size)`` for sources that can fetch any
    page (``fetch_page(n)`` gets a 0-based page number), or ``PagedList.sequential(fetch_next)``
    for sources that can only fetch the next page (``fetch_next(cursor)`` gets ``None`` first,
    then the ``cursor`` of the previous ``Chunk``). ``search_key(row)`` gives the text that
    filtering matches; it is lowered once per row.
    """

    def __init__(self, *, fetch_page: PageFetcher[T] | None = None,
                 fetch_next: NextFetcher[T] | None = None, page_size: int = 100,
                 search_key: Callable[[T], str] = _default_key) -> None:
        if (fetch_page is None) == (fetch_next is None):
            raise ValueError("give exactly one of fetch_page or fetch_next")
        self._fetch_page = fetch_page
        self._fetch_next = fetch_next
        self.page_size = page_size
        self._search_key = search_key
        self.total: int | None = None
        # ``load_all`` awaits it before each page: a background load yields to foreground work
        # (``DirectoryCache.foreground``).
        self.yield_to: Callable[[], Awaitable[Any]] | None = None
        self._rows: list[T | None] = []
        self._keys: list[str] = []  # "" for a row not loaded: no needle is found in it
        self._loaded = 0
        self._state: dict[int, PageState] = {}
        self._errors: dict[int, BaseException] = {}
        self._inflight: dict[int, asyncio.Future[None]] = {}
        # Sequential sources: where each loaded page starts, and how to get the next one.
        self._starts: list[int] = []
        self._cursor: Any = None
        self._more = True
        # The view: filter text, sort key, and the index they produce (None = all slots).
        self.query = ""
        self._filter: Query | None = None  # a structured filter (None: plain ``query``)
        self.pending: list[int] = []  # rows a filter could not judge yet (lookups missing)
        self._sort_key: Callable[[T], Any] | None = None
        self._sort_values: list[Any] = []
        self.reverse = False
        self.index: list[int] | None = None
        self.version = 0  # goes up whenever rows arrive or change (views poll it to redraw)
        self._follow_ups: set[asyncio.Future[None]] = set()
        self.follow_up_error: BaseException | None = None  # of the last follow-up that ended

    def _key_list(self, rows: Iterable[T]) -> list[str]:
        return [self._search_key(r).lower() for r in rows]

    @classmethod
    def random(cls, fetch_page: PageFetcher[T], page_size: int,
               search_key: Callable[[T], str] = _default_key) -> PagedList[T]:
        """A list whose pages can be fetched in any order (``page``/``perPage`` sources)."""
        return cls(fetch_page=fetch_page, page_size=page_size, search_key=search_key)

    @classmethod
    def sequential(cls, fetch_next: NextFetcher[T], page_size: int = 100,
                   search_key: Callable[[T], str] = _default_key) -> PagedList[T]:
        """A list that can only fetch the page after the last one (cursor-style sources)."""
        return cls(fetch_next=fetch_next, page_size=page_size, search_key=search_key)

    # ----------------------------------------------------------------- what is loaded

    @property
    def is_sequential(self) -> bool:
        """True for cursor-style sources that load pages one after another."""
        return self._fetch_next is not None

    @property
    def loaded_count(self) -> int:
        """How many rows have arrived."""
        return self._loaded

    @property
    def complete(self) -> bool:
        """True once every row of the list has arrived."""
        if self.is_sequential:
            return not self._more
        return self.total is not None and self.loaded_count >= self.total

    @property
    def slot_count(self) -> int:
        """Rows a table shows without a filter: every known slot, plus one "more" slot for a
        sequential list that has not reached its end (or any list before its first page)."""
        if self.is_sequential:
            return len(self._rows) + (0 if not self._more else 1)
        if self.total is None:
            return 1
        return self.total

    @property
    def page_count(self) -> int | None:
        """Pages in the list if known (random-access lists after their first page)."""
        if self.is_sequential:
            return len(self._starts) if not self._more else None
        if self.total is None:
            return None
        return -(-self.total // self.page_size)

    def row(self, i: int) -> T | None:
        """Row ``i`` (its position in the list), or None if it has not arrived."""
        if 0 <= i < len(self._rows):
            return self._rows[i]
        return None

    def rows(self) -> Iterator[tuple[int, T]]:
        """Every loaded row with its position, in list order."""
        for i, row in enumerate(self._rows):
            if row is not None:
                yield i, row

    def page_of(self, i: int) -> int:
        """The page that holds (or will hold) row ``i``."""
        if self.is_sequential:
            return max(0, bisect.bisect_right(self._starts, i) - 1) if i < len(self._rows) \
                else len(self._starts)
        return i // self.page_size

    def state(self, page: int) -> PageState:
        """The state of ``page``."""
        return self._state.get(page, PageState.MISSING)

    def error(self, page: int) -> BaseException | None:
        """Why ``page`` failed, if it did."""
        return self._errors.get(page)

    def failed_pages(self) -> list[int]:
        """Pages whose last fetch failed."""
        return sorted(p for p, s in self._state.items() if s is PageState.FAILED)

    @property
    def loading(self) -> bool:
        """True while any page is being fetched."""
        return bool(self._inflight)

    def pages_needed(self, first_row: int, last_row: int, ahead: int = 1) -> list[int]:
        """Pages to fetch so rows ``first_row..last_row`` (inclusive) can be shown, plus
        ``ahead`` pages after them. Only MISSING pages are returned: loading pages are on
        their way and failed pages wait for ``retry_failed``."""
        if self.is_sequential:
            if self._more and last_row + ahead * self.page_size >= len(self._rows):
                page = len(self._starts)
                return [page] if self.state(page) is PageState.MISSING else []
            return []
        if self.total is None:
            return [0] if self.state(0) is PageState.MISSING else []
        last_page = self.page_count - 1 if self.page_count else 0
        first = max(0, first_row // self.page_size)
        last = min(last_page, max(first_row, last_row) // self.page_size + ahead)
        return [p for p in range(first, last + 1) if self.state(p) is PageState.MISSING]

    def next_missing_page(self) -> int | None:
        """The first page not loaded yet (for "load more" at the end of a filtered view)."""
        if self.is_sequential:
            return len(self._starts) if self._more else None
        if self.total is None:
            return 0
        for p in range(self.page_count or 0):
            if self.state(p) is not PageState.LOADED:
                return p
        return None

    # ----------------------------------------------------------------------- loading

    async def load_page(self, page: int) -> None:
        """Fetch ``page`` unless it is loaded; wait for it if another caller is fetching it.

        Raises the source's exception if the fetch fails (the page becomes FAILED and other
        pages stay); ``asyncio.CancelledError`` leaves the page MISSING so it can be fetched
        again later.
        """
        while True:
            if self.state(page) is PageState.LOADED:
                return
            pending = self._inflight.get(page)
            if pending is None:
                break
            await asyncio.wait([pending])
            if self.state(page) is PageState.FAILED:
                raise self._errors[page]
        if self.is_sequential and page != len(self._starts):
            raise ValueError(f"a sequential list loads page {len(self._starts)} next, not {page}")
        await self._fetch(page)

    async def wait_loading(self, page: int) -> None:
        """Wait for the fetch of ``page`` in flight, if any, without starting one; raises its
        error if it failed. A first chunk smaller than the page leaves the page MISSING: the
        caller decides when to fetch the rest."""
        pending = self._inflight.get(page)
        if pending is not None:
            await asyncio.wait([pending])
        if self.state(page) is PageState.FAILED:
            raise self._errors[page]

    async def load_next(self) -> None:
        """Fetch the page after the last loaded one (sequential lists) or the first missing
        page (random-access lists). Does nothing when the list is complete."""
        page = self.next_missing_page()
        if page is not None:
            await self.load_page(page)

    async def retry_failed(self) -> None:
        """Fetch every failed page again; raises the first error if one fails again."""
        errors = []
        for page in self.failed_pages():
            self._state[page] = PageState.MISSING
            try:
                await self.load_page(page)
            except Exception as exc:
                errors.append(exc)
        if errors:
            raise errors[0]

    async def load_all(self, concurrency: int = 4) -> None:
        """Every page not loaded yet: the first (for the total) then the rest ``concurrency``
        at a time (sequential lists: one after the other). Pages that fail stay FAILED while
        the others go on; the first error is raised at the end."""
        errors: list[BaseException] = []
        if self.is_sequential:
            while not self.complete:
                try:
                    await self.load_next()
                except Exception as exc:
                    errors.append(exc)
                    break
        else:
            if self.total is None:
                await self.load_page(0)
            gate = asyncio.Semaphore(concurrency)

            async def one(page: int) -> None:
                async with gate:
                    if self.yield_to is not None:  # a foreground request goes first
                        await self.yield_to()
                    try:
                        await self.load_page(page)
                    except Exception as exc:
                        errors.append(exc)

            todo = [p for p in range(self.page_count or 0)
                    if self.state(p) in (PageState.MISSING, PageState.LOADING)]
            await asyncio.gather(*(one(p) for p in todo))
        if errors:
            raise errors[0]

    async def _fetch(self, page: int) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._inflight[page] = done
        self._state[page] = PageState.LOADING
        self._errors.pop(page, None)
        try:
            if self._fetch_next is not None:
                chunk = await self._fetch_next(self._cursor)
            else:
                assert self._fetch_page is not None
                chunk = await self._fetch_page(page)
        except asyncio.CancelledError:
            self._state[page] = PageState.MISSING
            raise
        except Exception as exc:
            self._state[page] = PageState.FAILED
            self._errors[page] = exc
            raise
        finally:
            del self._inflight[page]
            done.set_result(None)
        self._store(page, chunk)

    def _store(self, page: int, chunk: Chunk[T]) -> None:
        self.version += 1
        if self.is_sequential:
            start = len(self._rows)
            self._starts.append(start)
            self._cursor = chunk.cursor
            self._more = chunk.more
            rows = chunk.rows
            self._rows.extend(rows)
            self._keys.extend(self._key_list(rows))
            self._loaded += len(rows)
            fresh = True
            if not self._more:
                self.total = len(self._rows)
        else:
            start = page * self.page_size
            total = chunk.total
            if total is None:  # a source that does not count: trust what arrived
                total = max(self.total or 0, start + len(chunk.rows))
            if total != self.total:
                self._resize(total)
            rows = chunk.rows[: max(0, len(self._rows) - start)]
            stop = start + len(rows)
            new = self._rows[start:stop].count(None)  # a refetch adds no rows
            fresh = new == len(rows)
            self._loaded += new
            self._rows[start:stop] = rows
            self._keys[start:stop] = self._key_list(rows)
            if stop < min(len(self._rows), start + self.page_size):
                # A short page: its rows stay, the full page is fetched when needed.
                self._state[page] = PageState.MISSING
                self._merge(start, stop, fresh)
                return
        self._state[page] = PageState.LOADED
        self._merge(start, start + len(rows), fresh)
        self._settle_after(len(rows))

    def _settle_after(self, count: int) -> None:
        """``settle_heap`` after the first page and then every ``FREEZE_EVERY`` rows."""
        before = self._loaded - count
        if before == 0 or before // FREEZE_EVERY != self._loaded // FREEZE_EVERY \
                or self.complete:
            settle_heap()

    def replace_row(self, i: int, row: T) -> None:
        """Swap loaded row ``i`` for a fresh copy (after an edit), keeping filter and sort."""
        if not 0 <= i < len(self._rows) or self._rows[i] is None:
            raise IndexError(f"row {i} is not loaded")
        self._rows[i] = row
        self.version += 1
        self._keys[i] = self._key_list([row])[0]
        if self._sort_key is not None:
            self._sort_values[i] = self._sort_key(row)
        self._rebuild()

    def revise(self, change: Callable[[T], T]) -> int:
        """Replace every loaded row by ``change(row)`` (which returns the row itself when it
        has nothing to change); keys, sort values and the view follow. Returns how many rows
        changed."""
        rows, keys, values, key = self._rows, self._keys, self._sort_values, self._sort_key
        changed = 0
        for i, row in enumerate(rows):
            if row is None:
                continue
            new = change(row)
            if new is not row:
                rows[i] = new
                keys[i] = self._key_list([new])[0]
                if key is not None:
                    values[i] = key(new)
                changed += 1
        if changed:
            self.version += 1
            self._rebuild()
        return changed

    def follow_up(self, work: Awaitable[None]) -> None:
        """Run ``work`` (e.g. a lookup that ``revise``s rows once it answers) as a task of its
        own; ``settled`` waits for it. For rows that can be shown before every detail of them
        is known."""
        task = asyncio.ensure_future(work)
        self._follow_ups.add(task)
        task.add_done_callback(self._follow_up_done)

    def _follow_up_done(self, task: asyncio.Future[None]) -> None:
        self._follow_ups.discard(task)
        # Kept, so a failure nobody awaited is not reported by asyncio at exit as "never
        # retrieved"; the rows simply keep their placeholder until a reload.
        if not task.cancelled():
            self.follow_up_error = task.exception()

    def cancel_follow_ups(self) -> None:
        """Stop the follow-up work (the session is closing)."""
        for task in list(self._follow_ups):
            task.cancel()

    @property
    def following_up(self) -> bool:
        """True while follow-up work is running."""
        return bool(self._follow_ups)

    async def settled(self) -> None:
        """Wait for the follow-up work running now; raises the first error it raised."""
        tasks = list(self._follow_ups)
        if tasks:
            # shield: a cancelled waiter (a view left) must not cancel the shared work.
            await asyncio.gather(*(asyncio.shield(t) for t in tasks))

    def prepend(self, rows: list[T]) -> None:
        """Put ``rows`` before every loaded row of a *sequential* list (a newest-first log
        that is followed, like ``tail -f``); they join its first page, filter and sort."""
        if not self.is_sequential:
            raise TypeError("prepend needs a sequential list")
        if not rows or not self._starts:  # nothing loaded yet: the first page brings them
            return
        count = len(rows)
        self._rows[0:0] = rows
        self._keys[0:0] = self._key_list(rows)
        self._starts = [0] + [s + count for s in self._starts[1:]]
        self._loaded += count
        if self.total is not None:
            self.total += count
        if self._sort_key is not None:
            self._sort_values[0:0] = [None] * count
        if self.index is not None:
            self.index = [i + count for i in self.index]
        self.pending = [i + count for i in self.pending]
        self._merge(0, count)  # sort values and index entries of the new rows

    def _resize(self, total: int) -> None:
        """The list changed size on the server (or its first page arrived)."""
        self.total = total
        grow = total - len(self._rows)
        if grow > 0:
            self._rows.extend([None] * grow)
            self._keys.extend([""] * grow)
        elif grow < 0:  # rows were removed on the server: drop the tail, recount
            del self._rows[total:]
            del self._keys[total:]
            del self._sort_values[total:]
            self._loaded = len(self._rows) - self._rows.count(None)
            if self.index is not None:
                self.index = [i for i in self.index if i < total]

    def clear(self) -> None:
        """Forget every row (for a reload); keeps the filter and sort settings."""
        self.total = None
        self._rows.clear()
        self._keys.clear()
        self._loaded = 0
        self._state.clear()
        self._errors.clear()
        self._starts.clear()
        self._cursor = None
        self._more = True
        self._sort_values = []
        self._rebuild()

    # ------------------------------------------------------------------ filter and sort

    @property
    def filtered(self) -> bool:
        """True when the view is an index over loaded rows (filter or sort active)."""
        return self.index is not None

    def set_query(self, text: str) -> None:
        """Show only loaded rows whose search key contains ``text`` (case-insensitive)."""
        needle = text.strip().lower()
        previous = self.query
        self.query = needle
        self._filter = None
        self.pending = []
        if needle and previous and needle.startswith(previous) and self.index is not None:
            # Typing one more character can only narrow the matches: test those alone.
            if self._sort_key is None and len(self.index) > len(self._keys) // 4:
                # Still most rows: one straight pass beats gathering them by position.
                self.index = self._matches(needle)
            else:
                keys = map(self._keys.__getitem__, self.index)
                self.index = list(compress(self.index, map(contains, keys, repeat(needle))))
            return
        self._rebuild()

    def set_filter(self, query: Query | str) -> None:
        """Show only loaded rows that pass ``query`` (``data.query``; a string is parsed with
        no fields). A filter of plain words takes the fast path of ``set_query``; rows a
        structured filter cannot judge yet (a per-row value not fetched) go to ``pending``."""
        if isinstance(query, str):
            query = parse(query)
        if query.plain and len(query.words) <= 1:
            self.set_query(query.words[0] if query.words else "")
            return
        self.query = query.text.lower()
        self._filter = query
        self._rebuild()

    @property
    def structured(self) -> Query | None:
        """The structured filter in force, if any."""
        return self._filter

    def refilter(self) -> None:
        """Apply the filter again (per-row values it needed have arrived)."""
        if self._filter is not None:
            self._rebuild()

    def set_sort(self, key: Callable[[T], Any] | None, reverse: bool = False) -> None:
        """Order loaded rows by ``key(row)`` (None = list order)."""
        self._sort_key = key
        self.reverse = reverse
        rows = self._rows
        self._sort_values = [None if r is None else key(r) for r in rows] if key else []
        self._rebuild()

    def _matches(self, needle: str) -> list[int]:
        """Positions whose key contains ``needle``: one pass at C speed (``compress`` over
        ``map(contains)``, no Python code per row); keys of rows not loaded are "" and never
        match a non-empty needle."""
        keys = self._keys
        return list(compress(range(len(keys)), map(contains, keys, repeat(needle))))

    def _rebuild(self) -> None:
        if not self.query and self._sort_key is None:
            self.index = None
            self.pending = []
            return
        if self._filter is not None:
            index = self._filtered(range(len(self._rows)))
        elif self.query:
            index = self._matches(self.query)
        else:
            index = [i for i, r in enumerate(self._rows) if r is not None]
        if self._sort_key is not None:
            index.sort(key=self._sort_values.__getitem__, reverse=self.reverse)
        self.index = index

    def _filtered(self, positions: Iterable[int], fresh: bool = False) -> list[int]:
        """Positions among ``positions`` that pass the structured filter; the rows it cannot
        judge yet are put in ``pending`` (replacing it unless ``fresh`` rows are added)."""
        query = self._filter
        assert query is not None
        keys, rows = self._keys, self._rows
        if query.words:  # the first word at C speed, the rest in Python on fewer rows
            if isinstance(positions, range):
                picked: Iterable[str] = keys[positions.start:positions.stop]
            else:
                positions = list(positions)
                picked = map(keys.__getitem__, positions)
            positions = compress(positions, map(contains, picked, repeat(query.words[0])))
        out: list[int] = []
        pending: list[int] = self.pending if fresh else []
        for i in positions:
            row = rows[i]
            if row is None:
                continue
            verdict = query.verdict(row, keys[i])
            if verdict:
                out.append(i)
            elif verdict is None:
                pending.append(i)
        self.pending = pending
        return out

    def _merge(self, start: int, stop: int, fresh: bool = True) -> None:
        """Fold rows ``start..stop`` that just arrived into the sort values and the index.
        ``fresh``: none of them was loaded before (else the index is rebuilt, so a refetched
        row is not listed twice)."""
        stop = min(stop, len(self._rows))
        if self._sort_key is not None:
            values = self._sort_values
            if len(values) < len(self._rows):
                values.extend([None] * (len(self._rows) - len(values)))
            key = self._sort_key
            for i in range(start, stop):
                values[i] = key(self._rows[i])  # type: ignore[arg-type]
        if self.index is None:
            return
        if not fresh:
            self._rebuild()
            return
        needle = self.query
        keys = self._keys
        if self._filter is not None:
            new = self._filtered(range(start, stop), fresh=True)
        else:
            new = [i for i in range(start, stop) if not needle or needle in keys[i]]
        if not new:
            return
        if self._sort_key is not None:
            # Timsort merges the two sorted runs in linear time.
            new.sort(key=self._sort_values.__getitem__, reverse=self.reverse)
            self.index.extend(new)
            self.index.sort(key=self._sort_values.__getitem__, reverse=self.reverse)
        else:
            at = bisect.bisect_left(self.index, start)
            self.index[at:at] = new

    # -------------------------------------------------------------------- the view

    @property
    def view_count(self) -> int:
        """Rows a table shows: matches (plus one "more" slot while rows are missing) when
        filtered or sorted, all slots otherwise."""
        if self.index is None:
            return self.slot_count
        return len(self.index) + (0 if self.complete else 1)

    def view_row(self, pos: int) -> int:
        """The list position shown at view position ``pos``; -1 for the "more" slot."""
        if self.index is None:
            if self.is_sequential:
                # A cursor list knows no total until its end: what has loaded is what exists.
                return pos if pos < len(self._rows) else -1
            return pos if self.total is not None else -1
        if pos < len(self.index):
            return self.index[pos]
        return -1

    def view_pos(self, i: int) -> int | None:
        """Where list position ``i`` is shown in the view, or None if filtered out."""
        if self.index is None:
            return i
        try:
            return self.index.index(i)
        except ValueError:
            return None

    def key(self, i: int) -> str:
        """The lowered search key of row ``i`` ("" if not loaded)."""
        return self._keys[i] if 0 <= i < len(self._keys) else ""

    def positions_containing(self, needle: str) -> list[int]:
        """Positions of loaded rows whose search key contains ``needle`` (lower case)."""
        return self._matches(needle)

    def search(self, text: str, limit: int = 20) -> list[tuple[int, T]]:
        """Up to ``limit`` loaded rows whose search key contains ``text``."""
        needle = text.strip().lower()
        found: list[tuple[int, T]] = []
        for i in (self._matches(needle) if needle else range(len(self._rows))):
            row = self._rows[i]
            if row is not None:
                found.append((i, row))
                if len(found) >= limit:
                    break
        return found
