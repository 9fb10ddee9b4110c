"""On screen as in the journal (issue 9 §1): an edit whose reply was lost says "verified after
an ambiguous reply" when the read-back shows it applied, and "may or may not have applied"
when it cannot be read back — never "failed"."""

from __future__ import annotations

from datetime import datetime, timezone

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.directory import DirectoryCache
from y360tui.data.edits import SetEnabled, SignOut
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.faults import FaultConfig
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport
from y360tui.ui.app import Y360App
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.forms.flow import start_edit

from .pilot import settle, until, wait_screen

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


async def _no_wait(seconds: float) -> None:
    return None


def build(tmp_path, faults: FaultConfig):
    org = generate_org(40, seed=3, now=NOW)
    asgi = create_app(org, faults=faults)
    client = Y360Client(org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=1),
                        sleep=_no_wait)
    app = Y360App(client, directory=DirectoryCache(client), org_name=org.name, profile="demo")
    app.edit_journal = Journal(tmp_path / "journal.jsonl", profile="demo", org=str(org.id))
    return app, org


def a_user(org) -> dict:
    return next(v for u, v in org.users.items() if not v["isDismissed"] and not v["isRobot"]
                and not v["isAdmin"] and u != org.admin_uid)


async def run_one(app, pilot, edit) -> str:
    start_edit(app.screen, edit, form=False)
    await wait_screen(app, pilot, ConfirmScreen)
    await pilot.pause(0.5)  # F2 applies from 0.4 s after the confirmation appears
    await pilot.press("f2")
    await until(pilot, lambda: app.edit_journal.path.exists(), "journal written")
    await settle(app, pilot)
    return app._notifications


async def test_lost_reply_of_an_applied_edit_says_verified(tmp_path):
    faults = FaultConfig(rates={"drop": 1.0}, methods=("PATCH",), routes=("/users/",))
    app, org = build(tmp_path, faults)
    user = a_user(org)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        notes = await run_one(app, pilot, SetEnabled(user, {"value": False}))
        assert org.users[user["id"]]["isEnabled"] is False
        texts = [n.message for n in notes]
        assert any(t.startswith("done; verified after an ambiguous reply") for t in texts), texts
        assert [n.severity for n in notes if "ambiguous" in n.message] == ["information"]
        [entry] = app.edit_journal.entries()
        assert entry.outcome == "ok"
        await pilot.press("8")
        await settle(app, pilot)
        row = app.screen.table.cursor_item
        assert app.screen.cells(row)[3] == "ok"
        assert "verified after an ambiguous reply" in app.screen.cells(row)[4]


async def test_lost_reply_of_an_unverifiable_edit_says_uncertain(tmp_path):
    faults = FaultConfig(rates={"drop": 1.0}, methods=("PUT",), routes=("/logout",),
                         max_streak=99)
    app, org = build(tmp_path, faults)
    user = a_user(org)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        notes = await run_one(app, pilot, SignOut(user))
        [note] = [n for n in notes if "may or may not" in n.message]
        assert note.severity == "warning" and "failed" not in note.message
        assert app.edit_journal.entries()[0].outcome == "uncertain"
