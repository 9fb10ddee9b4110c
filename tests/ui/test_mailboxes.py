"""The Mailboxes view (0 m) and the mailbox detail in Pilot: rows, filter, drill-downs, grant
and revoke end to end (emulator state, view, journal line), a user's "Mailboxes" lines,
read-only mode — and snapshots of the view and the detail at 80x24 and 160x48."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.widgets import OptionList, Static

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.directory import DirectoryCache
from y360tui.data.edits.mailboxes import MailboxAccess
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport
from y360tui.ui.app import Y360App
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.forms.form import EditForm
from y360tui.ui.forms.picker import PickerScreen
from y360tui.ui.screens.detail import UserDetailScreen
from y360tui.ui.screens.mailboxes import MailboxDetailScreen, MailboxesScreen

from .pilot import settle, until, wait_screen

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
SIZES = [(80, 24), (160, 48)]


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    """The access task is polled every 10 ms here (1 s in the app)."""
    monkeypatch.setattr(MailboxAccess, "POLL", 0.01)


def build(tmp_path, *, read_only=False, users=300):
    org = generate_org(users, seed=7, now=NOW)
    asgi = create_app(org)
    client = Y360Client(org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    app = Y360App(client, directory=DirectoryCache(client), org_name=org.name,
                  profile="demo", read_only=read_only)
    app.edit_journal = Journal(tmp_path / "journal.jsonl", profile="demo", org=str(org.id))
    return app, org, asgi.state.request_log


async def open_view(app, pilot):
    await settle(app, pilot)
    await pilot.press("0")
    await pilot.pause()
    await pilot.press("m")
    screen = await wait_screen(app, pilot, MailboxesScreen)
    await settle(app, pilot)
    return screen


def links(screen) -> list[str]:
    """The labels of the detail's links."""
    return [t.label for t in screen._option_targets.values()]


def shown(widget) -> str:
    """The text a widget shows, line by line."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def test_rows_filter_and_sort(tmp_path, table_lines):
    app, org, _log = build(tmp_path)
    state = org.mailboxes
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot)
        lines = [t for t in table_lines(screen) if t.strip()]
        assert lines[0].split()[:3] == ["Address", "Type", "Actors"]
        assert len(lines) - 1 == len(state["shared"]) + len(state["delegated"])
        first = next(iter(state["shared"].values()))
        assert lines[1].split()[:3] == [first["email"], "shared",
                                        str(len(state["actors"][first["id"]]))]
        await pilot.press("slash", *"type:delegated")
        await settle(app, pilot)
        shown = [t for t in table_lines(screen)[1:] if t.strip()]
        assert len(shown) == len(state["delegated"]) and all(" delegated " in t for t in shown)
        owner = org.users[state["delegated"][0]]
        assert any(t.startswith(owner["email"]) for t in shown)


async def test_drill_into_mailbox_then_user(tmp_path):
    app, org, _log = build(tmp_path)
    state = org.mailboxes
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot)
        rid = screen.table.cursor_item.id
        await pilot.press("enter")
        detail = await wait_screen(app, pilot, MailboxDetailScreen)
        await settle(app, pilot)
        fields = shown(detail.query_one("#fields", Static))
        assert state["shared"][rid]["email"] in fields and "shared mailbox" in fields
        logins = {org.users[u]["nickname"] for u in state["actors"][rid]}
        assert set(links(detail)) == logins
        await pilot.press("enter")  # the first person with access
        user = await wait_screen(app, pilot, UserDetailScreen)
        await settle(app, pilot)
        assert user.ident in state["actors"][rid]
        sections = {t.section for t in user.targets}
        assert "Mailboxes: can open" in sections
        mine = [t for t in user.targets if t.section == "Mailboxes: can open"]
        assert state["shared"][rid]["email"] in [t.label for t in mine]


async def test_user_detail_shows_who_opens_a_delegated_mailbox(tmp_path):
    app, org, log = build(tmp_path)
    owner = org.mailboxes["delegated"][0]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        log.clear()
        app.open_detail("user", owner, "")
        detail = await wait_screen(app, pilot, UserDetailScreen)
        await settle(app, pilot)
        opened = [t for t in detail.targets if t.section == "Mailboxes: own mailbox is opened by"]
        assert {t.key for t in opened} == set(org.mailboxes["actors"][owner])
        mailbox_calls = [p for p in log.paths("GET") if "/mailboxes/" in p]
        assert len([p for p in mailbox_calls if "/resources/" in p or "/actors/" in p]) == 2
        assert len([p for p in mailbox_calls if p.endswith("/delegated")]) == 1
        # a second user's detail: the delegated list is not read again
        log.clear()
        app.open_detail("user", org.admin_uid, "")
        await until(pilot, lambda: isinstance(app.screen, UserDetailScreen)
                    and app.screen.ident == org.admin_uid)
        await settle(app, pilot)
        assert not [p for p in log.paths("GET") if p.endswith("/mailboxes/delegated")]


async def test_grant_then_revoke_end_to_end(tmp_path):
    app, org, _log = build(tmp_path)
    state = org.mailboxes
    rid = next(iter(state["shared"]))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot)
        assert screen.table.cursor_item.id == rid
        await pilot.press("enter")
        detail = await wait_screen(app, pilot, MailboxDetailScreen)
        await settle(app, pilot)
        await pilot.press("g")
        picker = await wait_screen(app, pilot, PickerScreen)
        newcomer = next(u for u in org.users if u not in state["actors"][rid]
                        and not org.users[u]["isDismissed"] and u != org.admin_uid)
        login = org.users[newcomer]["nickname"]
        await pilot.press(*login)
        await pilot.pause()
        assert picker.choices[0].id == newcomer
        await pilot.press("enter")
        form = await wait_screen(app, pilot, EditForm)
        assert form.edit.text("rights") == "imap_send"
        await pilot.press("f2")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        [change] = confirm.plan.changes
        assert (change.before, change.after) == ("no access", "read (IMAP), send as")
        assert login in change.field
        await pilot.press("f2")
        await until(pilot, lambda: newcomer in state["actors"][rid], "granted")
        await until(pilot, lambda: newcomer in [t.key for t in app.screen.targets], "shown")
        await settle(app, pilot)
        assert state["actors"][rid][newcomer] == ["shared_mailbox_imap_admin",
                                                  "shared_mailbox_sender"]
        fields = shown(detail.query_one("#fields", Static))
        assert "ok: done" in fields
        # revoke: highlight the new person, x, confirm
        options = detail.query_one("#links", OptionList)
        option = next(k for k, t in detail._option_targets.items() if t.key == newcomer)
        options.highlighted = options.get_option_index(option)
        await pilot.press("x")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert confirm.plan.changes[0].after == "no access"
        await pilot.press("f2")
        await until(pilot, lambda: newcomer not in state["actors"][rid], "revoked")
        await until(pilot, lambda: newcomer not in [t.key for t in app.screen.targets],
                    "gone from the list")
        entries = app.edit_journal.entries()
        assert [(e.action, e.outcome, e.target.kind, e.target.id) for e in entries] == [
            ("mailbox.revoke", "ok", "mailbox", rid), ("mailbox.grant", "ok", "mailbox", rid)]
        assert entries[1].before == {f"access of {login} to {state['shared'][rid]['email']}":
                                     "no access"}
        events = [e["event"] for e in org.audit_events[:2]]
        assert [e["type"] for e in events] == ["ya360_b2bplatform_mailbox_access_updated"] * 2
        # back on the list, the count is the server's
        await pilot.press("escape")
        await wait_screen(app, pilot, MailboxesScreen)
        await settle(app, pilot)
        assert app.screen.table.cursor_item.count == len(state["actors"][rid])


async def test_same_rights_is_a_noop_and_read_only_hides_keys(tmp_path):
    app, org, log = build(tmp_path)
    state = org.mailboxes
    rid = next(iter(state["shared"]))
    actor = next(iter(state["actors"][rid]))
    state["actors"][rid][actor] = ["shared_mailbox_owner"]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_detail("mailbox", rid, "")
        detail = await wait_screen(app, pilot, MailboxDetailScreen)
        await settle(app, pilot)
        from y360tui.data.edits.mailboxes import GrantMailboxAccess
        from y360tui.ui.forms.flow import start_edit

        log.clear()
        edit = GrantMailboxAccess({"id": rid, "email": "x", "actorId": actor},
                                  {"rights": "full"})
        start_edit(detail, edit, form=False)
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen) and not log.writes()
    ro, org2, _ = build(tmp_path, read_only=True)
    async with ro.run_test(size=(120, 40)) as pilot:
        await settle(ro, pilot)
        ro.open_detail("mailbox", next(iter(org2.mailboxes["shared"])), "")
        detail = await wait_screen(ro, pilot, MailboxDetailScreen)
        await settle(ro, pilot)
        assert detail.check_action("grant", ()) is False
        assert detail.check_action("revoke", ()) is False


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_view(snap_compare, make_app, size, settle):
    app = make_app()

    async def run_before(pilot):
        await settle(app, pilot)
        await pilot.press("0")
        await pilot.pause()
        await pilot.press("m")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_detail(snap_compare, make_app, size, settle):
    app = make_app()

    async def run_before(pilot):
        await settle(app, pilot)
        await pilot.press("0")
        await pilot.pause()
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_create_shared_mailbox_then_open_it(tmp_path):
    from textual.widgets import Input

    app, org, log = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(app, pilot)
        await pilot.press("n")
        form = await wait_screen(app, pilot, EditForm)
        form.query_one("#f-email", Input).value = "hotline@elsewhere.example"
        form.query_one("#f-name", Input).value = "Hotline"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, EditForm) and not log.writes()  # wrong domain
        form.query_one("#f-email", Input).value = "hotline"
        await pilot.press("f2")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert confirm.plan.changes[0].after == f"hotline@{org.domain}"
        await pilot.press("f2")
        detail = await wait_screen(app, pilot, MailboxDetailScreen)
        await settle(app, pilot)
        created = [c for c in org.mailboxes["shared"].values() if c["name"] == "Hotline"]
        assert [c["email"] for c in created] == [f"hotline@{org.domain}"]
        assert detail.ident == created[0]["id"]
        assert app.edit_journal.entries()[0].action == "mailbox.create"
