"""Helpers that let a Pilot test wait for the app deterministically (no sleeps)."""

from __future__ import annotations

from typing import Any


async def settle(app: Any, pilot: Any) -> None:
    """Wait until every worker is done and the screen has handled what they posted."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Any, predicate: Any, what: str = "condition", turns: int = 3000) -> None:
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


def demo_app(org: Any, clock: Any) -> Any:
    """The app on ``org`` through the in-process emulator (no retries, 100-user pages), with
    ``clock`` as its notion of now and the emulator kept on ``app.emulator`` for its request log.
    """
    from y360tui.api.client import RetryPolicy, Y360Client
    from y360tui.data.demo import DEMO_BASE_URL
    from y360tui.data.directory import DirectoryCache
    from y360tui.emulator.app import create_app
    from y360tui.emulator.transport import EmulatorTransport
    from y360tui.ui.app import Y360App

    asgi = create_app(org)
    client = Y360Client(org.admin_token, org.id, base_url=DEMO_BASE_URL,
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    app = Y360App(client, directory=DirectoryCache(client, users_page_size=100),
                  org_name=org.name)
    app.clock = clock
    app.emulator = asgi
    return app
