"""Edits from detail screens and the Shared files view, mark-all-matching bulk, and read-only
by profile: end to end in Pilot against a fresh in-process emulator org per test."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone

from textual.widgets import Footer, Input, OptionList
from textual.widgets._footer import FooterKey

import y360tui.api.client as api_client
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
from y360tui.ui.run import build_app
from y360tui.ui.screens.detail import (
    DepartmentDetailScreen,
    GroupDetailScreen,
    SharedFileDetailScreen,
    UserDetailScreen,
)

from .pilot import settle, until, wait_screen

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def build(tmp_path, *, read_only=False, users_page_size=100, org=None, sync=True):
    org = org or generate_org(60, seed=3, now=NOW)
    asgi = create_app(org)
    client = Y360Client(org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    app = Y360App(client, directory=DirectoryCache(client, users_page_size=users_page_size),
                  org_name=org.name, profile="demo", read_only=read_only, sync=sync)
    app.edit_journal = Journal(tmp_path / "journal.jsonl", profile="demo", org=str(org.id))
    return app, org, asgi.state.request_log


async def confirm(app, pilot):
    """Confirm the plan on screen; returns it."""
    screen = await wait_screen(app, pilot, ConfirmScreen)
    await pilot.press("f2")
    return screen.plan


def journal(app):
    """(action, outcome) of each journal line, oldest first."""
    return [(e.action, e.outcome) for e in reversed(app.edit_journal.entries())]


def highlight(screen, match):
    """Put the links list's cursor on the first target ``match(target)`` accepts."""
    links = screen.query_one("#links", OptionList)
    option_id = next(k for k, t in screen._option_targets.items() if match(t))
    links.highlighted = links.get_option_index(option_id)
    return screen._option_targets[option_id]


def ordinary_user(org, n=0):
    return [u for u in org.users.values() if not u["isDismissed"] and not u["isRobot"]
            and u["id"] != org.admin_uid and u["isEnabled"] and not u["isAdmin"]][n]


async def open_detail(app, pilot, kind, ident, cls):
    app.open_detail(kind, str(ident))
    screen = await wait_screen(app, pilot, cls)
    await settle(app, pilot)
    return screen


# ------------------------------------------------------------------------- shared files


def published(org, min_accesses=2):
    return next((uid, r) for uid, rs in org.disk.items() for r in rs if r.get("public_key")
                and len(r["public_settings"]["accesses"]) > min_accesses)


async def test_unpublish_from_shared_files_view(tmp_path):
    app, org, _log = build(tmp_path)
    uid, record = published(org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)
        screen = app.screen
        table = screen.table
        await until(pilot, lambda: any(r.resource.public_hash == record["public_key"]
                                       for _, r in screen.data.rows()), "file listed")
        index = next(i for i, r in screen.data.rows()
                     if r.resource.public_hash == record["public_key"])
        table.move_cursor(screen.data.view_pos(index))
        key = record["public_key"]
        macros = [a for a in record["public_settings"]["accesses"] if a["type"] == "macro"]
        await pilot.press("u")
        plan = await confirm(app, pilot)
        assert plan.changes[0].field == "public link" and plan.changes[0].before == key
        assert len(plan.changes) == 1 + len(macros)
        assert org.users[uid]["nickname"] in plan.notes[0]
        await until(pilot, lambda: not record.get("public_key"), "unpublished")
        await settle(app, pilot)
        assert journal(app) == [("file.unpublish", "ok")]
        assert app.edit_journal.entries()[0].target.id == f"{uid}:{record['path']}"
        row = screen.data.row(index)
        assert row.resource.public_hash is None
        assert screen.cells(row)[-1].startswith("unpublished")  # the row refreshed in place
        # The journal drills to the file (o: the edited object), which now shows its owner
        # and no access.
        await pilot.press("8")
        await settle(app, pilot)
        await pilot.press("o")
        detail = await wait_screen(app, pilot, SharedFileDetailScreen)
        await settle(app, pilot)
        assert (detail.targets[0].section, detail.targets[0].key) == ("Owner", uid)
        assert not any(t.key == "macro" for t in detail.targets)  # no link audience left
        assert detail.obj.resource.public_hash is None


async def test_unpublish_from_shared_file_detail(tmp_path):
    app, org, _log = build(tmp_path)
    uid, record = published(org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = await open_detail(app, pilot, "shared_file", f"{uid}:{record['path']}",
                                   SharedFileDetailScreen)
        await pilot.press("u")
        plan = await confirm(app, pilot)
        assert plan.target.label == record["path"]
        await until(pilot, lambda: not record.get("public_key"), "unpublished")
        await settle(app, pilot)
        assert journal(app) == [("file.unpublish", "ok")]
        assert screen.obj.resource.public_hash is None
        assert screen.targets[0].section == "Owner"
        assert not any(t.key == "macro" for t in screen.targets)  # no link audience left
        kept = [a for a in record["public_settings"]["accesses"] if a["type"] != "owner"]
        assert len([t for t in screen.targets if t.section == "Access"]) == len(kept) + 1


# ------------------------------------------------------------------------- user detail


async def test_user_detail_block_refreshes_in_place(tmp_path):
    app, org, _log = build(tmp_path)
    user = ordinary_user(org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = await open_detail(app, pilot, "user", user["id"], UserDetailScreen)
        await pilot.press("b")
        plan = await confirm(app, pilot)
        assert plan.after() == {"isEnabled": False}
        await until(pilot, lambda: org.users[user["id"]]["isEnabled"] is False, "blocked")
        await settle(app, pilot)
        assert app.screen is screen and screen.obj.is_enabled is False
        assert journal(app) == [("user.block", "ok")]
        # The Users list row (shared cache) shows it too.
        row = next(r for _, r in app.directory.users.rows() if r[0] == user["id"])
        assert row[5] == "blocked"


async def test_user_detail_edit_fields_admin_signout_2fa(tmp_path):
    app, org, log = build(tmp_path)
    user = ordinary_user(org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = await open_detail(app, pilot, "user", user["id"], UserDetailScreen)
        await pilot.press("e")
        form = await wait_screen(app, pilot, EditForm)
        form.query_one("#f-position", Input).value = "Detail tester"
        await pilot.press("f2")
        await confirm(app, pilot)
        await until(pilot, lambda: org.users[user["id"]]["position"] == "Detail tester")
        await settle(app, pilot)
        assert screen.obj.position == "Detail tester"
        await pilot.press("a")
        await confirm(app, pilot)
        await until(pilot, lambda: org.users[user["id"]]["isAdmin"] is True, "admin")
        await settle(app, pilot)
        org.two_fa[user["id"]] = {"has2fa": True, "hasSecurityPhone": True}
        await pilot.press("f")
        await confirm(app, pilot)
        await until(pilot, lambda: not org.two_fa[user["id"]]["has2fa"], "2fa reset")
        await settle(app, pilot)
        await pilot.press("o")
        await confirm(app, pilot)
        await until(pilot, lambda: len(journal(app)) == 4, "four edits journaled")
        await settle(app, pilot)
        assert journal(app) == [("user.update", "ok"), ("user.make-admin", "ok"),
                                ("user.2fa-reset", "ok"), ("user.sign-out", "ok")]
        assert any(user["id"] in w["path"] and "logout" in w["path"] for w in log.writes())


async def test_user_detail_auth_type(tmp_path):
    app, org, _log = build(tmp_path)
    user = ordinary_user(org)
    org.auth_types[user["id"]] = "portal"
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await open_detail(app, pilot, "user", user["id"], UserDetailScreen)
        await pilot.press("t")
        form = await wait_screen(app, pilot, EditForm)
        form.query_one("#f-authType").value = "idp"
        await pilot.press("f2")
        await confirm(app, pilot)
        await until(pilot, lambda: org.auth_types[user["id"]] == "idp", "idp")
        await settle(app, pilot)
        assert journal(app) == [("user.auth-type", "ok")]


async def test_user_detail_add_to_group_then_remove_from_user_side(tmp_path):
    app, org, _log = build(tmp_path)
    user = ordinary_user(org)
    group = next(g for g in org.groups.values()
                 if g["type"] == "generic" and g["id"] not in user["groups"])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")  # the Groups list feeds the group picker
        await settle(app, pilot)
        screen = await open_detail(app, pilot, "user", user["id"], UserDetailScreen)
        await pilot.press("m")
        picker = await wait_screen(app, pilot, PickerScreen)
        picker.query_one(Input).value = group["name"]  # Cyrillic: typed as one value
        await until(pilot, lambda: any(c.id == str(group["id"]) for c in picker.choices),
                    "group offered")
        picker.query_one(OptionList).highlighted = next(
            i for i, c in enumerate(picker.choices) if c.id == str(group["id"]))
        picker.pick_highlighted()
        await confirm(app, pilot)
        await until(pilot, lambda: group["id"] in org.users[user["id"]]["groups"], "joined")
        await settle(app, pilot)
        # The refreshed links show the new direct membership; x on it removes the user.
        target = highlight(screen, lambda t: t.section == "Groups" and t.key == group["id"])
        assert target.note == "direct"
        await pilot.press("x")
        plan = await confirm(app, pilot)
        assert plan.target.id == str(group["id"]) and plan.changes[0].before == "member"
        await until(pilot, lambda: group["id"] not in org.users[user["id"]]["groups"], "left")
        await settle(app, pilot)
        assert journal(app) == [("group.member-add", "ok"), ("group.member-remove", "ok")]
        assert not any(t.section == "Groups" and t.key == group["id"] and t.note == "direct"
                       for t in screen.targets)


# ------------------------------------------------------------------------- group detail


async def test_group_detail_add_remove_edit_delete(tmp_path):
    app, org, _log = build(tmp_path)
    group = next(g for g in org.groups.values() if g["type"] == "generic")
    gid = group["id"]
    user = next(u for u in org.users.values() if gid not in u["groups"]
                and not u["isDismissed"])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)  # the Users list feeds the member picker
        screen = await open_detail(app, pilot, "group", gid, GroupDetailScreen)
        await pilot.press("m")
        picker = await wait_screen(app, pilot, PickerScreen)
        await pilot.press(*user["nickname"])
        await until(pilot, lambda: picker.choices and picker.choices[0].id == user["id"])
        await pilot.press("enter")
        await confirm(app, pilot)
        await until(pilot, lambda: gid in org.users[user["id"]]["groups"], "member added")
        await settle(app, pilot)
        highlight(screen, lambda t: t.section == "Members" and t.key == user["id"])
        await pilot.press("x")
        plan = await confirm(app, pilot)
        assert plan.changes[0].field == f"user {user['nickname']}"
        await until(pilot, lambda: gid not in org.users[user["id"]]["groups"], "removed")
        await settle(app, pilot)
        await pilot.press("e")
        form = await wait_screen(app, pilot, EditForm)
        form.query_one("#f-name", Input).value = "Renamed in detail"
        await pilot.press("f2")
        await confirm(app, pilot)
        await until(pilot, lambda: org.groups[gid]["name"] == "Renamed in detail", "renamed")
        await settle(app, pilot)
        assert screen.obj.name == "Renamed in detail"
        await pilot.press("d")
        await wait_screen(app, pilot, ConfirmScreen)
        await pilot.press("f2")
        if org.groups[gid]["members"]:  # a non-empty group asks twice
            await wait_screen(app, pilot, AskScreen)
            app.screen.dismiss(True)
        await until(pilot, lambda: gid not in org.groups or org.groups[gid].get("removed"))
        await settle(app, pilot)
        assert not isinstance(app.screen, GroupDetailScreen)  # closed: the group is gone
        assert [a for a, _ in journal(app)] == ["group.member-add", "group.member-remove",
                                              "group.update", "group.delete"]
        assert all(o == "ok" for _, o in journal(app))


# -------------------------------------------------------------------- department detail


async def test_department_detail_edit_and_delete(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        # Every generated department has people: make an empty one to delete.
        did = (await app.client.directory.create_department(name="Empty lab", parent_id=1)).id
        screen = await open_detail(app, pilot, "department", did, DepartmentDetailScreen)
        await pilot.press("e")
        form = await wait_screen(app, pilot, EditForm)
        form.query_one("#f-name", Input).value = "Renamed department"
        await pilot.press("f2")
        await confirm(app, pilot)
        await until(pilot, lambda: org.departments[did]["name"] == "Renamed department")
        await settle(app, pilot)
        assert screen.obj.name == "Renamed department"
        await pilot.press("d")
        await confirm(app, pilot)
        await until(pilot, lambda: did not in org.departments, "deleted")
        await settle(app, pilot)
        assert not isinstance(app.screen, DepartmentDetailScreen)
        assert journal(app) == [("department.update", "ok"), ("department.delete", "ok")]


# ------------------------------------------------------------- mark all matching + bulk


async def test_mark_all_matching_loads_the_rest_then_bulk_blocks(tmp_path):
    app, org, log = build(tmp_path, users_page_size=5, sync=False)
    async with app.run_test(size=(120, 16)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert not screen.data.complete
        domain_user = ordinary_user(org)
        needle = domain_user["position"]
        await pilot.press("slash", *needle, "enter")
        await settle(app, pilot)
        await pilot.press("asterisk")
        await until(pilot, lambda: screen.table.marked, "marked")
        await settle(app, pilot)
        assert screen.data.complete  # the rest of the list was loaded first
        expected = {u["id"] for u in org.users.values()
                    if needle.lower() in " ".join(str(c) for c in _row_of(app, u["id"])).lower()}
        marked = {r[0] for r in screen.table.marked_items()}
        assert marked == expected and len(marked) > 1
        await pilot.press("b")
        from y360tui.ui.forms.selection import BlockDirectionScreen

        await wait_screen(app, pilot, BlockDirectionScreen)  # several users: which way
        await pilot.press("b")
        plan = await wait_screen(app, pilot, BulkPlanScreen)
        assert f"all {len(marked)} rows matching “{needle.lower()}”" in plan.heading
        assert len(plan.edits) == len(marked)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, BulkResultScreen), "results")
        assert all(org.users[u]["isEnabled"] is False for u in marked)
        assert len(app.edit_journal.entries()) == len(marked)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("U")
        await settle(app, pilot)
        assert not screen.table.marked
        palette = {text: run for text, _help, run in EditCommands(screen).entries()}
        palette["Mark all matching the filter"]()  # the palette offers it too
        await until(pilot, lambda: len(screen.table.marked) == len(marked), "marked again")
        assert log.writes()  # the bulk reached the emulator


def _row_of(app, uid):
    return next(r for _, r in app.directory.users.rows() if r[0] == uid)


# ------------------------------------------------------------------------------ read-only


async def test_read_only_hides_detail_and_file_edits(tmp_path):
    app, org, log = build(tmp_path, read_only=True)
    user = ordinary_user(org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = await open_detail(app, pilot, "user", user["id"], UserDetailScreen)
        active = {b.binding.action for b in screen.active_bindings.values()}
        assert not active & EDIT_ACTIONS and "remove_from_group" in EDIT_ACTIONS
        for key in ("e", "b", "a", "m", "x", "t", "o", "f"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key
        footer = screen.query_one(Footer)
        assert not any(getattr(k, "action", "") in EDIT_ACTIONS for k in footer.query(FooterKey))
        assert EditCommands(screen).entries()[0][0] == "Edits disabled"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "unpublish" not in {b.binding.action for b in app.screen.active_bindings.values()}
        assert log.writes() == []


async def test_profile_read_only_disables_edits(tmp_path, monkeypatch):
    org = generate_org(60, seed=3, now=NOW)
    config = tmp_path / "y360tui" / "config.toml"
    config.parent.mkdir()
    config.write_text(f'[profile.audit]\ntoken = "{org.admin_token}"\norg_id = {org.id}\n'
                      'read_only = true\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    asgi = create_app(org)
    real = api_client.Y360Client

    def on_emulator(token, org_id, base_url=None, family_urls=None):
        return real(token, org_id, base_url="http://emulator",
                    transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))

    monkeypatch.setattr(api_client, "Y360Client", on_emulator)
    app = build_app(argparse.Namespace(profile="audit", base_url=None, read_only=False,
                                       demo=False))
    assert app.read_only is True
    app.edit_journal = Journal(tmp_path / "journal.jsonl", profile="audit", org=str(org.id))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.table.cursor_item is not None  # the users came from the emulator
        for key in ("b", "e", "a"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, (ConfirmScreen, EditForm)), key
        active = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not active & EDIT_ACTIONS
        assert EditCommands(app.screen).entries()[0][1].startswith("read-only mode")
        await settle(app, pilot)
    assert asgi.state.request_log.writes() == []


async def test_remove_from_group_in_users_list_picks_a_direct_group(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        def generic(uid):
            return [g for g in org.users[uid]["groups"] if org.groups[g]["type"] == "generic"]

        while not generic(app.screen.table.cursor_item[0]):
            await pilot.press("down")
        user = org.users[app.screen.table.cursor_item[0]]
        gid = generic(user["id"])[0]
        await pilot.press("x")
        picker = await wait_screen(app, pilot, PickerScreen)
        assert {c.id for c in picker.choices} == {str(g) for g in generic(user["id"])}
        picker.query_one(OptionList).highlighted = next(
            i for i, c in enumerate(picker.choices) if c.id == str(gid))
        picker.pick_highlighted()
        await confirm(app, pilot)
        await until(pilot, lambda: gid not in org.users[user["id"]]["groups"], "left")
        await settle(app, pilot)
        assert journal(app) == [("group.member-remove", "ok")]


async def test_bulk_unpublish_marked_files(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)
        screen = app.screen
        await until(pilot, lambda: screen.data.loaded_count >= 2, "two files")
        rows = [screen.table.cursor_item]
        await pilot.press("space")
        rows.append(screen.table.cursor_item)
        await pilot.press("space")
        keys = [r.resource.public_hash for r in rows]
        await pilot.press("u")
        plan = await wait_screen(app, pilot, BulkPlanScreen)
        assert len(plan.edits) == 2
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, BulkResultScreen), "results")
        assert app.screen.result.summary() == "2 ok"
        published_keys = {r.get("public_key") for rs in org.disk.values() for r in rs}
        assert not published_keys & set(keys)
        await pilot.press("escape")
        await settle(app, pilot)
        assert all(screen.cells(r)[-1].startswith("unpublished")
                   for r in screen.table.marked_items())
        assert journal(app) == [("file.unpublish", "ok")] * 2


def test_profile_read_only_must_be_a_boolean(tmp_path):
    import pytest

    from y360tui.data.config import ConfigError, resolve

    path = tmp_path / "config.toml"
    path.write_text('[profile.a]\ntoken = "t"\norg_id = 1\nread_only = "yes"\n')
    with pytest.raises(ConfigError, match="read_only must be true or false"):
        resolve("a", env={}, path=path)
    path.write_text('[profile.a]\ntoken = "t"\norg_id = 1\n')
    assert resolve("a", env={}, path=path).read_only is False
    path.write_text('[profile.a]\ntoken = "t"\norg_id = 1\nread_only = true\n')
    assert resolve("a", "http://x", env={}, path=path).read_only is True  # kept with --base-url


async def test_mark_all_matching_a_structured_filter_marks_the_rows_shown(tmp_path):
    """``status:blocked`` is a structured filter, not text to search for: * marks exactly
    the rows the view shows (it marked none before)."""
    app, org, _log = build(tmp_path, users_page_size=50, sync=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"status:blocked", "enter")
        await settle(app, pilot)
        await pilot.press("asterisk")
        await until(pilot, lambda: screen.table.marked, "marked")
        await settle(app, pilot)
        blocked = {uid for uid, u in org.users.items()
                   if not u["isEnabled"] and not u.get("isDismissed")
                   and uid not in org.hidden_users}
        assert {r[0] for r in screen.table.marked_items()} == blocked
        assert screen.data.complete
