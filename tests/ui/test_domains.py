"""The Domains view (0 d) and the domain detail in Pilot: rows with the mail check, filter,
drill-down, the DNS records paged, add + remove a record end to end (emulator state, view,
journal line), verification, read-only mode, the finding's objects — and snapshots of the
view and the detail at 80x24 and 160x48."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.widgets import Input, Select, Static

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.directory import DirectoryCache
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport
from y360tui.ui.app import Y360App
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.forms.form import EditForm
from y360tui.ui.screens.domain_detail import DomainDetailScreen
from y360tui.ui.screens.domains import DomainsScreen

from .pilot import settle, until, wait_screen

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
SIZES = [(80, 24), (160, 48)]


def build(tmp_path, *, read_only=False, users=200):
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
    await pilot.press("d")
    screen = await wait_screen(app, pilot, DomainsScreen)
    await settle(app, pilot)
    return screen


async def open_domain(app, pilot, row: int):
    await open_view(app, pilot)
    await pilot.press(*["down"] * row, "enter")
    detail = await wait_screen(app, pilot, DomainDetailScreen)
    await settle(app, pilot)
    return detail


def info(screen) -> str:
    return str(screen.query_one("#domain-info", Static).render())


async def test_rows_and_filter(tmp_path, table_lines):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_view(app, pilot)
        lines = [t for t in table_lines(screen) if t.strip()]
        assert lines[0].split() == ["Domain", "Master", "State", "Delegated", "MX", "SPF",
                                    "DKIM", "Records"]
        records = len(org.domains[org.domain]["records"])
        assert lines[1].split() == [org.domain, "master", "verified", "yes", "✓", "yes", "✓",
                                    "yes", "✓", "yes", str(records)]
        assert lines[2].split()[-3:] == ["✗", "no", "5"]  # demo-corp.com has no DKIM
        assert "not verified" in lines[3] and lines[3].count("✗ no") == 3
        await pilot.press("slash", *"dkim:no")
        await pilot.press("enter")
        await settle(app, pilot)
        shown = [t.split()[0] for t in table_lines(screen)[1:] if t.strip()]
        assert shown == ["demo-corp.com", "demo-corp.online"]


async def test_detail_pages_the_records(tmp_path, table_lines, monkeypatch):
    monkeypatch.setattr(DomainDetailScreen, "PAGE_SIZE", 10)
    app, org, log = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_domain(app, pilot, 0)
        truth = org.domains[org.domain]["records"]
        await until(pilot, lambda: detail.data.complete, "every page")
        pages = [q for p, q in ((e["path"], e["query"]) for e in log)
                 if p.endswith(f"/domains/{org.domain}/dns") and "perPage=10" in q]
        assert {f"page={n}&perPage=10" for n in range(1, -(-len(truth) // 10) + 1)} <= \
            set(pages)
        lines = [t for t in table_lines(detail) if t.strip()]
        assert lines[0].split() == ["Type", "Name", "Value", "TTL", "Priority"]
        assert lines[1].split() == ["MX", "@", "mx.yandex.net.", "21600", "10"]
        assert f"{org.domain} · verified · master · delegated to Yandex" in info(detail)
        assert f"mail check: MX, SPF, DKIM set · {len(truth)} DNS records" in info(detail)
        await pilot.press("slash", *"type:srv")
        await pilot.press("enter")
        await settle(app, pilot)
        srv = [t for t in table_lines(detail)[1:] if t.strip()]
        assert len(srv) == sum(r["type"] == "SRV" for r in truth) and \
            all(t.startswith("SRV") for t in srv)


async def test_add_then_remove_a_record_end_to_end(tmp_path, table_lines):
    app, org, log = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_domain(app, pilot, 2)  # demo-corp.online: no records
        assert "missing: MX, SPF, DKIM" in info(detail)
        await pilot.press("a")
        form = await wait_screen(app, pilot, EditForm)
        form.query_one("#f-type", Select).value = "MX"
        form.query_one("#f-value", Input).value = "mx.yandex.net."
        await pilot.press("f2")  # no priority yet: refused in the form, nothing sent
        await pilot.pause()
        assert isinstance(app.screen, EditForm) and not log.writes()
        assert "is required" in str(form.query_one("#e-priority", Static).render())
        form.query_one("#f-priority", Input).value = "10"
        await pilot.press("f2")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert confirm.plan.changes[0].after == "MX @ → mx.yandex.net. (priority 10), TTL 21600"
        await pilot.press("f2")
        await wait_screen(app, pilot, DomainDetailScreen)
        await settle(app, pilot)
        await until(pilot, lambda: "missing: SPF, DKIM" in info(detail), "check read again")
        stored = org.domains["demo-corp.online"]["records"]
        assert [(r["type"], r["exchange"], r["preference"]) for r in stored] == \
            [("MX", "mx.yandex.net.", 10)]
        lines = [t for t in table_lines(detail)[1:] if t.strip()]
        assert [t.split() for t in lines] == [["MX", "@", "mx.yandex.net.", "21600", "10"]]
        entry = app.edit_journal.entries()[0]
        assert (entry.action, entry.target.id, entry.outcome) == \
            ("domain.dns.add", "demo-corp.online", "ok")
        # remove it again: x on the highlighted record, confirmed
        await pilot.press("x")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert "the domain then has no MX: mail to the domain stops arriving" in \
            confirm.plan.notes
        await pilot.press("f2")
        await wait_screen(app, pilot, DomainDetailScreen)
        await settle(app, pilot)
        await until(pilot, lambda: "missing: MX, SPF, DKIM" in info(detail), "check again")
        assert org.domains["demo-corp.online"]["records"] == []
        assert [t for t in table_lines(detail)[1:] if t.strip()] == ["no DNS records"]
        entry = app.edit_journal.entries()[0]
        assert (entry.action, entry.outcome) == ("domain.dns.delete", "ok")
        events = [e["event"]["meta"].get("dns") for e in org.audit_events[:2]]
        assert events == ["removed", "added"]


async def test_verify_from_the_detail(tmp_path):
    app, org, _log = build(tmp_path)
    org.domains["demo-corp.online"]["records"].append(
        {"recordId": 1, "type": "TXT", "name": "@", "ttl": 300,
         "text": "yandex-verification: 0011aa"})
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_domain(app, pilot, 2)
        await pilot.press("v")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        assert str(confirm.plan.changes[0]) == "verified: no -> yes"
        await pilot.press("f2")
        await wait_screen(app, pilot, DomainDetailScreen)
        await until(pilot, lambda: "· verified ·" in info(detail), "verified shown")
        assert org.domains["demo-corp.online"]["verified"] is True
        assert app.edit_journal.entries()[0].action == "domain.verify"


async def test_read_only_hides_the_edit_keys(tmp_path):
    app, _org, log = build(tmp_path, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_domain(app, pilot, 1)
        for action in ("add_record", "remove_record", "verify_domain"):
            assert detail.check_action(action, ()) is False
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, DomainDetailScreen) and not log.writes()


async def test_finding_objects_open_the_domain(tmp_path):
    from y360tui.data.findings_out import compute_findings
    from y360tui.ui.screens.finding_objects import objects_screen

    app, _org, _log = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        findings = {f.id: f for f in await compute_findings(app.client)}
        finding = findings["domains-mail-records"]
        assert [o.name for o in finding.objects] == ["demo-corp.com", "demo-corp.online"]
        app.push_screen(objects_screen(finding))
        await settle(app, pilot)
        await pilot.press("enter")
        detail = await wait_screen(app, pilot, DomainDetailScreen)
        assert detail.ident == "demo-corp.com"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_view(snap_compare, make_app, size, settle):
    app = make_app()

    async def run_before(pilot):
        await settle(app, pilot)
        await pilot.press("0")
        await pilot.pause()
        await pilot.press("d")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_detail(snap_compare, make_app, size, settle):
    app = make_app()

    async def run_before(pilot):
        await settle(app, pilot)
        await pilot.press("0")
        await pilot.pause()
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_palette_lists_the_domain_edits(tmp_path):
    from y360tui.ui.screens.domain_detail import DomainEditCommands

    app, _org, _log = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_domain(app, pilot, 2)
        entries = DomainEditCommands(detail).entries()
        assert [e[:2] for e in entries] == [("Edit: Add DNS record", "key a"),
                                            ("Edit: Remove DNS record", "key x"),
                                            ("Edit: Verify domain", "key v")]
        entries[0][2]()
        await wait_screen(app, pilot, EditForm)
