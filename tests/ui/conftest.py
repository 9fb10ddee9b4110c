"""Fixtures for the UI tests: a small fixed organisation and an app factory that reaches it
in-process (no sockets), with a fixed clock and zero latency so runs are reproducible."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.demo import DEMO_BASE_URL
from y360tui.data.directory import DirectoryCache
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.state import Org
from y360tui.emulator.transport import EmulatorTransport
from y360tui.ui.app import Y360App

from .pilot import settle

FIXED_NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def small_org() -> Org:
    """300 users, seed 7, a fixed 'now'. Tests must not write to it (it is shared)."""
    return generate_org(users=300, seed=7, now=FIXED_NOW)


AppFactory = Callable[..., Y360App]


@pytest.fixture
def make_app(small_org: Org) -> AppFactory:
    """``make_app(users_page_size=…, faults=…, token=…, **app_options)`` -> a Y360App whose
    client reaches the emulator in-process. Retries are off so an injected fault surfaces."""

    def factory(*, users_page_size: int = 100, groups_page_size: int = 100,
                faults: Any = None, token: str | None = None, **options: Any) -> Y360App:
        asgi = create_app(small_org, faults=faults)
        client = Y360Client(token or small_org.admin_token, small_org.id,
                            base_url=DEMO_BASE_URL, transport=EmulatorTransport(asgi),
                            retry=RetryPolicy(retries=0))
        cache = DirectoryCache(client, users_page_size=users_page_size,
                               groups_page_size=groups_page_size)
        options.setdefault("org_name", small_org.name)
        options.setdefault("profile", "demo")
        app = Y360App(client, directory=cache, **options)
        app.emulator = asgi  # type: ignore[attr-defined]  # request log for assertions
        return app

    return factory


def table_lines(screen: Any, count: int | None = None) -> list[str]:
    """The text of the table's lines on screen (header first)."""
    table = screen.table
    height = count or table.scrollable_content_region.height
    return [table.render_line(y).text.rstrip() for y in range(height)]


@pytest.fixture(name="settle")
def settle_fixture() -> Callable[..., Any]:
    """``await settle(app, pilot)``: ``pilot.settle`` as a fixture."""
    return settle


@pytest.fixture(name="table_lines")
def table_lines_fixture() -> Callable[..., list[str]]:
    """``table_lines(screen)``: the ``table_lines`` helper as a fixture."""
    return table_lines


@pytest.fixture(autouse=True)
def confirm_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Confirmations accept F2 at once in tests (the app waits ``ARM_SECONDS`` after showing
    one; ``test_f2_twice_on_form_opens_one_confirmation`` tests that delay)."""
    from y360tui.ui.forms.confirm import ConfirmScreen

    monkeypatch.setattr(ConfirmScreen, "ARM_SECONDS", 0.0)
