"""The bulk runner: bounded concurrency, dry run, isolation of failures, retry of failures."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from y360tui.data.bulk import INVALID, NOT_RUN, PLANNED, run_bulk
from y360tui.data.edits.base import Change, Edit, Plan
from y360tui.data.journal import Journal


class Boom(Exception):
    """A fake API error."""

    status = 500
    code = 13
    message = "internal error, retry later"


class FakeServer:
    """Counts writes per id, tracks how many run at once, fails the ids it is told to."""

    def __init__(self, failing: set[str] = frozenset()) -> None:
        self.failing = set(failing)
        self.writes: dict[str, int] = {}
        self.state: dict[str, bool] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def write(self, uid: str) -> None:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self.gate.wait()
            await asyncio.sleep(0)  # let the others start: the semaphore must hold them
            self.writes[uid] = self.writes.get(uid, 0) + 1
            if uid in self.failing:
                raise Boom()
            self.state[uid] = True
        finally:
            self.in_flight -= 1


class FlagEdit(Edit):
    """Sets a flag on a fake server (one write per item)."""

    action = "fake.flag"
    title = "Flag"
    target_kind = "user"
    def check(self) -> dict[str, str]:
        return {"id": "bad id"} if self.current["id"] == "bad" else {}

    def plan(self) -> Plan:
        if self.current.get("flag"):
            return self.new_plan([])
        return self.new_plan([Change("flag", False, True)])

    async def apply(self, client: FakeServer) -> None:
        await client.write(self.current["id"])

    async def verify(self, client: FakeServer) -> list[str]:
        return [] if client.state.get(self.current["id"]) else ["flag not set"]


def edits(n: int, **extra: Any) -> list[FlagEdit]:
    return [FlagEdit({"id": f"u{i}", **extra}) for i in range(n)]


async def test_one_failure_neither_stops_nor_duplicates(tmp_path):
    server = FakeServer(failing={"u7", "u30"})
    journal = Journal(tmp_path / "j.jsonl")
    seen: list[int] = []
    result = await run_bulk(edits(50), server, journal, concurrency=5,
                            progress=lambda done, total, item: seen.append(done))
    assert server.writes == {f"u{i}": 1 for i in range(50)}  # each exactly once
    assert [r.status for r in result.items].count("ok") == 48
    assert {r.target.id for r in result.failed} == {"u7", "u30"}
    assert all(r.message == "500: internal error, retry later" for r in result.failed)
    assert seen == list(range(1, 51))
    lines = journal.entries()
    assert len(lines) == 50
    assert {e.target.id for e in lines if e.outcome == "failed"} == {"u7", "u30"}
    assert result.summary() == "48 ok, 2 failed"


async def test_concurrency_is_bounded():
    server = FakeServer()
    await run_bulk(edits(20), server, None, concurrency=3)
    assert server.max_in_flight == 3


async def test_retry_failed_reruns_only_failed(tmp_path):
    server = FakeServer(failing={"u2", "u4"})
    journal = Journal(tmp_path / "j.jsonl")
    first = await run_bulk(edits(6), server, journal)
    server.failing.clear()
    second = await run_bulk(first.failed_edits(), server, journal)
    assert [r.status for r in second.items] == ["ok", "ok"]
    assert server.writes == {"u0": 1, "u1": 1, "u2": 2, "u3": 1, "u4": 2, "u5": 1}
    assert len(journal.entries()) == 8


async def test_dry_run_sends_nothing_and_journals_nothing(tmp_path):
    server = FakeServer()
    journal = Journal(tmp_path / "j.jsonl")
    items = [*edits(3), FlagEdit({"id": "done", "flag": True})]
    result = await run_bulk(items, server, journal, dry_run=True)
    assert server.writes == {}
    assert journal.entries() == []
    assert [r.status for r in result.items] == [PLANNED] * 4
    assert result.items[0].message == "flag: no -> yes"
    assert result.items[3].message == "no change needed"


async def test_invalid_items_are_skipped_without_request(tmp_path):
    server = FakeServer()
    result = await run_bulk([FlagEdit({"id": "bad"}), *edits(2)], server, None)
    assert result.items[0].status == INVALID and "bad id" in result.items[0].message
    assert server.writes == {"u0": 1, "u1": 1}


async def test_noop_items_send_nothing_but_are_journaled(tmp_path):
    server = FakeServer()
    journal = Journal(tmp_path / "j.jsonl")
    result = await run_bulk([FlagEdit({"id": "u1", "flag": True})], server, journal)
    assert server.writes == {}
    assert result.items[0].status == "ok"
    assert journal.entries()[0].note == "nothing to change; no request sent"


async def test_cancel_leaves_unstarted_items_not_run(tmp_path):
    server = FakeServer()
    server.gate.clear()  # every write blocks until cancelled
    journal = Journal(tmp_path / "j.jsonl")
    task = asyncio.ensure_future(run_bulk(edits(6), server, journal, concurrency=2))
    while server.in_flight < 2:
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert server.writes == {}
    # The two in flight are journaled as uncertain (they may or may not have applied).
    entries = journal.entries()
    assert len(entries) == 2 and all(e.outcome == "uncertain" for e in entries)
    assert "may or may not" in entries[0].error["message"]


async def test_concurrency_must_be_positive():
    with pytest.raises(ValueError):
        await run_bulk([], FakeServer(), None, concurrency=0)


async def test_stop_lets_in_flight_finish_and_skips_the_rest(tmp_path):
    server = FakeServer()
    server.gate.clear()
    stop = asyncio.Event()
    journal = Journal(tmp_path / "j.jsonl")
    task = asyncio.ensure_future(run_bulk(edits(6), server, journal, concurrency=2, stop=stop))
    while server.in_flight < 2:
        await asyncio.sleep(0)
    stop.set()
    server.gate.set()
    result = await task
    assert [r.status for r in result.items] == ["ok", "ok"] + [NOT_RUN] * 4
    assert server.writes == {"u0": 1, "u1": 1}
    assert len(journal.entries()) == 2
    assert len(result.failed_edits()) == 4  # "retry failed" picks up the ones never run


# -- load_remaining: "mark all matching" needs every row first ------------------------------


async def test_load_remaining_random_list_fetches_only_missing_pages():
    from y360tui.data.bulk import load_remaining
    from y360tui.data.paged import Chunk, PagedList

    fetched: list[int] = []

    async def fetch(page: int) -> Chunk[str]:
        fetched.append(page)
        return Chunk([f"row{page * 10 + i}" for i in range(10) if page * 10 + i < 47],
                     total=47)

    data = PagedList.random(fetch, 10)
    await data.load_page(2)
    progress: list[int] = []
    await load_remaining(data, on_progress=lambda: progress.append(data.loaded_count))
    assert data.complete and data.loaded_count == 47
    assert sorted(fetched) == [0, 1, 2, 3, 4] and fetched.count(2) == 1
    assert len(progress) == 4 and progress[-1] == 47


async def test_load_remaining_sequential_list_follows_the_cursor():
    from y360tui.data.bulk import load_remaining
    from y360tui.data.paged import Chunk, PagedList

    async def fetch(cursor: Any) -> Chunk[str]:
        n = cursor or 0
        return Chunk([f"row{n}", f"row{n + 1}"], more=n < 6, cursor=n + 2)

    data = PagedList.sequential(fetch, 2)
    await load_remaining(data)
    assert data.complete and [r for _, r in data.rows()][-1] == "row7"
    assert data.loaded_count == 8


async def test_load_remaining_raises_the_first_failure():
    from y360tui.data.bulk import load_remaining
    from y360tui.data.paged import Chunk, PagedList

    async def fetch(page: int) -> Chunk[int]:
        if page == 3:
            raise RuntimeError("page 3 broke")
        return Chunk(list(range(page * 5, page * 5 + 5)), total=25)

    data = PagedList.random(fetch, 5)
    with pytest.raises(RuntimeError, match="page 3 broke"):
        await load_remaining(data)
    assert data.loaded_count == 20  # the others stay loaded
