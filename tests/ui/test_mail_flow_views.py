"""The mail flow views in Pilot: Mail routing (0 r), Sender policies (0 p), Anti-spam
allowlist (0 a) — rows, filter, a rule's detail in words and its JSON, the whole-list edits
end to end (emulator state, view, journal line), the stale-list refusal, read-only mode —
and their snapshots (80x24 and 160x48; the whole-list confirmation at 80x24)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.widgets import Input, Static

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.directory import DirectoryCache
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport
from y360tui.ui.app import Y360App
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.forms.form import EditForm
from y360tui.ui.screens.antispam_allowlist import AntispamAllowlistScreen
from y360tui.ui.screens.mail_flow_common import MailFlowDetail
from y360tui.ui.screens.mail_routing import MailRoutingScreen
from y360tui.ui.screens.raw_json import RawJsonScreen
from y360tui.ui.screens.sender_policies import SenderPoliciesScreen

from .pilot import settle, until, wait_screen

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
SIZES = [(80, 24), (160, 48)]
VIEWS = [("mail-routing", "r"), ("sender-policies", "p"), ("antispam-allowlist", "a")]


def build(tmp_path, *, read_only=False, users=300):
    org = generate_org(users, seed=7, now=NOW)
    asgi = create_app(org)
    client = Y360Client(org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    app = Y360App(client, directory=DirectoryCache(client), org_name=org.name,
                  profile="demo", read_only=read_only)
    app.edit_journal = Journal(tmp_path / "journal.jsonl", profile="demo", org=str(org.id))
    return app, org, asgi.state.request_log


async def open_view(app, pilot, letter, cls):
    await settle(app, pilot)
    await pilot.press("0")
    await pilot.pause()
    await pilot.press(letter)
    screen = await wait_screen(app, pilot, cls)
    await settle(app, pilot)
    return screen


async def test_each_view_lists_its_rows(tmp_path, table_lines):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_view(app, pilot, "r", MailRoutingScreen)
        lines = table_lines(screen)
        assert lines[0].split()[:3] == ["#", "Direction", "Condition"]
        assert len([t for t in lines[1:] if t.strip()]) == len(org.mail_routing_rules)
        assert "from *@" in lines[1] and "drop" in lines[1] and lines[1].endswith("stop")
        assert "forward to accounting@" in lines[2]
        screen = await open_view(app, pilot, "p", SenderPoliciesScreen)
        assert "Trusted partners" in table_lines(screen)[1]
        assert "accept as not spam" in table_lines(screen)[1]
        revision = org.sender_policies["revision"]
        assert f"revision {revision}" in screen.status_text()
        screen = await open_view(app, pilot, "a", AntispamAllowlistScreen)
        entries = [t.split()[1] for t in table_lines(screen)[1:] if t.strip()]
        assert entries == org.antispam_allowlist
        await pilot.press("slash", *"kind:range")
        await settle(app, pilot)
        shown = [t.split()[1] for t in table_lines(screen)[1:] if t.strip()]
        assert shown == [e for e in org.antispam_allowlist if "/" in e]


async def test_rule_detail_in_words_and_json(tmp_path):
    app, _org, _log = build(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_view(app, pilot, "r", MailRoutingScreen)
        await pilot.press("down", "enter")
        detail = await wait_screen(app, pilot, MailFlowDetail)
        await settle(app, pilot)
        widget = detail.query_one("#fields", Static)
        text = " ".join("\n".join(widget.render_line(y).text
                                   for y in range(widget.size.height)).split())
        assert "If" in text and "to invoices@" in text and "forward to accounting@" in text
        assert "no: later rules still run" in text
        links = detail.query_one("#links")
        lines = [links.render_line(y).text for y in range(links.virtual_size.height)]
        assert any("accounting@" in line for line in lines)
        await pilot.press("J")
        raw = await wait_screen(app, pilot, RawJsonScreen)
        await settle(app, pilot)
        assert '"address:to"' in raw.text and '"position": 2' in raw.text


async def test_add_then_remove_an_allowlist_entry(tmp_path):
    app, org, log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_view(app, pilot, "a", AntispamAllowlistScreen)
        before = list(org.antispam_allowlist)
        await pilot.press("n")
        form = await wait_screen(app, pilot, EditForm)
        form.query_one("#f-entry", Input).value = "10.0.0.1/24"  # host bits: refused
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, EditForm) and not log.writes()
        form.query_one("#f-entry", Input).value = "2001:DB8:0:0::77"
        await pilot.press("f2")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert confirm.plan.listing == [(" ", e) for e in before] + [("+", "2001:db8::77")]
        await pilot.press("f2")
        await until(pilot, lambda: "2001:db8::77" in org.antispam_allowlist, "added")
        await settle(app, pilot)
        assert screen.data.loaded_count == len(before) + 1  # the view read the list again
        await pilot.press("end", "d")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert confirm.plan.listing[-1] == ("-", "2001:db8::77")
        await pilot.press("f2")
        await until(pilot, lambda: org.antispam_allowlist == before, "removed")
        await settle(app, pilot)
        entries = app.edit_journal.entries()
        assert [(e.action, e.outcome, e.target.label) for e in entries] == [
            ("antispam.allow.remove", "ok", "2001:db8::77"),
            ("antispam.allow.add", "ok", "2001:db8::77")]
        assert [w["method"] for w in log.writes()] == ["POST", "POST"]


async def test_stale_list_refused_in_the_view(tmp_path):
    app, org, log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_view(app, pilot, "r", MailRoutingScreen)
        rules = list(org.mail_routing_rules)
        await pilot.press("m")
        await wait_screen(app, pilot, ConfirmScreen)
        org.mail_routing_rules = rules[:-1]  # another admin removed the last rule
        await pilot.press("f2")
        await until(pilot, lambda: app.edit_journal.path.exists(), "journaled")
        await settle(app, pilot)
        assert org.mail_routing_rules == rules[:-1] and not log.writes()
        [entry] = app.edit_journal.entries()
        assert entry.outcome == "failed" and "changed on the server" in entry.note


async def test_read_only_hides_the_edit_keys(tmp_path):
    app, _org, log = build(tmp_path, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_view(app, pilot, "a", AntispamAllowlistScreen)
        assert screen.check_action("add_entry", ()) is False
        await pilot.press("n", "d")
        await settle(app, pilot)
        assert app.screen is screen and not log.writes()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(("view", "letter"), VIEWS, ids=[v for v, _ in VIEWS])
def test_snapshot(snap_compare, make_app, view, letter, size, settle):
    app = make_app()

    async def run_before(pilot):
        await settle(app, pilot)
        await pilot.press("0")
        await pilot.pause()
        await pilot.press(letter)
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_snapshot_whole_list_confirmation(snap_compare, tmp_path, settle):
    app, _org, _log = build(tmp_path)

    async def run_before(pilot):
        await settle(app, pilot)
        await pilot.press("0")
        await pilot.pause()
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("down", "down", "m")
        await wait_screen(app, pilot, ConfirmScreen)
        # Not settle(): the edit's worker waits on this very confirmation.
        for _ in range(5):
            await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_finding_objects_are_the_rules(tmp_path, table_lines):
    from y360tui.api.models.mail_flow import RoutingRule
    from y360tui.data.findings import Finding
    from y360tui.data.mail_flow import RuleRow
    from y360tui.ui.screens.finding_objects import objects_screen
    from y360tui.ui.screens.mail_routing import FindingMailRulesScreen

    app, org, log = build(tmp_path)
    rows = [RuleRow(i + 1, RoutingRule.model_validate(r))
            for i, r in enumerate(org.mail_routing_rules)]
    outside = [r for r in rows if "mail-archive.example" in r.words]
    finding = Finding("mail-routing-outside", "Routing forwards outside", "warning",
                      "mail_rule", "mail_flow", objects=outside, count=len(outside))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = objects_screen(finding)
        assert isinstance(screen, FindingMailRulesScreen)
        app.push_screen(screen)
        await settle(app, pilot)
        lines = [t for t in table_lines(screen)[1:] if t.strip()]
        assert len(lines) == 1 and "journal@mail-archive.example" in lines[0]
        assert screen.check_action("remove_rule", ()) is False
        await pilot.press("d")
        await pilot.press("enter")
        await wait_screen(app, pilot, MailFlowDetail)
        assert not log.writes()


async def test_empty_lists(tmp_path, table_lines):
    app, org, _log = build(tmp_path)
    org.antispam_allowlist = []
    org.mail_routing_rules = []
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_view(app, pilot, "a", AntispamAllowlistScreen)
        assert screen.data.complete and screen.data.loaded_count == 0
        assert "0 loaded" in screen.status_text()
        assert any("the allow list is empty" in t for t in table_lines(screen))
        await pilot.press("d")  # nothing under the cursor: a warning, no form
        await settle(app, pilot)
        assert app.screen is screen
        screen = await open_view(app, pilot, "r", MailRoutingScreen)
        assert any("no routing rules" in t for t in table_lines(screen))


async def test_the_palette_lists_a_mail_flow_views_edits(make_app, settle):
    """A list without marks: the palette's edit entries must not ask for mark actions."""
    from y360tui.ui.forms.actions import EditCommands

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.switch_view("antispam-allowlist")
        await settle(app, pilot)
        entries = EditCommands.entries(type("P", (), {"screen": app.screen,
                                                      "app": app})())
        assert any(title.startswith("Edit:") for title, _, _ in entries)
