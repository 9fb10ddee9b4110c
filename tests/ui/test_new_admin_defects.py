"""Issue 9 §4: the defects a new admin hit — focus in forms, quitting with unsaved work, the
breadcrumb at 80 columns, the no-token scopes, a wrong org id, the sort on the status line,
marks without colour, columns by value, confirmations in the view's words, pickers that say
who they are for, department names instead of ids, the Journal at 80x24."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.widgets import Input, Select, Static

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.directory import DirectoryCache
from y360tui.data.edits.base import Edit, Plan
from y360tui.emulator.app import create_app
from y360tui.emulator.transport import EmulatorTransport
from y360tui.ui.app import Y360App
from y360tui.ui.forms.ask import AskScreen
from y360tui.ui.forms.bulk_progress import BulkProgressScreen
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.forms.form import EditForm
from y360tui.ui.forms.picker import PickerScreen
from y360tui.ui.screens.no_token import NoTokenScreen
from y360tui.ui.widgets.breadcrumb import Breadcrumb

from .conftest import table_lines
from .pilot import settle, until, wait_screen
from .test_edits import build, cursor_user


def quits(app: Y360App) -> list[bool]:
    """Replace ``app.exit`` with a recorder: the list gets True each time the app would end."""
    calls: list[bool] = []
    app.exit = lambda *a, **k: calls.append(True)  # type: ignore[method-assign]
    return calls


def notifications(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


def screen_text(app: Any) -> str:
    """The screen as plain text, as the terminal shows it."""
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=app.size.width, color_system=None)
    console.print(app.screen._compositor.render_update(full=True))
    return console.file.getvalue()


# ------------------------------------------------------------------------------ forms


async def test_edit_form_opens_with_the_first_field_focused(tmp_path):
    app, _org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        form = await wait_screen(app, pilot, EditForm)
        first = form.query_one("#f-first", Input)
        assert app.focused is first
        before = first.value
        await pilot.press("end", "x")  # typing goes into the field, no Tab first
        assert first.value == before + "x"


async def test_auth_type_form_enter_and_down_open_the_choice(tmp_path):
    app, _org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        form = await wait_screen(app, pilot, EditForm)
        select = form.query_one("#f-authType", Select)
        assert app.focused is select
        await pilot.press("down")
        await until(pilot, lambda: select.expanded, "the choice opened on Down")
        await pilot.press("escape")
        await until(pilot, lambda: not select.expanded, "closed")
        await pilot.press("enter")
        await until(pilot, lambda: select.expanded, "the choice opened on Enter")


def _distance(a: Any, b: Any) -> int:
    return sum(abs(x - y) for x, y in zip(a.triplet, b.triplet, strict=True))


async def test_focused_select_stands_out_from_the_form(tmp_path):
    """Not one grey step: the focused select's background differs clearly from the form's,
    and its label is reversed (visible without colour too)."""
    app, _org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        form = await wait_screen(app, pilot, EditForm)
        await pilot.pause()
        current = form.query_one("#f-authType SelectCurrent")
        box = form.query_one("#form-box")
        focused_bg = current.rich_style.bgcolor
        assert _distance(focused_bg, box.rich_style.bgcolor) > 60
        label = form.query_one(".form-row.kind-select .form-label")
        assert label.rich_style.reverse
        form.query_one("#f-password", Input).focus()
        await pilot.pause()
        assert _distance(current.rich_style.bgcolor, focused_bg) > 60
        assert not label.rich_style.reverse


# ------------------------------------------------------------------------------ leaving


async def _changed_form(app, pilot) -> EditForm:
    await settle(app, pilot)
    await pilot.press("e")
    form = await wait_screen(app, pilot, EditForm)
    await pilot.press("end", "z")
    assert form.changed
    return form


async def test_esc_on_a_changed_form_asks_before_dropping_the_changes(tmp_path):
    app, _org, log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await _changed_form(app, pilot)
        typed = form.query_one("#f-first", Input).value
        await pilot.press("escape")
        await wait_screen(app, pilot, AskScreen)
        await pilot.press("n")  # keep editing: nothing lost
        await wait_screen(app, pilot, EditForm)
        assert form.query_one("#f-first", Input).value == typed
        await pilot.press("escape")
        await wait_screen(app, pilot, AskScreen)
        await pilot.press("y")
        await until(pilot, lambda: not any(isinstance(s, (EditForm, AskScreen))
                                           for s in app.screen_stack), "form closed")
        await settle(app, pilot)
        assert log.writes() == []


async def test_esc_on_an_unchanged_form_closes_it_at_once(tmp_path):
    app, _org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await wait_screen(app, pilot, EditForm)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, (EditForm, AskScreen)),
                    "closed without a question")


async def test_quit_keys_ask_while_a_form_has_changes(tmp_path):
    app, _org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        ended = quits(app)
        await _changed_form(app, pilot)
        await pilot.press("ctrl+q")
        ask = await wait_screen(app, pilot, AskScreen)
        assert "unsaved changes" in ask.question and not ended
        await pilot.press("n")
        await wait_screen(app, pilot, EditForm)
        await pilot.press("ctrl+c")  # the same question, not "press ctrl+q to quit"
        await wait_screen(app, pilot, AskScreen)
        assert not ended
        await pilot.press("y")
        await until(pilot, lambda: ended, "quit after yes")


async def test_ctrl_c_quits_and_q_quits_without_a_question_when_nothing_is_pending(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        ended = quits(app)
        await settle(app, pilot)
        await pilot.press("ctrl+c")
        await until(pilot, lambda: ended, "ctrl+c quit")
        assert not isinstance(app.screen, AskScreen)
        assert not any("ctrl+q" in m for m in notifications(app))
        await pilot.press("enter")  # from a detail too
        await settle(app, pilot)
        await pilot.press("q")
        await until(pilot, lambda: len(ended) == 2, "q quit")


class _Stuck(Edit):
    """An edit whose request never ends (a bulk run in flight)."""

    action = "test.stuck"
    title = "Stuck"
    target_kind = "user"

    def plan(self) -> Plan:
        from y360tui.data.edits.base import Change

        return self.new_plan([Change("x", 1, 2)])

    async def apply(self, client: Any) -> None:
        await asyncio.Event().wait()


async def test_quit_asks_while_a_bulk_run_is_in_progress(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        ended = quits(app)
        await settle(app, pilot)
        app.push_screen(BulkProgressScreen("Block 2 users", [_Stuck({"id": "1"}),
                                                             _Stuck({"id": "2"})],
                                           app.client, None))
        await wait_screen(app, pilot, BulkProgressScreen)
        await pilot.press("ctrl+q")
        ask = await wait_screen(app, pilot, AskScreen)
        assert "bulk run is in progress" in ask.question and not ended
        await pilot.press("n")
        await wait_screen(app, pilot, BulkProgressScreen)
        assert not ended
        app.screen.workers.cancel_all()


# ------------------------------------------------------------------------------ breadcrumb


async def test_breadcrumb_at_80_columns_keeps_the_current_place(make_app, small_org):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        users = [u for u in small_org.users.values() if not u["isDismissed"]][:4]
        labels = ["Отдел продаж и маркетинга северо-западного региона", users[0]["nickname"],
                  "Группа внутренних коммуникаций", users[1]["nickname"] + "-last"]
        kinds = ["department", "user", "group", "user"]
        ids = [str(users[0]["departmentId"]), users[0]["id"], "1", users[1]["id"]]
        for kind, ident, label in zip(kinds, ids, labels, strict=True):
            app.open_detail(kind, ident, label)
            await pilot.pause()
        await settle(app, pilot)
        crumb = app.screen.query_one(Breadcrumb)
        text = str(crumb.render())
        assert text.endswith(labels[-1])  # the current place, whole
        assert text.startswith("… › ")  # the first crumbs gave way, visibly
        assert len(text) <= crumb.content_region.width
        assert "Users" not in text


# ------------------------------------------------------------------------------ no token


async def test_no_token_screen_lists_whole_scopes():
    app = Y360App(None, problem="")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NoTokenScreen)
        text = str(screen.query_one("#no-token-text", Static).render())
        assert "…" not in text
        for scope in ("ya360_security:audit_log_mail", "ya360_security:read_auditlog",
                      "cloud_api:disk.read", "tracker:read"):
            assert scope in text


# ------------------------------------------------------------------------------ wrong org


async def test_wrong_org_id_says_what_to_fix_not_retry(small_org):
    asgi = create_app(small_org)
    client = Y360Client(small_org.admin_token, 999, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    app = Y360App(client, directory=DirectoryCache(client), profile="acme", sync=False)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        messages = notifications(app)
        assert messages and all("press r to retry" not in m for m in messages)
        assert any("organisation id is wrong" in m and "org_id" in m for m in messages)
        lines = "\n".join(table_lines(app.screen))
        assert "organization 999 not found" in lines and "retry" not in lines
        assert "r retries" not in str(app.screen.query_one("#status").render())


# ------------------------------------------------------------------------------ list


async def test_sort_keys_are_named_on_the_status_line_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        status = app.screen.query_one("#status")
        await pilot.press("s")
        await settle(app, pilot)
        assert "sorted by Login ▲" in str(status.render())
        await pilot.press("S")
        await settle(app, pilot)
        assert "sorted by Login ▼" in str(status.render())
        await pilot.press("s")
        await settle(app, pilot)
        assert "sorted by Name ▼" in str(status.render())


async def test_marks_show_without_colour(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        login = app.screen.table.cursor_item[1]
        await pilot.press("space")
        await pilot.pause()
        first, second = table_lines(app.screen)[1:3]
        assert first.startswith("✓ ") and login[:10] in first
        assert not second.startswith("✓")


async def test_narrow_users_view_keeps_status_before_2fa_and_admin(make_app):
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        for width in (50, 60, 70):
            await pilot.resize_terminal(width, 24)
            await settle(app, pilot)
            header = table_lines(app.screen)[0]
            assert "Status" in header, width
            if "Department" not in header:  # a more valuable column is hidden
                assert "Admin" not in header, width


# ------------------------------------------------------------------------------ confirmations


async def test_confirmation_speaks_the_views_words(tmp_path):
    app, _org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        while app.screen.table.cursor_item[5] != "active" or app.screen.table.cursor_item[6]:
            await pilot.press("down")  # an active user who is not an admin (no warning)
        await pilot.press("b")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        text = str(confirm.query_one("#confirm-diff", Static).render())
        assert text == "Status: active -> blocked"


async def test_auth_type_confirmation_leaves_unchanged_fields_out(tmp_path):
    app, _org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        form = await wait_screen(app, pilot, EditForm)
        form.query_one("#f-authType", Select).value = "idp"
        await pilot.pause()
        await pilot.press("f2")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        text = str(confirm.query_one("#confirm-diff", Static).render())
        assert "Sign-in method:" in text and "idp (single sign-on)" in text
        assert "dropOtp" not in text and "Drop OTP" not in text  # no -> no: left out
        assert "authType" not in text


async def test_department_change_is_confirmed_by_name(tmp_path):
    """The Edit user form picks the department by name (no raw id field)."""
    from y360tui.ui.forms.form import DepartmentField

    app, org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        user = cursor_user(app, org)
        other = next(d for d in org.departments.values() if d["id"] != user["departmentId"])
        await pilot.press("e")
        form = await wait_screen(app, pilot, EditForm)
        field = form.query_one("#f-departmentId", DepartmentField)
        field.focus()
        await pilot.press("enter")
        picker = await wait_screen(app, pilot, PickerScreen)
        assert picker.heading == "Department"
        await pilot.press(*other["name"][:12])
        await until(pilot, lambda: picker.choices and any(
            c.id == str(other["id"]) for c in picker.choices), "found")
        picker.query_one("#picker-options").highlighted = next(
            i for i, c in enumerate(picker.choices) if c.id == str(other["id"]))
        await pilot.press("down", "enter")  # to the list, then pick the highlighted
        await wait_screen(app, pilot, EditForm)
        assert field.value == str(other["id"])
        assert other["name"] in str(field.render())
        await pilot.press("f2")
        confirm = await wait_screen(app, pilot, ConfirmScreen)
        text = str(confirm.query_one("#confirm-diff", Static).render())
        assert text.startswith("Department: ") and f"{other['name']} ({other['id']})" in text
        assert "departmentId" not in text


# ------------------------------------------------------------------------------ who and what


async def test_add_to_group_picker_names_the_user(tmp_path):
    app, org, _log = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        user = cursor_user(app, org)
        await pilot.press("m")
        picker = await wait_screen(app, pilot, PickerScreen)
        assert user["nickname"] in picker.heading
        rendered = str(picker.query_one("#picker-title", Static).render())
        assert rendered == f"Add {user['nickname']} to a group"


async def test_department_head_is_named_in_the_detail(make_app, small_org):
    dep = next(d for d in small_org.departments.values() if d.get("headId"))
    head = small_org.users[str(dep["headId"])]
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.open_detail("department", str(dep["id"]), dep["name"])
        await settle(app, pilot)
        row = next(line for line in screen_text(app).splitlines()
                   if line.strip().startswith("Head "))
        assert head["nickname"] in row  # not the bare id
        links = [t for t in app.screen.targets if t.section == "Head"]
        assert [str(t.key) for t in links] == [str(head["id"])] and links[0].drillable


# ------------------------------------------------------------------------------ journal


async def test_journal_at_80x24_shows_before_after_and_enter_opens_the_entry(tmp_path):
    from y360tui.ui.screens.journal import JournalEntryScreen

    app, org, _log = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        while app.screen.table.cursor_item[5] != "active" or app.screen.table.cursor_item[6]:
            await pilot.press("down")
        user = cursor_user(app, org)
        await pilot.press("b")
        await wait_screen(app, pilot, ConfirmScreen)
        await pilot.press("f2")
        await until(pilot, lambda: app.edit_journal.path.exists(), "journaled")
        await settle(app, pilot)
        await pilot.press("8")
        await settle(app, pilot)
        journal = app.screen
        header, row = table_lines(journal)[:2]
        assert "Detail" in header and "Time" in header
        assert "isEnabled: yes -> no" in row  # before -> after, at 80 columns
        await pilot.press("enter")  # the entry, not the object
        entry = await wait_screen(app, pilot, JournalEntryScreen)
        text = screen_text(app)
        assert "Status" in text and "active -> blocked" in text and "user.block" in text
        assert str(app.screen.query_one(Breadcrumb).render()).endswith(user["nickname"])
        await pilot.press("o")  # the key to jump to the object
        await until(pilot, lambda: getattr(app.screen, "ident", None) == user["id"],
                    "the user's detail")
        await settle(app, pilot)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is entry, "back to the entry")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is journal, "back to the journal")
        await pilot.press("o")  # from the list too
        await until(pilot, lambda: getattr(app.screen, "ident", None) == user["id"],
                    "the user's detail from the list")
        await settle(app, pilot)
