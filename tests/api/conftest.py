"""Fixtures: a generated organisation served in-process by the emulator, and a client on it."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from y360tui.api import Y360Client
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.state import Org

from .mock import Recorder

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def org() -> Org:
    """A fresh 60-employee org (writes in one test never leak into another)."""
    return generate_org(60, seed=7, now=NOW)


@pytest.fixture
def app(org):
    """The emulator's ASGI app for ``org`` (``app.state.request_log`` lists what it received)."""
    return create_app(org)


@pytest.fixture
def sleeps() -> Recorder:
    """The client's sleep between retries: recorded, never waited."""
    return Recorder()


@pytest.fixture
async def client(org, app, sleeps):
    """An admin client on the emulator, no sockets."""
    async with Y360Client(token=org.admin_token, org_id=org.id, sleep=sleeps,
                          transport=httpx.ASGITransport(app)) as client:
        yield client


def token_for(org: Org, kind: str) -> str:
    """The generator's extra tokens: ``ro`` (read scopes only) or ``user`` (no scopes)."""
    return next(t for t in org.tokens if t.startswith(f"y0_demo_{kind}_"))
