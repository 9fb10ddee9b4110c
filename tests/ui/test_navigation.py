"""Pilot tests of the shell: views by key, drill-down and back, breadcrumb, help, palette,
API errors as notifications, the no-token screen."""

from __future__ import annotations

import pytest
from textual.app import ComposeResult
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import Static

from y360tui.emulator.faults import FaultConfig
from y360tui.ui import registry
from y360tui.ui.app import Y360App
from y360tui.ui.screens.departments import DepartmentsScreen
from y360tui.ui.screens.groups import GroupsScreen
from y360tui.ui.screens.help import HelpScreen
from y360tui.ui.screens.no_token import NoTokenScreen
from y360tui.ui.screens.users import UsersScreen
from y360tui.ui.widgets.breadcrumb import Breadcrumb


class ProbeDetail(Screen):
    """A stand-in detail screen, so these tests do not depend on the real detail screens."""

    def __init__(self, ident: str, label: str = "") -> None:
        super().__init__()
        self.ident = ident
        self.crumb = label or ident

    def compose(self) -> ComposeResult:
        yield Breadcrumb(id="breadcrumb")
        yield Static(f"detail of {self.ident}")


@pytest.fixture
def probe_details(monkeypatch):
    for kind in ("user", "group", "department"):
        monkeypatch.setitem(registry.DETAILS, kind, ProbeDetail)


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_number_keys_switch_views_and_keep_their_state(make_app, settle, table_lines):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("down", "down", "down")
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, GroupsScreen)
        assert table_lines(app.screen)[0].startswith("Name")
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, DepartmentsScreen)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen) and app.screen.table.cursor == 3


async def test_drill_down_and_back_restores_cursor_filter_and_breadcrumb(
        make_app, probe_details, settle):
    app = make_app(users_page_size=300)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        users = app.screen
        await pilot.press("slash", "a", "enter", "down", "down")
        await pilot.pause()
        cursor, row = users.table.cursor, users.table.cursor_item
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, ProbeDetail) and detail.ident == row[0]
        crumb = str(detail.query_one(Breadcrumb).render())
        assert crumb == f"Users › {row[1]}"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is users
        assert users.table.cursor == cursor and users.table.cursor_item == row
        assert users.data.query == "a"
        assert str(users.query_one(Breadcrumb).render()) == "Users"


async def test_groups_breadcrumb_path_and_backspace(make_app, probe_details, settle):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        group = app.screen.table.cursor_item
        await pilot.press("enter")
        await pilot.pause()
        app.open_detail("user", "1", "ivan.petrov")
        await pilot.pause()
        assert str(app.screen.query_one(Breadcrumb).render()) == \
            f"Groups › {group[1]} › ivan.petrov"
        await pilot.press("backspace")
        await pilot.pause()
        assert app.screen.ident == group[0]
        # The number key of the current view goes back to its top.
        app.open_detail("user", "1", "ivan.petrov")
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, GroupsScreen)


async def test_help_lists_bindings(make_app, settle):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for expected in ("Filter", "Sort", "Open", "Users", "Groups", "Departments", "ctrl+p"):
            assert expected in text
        await pilot.press("escape")
        assert isinstance(app.screen, UsersScreen)


async def test_palette_finds_a_loaded_user_and_opens_it(make_app, probe_details, small_org, settle):
    app = make_app(users_page_size=300)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        row = app.directory.users.row(42)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*row[1])
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProbeDetail) and app.screen.ident == row[0]


async def test_palette_jumps_to_a_view(make_app, settle):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"view: groups")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GroupsScreen)


async def test_api_error_is_a_notification_and_retry_recovers(make_app, settle, table_lines):
    faults = FaultConfig(rates={"500": 1.0}, routes=("/groups",), max_streak=10_000)
    app = make_app(faults=faults)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        assert any("Could not" in n or "500" in n for n in notifications(app))
        assert "failed" in str(app.screen.query_one("#status").render())
        assert "press r to retry" in "\n".join(table_lines(app.screen))
        # The app keeps working: other views load.
        await pilot.press("1")
        await settle(app, pilot)
        assert app.screen.data.loaded_count > 0
        await pilot.press("3")
        faults.rates.clear()
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen.data.loaded_count == app.screen.data.total > 0


async def test_missing_scope_is_named_in_the_notification(make_app, small_org, settle):
    small_org.tokens["users-only"] = {"uid": small_org.admin_uid,
                                      "scopes": {"directory:read_users"}}
    try:
        app = make_app(token="users-only")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("3")
            await settle(app, pilot)
            assert any("directory:read_groups" in n for n in notifications(app))
    finally:
        del small_org.tokens["users-only"]


async def test_rejected_token_shows_what_to_set(make_app, settle):
    app = make_app(token="not-a-token")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, NoTokenScreen)
        text = str(app.screen.query_one("#no-token-text").render())
        assert "Y360_TOKEN" in text and "401" in text


async def test_no_credentials_shows_what_to_set():
    app = Y360App(None, problem="no token: set Y360_TOKEN and Y360_ORG_ID")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoTokenScreen)
        await pilot.press("1")  # no views without a client: nothing happens
        assert isinstance(app.screen, NoTokenScreen)
        await pilot.press("q")
    assert app.return_code == 0
