""""Select from a list…" (L) in Pilot: the list form, marks, the plan with the unknown entries,
dry run, run and results; the block direction choice and the admin warnings."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from y360tui.ui.forms.bulk_plan import BulkPlanScreen
from y360tui.ui.forms.bulk_result import BulkResultScreen
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.forms.selection import BlockDirectionScreen, SelectListScreen

from .pilot import settle, until, wait_screen
from .test_edits import build


def people(org, count, **want):
    """``count`` users matching ``want`` (wire keys), not dismissed, not robots."""
    return [u for u in org.users.values() if not u["isDismissed"] and not u["isRobot"]
            and all(u.get(k) == v for k, v in want.items())][:count]


def plan_rows(plan: BulkPlanScreen) -> list[tuple[str, str]]:
    from textual.widgets import DataTable

    table = plan.query_one(DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_select_from_a_pasted_list_then_dry_run_then_run(tmp_path):
    app, org, log = build(tmp_path)
    a, b, c = people(org, 3, isEnabled=True, isAdmin=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("L")
        form = await wait_screen(app, pilot, SelectListScreen)
        form.query_one("#list-action", Select).value = "sign-out"
        form.query_one(TextArea).text = (f"login\n{a['nickname']}\n{b['email'].upper()}\n"
                                         f"ghost.person\n{a['id']}\n{c['id']}\n")
        await pilot.press("f2")
        plan = await wait_screen(app, pilot, BulkPlanScreen)
        assert len(plan.edits) == 3
        rows = plan_rows(plan)
        assert rows[:3] == [(u["nickname"], "sessions: open -> all closed") for u in (a, b, c)]
        assert ("line 4: ghost.person", "skipped — unknown: no user has this login") in rows
        assert ("line 5: " + a["id"], f"skipped — same as line 2 ({a['nickname']})") in rows
        # The rows the list found are marked in the Users view under the plan.
        users_screen = app.screen_stack[-2]
        marked = {r[0] for r in users_screen.table.marked_items()}
        assert marked == {a["id"], b["id"], c["id"]}
        await pilot.press("f3")
        dry = await wait_screen(app, pilot, BulkResultScreen)
        assert dry.result.dry_run and dry.result.summary() == "3 planned"
        assert log.writes() == []  # a dry run sends nothing
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, BulkResultScreen)
                    and not app.screen.result.dry_run, "results")
        assert app.screen.result.summary() == "3 ok"
        assert sorted(w["path"].split("/")[-2] for w in log.writes()) == sorted(
            u["id"] for u in (a, b, c))
        assert [e.action for e in app.edit_journal.entries()] == ["user.sign-out"] * 3
        await pilot.press("escape")
        await settle(app, pilot)


async def test_select_from_a_file_for_a_group_adds_the_members(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        while app.screen.table.cursor_item[2] != "generic":
            await pilot.press("down")
        gid = int(app.screen.table.cursor_item[0])
        outsiders = [u for u in people(org, 50) if gid not in u["groups"]][:2]
        path = tmp_path / "new.csv"
        path.write_text("\ufeffName;E-mail\n" + "".join(f"X;{u['email']}\n" for u in outsiders)
                        + "Y;nobody@nowhere.ru\n", encoding="utf-8")
        await pilot.press("L")
        form = await wait_screen(app, pilot, SelectListScreen)
        form.query_one("#list-path", Input).value = str(path)
        await pilot.press("f2")
        plan = await wait_screen(app, pilot, BulkPlanScreen)
        rows = plan_rows(plan)
        assert rows[:2] == [(u["nickname"], f"user {u['nickname']}: not a member -> member")
                            for u in outsiders]
        assert rows[2][0] == "line 4: nobody@nowhere.ru"
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, BulkResultScreen), "results")
        assert app.screen.result.summary() == "2 ok"
        assert all(gid in org.users[u["id"]]["groups"] for u in outsiders)
        await pilot.press("escape")
        await settle(app, pilot)


async def test_a_list_that_cannot_be_read_keeps_the_form_open(tmp_path):
    app, _org, log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("L")
        form = await wait_screen(app, pilot, SelectListScreen)
        form.query_one("#list-path", Input).value = str(tmp_path / "missing.csv")
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is form
        assert "no such file" in str(form.query_one("#form-status").render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert log.writes() == []


async def test_bulk_block_asks_the_direction_and_warns_about_admins(tmp_path):
    app, org, _log = build(tmp_path)
    admins = people(org, 10, isAdmin=True, isEnabled=True)
    blocked = people(org, 1, isEnabled=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("L")
        form = await wait_screen(app, pilot, SelectListScreen)
        form.query_one("#list-action", Select).value = "block"
        form.query_one(TextArea).text = "\n".join(u["nickname"] for u in admins + blocked)
        await pilot.press("f2")
        plan = await wait_screen(app, pilot, BulkPlanScreen)
        warnings = str(plan.query_one("#bulk-warnings").render())
        assert f"blocks {len(admins)} administrator(s)" in warnings
        assert "last active administrator" in warnings
        await pilot.press("escape")
        await settle(app, pilot)
        # The same selection marked, then b: the admin chooses the direction.
        await pilot.press("b")
        choice = await wait_screen(app, pilot, BlockDirectionScreen)
        assert (choice.to_block, choice.to_unblock) == (len(admins), 1)
        await pilot.press("u")
        plan = await wait_screen(app, pilot, BulkPlanScreen)
        assert plan.warnings == []
        assert [e.plan().noop for e in plan.edits].count(False) == 1  # only the blocked one
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, BulkResultScreen), "results")
        assert org.users[blocked[0]["id"]]["isEnabled"] is True
        assert all(org.users[u["id"]]["isEnabled"] for u in admins)
        await pilot.press("escape")
        await settle(app, pilot)


async def test_blocking_one_admin_warns_on_the_confirmation(tmp_path):
    app, org, log = build(tmp_path)
    admins = people(org, 10, isAdmin=True, isEnabled=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await until(pilot, lambda: app.directory.users.complete, "users loaded")
        for number, admin in enumerate(admins, 1):
            index = next(i for i, r in app.directory.users.rows() if r[0] == admin["id"])
            app.screen.table.move_cursor(index)
            await pilot.pause()
            await pilot.press("b")
            confirm = await wait_screen(app, pilot, ConfirmScreen)
            notes = "\n".join(confirm.plan.notes)
            assert f"{admin['nickname']} is an administrator" in notes
            last = number == len(admins)
            assert ("last active administrator" in notes) is last, (number, notes)
            if not last:
                await pilot.press("f2")
                await until(pilot, lambda a=admin: org.users[a["id"]]["isEnabled"] is False,
                            "blocked")
                await settle(app, pilot)
            else:
                await pilot.press("escape")
                await settle(app, pilot)
        assert org.users[admins[-1]["id"]]["isEnabled"] is True
        assert len(log.writes()) == len(admins) - 1


async def test_shared_files_from_a_list_of_owners_and_keys(tmp_path):
    app, org, log = build(tmp_path)
    owners = [uid for uid, records in org.disk.items()
              if any(r.get("public_key") for r in records)
              and uid in org.users and not org.users[uid]["isDismissed"]]
    owner, other = owners[:2]
    owned = [r for r in org.disk[owner] if r.get("public_key")]
    key = next(r["public_key"] for r in org.disk[other] if r.get("public_key"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("L")
        form = await wait_screen(app, pilot, SelectListScreen)
        form.query_one(TextArea).text = f"{org.users[owner]['nickname']}\n{key}\nno-such-key=\n"
        await pilot.press("f2")
        plan = await wait_screen(app, pilot, BulkPlanScreen)
        assert len(plan.edits) == len(owned) + 1
        assert {e.public_key for e in plan.edits} == {r["public_key"] for r in owned} | {key}
        assert plan_rows(plan)[-1][0] == "line 3: no-such-key="
        assert len(screen.table.marked) == len(owned) + 1
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, BulkResultScreen), "results")
        assert app.screen.result.summary() == f"{len(owned) + 1} ok"
        assert not any(r.get("public_key") for r in org.disk[owner])
        await pilot.press("escape")
        await settle(app, pilot)
        assert [w["method"] for w in log.writes()] == ["PUT"] * (len(owned) + 1)
