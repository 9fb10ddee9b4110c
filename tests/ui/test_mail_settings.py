"""Per-user mail settings in Pilot: the user detail's Mail lines (an outside forward marked in the
error colour and in words), the mail settings screen (sender, signatures in full, rules), removing
an outside forwarding rule end to end (emulator state, screen, journal line), the finding's
drill-down list, a token without the mail scope (one "could not read" line), read-only mode —
and snapshots of the mail settings screen at 80x24 and 160x48."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.widgets import OptionList, Static

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.directory import DirectoryCache
from y360tui.data.findings import Finding
from y360tui.data.journal import Journal
from y360tui.data.mail_settings import read_settings
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport
from y360tui.ui.app import Y360App
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.screens.detail import UserDetailScreen, target_prompt
from y360tui.ui.screens.finding_objects import objects_screen
from y360tui.ui.screens.mail_settings import FindingMailForwardsScreen, MailSettingsScreen

from .pilot import settle, until, wait_screen

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
SIZES = [(80, 24), (160, 48)]
SNAP_UID = "1130000000002778"  # igor.davydov in the 300-user org of seed 7: an outside forward


def build(tmp_path, *, read_only=False, token=None):
    org = generate_org(300, seed=7, now=NOW)
    asgi = create_app(org)
    client = Y360Client(token or org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    app = Y360App(client, directory=DirectoryCache(client), org_name=org.name,
                  profile="demo", read_only=read_only)
    app.edit_journal = Journal(tmp_path / "journal.jsonl", profile="demo", org=str(org.id))
    return app, org, asgi.state.request_log


def outside_uid(org) -> str:
    store = org.mail_settings
    return next(u for u in store.generated_uids()
                if any(not f["address"].endswith("@" + org.domain)
                       for f in store.peek(u)["rules"]["forwards"]))


def shown(widget) -> str:
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def open_user(app, pilot, uid):
    await settle(app, pilot)
    app.open_detail("user", uid, "")
    detail = await wait_screen(app, pilot, UserDetailScreen)
    await settle(app, pilot)
    return detail


async def test_user_detail_mail_lines(tmp_path):
    app, org, _log = build(tmp_path)
    uid = outside_uid(org)
    record = org.mail_settings.peek(uid)
    rule = record["rules"]["forwards"][0]
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_user(app, pilot, uid)
        mail = [t for t in detail.targets if t.section == "Mail"]
        labels = [t.label for t in mail]
        assert labels[0] == (f"sender: {record['sender_info']['fromName']} "
                             f"<{record['sender_info']['defaultFrom']}>")
        assert f"⚠ forwards outside: {rule['address']}" in labels
        assert len([t for t in labels if t.startswith("signature (")]) == \
            len(record["sender_info"]["signs"])
        marked = next(t for t in mail if "outside" in t.label)
        prompt = target_prompt(marked)
        styles = [str(span.style) for cell in prompt.columns[1]._cells
                  for span in cell.spans] + [str(c.style) for c in prompt.columns[1]._cells]
        assert any("red" in s for s in styles)


async def test_remove_outside_forward_end_to_end(tmp_path):
    app, org, log = build(tmp_path)
    uid = outside_uid(org)
    rule = org.mail_settings.peek(uid)["rules"]["forwards"][0]
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_user(app, pilot, uid)
        links = detail.query_one("#links", OptionList)
        index = next(i for i in range(links.option_count)
                     if (t := detail._option_targets.get(links.get_option_at_index(i).id or ""))
                     and "outside" in t.label)
        links.highlighted = index
        await pilot.press("enter")
        screen = await wait_screen(app, pilot, MailSettingsScreen)
        await settle(app, pilot)
        fields = shown(screen.query_one("#fields", Static))
        assert "Sends from" in fields and "outside the organisation" in fields
        rules = [t.label for t in screen._option_targets.values()]
        assert rules == [f"⚠ outside: {rule['address']}"]
        assert str(screen.query_one("#links-title", Static).render()) == "Rules"
        log.clear()
        await pilot.press("x")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert str(confirm.plan.changes[0]) == (
            f"forwarding rule {rule['ruleId']}: forward to {rule['address']}, "
            f"{'keep a copy' if rule['withStore'] else 'no copy kept'} -> removed")
        assert not log.writes()  # nothing sent before the confirmation
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, MailSettingsScreen), "back")
        await settle(app, pilot)
        assert org.mail_settings.peek(uid)["rules"]["forwards"] == []
        assert [w["method"] for w in log.writes()] == ["DELETE"]
        assert [t.label for t in screen._option_targets.values()] == [
            "no forwarding or auto-reply rules"]
        assert "outside the organisation" not in shown(screen.query_one("#fields", Static))
        entry = app.edit_journal.entries()[-1]
        assert (entry.action, entry.outcome, entry.target.id) == ("mail.rule.remove", "ok", uid)
        assert org.audit_events[0]["event"]["meta"]["rule_id"] == rule["ruleId"]


async def test_finding_list_opens_settings_and_removes(tmp_path):
    app, org, _log = build(tmp_path)
    uid = outside_uid(org)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        settings = await read_settings(app.client, uid, login="x", email=f"x@{org.domain}")
        finding = Finding("mail-forward-outside", "Mail forwarded outside the organisation",
                          "error", "mail_forward", "mail", objects=list(settings.outside),
                          count=len(settings.outside), state="done")
        app.push_screen(objects_screen(finding))
        listing = await wait_screen(app, pilot, FindingMailForwardsScreen)
        await settle(app, pilot)
        assert listing.table.cursor_item.uid == uid
        await pilot.press("enter")
        screen = await wait_screen(app, pilot, MailSettingsScreen)
        await settle(app, pilot)
        assert screen.ident == uid
        await pilot.press("escape")
        await wait_screen(app, pilot, FindingMailForwardsScreen)
        await pilot.press("x")
        await wait_screen(app, pilot, ConfirmScreen)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, FindingMailForwardsScreen), "back")
        await settle(app, pilot)
        assert finding.objects == [] and finding.count == 0
        assert org.mail_settings.peek(uid)["rules"]["forwards"] == []


async def test_without_the_mail_scope_one_line(tmp_path):
    org_token = "no-mail-scope"
    app, org, _log = build(tmp_path, token=org_token)
    org.tokens[org_token] = {"uid": org.admin_uid, "scopes": {
        "directory:read_users", "directory:read_groups", "directory:read_departments",
        "directory:read_organization"}}
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_user(app, pilot, outside_uid(org))
        mail = [t for t in detail.targets if t.section == "Mail"]
        assert len(mail) == 1 and mail[0].label.startswith("could not read: 403: ")
        app.open_detail("mail_settings", outside_uid(org), "")
        screen = await wait_screen(app, pilot, MailSettingsScreen)
        await settle(app, pilot)
        assert "403" in shown(screen.query_one("#fields", Static))
        assert next(t.label for t in screen._option_targets.values()).startswith(
            "could not read: 403")


async def test_read_only_hides_remove(tmp_path):
    app, org, log = build(tmp_path, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_detail("mail_settings", outside_uid(org), "")
        screen = await wait_screen(app, pilot, MailSettingsScreen)
        await settle(app, pilot)
        assert screen.check_action("remove_rule", ()) is False
        await pilot.press("x")
        await settle(app, pilot)
        assert not log.writes() and isinstance(app.screen, MailSettingsScreen)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_mail_settings(snap_compare, make_app, size, settle):
    app = make_app()

    async def run_before(pilot):
        await settle(app, pilot)
        app.open_detail("mail_settings", SNAP_UID, "")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
