"""Edits end to end in Pilot against a fresh in-process emulator org per test."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.widgets import Footer, Input, Static
from textual.widgets._footer import FooterKey

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.directory import DirectoryCache
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport
from y360tui.ui.app import Y360App
from y360tui.ui.forms.actions import EDIT_ACTIONS, EditCommands
from y360tui.ui.forms.ask import AskScreen
from y360tui.ui.forms.bulk_plan import BulkPlanScreen
from y360tui.ui.forms.bulk_result import BulkResultScreen
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.forms.form import EditForm
from y360tui.ui.forms.picker import PickerScreen

from .pilot import settle, until, wait_screen

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def build(tmp_path, *, token=None, read_only=False, scopes=None):
    org = generate_org(60, seed=3, now=NOW)
    if scopes is not None:
        org.tokens["limited"] = {"uid": org.admin_uid, "scopes": scopes}
        token = "limited"
    asgi = create_app(org)
    client = Y360Client(token or org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    app = Y360App(client, directory=DirectoryCache(client), org_name=org.name,
                  profile="demo", read_only=read_only)
    app.edit_journal = Journal(tmp_path / "journal.jsonl", profile="demo", org=str(org.id))
    return app, org, asgi.state.request_log


def cursor_user(app, org):
    return org.users[app.screen.table.cursor_item[0]]


async def test_block_from_users_view(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        user = cursor_user(app, org)
        assert user["isEnabled"] is True
        await pilot.press("b")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert [(c.field, c.before, c.after) for c in confirm.plan.changes] == [
            ("isEnabled", True, False)]
        await pilot.press("f2")
        await until(pilot, lambda: org.users[user["id"]]["isEnabled"] is False, "blocked")
        await settle(app, pilot)
        assert app.screen.table.cursor_item[5] == "blocked"  # the row refreshed in place
        entries = app.edit_journal.entries()
        assert [(e.action, e.outcome, e.target.id) for e in entries] == [
            ("user.block", "ok", user["id"])]


async def test_edit_fields_form_then_confirm(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        user = cursor_user(app, org)
        await pilot.press("e")
        form = await wait_screen(app, pilot, EditForm)
        form.query_one("#f-position", Input).value = "Chief tester"
        await pilot.press("f2")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert confirm.plan.after() == {"position": "Chief tester"}
        await pilot.press("f2")
        await until(pilot, lambda: org.users[user["id"]]["position"] == "Chief tester")
        await settle(app, pilot)
        assert app.screen.table.cursor_item[4] == "Chief tester"
        assert len(app.edit_journal.entries()) == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("birthday", "1990-02-30", "1990-02-30 is not a real date"),
    ("timezone", "Moscow", "unknown time zone 'Moscow'; e.g. Europe/Moscow"),
    ("language", "russian", "use a two-letter language code such as ru or en"),
    ("first", "", "required"),
])
async def test_invalid_form_sends_nothing(tmp_path, field, value, message):
    app, _org, log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        form = await wait_screen(app, pilot, EditForm)
        before = len(log)
        form.query_one(f"#f-{field}", Input).value = value
        await pilot.pause()
        assert form.query_one("#submit").disabled
        await pilot.press("f2")  # blocked: the form stays, the error shows next to the field
        await pilot.pause()
        assert app.screen is form
        error = form.query_one(f"#e-{field}", Static)
        assert error.display and str(error.render()) == message
        await pilot.press("escape")  # the form has changes: it asks before dropping them
        await wait_screen(app, pilot, AskScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert len(log) == before and log.writes() == []
        assert not app.edit_journal.path.exists()


async def test_auth_type_password_rules_in_form(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        user = cursor_user(app, org)
        org.auth_types[user["id"]] = "idp"
        await pilot.press("t")
        form = await wait_screen(app, pilot, EditForm)
        await pilot.press("f2")
        assert app.screen is form and "password is required" in str(
            form.query_one("#e-password", Static).render())
        form.query_one("#f-password", Input).value = "Sup3r-secret"
        form.query_one("#f-passwordConfirm", Input).value = "Sup3r-secret"
        await pilot.press("f2")
        await wait_screen(app, pilot, ConfirmScreen)
        await pilot.press("f2")
        await until(pilot, lambda: org.auth_types[user["id"]] == "portal")
        await settle(app, pilot)
        assert "Sup3r-secret" not in app.edit_journal.path.read_text()


async def test_api_error_403_shown_and_journaled(tmp_path):
    app, org, _log = build(tmp_path, scopes={"directory:read_users", "directory:read_groups",
                                            "directory:read_departments",
                                            "directory:read_organization"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        user = cursor_user(app, org)
        await pilot.press("b")
        await wait_screen(app, pilot, ConfirmScreen)
        await pilot.press("f2")
        await until(pilot, lambda: app.edit_journal.path.exists(), "journal written")
        await settle(app, pilot)
        [entry] = app.edit_journal.entries()
        assert entry.outcome == "failed" and entry.error["status"] == 403
        assert org.users[user["id"]]["isEnabled"] is True
        messages = [n.message for n in app._notifications]
        assert any(entry.error["message"] in m and m.startswith("403") for m in messages)


async def test_add_member_from_group_with_picker(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("1")  # users first, so the picker has users to search
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        while app.screen.table.cursor_item[2] != "generic":
            await pilot.press("down")
        gid = int(app.screen.table.cursor_item[0])
        outsider = next(u for u in org.users.values()
                        if gid not in u["groups"] and not u["isDismissed"]
                        and u["nickname"] in {r[1] for _, r in app.directory.users.rows()})
        await pilot.press("m")
        picker = await wait_screen(app, pilot, PickerScreen)
        await pilot.press(*outsider["nickname"])
        await until(pilot, lambda: picker.choices and picker.choices[0].id == outsider["id"])
        await pilot.press("enter")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert confirm.plan.changes[0].after == "member"
        await pilot.press("f2")
        await until(pilot, lambda: gid in org.users[outsider["id"]]["groups"], "joined")
        await settle(app, pilot)
        assert [e.action for e in app.edit_journal.entries()] == ["group.member-add"]


async def test_bulk_block_marked_rows_with_result_table(tmp_path):
    app, org, log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        uids = []
        for _ in range(3):
            uids.append(app.screen.table.cursor_item[0])
            await pilot.press("space")  # marks and moves down
        active = [u for u in uids if org.users[u]["isEnabled"]]
        await pilot.press("b")
        from y360tui.ui.forms.selection import BlockDirectionScreen

        await wait_screen(app, pilot, BlockDirectionScreen)  # several users: which way
        await pilot.press("b")
        plan = await wait_screen(app, pilot, BulkPlanScreen)
        assert len(plan.edits) == 3
        await pilot.press("f3")  # dry run first: nothing sent
        dry = await wait_screen(app, pilot, BulkResultScreen)
        assert dry.result.dry_run and log.writes() == []
        await pilot.press("f2")  # run for real
        await until(pilot, lambda: isinstance(app.screen, BulkResultScreen)
                    and not app.screen.result.dry_run, "results")
        result = app.screen.result
        assert result.summary() in ("3 ok",)
        assert all(org.users[u]["isEnabled"] is False for u in uids)
        assert len([w for w in log.writes() if w["method"] == "PATCH"]) == len(active)
        assert len(app.edit_journal.entries()) == 3
        await pilot.press("escape")
        await settle(app, pilot)


async def test_read_only_hides_every_edit(tmp_path):
    app, _org, log = build(tmp_path, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for key in ("e", "b", "a", "m", "M", "t", "o", "f", "c", "i", "I"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.__class__.__name__ == "UsersScreen", key
        # Hidden from the footer (so no mouse target either) and from the key map.
        active = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not active & EDIT_ACTIONS
        footer = app.screen.query_one(Footer)
        assert not any(getattr(item, "action", "") in EDIT_ACTIONS
                       for item in footer.query(FooterKey))
        await settle(app, pilot)
        assert log.writes() == []
        # The palette explains why instead of offering edits.
        provider = EditCommands(app.screen)
        entries = provider.entries()
        assert entries == [("Edits disabled",
                            "read-only mode (--read-only or the profile's setting): edits "
                            "are disabled", None)]
        # Direct calls (e.g. a mouse on a stale footer) are refused as well.
        await app.screen.run_action("block")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen) and log.writes() == []


async def test_journal_view_lists_filters_and_drills(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        user = cursor_user(app, org)
        await pilot.press("b")
        await wait_screen(app, pilot, ConfirmScreen)
        await pilot.press("f2")
        await until(pilot, lambda: app.edit_journal.path.exists(), "journal written")
        await settle(app, pilot)
        # A failed edit too, so the filter has something to tell apart.
        app.edit_journal.append_line(
            '{"time":"2026-01-02T00:00:00+00:00","action":"group.delete","target":'
            '{"kind":"group","id":"5","label":"Office news"},"outcome":"failed",'
            '"before":{},"after":{},"error":{"status":403,"message":"denied"}}')
        await pilot.press("8")
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "JournalScreen"
        assert screen.data.loaded_count == 2
        assert screen.table.cursor_item[1] == "group.delete"  # newest first
        await pilot.press("slash", *"user.block", "enter")
        await settle(app, pilot)
        assert screen.table.cursor_item[1] == "user.block"
        assert screen.table.cursor_item[5] == "isEnabled: yes -> no"  # as the admin reads it
        await pilot.press("enter")  # the entry
        await settle(app, pilot)
        assert type(app.screen).__name__ == "JournalEntryScreen"
        await pilot.press("o")  # then the edited user
        await settle(app, pilot)
        assert type(app.screen).__name__ == "UserDetailScreen"
        assert app.screen.ident == user["id"]
