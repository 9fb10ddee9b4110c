"""Run one kind of edit over a selection: bounded concurrency, dry run, per-item results.

Each item runs at most once per call: nothing here retries a write (the client retries only
idempotent requests itself). A failing item never stops the others. Every item that was run is
journaled by :func:`~y360tui.data.edits.base.execute`, exactly once. "Retry failed" is a new
call with :meth:`BulkResult.failed_edits`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .edits.base import Edit, Outcome, Plan, api_error, describe, execute
from .journal import Journal, Target
from .paged import PageState

DEFAULT_CONCURRENCY = 4

# Item statuses: the journal's outcomes (ok, failed, uncertain, verify-mismatch) plus
# "planned" (dry run) and "invalid"
# (validation refused the item, so nothing was sent) and "not run" (cancelled first).
PLANNED = "planned"
INVALID = "invalid"
NOT_RUN = "not run"


@dataclass
class ItemResult:
    """What happened to one item of a selection."""

    edit: Edit
    status: str
    message: str = ""
    plan: Plan | None = None
    error: dict[str, Any] | None = None

    @property
    def target(self) -> Target:
        return self.edit.target

    @property
    def ok(self) -> bool:
        return self.status in ("ok", PLANNED)


@dataclass
class BulkResult:
    """Per-item results in the selection's order."""

    items: list[ItemResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for r in self.items if r.status == status)

    @property
    def failed(self) -> list[ItemResult]:
        """Items worth retrying: failed, uncertain, not run, or applied but not verified."""
        return [r for r in self.items
                if r.status in ("failed", "uncertain", "verify-mismatch", NOT_RUN)]

    def failed_edits(self) -> list[Edit]:
        return [r.edit for r in self.failed]

    def summary(self) -> str:
        """E.g. ``48 ok, 2 failed`` (statuses with a zero count are left out)."""
        order = (PLANNED, "ok", "failed", "uncertain", "verify-mismatch", INVALID, NOT_RUN)
        return ", ".join(f"{self.count(s)} {s}" for s in order if self.count(s))


Progress = Callable[[int, int, ItemResult], None]


async def run_bulk(edits: Sequence[Edit], client: Any, journal: Journal | None, *,
                   concurrency: int = DEFAULT_CONCURRENCY, dry_run: bool = False,
                   progress: Progress | None = None,
                   stop: asyncio.Event | None = None) -> BulkResult:
    """Run every edit once with at most ``concurrency`` in flight.

    ``dry_run`` only validates and plans (no request at all, nothing journaled).
    ``progress(done, total, item)`` is called after each item, from the event loop.
    Setting ``stop`` lets the items in flight finish and leaves the rest "not run".
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    result = BulkResult([ItemResult(e, NOT_RUN) for e in edits], dry_run=dry_run)
    gate = asyncio.Semaphore(concurrency)
    done = 0

    async def run_one(index: int) -> None:
        nonlocal done
        async with gate:
            if stop is not None and stop.is_set():
                item = ItemResult(edits[index], NOT_RUN, "stopped before it started")
            else:
                item = await _run_item(edits[index], client, journal, dry_run)
        result.items[index] = item
        done += 1
        if progress is not None:
            progress(done, len(edits), item)

    tasks = [asyncio.ensure_future(run_one(i)) for i in range(len(edits))]
    try:
        await asyncio.gather(*tasks)
    except asyncio.CancelledError:
        # Stop what has not started; items never run keep the "not run" status.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return result


async def _run_item(edit: Edit, client: Any, journal: Journal | None,
                    dry_run: bool) -> ItemResult:
    errors = edit.validate()
    if errors:
        text = "; ".join(f"{k}: {v}" for k, v in errors.items())
        return ItemResult(edit, INVALID, text)
    try:
        plan = edit.plan()
    except Exception as exc:  # a plan reads only local data; a bug here must not stop others
        return ItemResult(edit, INVALID, f"cannot plan: {exc}")
    if dry_run:
        message = "no change needed" if plan.noop else _plan_text(plan)
        return ItemResult(edit, PLANNED, message, plan)
    try:
        outcome: Outcome = await execute(edit, client, journal, plan)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # execute journals API errors itself; this is the last guard
        error = api_error(exc)
        return ItemResult(edit, "failed", describe(error), plan, error)
    return ItemResult(edit, outcome.status, outcome.message, plan, outcome.error)


def _plan_text(plan: Plan) -> str:
    return "; ".join(str(change) for change in plan.changes)


async def load_remaining(data: Any, on_progress: Callable[[], Any] | None = None,
                         concurrency: int = DEFAULT_CONCURRENCY) -> None:
    """Fetch every page of a ``PagedList`` not loaded yet, so a selection over "everything
    matching" really covers everything. ``on_progress`` is called after each page.

    Random-access lists fetch their missing pages ``concurrency`` at a time; sequential
    (cursor) lists can only go one page after another. The first failure is raised once
    every page had its try; pages fetched stay loaded.
    """
    def progress() -> None:
        if on_progress is not None:
            on_progress()

    if data.is_sequential or data.total is None:
        # The first page tells a random-access list its size; a cursor list has no other way.
        while not data.complete and (data.is_sequential or data.total is None):
            await data.load_next()
            progress()
        if data.is_sequential:
            return
    gate = asyncio.Semaphore(concurrency)

    async def one(page: int) -> None:
        async with gate:
            await data.load_page(page)
            progress()

    missing = [p for p in range(data.page_count or 0) if data.state(p) is not PageState.LOADED]
    # Every page gets its try before the first error is raised (none is left running).
    results = await asyncio.gather(*(one(p) for p in missing), return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]
