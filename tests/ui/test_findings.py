"""Findings view (key 9): fills in progressively, drills down to the objects as their usual
views, a bulk edit from a finding, a 403 on one source; snapshots at 80x24 and 160x48.

Accept snapshot changes with ``pytest tests/ui/test_findings.py --snapshot-update`` only after
looking at the SVGs as pictures."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.details import describe
from y360tui.data.directory import U_ID, DirectoryCache
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport
from y360tui.ui.app import Y360App
from y360tui.ui.forms.bulk_plan import BulkPlanScreen
from y360tui.ui.forms.bulk_result import BulkResultScreen
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.screens.detail import ObjectDetailScreen, UserDetailScreen
from y360tui.ui.screens.finding_objects import (
    FindingFilesScreen,
    FindingGroupsScreen,
    FindingSettingsScreen,
    FindingUsersScreen,
)
from y360tui.ui.screens.findings import FindingsScreen

from .pilot import settle, until, wait_screen

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def build(tmp_path, *, token=None, users=200, seed=3):
    """A fresh org per test (edits write to it)."""
    org = generate_org(users, seed=seed, now=NOW)
    asgi = create_app(org)
    client = Y360Client(token or org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    app = Y360App(client, directory=DirectoryCache(client), org_name=org.name,
                  profile="demo", start_view="findings")
    app.edit_journal = Journal(tmp_path / "journal.jsonl", profile="demo", org=str(org.id))
    return app, org, asgi.state.request_log


async def findings_done(app, pilot):
    screen = await wait_screen(app, pilot, FindingsScreen)
    await until(pilot, lambda: screen.run is not None and screen.run.done
                and not screen.run.running, "findings computed", turns=2000)
    # The view redraws changed rows at its next poll (4 Hz): draw the last change now.
    screen._poll()
    await settle(app, pilot)
    return screen


def row_of(screen, finding_id):
    return next(i for i, f in enumerate(screen.findings) if f.id == finding_id)


async def open_finding(app, pilot, screen, finding_id):
    screen.table.move_cursor(screen.data.view_pos(row_of(screen, finding_id)))
    await pilot.press("enter")
    await settle(app, pilot)
    return app.screen


async def test_lists_every_check_sorted_with_progress(tmp_path):
    app, org, _ = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await findings_done(app, pilot)
        lines = [screen.table.render_line(y).text for y in range(16)]
        text = "\n".join(lines)
        assert "Users without 2FA" in text and "Mandatory 2FA is off" in text
        severities = [f.severity for f in screen.findings if f.count]
        assert severities == sorted(severities, key=["error", "warning", "info"].index)
        progress = str(screen.query_one("#findings-progress").render())
        assert "every check done" in progress
        no_2fa = next(f for f in screen.findings if f.id == "no-2fa")
        truth = [u for u, s in org.two_fa.items()
                 if not s["has2fa"] and not org.users[u]["isDismissed"]]
        assert no_2fa.count == len(truth)
        assert "mandatory 2FA off" in no_2fa.detail


async def test_progress_line_while_checking(tmp_path, monkeypatch):
    """The progress line names the sources still running, then says every check is done;
    the directory findings are in before the Disk scan ends."""
    seen: list[tuple[str, bool]] = []
    original = FindingsScreen.progress_text

    def recorded(self):
        text = original(self)
        cell = next((f for f in self.findings if f.id == "admins"), None)
        seen.append((text, cell is not None and cell.count is not None))
        return text

    monkeypatch.setattr(FindingsScreen, "progress_text", recorded)
    app, _org, _ = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await findings_done(app, pilot)
    assert any(text.startswith("checking (") and "Disk" in text for text, _ in seen)
    assert any("Disk" in text and admins for text, admins in seen if text.startswith("checking"))
    assert seen[-1][0].startswith("every check done")


async def test_filter_uses_the_finding_fields_of_headless_export(tmp_path):
    """``count:>N`` compares numbers and ``severity:`` knows its choices, as
    ``y360tui export findings --filter`` does; a bad value is named on the status line."""
    app, _org, _ = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await findings_done(app, pilot)
        many = {f.id for f in screen.findings if f.count is not None and f.count > 5}
        assert many
        screen.apply_filter("count:>5")
        await settle(app, pilot)
        assert {screen.data.row(i).id for i in screen.data.index} == many
        assert not screen.apply_filter("severity:bogus")
        await settle(app, pilot)
        assert "severity is one of error, warning, info" in str(
            screen.query_one("#status").render())


async def test_drill_down_users_mark_all_and_sign_out(tmp_path):
    """Users without 2FA: '*' marks every one, 'o' signs them all out in one bulk run."""
    app, _org, log = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await findings_done(app, pilot)
        finding = next(f for f in screen.findings if f.id == "no-2fa")
        users = await open_finding(app, pilot, screen, "no-2fa")
        assert isinstance(users, FindingUsersScreen)
        assert users.data.total == finding.count
        assert "Users without 2FA" in str(users.query_one("#breadcrumb").render())
        header = users.table.render_line(0).text
        assert "Login" in header and "2FA" in header
        await pilot.press("asterisk")
        await settle(app, pilot)
        assert len(users.table.marked) == finding.count
        await pilot.press("o")
        plan = await wait_screen(app, pilot, BulkPlanScreen)
        assert len(plan.edits) == finding.count
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, BulkResultScreen)
                    and not app.screen.result.dry_run, "results", turns=2000)
        assert app.screen.result.summary() == f"{finding.count} ok"
        logouts = [w for w in log.writes() if w["path"].endswith("/logout")]
        assert {w["path"].split("/")[-2] for w in logouts} == {r[U_ID] for r in finding.objects}
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is users
        # Enter opens the user's detail, Esc comes back.
        await pilot.press("enter")
        detail = await wait_screen(app, pilot, UserDetailScreen)
        assert detail.ident == users.table.cursor_item[U_ID]
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen


async def test_drill_down_groups_and_files_and_settings(tmp_path):
    app, org, _ = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await findings_done(app, pilot)
        groups = await open_finding(app, pilot, screen, "empty-groups")
        assert isinstance(groups, FindingGroupsScreen)
        names = {g["name"] for g in org.groups.values() if not g["members"]}
        assert {row[1] for _, row in groups.data.rows()} == names
        await pilot.press("escape")
        await settle(app, pilot)
        files = await open_finding(app, pilot, screen, "disk-open-to-anyone")
        assert isinstance(files, FindingFilesScreen)
        assert all("all" in row[5] for row in map(files.cells, (r for _, r in files.data.rows())))
        await pilot.press("escape")
        await settle(app, pilot)
        settings = await open_finding(app, pilot, screen, "session-ttl")
        assert isinstance(settings, FindingSettingsScreen)
        await pilot.press("enter")
        detail = await wait_screen(app, pilot, ObjectDetailScreen)
        rows = [value for section in describe(detail.obj).sections for _, value in section.rows]
        assert any("2592000" in str(v) for v in rows)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is settings


async def test_delete_an_empty_group_then_recompute(tmp_path):
    """Delete an empty group from its finding: the list reads its groups again; back on the
    findings, ``r`` checks again and finds one fewer."""
    app, org, _ = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await findings_done(app, pilot)
        before = next(f for f in screen.findings if f.id == "empty-groups").count
        groups = await open_finding(app, pilot, screen, "empty-groups")
        gid = int(groups.table.cursor_item[0])
        await pilot.press("d")
        await wait_screen(app, pilot, ConfirmScreen)
        await pilot.press("f2")
        await until(pilot, lambda: gid not in org.groups or org.groups[gid].get("removed"),
                    "deleted")
        await settle(app, pilot)
        assert app.screen is groups
        assert [int(r[0]) for _, r in groups.data.rows()] == [
            g for g, v in org.groups.items() if not v["members"] and not v.get("removed")]
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("r")
        await until(pilot, lambda: screen.run.done and not screen.run.running, "again",
                    turns=2000)
        await settle(app, pilot)
        assert next(f for f in screen.findings if f.id == "empty-groups").count == before - 1


async def test_unpublish_from_a_finding(tmp_path):
    app, org, log = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await findings_done(app, pilot)
        files = await open_finding(app, pilot, screen, "disk-open-to-anyone")
        for _ in range(2):
            await pilot.press("space")
        await pilot.press("u")
        await wait_screen(app, pilot, BulkPlanScreen)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, BulkResultScreen)
                    and not app.screen.result.dry_run, "results", turns=2000)
        assert app.screen.result.summary() == "2 ok"
        await pilot.press("escape")
        await settle(app, pilot)
        marked = [r for _, r in list(files.data.rows())[:2]]
        assert all(files.cells(r)[5].startswith("unpublished") for r in marked)
        for shared in marked:
            record = next(r for r in org.disk[shared.owner.id] if r["path"] == shared.resource.path)
            assert record["public_key"] is None
        assert len([w for w in log.writes() if "unpublish" in w["path"]]) == 2


async def test_a_403_says_could_not_check_on_that_finding(tmp_path):
    """The read-only admin token lacks ``domain_2fa_write``: that finding alone fails."""
    org = generate_org(200, seed=3, now=NOW)
    asgi = create_app(org)
    client = Y360Client(org.extra_tokens["readonly"], org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    app = Y360App(client, directory=DirectoryCache(client), org_name=org.name,
                  start_view="findings", read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await findings_done(app, pilot)
        failed = [f for f in screen.findings if f.state == "failed"]
        assert [f.id for f in failed] == ["domain-2fa"]
        assert failed[0].detail.startswith("could not check: 403: ")
        line = screen.table.render_line(1 + screen.data.view_pos(row_of(screen, "domain-2fa")))
        assert "could not check" in line.text and "? error" in line.text
        assert "could not check: settings" in screen.progress_text()
        # Enter on it says why instead of opening anything.
        await open_finding(app, pilot, screen, "domain-2fa")
        assert app.screen is screen


SIZES = [(80, 24), (160, 48)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot(snap_compare, make_app, size):
    app = make_app(users_page_size=100, start_view="findings")

    async def run_before(pilot):
        screen = await findings_done(app, pilot)
        assert screen.run is not None and screen.run.done

    assert snap_compare(app, terminal_size=size, run_before=run_before)
