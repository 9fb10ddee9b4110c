"""Helpers that let a Pilot test wait for the app deterministically (no sleeps)."""

from __future__ import annotations

from typing import Any


async def settle(app: Any, pilot: Any) -> None:
    """Wait until every worker is done and the screen has handled what they posted."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Any, predicate: Any, what: str = "condition", turns: int = 300) -> None:
    """Let the app run until ``predicate()`` holds (bounded number of turns, no sleeps)."""
    for _ in range(turns):
        if predicate():
            return
        await pilot.pause()
    raise AssertionError(f"never reached: {what}")


async def wait_screen(app: Any, pilot: Any, cls: type) -> Any:
    """Run until ``cls`` is the active screen, and return it."""
    await until(pilot, lambda: isinstance(app.screen, cls), cls.__name__)
    await pilot.pause()
    return app.screen
