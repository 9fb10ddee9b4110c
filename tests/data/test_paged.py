"""PagedList and LookupCache: paging states, dedupe, failures, cursor sources, filter and sort."""

from __future__ import annotations

import asyncio

import pytest

from y360tui.data.paged import Chunk, LookupCache, PagedList, PageState

ROWS = [(f"u{i:03d}", f"Name {i}", "sales" if i % 3 == 0 else "it") for i in range(25)]


class Source:
    """A page/perPage source over ROWS that records every fetch and can be told to fail."""

    def __init__(self, rows=ROWS, page_size=10):
        self.rows = list(rows)
        self.page_size = page_size
        self.calls: list[int] = []
        self.fail: set[int] = set()
        self.gate: asyncio.Event | None = None
        self.entered = asyncio.Event()

    async def fetch(self, page: int) -> Chunk:
        self.calls.append(page)
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        if page in self.fail:
            raise RuntimeError(f"page {page} broke")
        start = page * self.page_size
        return Chunk(self.rows[start:start + self.page_size], total=len(self.rows))


def cursor_source(rows=ROWS, size=10):
    calls = []

    async def fetch(cursor):
        calls.append(cursor)
        start = cursor or 0
        chunk = rows[start:start + size]
        more = start + size < len(rows)
        return Chunk(chunk, more=more, cursor=start + size if more else None)

    return fetch, calls


async def test_first_page_sets_total_and_slots():
    src = Source()
    pl = PagedList.random(src.fetch, 10)
    assert pl.pages_needed(0, 5) == [0]
    await pl.load_page(0)
    assert pl.total == 25 and pl.slot_count == 25 and pl.loaded_count == 10
    assert pl.row(3) == ROWS[3] and pl.row(15) is None
    assert pl.page_count == 3
    assert pl.pages_needed(0, 9, ahead=1) == [1]
    assert pl.pages_needed(18, 24, ahead=1) == [1, 2]


async def test_page_is_never_fetched_twice_even_concurrently():
    src = Source()
    pl = PagedList.random(src.fetch, 10)
    await pl.load_page(0)
    src.gate = asyncio.Event()
    src.entered.clear()
    first = asyncio.ensure_future(pl.load_page(1))
    second = asyncio.ensure_future(pl.load_page(1))
    await src.entered.wait()
    assert pl.state(1) is PageState.LOADING
    assert pl.pages_needed(10, 19, ahead=0) == []
    src.gate.set()
    await asyncio.gather(first, second)
    await pl.load_page(1)
    assert src.calls == [0, 1]
    assert pl.row(19) == ROWS[19]


async def test_failed_page_keeps_others_and_can_be_retried():
    src = Source()
    pl = PagedList.random(src.fetch, 10)
    await pl.load_page(0)
    src.fail.add(1)
    with pytest.raises(RuntimeError, match="page 1 broke"):
        await pl.load_page(1)
    assert pl.state(1) is PageState.FAILED
    assert str(pl.error(1)) == "page 1 broke"
    assert pl.row(0) == ROWS[0] and pl.loaded_count == 10
    # Scrolling over a failed page does not refetch it; only a retry does.
    assert pl.pages_needed(10, 19, ahead=0) == []
    src.fail.clear()
    await pl.retry_failed()
    assert pl.state(1) is PageState.LOADED and pl.row(12) == ROWS[12]


async def test_cancelled_fetch_leaves_page_missing():
    src = Source()
    pl = PagedList.random(src.fetch, 10)
    src.gate = asyncio.Event()
    task = asyncio.ensure_future(pl.load_page(0))
    await src.entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert pl.state(0) is PageState.MISSING and not pl.loading
    src.gate.set()
    await pl.load_page(0)
    assert pl.loaded_count == 10


async def test_sequential_source_loads_next_pages_until_the_end():
    fetch, calls = cursor_source()
    pl = PagedList.sequential(fetch, 10)
    assert pl.total is None and pl.slot_count == 1 and pl.view_row(0) == -1
    await pl.load_next()
    assert pl.slot_count == 11 and pl.total is None and not pl.complete
    # Loaded rows are shown although the total is unknown; the slot after them is "more".
    assert [pl.view_row(p) for p in (0, 9, 10)] == [0, 9, -1]
    assert pl.pages_needed(0, 9, ahead=0) == []
    assert pl.pages_needed(0, 10, ahead=0) == [1]  # the "more" slot is on screen
    assert pl.pages_needed(0, 5, ahead=1) == [1]
    with pytest.raises(ValueError):
        await pl.load_page(2)
    await pl.load_next()
    await pl.load_next()
    assert pl.complete and pl.total == 25 and pl.slot_count == 25
    await pl.load_next()
    assert calls == [None, 10, 20]
    assert pl.page_of(24) == 2


async def test_filter_and_sort_over_loaded_rows_and_merge_new_pages():
    src = Source()
    pl = PagedList.random(src.fetch, 10)
    await pl.load_page(0)
    pl.set_query("SALES")
    assert [pl.view_row(p) for p in range(len(pl.index))] == [0, 3, 6, 9]
    assert pl.view_count == 5 and pl.view_row(4) == -1  # a "more" slot: rows still missing
    pl.set_query("sales\tname")  # cannot match: the key order is id, name, dept
    assert pl.index == []
    pl.set_query("name 1")
    assert pl.index == [1]
    pl.set_query("")
    assert pl.index is None
    pl.set_sort(lambda r: r[1], reverse=True)
    assert pl.index[0] == 9 and len(pl.index) == 10
    await pl.load_page(2)
    # Rows that arrive later are merged into the sorted view.
    assert [pl.row(i)[1] for i in pl.index[:4]] == ["Name 9", "Name 8", "Name 7", "Name 6"]
    assert pl.row(pl.index[4])[1] == "Name 5" and pl.row(pl.index[5])[1] == "Name 4"
    assert pl.row(pl.index[6])[1] == "Name 3" and pl.row(pl.index[7])[1] == "Name 24"
    pl.set_query("sales")
    await pl.load_page(1)
    assert pl.complete and pl.view_count == len(pl.index)
    names = [pl.row(i)[1] for i in pl.index]
    assert names == sorted((r[1] for r in ROWS if r[2] == "sales"), reverse=True)


async def test_unsorted_filter_keeps_list_order_when_pages_arrive_out_of_order():
    src = Source()
    pl = PagedList.random(src.fetch, 10)
    await pl.load_page(2)
    pl.set_query("sales")
    await pl.load_page(0)
    await pl.load_page(1)
    assert pl.index == [i for i, r in enumerate(ROWS) if r[2] == "sales"]


async def test_total_shrinking_drops_the_tail():
    src = Source()
    pl = PagedList.random(src.fetch, 10)
    await pl.load_page(0)
    await pl.load_page(2)
    src.rows = src.rows[:20]
    await pl.load_page(1)
    assert pl.total == 20 and pl.loaded_count == 20 and pl.complete


async def test_search_returns_loaded_matches():
    src = Source()
    pl = PagedList.random(src.fetch, 10)
    await pl.load_page(0)
    assert [i for i, _ in pl.search("name 1")] == [1]
    assert len(pl.search("u0", limit=3)) == 3


async def test_lookup_cache_fetches_each_key_once_with_bounded_concurrency():
    running = 0
    peak = 0
    calls = []
    gate = asyncio.Event()
    full = asyncio.Event()

    async def fetch(key):
        nonlocal running, peak
        calls.append(key)
        running += 1
        peak = max(peak, running)
        if running == 3:
            full.set()
        await gate.wait()
        running -= 1
        if key == "bad":
            raise LookupError(key)
        return key.upper()

    cache = LookupCache(fetch, concurrency=3)
    task = asyncio.ensure_future(cache.load(["a", "b", "c", "d", "bad", "a"]))
    await full.wait()
    assert cache.missing(["a", "e"]) == ["e"]
    gate.set()
    assert await task == 4
    assert peak == 3 and sorted(calls) == ["a", "b", "bad", "c", "d"]
    assert cache.get("a") == "A" and isinstance(cache.errors["bad"], LookupError)
    assert await cache.load(["a", "bad"]) == 0
    cache.forget_errors()
    assert cache.missing(["bad"]) == ["bad"]


async def test_filter_is_case_insensitive_on_both_sides():
    rows = [("u1", "Иван Петров"), ("u2", "IVAN Smith"), ("u3", "Мария")]
    pl = PagedList.random(Source(rows).fetch, 10)
    await pl.load_page(0)
    pl.set_query("иван")
    assert [pl.row(i) for i in pl.index] == [rows[0]]
    pl.set_query("Ivan")
    assert [pl.row(i) for i in pl.index] == [rows[1]]


async def test_narrowing_keeps_the_sort_order_and_widening_rescans():
    src = Source()
    pl = PagedList.random(src.fetch, 10)
    for page in range(3):
        await pl.load_page(page)
    pl.set_sort(lambda row: row[0], reverse=True)
    pl.set_query("u0")
    pl.set_query("u01")
    assert [pl.row(i)[0] for i in pl.index] == [f"u01{d}" for d in range(9, -1, -1)]
    pl.set_query("u0")  # shorter text: not a narrowing, every row is tested again
    assert len(pl.index) == 25


async def test_a_short_page_keeps_its_rows_and_is_fetched_in_full_later():
    sizes = []

    async def fetch(page):
        size = 4 if not sizes else 10  # a small first request, then full pages
        sizes.append(size)
        start = page * 10
        return Chunk(ROWS[start:start + size], total=len(ROWS))

    pl = PagedList.random(fetch, 10)
    await pl.load_page(0)
    assert pl.loaded_count == 4 and pl.row(3) == ROWS[3] and pl.row(4) is None
    assert pl.state(0) is PageState.MISSING and pl.pages_needed(0, 5, ahead=0) == [0]
    pl.set_query("u00")
    assert len(pl.index) == 4
    await pl.load_page(0)
    assert pl.loaded_count == 10 and pl.state(0) is PageState.LOADED
    assert [pl.row(i)[0] for i in pl.index] == [f"u00{d}" for d in range(10)]  # no repeats


async def test_follow_up_revises_rows_after_they_are_shown():
    src = Source()
    pl = PagedList.random(src.fetch, 10)
    await pl.load_page(0)
    names = asyncio.Event()

    async def rename():
        await names.wait()
        pl.revise(lambda row: (*row[:2], "revenue") if row[2] == "sales" else row)

    pl.follow_up(rename())
    pl.set_query("Revenue")
    assert pl.index == [] and pl.following_up
    names.set()
    await pl.settled()
    assert not pl.following_up
    assert [pl.row(i)[0] for i in pl.index] == ["u000", "u003", "u006", "u009"]
    assert pl.row(0)[2] == "revenue" and pl.row(1)[2] == "it"


async def test_settled_raises_what_the_follow_up_raised():
    pl = PagedList.random(Source().fetch, 10)

    async def broken():
        raise RuntimeError("names unavailable")

    pl.follow_up(broken())
    with pytest.raises(RuntimeError, match="names unavailable"):
        await pl.settled()


async def test_heap_is_frozen_after_the_first_page_and_every_freeze_every_rows(monkeypatch):
    import y360tui.data.paged as paged

    freezes = []
    monkeypatch.setattr(paged, "settle_heap", lambda: freezes.append(1))
    monkeypatch.setattr(paged, "FREEZE_EVERY", 20)
    rows = [(f"u{i:03d}",) for i in range(50)]
    pl = PagedList.random(Source(rows).fetch, 10)
    for page in range(5):
        await pl.load_page(page)
    # after the first page (10 rows), on reaching 20 and 40 rows, and when complete (50)
    assert len(freezes) == 4


def test_user_key_covers_what_the_view_shows_and_the_email_but_no_id():
    from y360tui.data.directory import user_key

    row = ("4242", "ivan", "Иван Петров", "Продажи", "Менеджер", "active", "admin",
           "ivan@example.com", "7")
    key = user_key(row)
    assert all(cell in key for cell in row[1:8])
    assert "4242" not in key and "\t7" not in key
    other = (*row[:7], "sales-head@example.com", "7")  # login not in the e-mail: kept
    assert "ivan" in user_key(other)


async def test_a_follow_up_nobody_awaits_keeps_its_error():
    pl = PagedList.random(Source().fetch, 10)

    async def broken():
        raise RuntimeError("names unavailable")

    pl.follow_up(broken())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert not pl.following_up
    assert isinstance(pl.follow_up_error, RuntimeError)


async def test_cancel_follow_ups_stops_the_work():
    pl = PagedList.random(Source().fetch, 10)
    ran = []

    async def slow():
        await asyncio.sleep(10)
        ran.append(1)

    pl.follow_up(slow())
    await asyncio.sleep(0)
    pl.cancel_follow_ups()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert not pl.following_up and not ran and pl.follow_up_error is None


# ------------------------------------------------------------- fuzzy_candidates (palette)


def people(count: int, extra: dict[int, tuple[str, str]]) -> list[tuple[str, str]]:
    """``count`` (login, name) rows; ``extra`` replaces some positions."""
    return [extra.get(i, (f"user{i:05d}", f"Name {i}")) for i in range(count)]


async def loaded(rows: list, page: int = 500) -> PagedList:
    pl = PagedList.random(Source(rows, page).fetch, page)
    for n in range((len(rows) + page - 1) // page):
        await pl.load_page(n)
    return pl


async def test_fuzzy_candidates_reach_every_loaded_row():
    rows = people(5000, {4321: ("ivan.petrov", "Петров Иван")})
    pl = await loaded(rows)
    found = pl.fuzzy_candidates("ivptr", 50)
    assert found == [(4321, ("ivan.petrov", "Петров Иван"))]
    assert pl.fuzzy_candidates("IVPTR ", 50) == found  # case and outer spaces ignored
    # Characters in order within one field only: "i" of a login, "v…" of a name is no hit.
    assert pl.fuzzy_candidates("u4321петр", 50) == []


async def test_fuzzy_candidates_put_prefix_then_substring_hits_first():
    rows = people(3000, {10: ("a.pxetxr", "X"), 2000: ("petr.ivanov", "Y"),
                         2500: ("o.spetra", "Z")})
    pl = await loaded(rows)
    order = [i for i, _ in pl.fuzzy_candidates("petr", 3)]
    assert order == [2000, 2500, 10]  # field prefix, substring, subsequence
    assert [i for i, _ in pl.fuzzy_candidates("petr", 2)] == [2000, 2500]
    assert [i for i, _ in pl.fuzzy_candidates("petr", 50)] == [2000, 2500, 10]


async def test_typing_on_gives_what_a_fresh_search_gives():
    extra = {i: (f"ivan.p{i}", f"Петров {i}") for i in range(0, 6000, 7)}
    rows = people(6000, extra)
    typed = await loaded(rows)
    for end in range(1, 8):
        query = "ivan.p1"[:end]
        fresh = await loaded(rows)
        assert typed.fuzzy_candidates(query, 40) == fresh.fuzzy_candidates(query, 40)
    typed.fuzzy_candidates("iv", 40)  # a shorter query after a longer one: no stale hits
    assert typed.fuzzy_candidates("ivan.p12", 40) == fresh.fuzzy_candidates("ivan.p12", 40)


async def test_fuzzy_candidates_follow_rows_that_change_or_arrive():
    src = Source(people(1000, {}), 500)
    pl = PagedList.random(src.fetch, 500)
    await pl.load_page(0)
    assert pl.fuzzy_candidates("zoe", 10) == []
    src.rows[700] = ("zoe.smith", "Smith Zoe")
    await pl.load_page(1)
    assert [i for i, _ in pl.fuzzy_candidates("zoe", 10)] == [700]
    pl.replace_row(3, ("zoe.brown", "Brown Zoe"))
    assert [i for i, _ in pl.fuzzy_candidates("zoe", 10)] == [3, 700]
    assert pl.fuzzy_candidates("", 10) == []


async def test_fuzzy_search_gives_the_event_loop_turns_between_pieces(monkeypatch):
    import y360tui.data.fuzzy as fuzzy

    monkeypatch.setattr(fuzzy, "JOIN_SLICE", 1000)
    rows = people(5000, {4321: ("ivan.petrov", "Петров Иван")})
    pl = await loaded(rows)
    turns = 0

    async def count_turns():
        nonlocal turns
        while True:
            await asyncio.sleep(0)
            turns += 1

    counter = asyncio.ensure_future(count_turns())
    await asyncio.sleep(0)
    found = await pl.fuzzy_candidates_async("ivptr", 50)
    counter.cancel()
    assert found == [(4321, ("ivan.petrov", "Петров Иван"))]
    assert turns >= 5  # five pieces joined, then scanned, each a step of its own
    assert pl.fuzzy_candidates("ivptr", 50) == found  # the same, at once
