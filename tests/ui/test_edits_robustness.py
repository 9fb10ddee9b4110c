"""Robustness of the edit flows: odd input, fast repeated keys, failures that must be reported."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, Static

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.directory import DirectoryCache
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.faults import FaultConfig
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport
from y360tui.ui.app import Y360App
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.forms.form import EditForm

from .pilot import settle, until, wait_screen
from .test_edits import NOW, build, cursor_user


async def test_non_ascii_digit_department_id_is_refused_not_a_crash(tmp_path):
    """The department is picked by name; an odd id reaching it anyway is refused."""
    app, _org, log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        form = await wait_screen(app, pilot, EditForm)
        sent = len(log)
        form.query_one("#f-departmentId").value = "²"
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is form
        assert "whole number" in str(form.query_one("#e-departmentId", Static).render())
        assert len(log) == sent


async def test_f2_twice_on_confirm_applies_once(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        user = cursor_user(app, org)
        await pilot.press("b")
        await wait_screen(app, pilot, ConfirmScreen)
        await pilot.press("f2", "f2")
        await settle(app, pilot)
        assert org.users[user["id"]]["isEnabled"] is False
        assert len(app.edit_journal.entries()) == 1


async def test_f2_twice_on_form_opens_one_confirmation(tmp_path, monkeypatch):
    # F2 submits the form and applies a confirmation: a second F2 that reaches the
    # confirmation before it was on screen for ARM_SECONDS is refused (with a bell).
    monkeypatch.setattr(ConfirmScreen, "ARM_SECONDS", 60.0)
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        user = cursor_user(app, org)
        await pilot.press("e")
        form = await wait_screen(app, pilot, EditForm)
        form.query_one("#f-position", Input).value = "Tester"
        await pilot.press("f2", "f2")
        confirm = await wait_screen(app, pilot, ConfirmScreen)  # no settle: the edit waits
        for _ in range(5):
            await pilot.pause()
        assert app.screen is confirm and len(app.screen_stack) == 2
        assert org.users[user["id"]]["position"] != "Tester"
        confirm._armed_at = 0.0  # the admin has had time to read it
        await pilot.press("f2")
        await until(pilot, lambda: org.users[user["id"]]["position"] == "Tester", "applied")


async def test_journal_write_failure_is_reported_not_dropped(tmp_path):
    app, org, _log = build(tmp_path)
    (tmp_path / "blocker").write_text("a file where the journal's folder should be")
    app.edit_journal = Journal(tmp_path / "blocker" / "journal.jsonl", profile="demo")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        user = cursor_user(app, org)
        await pilot.press("b")
        await wait_screen(app, pilot, ConfirmScreen)
        await pilot.press("f2")
        await settle(app, pilot)
        assert org.users[user["id"]]["isEnabled"] is False
        texts = [n.message for n in app._notifications]
        assert any("journal" in t for t in texts), texts


def gated_app(tmp_path):
    """The app of :func:`build` with a latency that holds every request until ``gate`` is set
    (off until the test sets ``faults.latency_ms``)."""
    gate = asyncio.Event()

    async def held(_seconds: float) -> None:
        await gate.wait()

    faults = FaultConfig(sleep=held)
    org = generate_org(60, seed=3, now=NOW)
    asgi = create_app(org, faults=faults)
    client = Y360Client(org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    app = Y360App(client, directory=DirectoryCache(client), org_name=org.name, profile="demo")
    app.edit_journal = Journal(tmp_path / "journal.jsonl", profile="demo", org=str(org.id))
    return app, org, faults, gate


async def test_edit_key_twice_while_loading_opens_one_confirmation(tmp_path):
    app, _org, faults, gate = gated_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        faults.latency_ms = 100  # the edit's fresh read of the user now waits for the gate
        await pilot.press("b", "b")
        gate.set()
        await wait_screen(app, pilot, ConfirmScreen)
        for _ in range(20):  # let a second flow, if one started, reach its confirmation
            await pilot.pause()
        assert sum(isinstance(s, ConfirmScreen) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen), "closed")
        await pilot.press("b")  # a cancelled flow does not block the next one
        await wait_screen(app, pilot, ConfirmScreen)


@pytest.mark.parametrize("alias", ["\u212aelvin", "\u017fasha"])  # Kelvin sign K, long s
def test_alias_with_a_letter_that_only_folds_to_latin_is_refused(alias):
    from y360tui.data.edits.users import AddAlias

    edit = AddAlias({"id": "1130000000000001", "nickname": "x", "aliases": []},
                    {"alias": alias})
    assert "Latin letters" in edit.validate().get("alias", "")
