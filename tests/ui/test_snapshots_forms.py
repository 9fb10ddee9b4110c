"""Snapshots (80x24) of each edit form, the confirmation, the picker and the bulk screens.

A plain host app shows each modal over a fixed background with fixed data, so the pictures
depend on the modals alone. Accept changes only after looking at the SVGs.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Static, TextArea

from y360tui.data.bulk import BulkResult, ItemResult
from y360tui.data.edits import (
    AddAlias,
    CreateDepartment,
    CreateGroup,
    DeleteGroup,
    EditContacts,
    EditGroup,
    EditUserFields,
    SetAuthType,
    SetEnabled,
    Unpublish,
)
from y360tui.ui.forms.bulk_plan import BulkPlanScreen
from y360tui.ui.forms.bulk_result import BulkResultScreen
from y360tui.ui.forms.confirm import ConfirmScreen
from y360tui.ui.forms.form import EditForm
from y360tui.ui.forms.picker import Choice, PickerScreen

SIZE = (80, 24)
USER = {
    "id": "1130000000000042", "nickname": "ivan.petrov", "departmentId": 5,
    "name": {"first": "Иван", "last": "Петров", "middle": "Сергеевич"}, "gender": "male",
    "position": "Engineer", "about": "", "birthday": "1990-04-23", "externalId": "E-42",
    "timezone": "Europe/Moscow", "language": "ru", "isEnabled": True, "isAdmin": False,
    "aliases": ["ivan"],
    "contacts": [{"type": "email", "value": "ivan@example.org", "synthetic": True},
                 {"type": "phone", "value": "+7 495 000-00-00", "label": "work"}],
}
GROUP = {"id": 7, "name": "Sales", "type": "generic", "description": "all sales people",
         "label": "sales", "externalId": "", "membersCount": 12}


class Host(App):
    """A background for the modals."""

    def compose(self) -> ComposeResult:
        yield Static("y360tui — background view\n" * 22)


def still(pilot) -> None:
    """No blinking cursors in pictures."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for widget in pilot.app.screen.query(TextArea):
        widget.cursor_blink = False


def showing(screen_factory, *, after=None):
    async def run_before(pilot) -> None:
        await pilot.app.push_screen(screen_factory())
        await pilot.pause()
        if after is not None:
            await after(pilot)
        still(pilot)
        await pilot.pause()
    return run_before


def test_user_fields_form(snap_compare):
    assert snap_compare(Host(), terminal_size=SIZE,
                        run_before=showing(lambda: EditForm(EditUserFields(USER))))


def test_user_fields_form_with_errors(snap_compare):
    async def bad(pilot) -> None:
        form = pilot.app.screen
        form.query_one("#f-birthday", Input).value = "1990-02-30"
        form.query_one("#f-timezone", Input).value = "Moscow"
        form.query_one("#f-first", Input).value = ""
        await pilot.pause()
        form.query_one("#form-fields").scroll_home(animate=False)
        await pilot.pause()

    assert snap_compare(Host(), terminal_size=SIZE,
                        run_before=showing(lambda: EditForm(EditUserFields(USER)), after=bad))


def test_contacts_form(snap_compare):
    assert snap_compare(Host(), terminal_size=SIZE,
                        run_before=showing(lambda: EditForm(EditContacts(USER))))


def test_alias_form(snap_compare):
    assert snap_compare(Host(), terminal_size=SIZE,
                        run_before=showing(lambda: EditForm(AddAlias(USER))))


def test_auth_type_form_after_submit_attempt(snap_compare):
    async def submit(pilot) -> None:
        await pilot.press("f2")

    assert snap_compare(Host(), terminal_size=SIZE,
                        run_before=showing(lambda: EditForm(SetAuthType(USER)), after=submit))


def test_new_group_form(snap_compare):
    assert snap_compare(Host(), terminal_size=SIZE,
                        run_before=showing(lambda: EditForm(CreateGroup(None))))


def test_edit_group_form(snap_compare):
    assert snap_compare(Host(), terminal_size=SIZE,
                        run_before=showing(lambda: EditForm(EditGroup(GROUP))))


def test_new_department_form(snap_compare):
    assert snap_compare(Host(), terminal_size=SIZE, run_before=showing(
        lambda: EditForm(CreateDepartment(None, {"parentId": "3"}))))


def test_confirm_user_fields(snap_compare):
    edit = EditUserFields(USER, {"position": "Lead engineer", "timezone": "Asia/Omsk",
                                 "departmentId": "7"})
    assert snap_compare(Host(), terminal_size=SIZE,
                        run_before=showing(lambda: ConfirmScreen(edit.plan())))


def test_confirm_non_empty_delete_asks_twice(snap_compare):
    async def confirm(pilot) -> None:
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(Host(), terminal_size=SIZE, run_before=showing(
        lambda: ConfirmScreen(DeleteGroup(GROUP).plan()), after=confirm))


FILE = {"public_hash": "pjGQiUjEjU0knilWQV1ox5zCJ5MTWPNwz+JOkfI5gv8=", "name": "Q3 plan.xlsx",
        "path": "disk:/Documents/Q3 plan.xlsx", "user_id": "1130000000000042",
        "owner": "ivan.petrov",
        "accesses": [{"type": "owner", "id": 1130000000000042, "rights": ["write"]},
                     {"type": "macro", "macros": ["employees"], "rights": ["read"]},
                     {"type": "user", "id": 1130000000000077, "rights": ["read", "write"]},
                     {"type": "group", "id": 7, "rights": ["read_without_download"]}],
        "names": {"user:1130000000000077": "anna.smirnova", "group:7": "Sales"}}


def test_confirm_unpublish(snap_compare):
    def confirm() -> ConfirmScreen:
        return ConfirmScreen(Unpublish(FILE).plan())
    assert snap_compare(Host(), terminal_size=SIZE, run_before=showing(confirm))


def test_member_picker(snap_compare):
    people = [Choice("user", str(i), f"user.{i:02}", f"Name {i}") for i in range(20)]

    def search(text: str) -> list[Choice]:
        return [c for c in people if text in c.label]

    async def typed(pilot) -> None:
        await pilot.press("1")

    assert snap_compare(Host(), terminal_size=SIZE, run_before=showing(
        lambda: PickerScreen("Add a member to Sales", search), after=typed))


def _users(n: int) -> list[dict]:
    return [{**USER, "id": str(1130000000000100 + i), "nickname": f"user.{i:02}",
             "isEnabled": i % 4 != 0} for i in range(n)]


def test_bulk_plan(snap_compare):
    edits = [SetEnabled(u, {"value": False}) for u in _users(8)]
    assert snap_compare(Host(), terminal_size=SIZE,
                        run_before=showing(lambda: BulkPlanScreen("Block (8 users)", edits)))


def test_bulk_result(snap_compare):
    edits = [SetEnabled(u, {"value": False}) for u in _users(6)]
    items = [ItemResult(e, "ok", "done and verified") for e in edits]
    items[2] = ItemResult(edits[2], "failed", "500: internal error, retry later")
    items[4] = ItemResult(edits[4], "not run", "stopped before it started")
    result = BulkResult(items)
    assert snap_compare(Host(), terminal_size=SIZE,
                        run_before=showing(lambda: BulkResultScreen("Block (6 users)", result)))
