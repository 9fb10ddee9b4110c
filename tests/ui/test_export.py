"""Getting data out of the TUI: export (Ctrl+S / E), copy (y, OSC 52), raw JSON (J)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re

import pytest

from y360tui.data.directory import U_ID, U_LOGIN, U_STATUS
from y360tui.ui.forms.data_out import CopyMenu, ExportForm, ExportProgress
from y360tui.ui.screens.detail import UserDetailScreen
from y360tui.ui.screens.raw_json import RawJsonScreen

from .pilot import until, wait_screen

OSC52 = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\a")


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def csv_rows(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


async def export_to(app, pilot, path, *, key="ctrl+s", fmt=None) -> None:
    """Open the export form, write ``path`` into it (and pick ``fmt``), run it to the end."""
    await pilot.press(key)
    form = await wait_screen(app, pilot, ExportForm)
    if fmt == "json":
        await pilot.click("#json")
    form.query_one("#export-path").value = str(path)
    form.query_one("#export-path").focus()
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(app.screen, (ExportForm, ExportProgress)),
                "export finished")
    await app.workers.wait_for_complete()


async def users_on_screen(app, pilot, settle) -> None:
    await settle(app, pilot)
    await until(pilot, lambda: app.directory.users.complete, "every user loaded")


async def test_export_of_a_filtered_sorted_view_writes_every_matching_row(
        make_app, small_org, settle, tmp_path):
    app = make_app(users_page_size=50, sync=False)  # pages load only for the export
    target = tmp_path / "blocked.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert not app.directory.users.complete
        await pilot.press("slash", *"status:blocked", "enter", "s")
        await settle(app, pilot)
        await export_to(app, pilot, target)
        rows = csv_rows(target)
        blocked = [r for _, r in app.directory.users.rows() if r[U_STATUS] == "blocked"]
        assert rows and {r["status"] for r in rows} == {"blocked"}
        assert len(rows) == len(blocked)
        assert [r["login"] for r in rows] == sorted((r["login"] for r in rows), key=str.casefold)
        assert list(rows[0])[:3] == ["id", "login", "email"]
        assert f"{len(rows):,} rows of Users as CSV to {target}" in messages(app)
        assert app.directory.users.complete  # every page was loaded first


async def test_export_of_marked_rows_as_json(make_app, settle, tmp_path):
    app = make_app()
    target = tmp_path / "two.json"
    async with app.run_test(size=(120, 40)) as pilot:
        await users_on_screen(app, pilot, settle)
        screen = app.screen
        first = screen.table.cursor_item
        await pilot.press("space", "space")  # marks two rows (space moves down)
        second = screen.data.row(sorted(screen.table.marked)[1])
        await export_to(app, pilot, target, key="E", fmt="json")
        records = json.loads(target.read_text(encoding="utf-8"))
        assert [r["id"] for r in records] == [first[U_ID], second[U_ID]]


async def test_unwritable_path_is_a_message_not_a_crash(make_app, settle, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await export_to(app, pilot, tmp_path / "missing-dir" / "users.csv")
        assert any(m.startswith("cannot write") and "No such file or directory" in m
                   for m in messages(app))
        assert app.is_running and app.screen.crumb == "Users"


async def test_unwritable_path_is_refused_before_loading(make_app, settle, tmp_path,
                                                          monkeypatch):
    from y360tui.ui.forms import data_out

    async def loading(*args, **kwargs):
        raise AssertionError("loaded every page for an unwritable path")

    monkeypatch.setattr(data_out, "complete", loading)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await export_to(app, pilot, tmp_path / "missing-dir" / "users.csv")
        assert any(m.startswith("cannot write") and "No such file or directory" in m
                   for m in messages(app))


async def test_export_progress_can_be_cancelled(make_app, settle, tmp_path, monkeypatch):
    import asyncio

    from y360tui.ui.forms import data_out

    async def never(*args, **kwargs):  # a list that takes forever to load
        await asyncio.Event().wait()

    monkeypatch.setattr(data_out, "complete", never)
    app = make_app(users_page_size=20, sync=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("E")
        form = await wait_screen(app, pilot, ExportForm)
        form.query_one("#export-path").value = str(tmp_path / "never.csv")
        await pilot.press("enter")
        await wait_screen(app, pilot, ExportProgress)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ExportProgress), "closed")
        assert not (tmp_path / "never.csv").exists()
        assert any("export cancelled" in m for m in messages(app))


async def test_audit_view_exports_every_page_of_its_window(make_app, small_org, settle,
                                                           tmp_path):
    from datetime import datetime

    app = make_app()
    now = datetime.fromisoformat(small_org.now.replace("Z", "+00:00"))
    app.clock = lambda: now
    target = tmp_path / "events.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        screen = app.screen
        await export_to(app, pilot, target)
        rows = csv_rows(target)
        assert screen.data.complete and len(rows) == screen.data.loaded_count
        assert list(rows[0])[:4] == ["time", "type", "status", "service"]


# ------------------------------------------------------------------------------- copy


def clipboard_writes(app, monkeypatch) -> list[str]:
    """What the app writes to the terminal as OSC 52, decoded."""
    written: list[str] = []
    original = app._driver.write

    def write(data: str) -> None:
        written.extend(base64.b64decode(m).decode() for m in OSC52.findall(data))
        original(data)

    monkeypatch.setattr(app._driver, "write", write)
    return written


async def test_copy_menu_copies_id_and_row_with_osc52(make_app, settle, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await users_on_screen(app, pilot, settle)
        copied = clipboard_writes(app, monkeypatch)
        row = app.screen.table.cursor_item
        await pilot.press("y")
        menu = await wait_screen(app, pilot, CopyMenu)
        assert [what for what, _ in menu.choices][:3] == ["Id", "Login", "Email"]
        await pilot.press("y")  # yy: the first line, the id
        await until(pilot, lambda: copied, "OSC 52 written")
        assert copied == [row[U_ID]]
        assert f"Id: {row[U_ID]}" in messages(app)
        await pilot.press("y")
        menu = await wait_screen(app, pilot, CopyMenu)
        rows_at = [what for what, _ in menu.choices].index("Row (tab-separated)")
        await pilot.press(*["down"] * rows_at, "enter")
        await until(pilot, lambda: len(copied) == 2, "second copy")
        assert copied[1].split("\t")[:2] == [row[U_LOGIN], app.screen.cells(row)[1]]
        assert copied[1].split("\t")[3] == row[U_STATUS]


async def test_copy_in_a_detail_offers_every_field(make_app, settle, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await users_on_screen(app, pilot, settle)
        row = app.screen.table.cursor_item
        await pilot.press("enter")
        detail = await wait_screen(app, pilot, UserDetailScreen)
        await settle(app, pilot)
        copied = clipboard_writes(app, monkeypatch)
        await pilot.press("y")
        menu = await wait_screen(app, pilot, CopyMenu)
        whats = [what for what, _ in menu.choices]
        assert whats[0] == "Id" and whats[-1] == "JSON"
        at = next(i for i, (_, text) in enumerate(menu.choices) if text == row[U_LOGIN])
        await pilot.press(*["down"] * at, "enter")
        await until(pilot, lambda: copied, "copied")
        assert copied == [row[U_LOGIN]]
        assert app.screen is detail


# --------------------------------------------------------------------------- raw JSON


async def test_raw_json_of_a_user_row_reads_the_full_object(make_app, settle, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await users_on_screen(app, pilot, settle)
        row = app.screen.table.cursor_item
        await pilot.press("J")
        screen = await wait_screen(app, pilot, RawJsonScreen)
        await settle(app, pilot)
        data = json.loads(screen.text)
        assert data["id"] == row[U_ID] and data["nickname"] == row[U_LOGIN]
        assert "departmentId" in data and "isEnabled" in data  # the wire's names
        copied = clipboard_writes(app, monkeypatch)
        await pilot.press("y")
        await until(pilot, lambda: copied, "copied")
        assert json.loads(copied[0]) == data
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, RawJsonScreen), "back")


@pytest.mark.parametrize(("keys", "key_field"), [
    (("enter",), "nickname"),  # a user detail
    (("4",), "eventType"),  # a mail event row (a model: no request)
    (("7",), "login"),  # a Tracker user row
])
async def test_raw_json_from_details_and_model_rows(make_app, small_org, settle, keys,
                                                    key_field):
    from datetime import datetime

    app = make_app()
    now = datetime.fromisoformat(small_org.now.replace("Z", "+00:00"))
    app.clock = lambda: now
    async with app.run_test(size=(120, 40)) as pilot:
        await users_on_screen(app, pilot, settle)
        await pilot.press(*keys)
        await settle(app, pilot)
        await pilot.press("J")
        screen = await wait_screen(app, pilot, RawJsonScreen)
        await settle(app, pilot)
        assert key_field in json.loads(screen.text)


async def test_palette_offers_export_copy_and_json(make_app, settle):
    from y360tui.ui.dataout import DataOutCommands

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        provider = DataOutCommands(app.screen)
        texts = [text for text, _, _ in provider.entries()]
        assert texts == ["Export this view to CSV or JSON…", "Copy to the clipboard…",
                         "Raw JSON of the object"]


async def test_a_json_path_typed_in_the_form_writes_json(make_app, settle, tmp_path):
    """The path's extension picks the format, as ``--output`` does headless (typing
    ``users.json`` with CSV still selected used to write CSV into it)."""
    app = make_app()
    target = tmp_path / "users.json"
    async with app.run_test(size=(120, 40)) as pilot:
        await users_on_screen(app, pilot, settle)
        await pilot.press("slash", *"status:blocked", "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        form = await wait_screen(app, pilot, ExportForm)
        form.query_one("#export-path").value = str(target)
        await pilot.pause()
        assert form.query_one("#json").value and not form.query_one("#csv").value
        form.query_one("#export-path").focus()
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, (ExportForm, ExportProgress)),
                    "export finished")
        await app.workers.wait_for_complete()
        records = json.loads(target.read_text(encoding="utf-8"))
        assert records and {r["status"] for r in records} == {"blocked"}


async def test_shared_files_export_reads_the_access_of_rows_never_shown(
        make_app, settle, tmp_path):
    """The view reads access settings for the rows on screen only; an export writes every
    row's access, read first (issue 12: "fetch public settings only for resources that are
    shown or asked for")."""
    from y360tui.ui.screens.shared_files import SharedFilesScreen

    app = make_app(start_view="shared-files", sync=False)
    target = tmp_path / "files.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_screen(app, pilot, SharedFilesScreen)
        await until(pilot, lambda: screen.inventory.complete and screen.data.complete,
                    "inventory complete", turns=5000)
        await settle(app, pilot)
        published = [r for _, r in screen.data.rows() if r.resource.public_hash]
        assert any(r.settings is None for r in published)  # not all were on screen
        await export_to(app, pilot, target)
        rows = csv_rows(target)
        assert len(rows) == screen.data.loaded_count
        access = next(name for name in rows[0] if name.lower().startswith("access"))
        assert all(r[access] != "…" for r in rows)


async def test_quitting_closes_the_shared_files_scan_client(make_app, settle):
    """The inventory's scan runs on a client of its own (no 429 retries): it is closed when
    the app ends, not left with open connections."""
    from y360tui.ui.screens.shared_files import SharedFilesScreen

    app = make_app(start_view="shared-files", sync=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_screen(app, pilot, SharedFilesScreen)
        await settle(app, pilot)
        scan_client = screen.inventory.scan_client
    assert scan_client._closed
