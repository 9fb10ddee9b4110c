"""The Journal view shows this org and profile's entries; ``a`` shows every org and profile's,
with an Org/Profile column (issue 9 §2)."""

from __future__ import annotations

from datetime import datetime, timezone

from y360tui.data.journal import JournalEntry, Target, open_journal
from y360tui.emulator.generate import generate_org

from .pilot import demo_app, settle

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def entry(action: str, outcome: str = "ok", note: str = "") -> JournalEntry:
    return JournalEntry(action=action, target=Target("user", "1130000000000001", "ivan"),
                        outcome=outcome, note=note, after={"isEnabled": False},
                        before={"isEnabled": True})


async def test_journal_view_is_per_org_and_a_shows_all(tmp_path):
    org = generate_org(30, seed=3, now=NOW)
    app = demo_app(org, lambda: NOW)
    app.profile = "acme"
    here = open_journal(f"{tmp_path}/j/", profile="acme", org=org.id)
    open_journal(f"{tmp_path}/j/", profile="beta", org=999).record(entry("group.delete"))
    here.record(entry("user.block"))
    here.record(entry("user.unblock", "uncertain", "may or may not have applied (network "
                      "error: RemoteProtocolError); reading it back failed: no answer"))
    app.edit_journal = here
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("8")
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "JournalScreen"
        assert screen.data.loaded_count == 2
        assert [c.label for c in screen.table.columns][:2] == ["Time", "Action"]
        row = screen.table.cursor_item
        assert screen.cells(row)[3] == "uncertain"
        assert "may or may not have applied" in screen.cells(row)[4]
        assert f"acme@{org.id}" in screen.status_text()
        await pilot.press("a")
        await settle(app, pilot)
        assert screen.data.loaded_count == 3
        assert [c.label for c in screen.table.columns][:2] == ["Time", "Org/Profile"]
        shown = {screen.cells(r)[1] for _, r in screen.data.rows()}
        assert shown == {f"acme@{org.id}", "beta@999"}
        assert "all orgs and profiles" in screen.status_text()
        assert "Org/Profile" in screen.table.render_line(0).text  # the header redrawn
        # another org's entry does not open this org's object
        while screen.cells(screen.table.cursor_item)[1] != "beta@999":
            await pilot.press("down")
        await pilot.press("o")  # o opens the edited object (Enter opens the entry)
        await settle(app, pilot)
        assert app.screen is screen
        await pilot.press("a")
        await settle(app, pilot)
        assert screen.data.loaded_count == 2
        assert [c.label for c in screen.table.columns][:2] == ["Time", "Action"]
