"""Robustness: what a hurried admin does (keys faster than the screens, odd input) and what a
flaky server does (dropped connections, broken bodies) must never crash, freeze or mislead.

Keys typed faster than the app handles them are posted straight to the app's queue, as the
terminal driver does; ``pilot.press`` would wait for the app to go idle between keys.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Tree

from y360tui.emulator.faults import FaultConfig
from y360tui.ui.screens.departments import DepartmentsScreen
from y360tui.ui.screens.detail import DepartmentDetailScreen, UserDetailScreen
from y360tui.ui.screens.groups import GroupsScreen
from y360tui.ui.widgets.time_window import CustomWindowScreen

from .pilot import until, wait_screen


def type_fast(app, *keys: str) -> None:
    """Queue ``keys`` at once, like a terminal does when keys come faster than frames."""
    for key in keys:
        char = "\r" if key == "enter" else (key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def first_user_id(small_org) -> str:
    return next(iter(small_org.users))


# ------------------------------------------------------------------------ odd input


async def test_custom_window_too_far_back_is_refused_not_a_crash(make_app, settle):
    """``T`` then ``99999999d`` used to end the app with an OverflowError traceback."""
    app = make_app(start_view="audit-events")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("T")
        prompt = await wait_screen(app, pilot, CustomWindowScreen)
        await pilot.press(*"99999999d", "enter")
        await pilot.pause()
        assert app.screen is prompt  # still asking, with the reason
        assert "range" in str(prompt.query_one("#prompt-error").render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running


# ------------------------------------------------------------------------ flaky server


async def test_dropped_2fa_request_keeps_the_users_other_links(make_app, small_org, settle):
    """A dropped connection on one side lookup (2FA) is shown on its line, like a 500 is;
    it used to replace the whole links list (department, groups, activity) by one error."""
    faults = FaultConfig(rates={"drop": 1.0}, routes=("/2fa",), max_streak=10_000)
    app = make_app(faults=faults, start_view="groups")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_detail("user", first_user_id(small_org), "someone")
        detail = await wait_screen(app, pilot, UserDetailScreen)
        await settle(app, pilot)
        sections = {t.section for t in detail.targets}
        assert {"Department", "Groups", "Activity"} <= sections
        two_fa = next(t for t in detail.targets if t.key == "2fa")
        assert two_fa.note.startswith("unavailable (") and "server disconnected" in two_fa.note


async def test_r_retries_a_detail_as_its_network_error_says(make_app, small_org, settle):
    """The detail's error says 'press r to retry' (a transport failure): r must do it."""
    uid = first_user_id(small_org)
    faults = FaultConfig(rates={"drop": 1.0}, routes=(f"/users/{uid}",), max_streak=1)
    app = make_app(faults=faults, start_view="groups")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_detail("user", uid, "someone")
        detail = await wait_screen(app, pilot, UserDetailScreen)
        await settle(app, pilot)
        assert detail.obj is None
        assert any("press r to retry" in n for n in notifications(app))
        await pilot.press("r")
        await settle(app, pilot)
        assert detail.obj is not None and detail.obj.id == uid


# ------------------------------------------------------------------------ fast keys


async def test_double_enter_on_a_detail_link_opens_one_detail(make_app, small_org, settle):
    app = make_app(start_view="groups")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_detail("user", first_user_id(small_org), "someone")
        await wait_screen(app, pilot, UserDetailScreen)
        await settle(app, pilot)
        depth = len(app.screen_stack)
        type_fast(app, "enter", "enter")  # the first link is the user's department
        await settle(app, pilot)
        assert isinstance(app.screen, DepartmentDetailScreen)
        assert len(app.screen_stack) == depth + 1


async def test_double_enter_in_the_department_tree_opens_one_detail(make_app, settle):
    app = make_app(start_view="departments")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DepartmentsScreen)
        type_fast(app, "enter", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DepartmentDetailScreen)
        assert len(app.screen_stack) == 2


async def test_double_enter_on_a_list_row_opens_one_detail(make_app, settle):
    app = make_app(start_view="groups")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        type_fast(app, "enter", "enter")
        await settle(app, pilot)
        assert len(app.screen_stack) == 2


async def test_members_left_loading_load_again_when_the_view_is_back(make_app, settle):
    """Leaving Departments while a 'members' node loads every user cancels that load; back
    on the view, the node must not say 'loading' for ever with nothing under it."""
    faults = FaultConfig(rates={"hang": 1.0}, routes=("/users",), hang_seconds=3600,
                         max_streak=10_000)
    app = make_app(faults=faults, start_view="departments", users_page_size=100)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        tree = app.screen.query_one(Tree)
        node = next(n for n in tree.root.children[0].children if n.data[0] == "members")
        node.expand()
        await until(pilot, lambda: "loading" in str(node.label), "members loading")
        await pilot.press("3")
        await wait_screen(app, pilot, GroupsScreen)
        faults.rates.clear()  # the server answers again
        await pilot.press("2")
        await settle(app, pilot)
        assert "loading" not in str(node.label)
        assert node.children, "the members came"


# ------------------------------------------------------------------------ status and messages


async def test_network_error_notification_says_press_r_once(make_app, settle):
    faults = FaultConfig(rates={"drop": 1.0}, routes=("/groups",), max_streak=10_000)
    app = make_app(faults=faults, start_view="groups")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        texts = [n for n in notifications(app) if "server disconnected" in n]
        assert texts and all(t.count("press r to retry") == 1 for t in texts)


async def test_status_shows_loading_while_a_failed_page_is_retried(make_app, settle):
    faults = FaultConfig(rates={"500": 1.0}, routes=("/groups",), max_streak=10_000)
    app = make_app(faults=faults, start_view="groups")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.data.failed_pages()
        faults.rates = {"hang": 1.0}  # the retry stays in flight
        faults.hang_seconds = 3600
        await pilot.press("r")
        await until(pilot, lambda: screen.data.loading, "retry in flight")
        await pilot.pause()
        status = str(screen.query_one("#status").render())
        assert "loading" in status and "failed" not in status
        screen.cancel_loading()


async def test_an_unpublished_file_whose_owner_cannot_load_says_so(make_app, settle,
                                                                   small_org, monkeypatch):
    """A shared file opened after it was unpublished shows its owner; if loading the owner
    fails, the screen reports it instead of saying "loading…" for ever."""
    from textual.widgets import Static

    import y360tui.ui.screens.detail as detail
    from y360tui.api.errors import TransportError

    async def owner_unreachable(app, ident):
        raise TransportError("connection reset by the server")

    monkeypatch.setattr(detail, "unpublished_file", owner_unreachable)
    uid = first_user_id(small_org)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.open_detail("shared_file", f"{uid}:/no/such/file.txt", "file.txt")
        screen = await wait_screen(app, pilot, detail.SharedFileDetailScreen)
        await settle(app, pilot)
        fields = str(screen.query_one("#fields", Static).render())
        assert "loading" not in fields and "connection reset" in fields
        assert any("connection reset" in n for n in notifications(app))


@pytest.mark.parametrize(("view", "read_only", "marks"), [
    ("users", False, True), ("users", True, False), ("groups", True, False),
    ("mail-audit", False, False), ("tracker-users", False, False), ("journal", False, False),
])
async def test_rows_can_be_marked_only_where_a_bulk_edit_may_follow(
        make_app, settle, view, read_only, marks):
    app = make_app(start_view=view, read_only=read_only)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert app.current_mode == view
        table = app.screen.table
        await pilot.press("space")
        assert bool(table.marked) is marks
        await pilot.press("asterisk")
        await settle(app, pilot)
        assert (len(table.marked) > 1) is marks
        shown = {key for key, active in app.active_bindings.items() if active.enabled}
        assert ("asterisk" in shown) is marks and ("space" in shown) is marks
