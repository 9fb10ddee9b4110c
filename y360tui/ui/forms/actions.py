"""Edit keys for the views, as mixins a screen adds to its bases (one line in the view).

``UserEditActions`` (Users list and user detail), ``GroupEditActions`` (Groups list and group
detail), ``DepartmentEditActions`` (Departments tree and department detail), ``FileEditActions``
(Shared files and a shared-file detail). A screen tells the mixin what is selected by
overriding ``edit_users()``/``edit_group()``/``edit_department()``/``edit_files()`` where the
default (the marked rows, or the row under the cursor) does not fit.

List screens also get ``*`` (mark every row matching the filter, loading the rest of the list
first) and ``U`` (unmark all), so a bulk action can cover a whole filtered set.

Keys are plain letters (they work over SSH and tmux) chosen not to clash with the list's own
(``/ r R s S g G j k`` and space) nor the app's (digits, ``q``, ``?``). In read-only mode
``check_action`` hides every edit key, and the palette says why.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from ...data.directory import (
    G_ID,
    G_NAME,
    G_TYPE,
    U_ADMIN,
    U_DEPT_ID,
    U_ID,
    U_LOGIN,
    U_NAME,
    U_STATUS,
    user_row,
)
from ..widgets.lazy_table import LazyTable

# The Users screen imports this module at start-up: the edit flow, its forms, the pickers and
# the edit classes (~100 ms of imports) are imported by the actions that use them, once an
# admin presses an edit key, so they are not on the path to the first users on screen.
if TYPE_CHECKING:
    from ...data.edits.base import Edit, Outcome
    from .picker import Choice

USER_ACTIONS = {
    "edit_user": ("e", "Edit fields"),
    "block": ("b", "Block / unblock"),
    "admin": ("a", "Make / revoke admin"),
    "add_to_group": ("m", "Add to group…"),
    "move_user": ("M", "Move to department…"),
    "auth_type": ("t", "Change sign-in method"),
    "sign_out": ("o", "Sign out everywhere"),
    "reset_2fa": ("f", "Reset 2FA"),
    "contacts": ("c", "Edit contacts"),
    "add_alias": ("i", "Add alias"),
    "remove_alias": ("I", "Remove alias"),
    "remove_from_group": ("x", "Remove from group…"),
    "select_from_list": ("L", "Select from a list…"),
}
GROUP_ACTIONS = {
    "new_group": ("n", "New group"),
    "edit_group": ("e", "Edit group"),
    "delete_group": ("d", "Delete group"),
    "add_member": ("m", "Add member…"),
    "remove_member": ("x", "Remove member…"),
    "select_from_list": ("L", "Select from a list…"),
}
DEPARTMENT_ACTIONS = {
    "new_department": ("n", "New department"),
    "edit_department": ("e", "Edit department"),
    "delete_department": ("d", "Delete department"),
}
FILE_ACTIONS = {"unpublish": ("u", "Unpublish"), "select_from_list": ("L", "Select from a list…")}
SHOWN_IN_FOOTER = {"edit_user", "block", "new_group", "add_member", "edit_group",
                   "new_department", "unpublish"}

EDIT_ACTIONS = frozenset({*USER_ACTIONS, *GROUP_ACTIONS, *DEPARTMENT_ACTIONS, *FILE_ACTIONS})


def bindings(actions: dict[str, tuple[str, str]]) -> list[Binding]:
    return [Binding(key, name, label, show=name in SHOWN_IN_FOOTER)
            for name, (key, label) in actions.items()]


class EditCommands(Provider):
    """Palette entries for the edits of the current screen; in read-only mode, why none."""

    def entries(self) -> list[tuple[str, str, Any]]:
        from .flow import READ_ONLY_MESSAGE, is_read_only

        screen = self.screen
        actions: dict[str, tuple[str, str]] = getattr(screen, "EDIT_ACTIONS", {})
        if is_read_only(self.app):
            return [("Edits disabled", READ_ONLY_MESSAGE, None)]
        edits = [(f"Edit: {label}", f"key {key}",
                  lambda name=name: getattr(screen, f"action_{name}")())
                 for name, (key, label) in actions.items()]
        if getattr(screen, "table", None) is None or not actions \
                or not hasattr(screen, "action_mark_all_matching"):  # a list without marks
            return edits
        return [*edits,
                ("Mark all matching the filter", "key * (loads the rest of the list first)",
                 screen.action_mark_all_matching),  # type: ignore[attr-defined]
                ("Unmark all", "key U", screen.action_unmark_all)]  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for text, help_text, run in self.entries():
            yield DiscoveryHit(text, run or self._explain, help=help_text)

    async def search(self, query: str) -> Hits:
        from .flow import is_read_only

        matcher = self.matcher(query)
        read_only = is_read_only(self.app)
        for text, help_text, run in self.entries():
            score = matcher.match(text)
            # In read-only mode any edit-sounding query meets the explanation.
            if score > 0 or (read_only and query.strip()):
                yield Hit(max(score, 0.1), matcher.highlight(text), run or self._explain,
                          help=help_text)

    def _explain(self) -> None:
        from .flow import READ_ONLY_MESSAGE

        self.app.notify(READ_ONLY_MESSAGE, severity="warning")


MARK_ACTIONS = frozenset({"mark_all_matching", "unmark_all"})


class EditActionsBase(DOMNode):
    """Shared part: the read-only gate, the palette provider and mark-all for list screens.

    A ``DOMNode`` so that Textual merges these ``BINDINGS`` with the screen's (it only merges
    bindings of DOMNode classes).
    """

    EDIT_ACTIONS: ClassVar[dict[str, tuple[str, str]]] = {}
    COMMANDS: ClassVar[set[Any]] = {EditCommands}
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("asterisk", "mark_all_matching", "Mark all matching", show=False),
        Binding("U", "unmark_all", "Unmark all", show=False),
    ]
    # (marked positions, how they were chosen) after ``*``: the bulk plan repeats the how.
    mark_all_note: tuple[frozenset[int], str] | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide (and refuse) every edit key in read-only mode; marks only where rows are and
        edits may follow."""
        # ``flow.is_read_only``'s test, written out: the footer asks this on the first frame.
        read_only = getattr(self.app, "read_only", False)  # type: ignore[attr-defined]
        if action in EDIT_ACTIONS and read_only:
            return False
        if action in MARK_ACTIONS and (read_only or getattr(self, "table", None) is None):
            return False  # marks serve bulk edits only
        if action == "select_from_list" and getattr(self, "table", None) is None:
            return False  # a list selects rows of a list view
        return super().check_action(action, parameters)  # type: ignore[misc]

    def uses_marks(self) -> bool:
        """Marked rows feed bulk edits, so marks exist unless the session is read-only."""
        return not getattr(self.app, "read_only", False)  # type: ignore[attr-defined]

    def bulk_title(self, title: str) -> str:
        """``title``, plus how the selection was made when it is still the ``*`` one."""
        table = getattr(self, "table", None)
        note = self.mark_all_note
        if table is not None and note is not None and frozenset(table.marked) == note[0]:
            return f"{title} — {note[1]}"
        return title

    def action_mark_all_matching(self) -> None:
        """Mark every row matching the filter (all rows without one), loading the rest of
        the list first so rows not fetched yet are included."""
        self.run_worker(self._mark_all_matching, group="mark-all",  # type: ignore[attr-defined]
                        exclusive=True, exit_on_error=False)

    async def _mark_all_matching(self) -> None:
        from ...data.bulk import load_remaining
        from ...data.edits.base import api_error, describe
        from ...data.export import fill_pending

        table: LazyTable = self.table  # type: ignore[attr-defined]
        data = table.data
        if not data.complete:
            self.notify("loading the rest of the list to find every match…",  # type: ignore[attr-defined]
                        title="Mark all matching")
            try:
                await load_remaining(data, on_progress=self._list_progress)
            except Exception as exc:
                self.notify(f"{describe(api_error(exc))}; nothing was marked",  # type: ignore[attr-defined]
                            title="Mark all matching", severity="error", timeout=8)
                return
        # The rows the view shows: a structured filter (``status:blocked``) is no text to
        # search for; values it still waits for (2FA) are fetched first.
        await fill_pending(data, getattr(self, "fetch_values", None))
        found = list(data.index) if data.index is not None else [i for i, _ in data.rows()]
        table.marked = set(found)
        how = (f"all {len(found):,} rows matching “{data.query}”" if data.query
               else f"all {len(found):,} rows")
        self.mark_all_note = (frozenset(table.marked), how)
        table.post_message(LazyTable.MarksChanged(table, len(table.marked)))
        table.refresh_rows()
        self.notify(f"marked {how}", title="Mark all matching")  # type: ignore[attr-defined]

    def _list_progress(self) -> None:
        """A page arrived while loading for ``*``: the status line shows how far it is."""
        self.table.refresh_rows()  # type: ignore[attr-defined]
        update = getattr(self, "update_status", None)
        if update is not None:
            update()

    def action_unmark_all(self) -> None:
        """Unmark every row."""
        self.mark_all_note = None
        self.table.clear_marks()  # type: ignore[attr-defined]

    def selected_rows(self) -> list[Any]:
        """Marked rows, or the row under the cursor (list screens)."""
        table = getattr(self, "table", None)
        if table is None:
            return []
        marked = table.marked_items()
        if marked:
            return marked
        row = table.cursor_item
        return [row] if row is not None else []

    def one_row(self) -> Any:
        table = getattr(self, "table", None)
        row = table.cursor_item if table is not None else None
        if row is None:
            self.notify("no row under the cursor", severity="warning")  # type: ignore[attr-defined]
        return row


# ------------------------------------------------------------------------------ users


def who(users: list[dict[str, Any]]) -> str:
    """The users an action is for, as a picker's title says it: a login, or how many."""
    if len(users) == 1:
        user = users[0]
        return str(user.get("nickname") or user.get("email") or user.get("id"))
    return f"{len(users)} marked users"


def user_current(row: Any) -> dict[str, Any]:
    """What a list row tells about a user, in wire keys (the flow reads the rest)."""
    return {"id": row[U_ID], "nickname": row[U_LOGIN], "isEnabled": row[U_STATUS] != "blocked",
            "isAdmin": row[U_ADMIN] == "admin", "departmentId": int(row[U_DEPT_ID] or 0)}


class UserEditActions(EditActionsBase):
    """Edits of users, from the Users list (single or marked rows) or a user detail."""

    EDIT_ACTIONS = USER_ACTIONS
    BINDINGS: ClassVar[list[Binding]] = bindings(USER_ACTIONS)

    def edit_users(self) -> list[dict[str, Any]]:
        """The users an action applies to (override in a detail screen)."""
        return [user_current(r) for r in self.selected_rows()]

    def edit_user(self) -> dict[str, Any] | None:
        users = self.edit_users()
        if not users:
            self.notify("no user selected", severity="warning")  # type: ignore[attr-defined]
            return None
        return users[-1] if len(users) == 1 else self.cursor_user()

    def cursor_user(self) -> dict[str, Any] | None:
        row = self.one_row()
        return user_current(row) if row is not None else None

    async def after_user_edit(self, outcome: Outcome) -> None:
        """Refresh the edited user's row in place (and its cached 2FA state)."""
        await refresh_user(self, outcome.plan.target.id)

    async def after_user_bulk(self, result: Any) -> None:
        for item in result.items:
            if item.status in ("ok", "verify-mismatch", "failed", "uncertain"):
                await refresh_user(self, item.target.id)

    def single(self, cls: type[Edit], values: dict[str, Any] | None = None) -> None:
        from .flow import start_edit

        user = self.edit_user()
        if user is not None:
            start_edit(self, cls(user, values), after=self.after_user_edit)  # type: ignore[arg-type]

    def many(self, title: str, cls: type[Edit], values: dict[str, Any]) -> None:
        """One user: the single flow (fresh read, confirmation); marked users: bulk."""
        from .flow import start_bulk, start_edit

        users = self.edit_users()
        if len(users) == 1:
            start_edit(self, cls(users[0], values), form=False,  # type: ignore[arg-type]
                       after=self.after_user_edit)
        else:
            start_bulk(self, self.bulk_title(f"{title} ({len(users)} users)"),  # type: ignore[arg-type]
                       [cls(u, values) for u in users], after=self.after_user_bulk)

    def action_edit_user(self) -> None:
        from ...data.edits import EditUserFields

        self.single(EditUserFields)

    def action_block(self) -> None:
        """One user: toggle (the confirmation warns before blocking an admin); several: choose
        the direction, and the plan warns about the admins it would block."""
        from .selection import block_flow, block_one

        users = self.edit_users()
        if len(users) == 1:
            block_one(self, users[0])
        elif users:
            self.app.run_worker(block_flow(self, users), group="edits",  # type: ignore[attr-defined]
                                exit_on_error=False, description="Block / unblock")

    def action_select_from_list(self) -> None:
        """Mark the users a pasted list or a file names, then run a bulk action on them."""
        from .selection import start_list_flow

        start_list_flow(self, "user")

    def action_admin(self) -> None:
        from ...data.edits import SetAdmin

        users = self.edit_users()
        grant = bool(users) and not users[0].get("isAdmin", False)
        self.many("Make admin" if grant else "Revoke admin", SetAdmin, {"value": grant})

    def action_sign_out(self) -> None:
        from ...data.edits import SignOut

        self.many("Sign out everywhere", SignOut, {})

    def action_reset_2fa(self) -> None:
        from ...data.edits import Reset2fa

        self.many("Reset 2FA", Reset2fa, {})

    def action_auth_type(self) -> None:
        from ...data.edits import SetAuthType

        self.single(SetAuthType)

    def action_contacts(self) -> None:
        from ...data.edits import EditContacts

        self.single(EditContacts)

    def action_add_alias(self) -> None:
        from ...data.edits import AddAlias

        self.single(AddAlias)

    def action_remove_alias(self) -> None:
        from ...data.edits import RemoveAlias

        self.single(RemoveAlias)

    def action_move_user(self) -> None:
        from ...data.edits import MoveUser
        from .picker import PickerScreen

        users = self.edit_users()
        if not users:
            return
        self.app.push_screen(  # type: ignore[attr-defined]
            PickerScreen(f"Move {who(users)} to a department",
                         department_search(self.app)),  # type: ignore[attr-defined]
            lambda choice: choice and self.many(
                f"Move to {choice.label}", MoveUser, {"departmentId": choice.id}))

    def action_add_to_group(self) -> None:
        from ...data.edits import AddMember
        from .flow import start_bulk, start_edit
        from .picker import PickerScreen

        users = self.edit_users()
        if not users:
            return

        def chosen(choice: Choice | None) -> None:
            if choice is None:
                return
            group = {"id": int(choice.id), "name": choice.label}
            edits = [AddMember(group, {"memberType": "user", "memberId": u["id"],
                                       "memberLabel": u.get("nickname", "")}) for u in users]
            if len(edits) == 1:
                start_edit(self, edits[0], form=False,  # type: ignore[arg-type]
                           after=self.after_user_edit)
            else:
                start_bulk(self, self.bulk_title(  # type: ignore[arg-type]
                    f"Add {len(edits)} users to {choice.label}"),
                           edits, after=self.after_user_bulk)

        self.app.push_screen(  # type: ignore[attr-defined]
            PickerScreen(f"Add {who(users)} to a group", group_search(self.app)),  # type: ignore[attr-defined]
            chosen)

    def chosen_group(self) -> Choice | None:
        """A direct group the screen has selected (a user detail's highlighted link); None
        lets the admin pick one of the user's direct groups."""
        return None

    def action_remove_from_group(self) -> None:
        """Take the user out of one of their direct groups (inherited ones are left to the
        group that carries them: removing the user there would change nothing)."""
        user = self.edit_user()
        if user is None:
            return
        group = self.chosen_group()
        if group is not None:
            self.remove_user_from(user, group)
        else:
            self.app.run_worker(self._pick_group_to_leave(user),  # type: ignore[attr-defined]
                                group="edits", exit_on_error=False)

    def remove_user_from(self, user: dict[str, Any], group: Choice) -> None:
        """The RemoveMember edit of ``user`` in ``group``; it reads the group's members first,
        so the confirmation says whether the user is really a direct member."""
        from ...data.edits import RemoveMember
        from .flow import start_edit

        start_edit(self, RemoveMember(  # type: ignore[arg-type]
            {"id": int(group.id), "name": group.label},
            {"memberType": "user", "memberId": user["id"],
             "memberLabel": user.get("nickname", "")}), form=False, after=self.after_user_edit)

    async def _pick_group_to_leave(self, user: dict[str, Any]) -> None:
        from ...data.edits.base import api_error, describe
        from .picker import Choice, PickerScreen

        app = self.app  # type: ignore[attr-defined]
        try:
            fresh = await app.client.directory.get_user(user["id"])
            groups = await asyncio.gather(*(app.client.directory.get_group(gid)
                                            for gid in fresh.groups))
        except Exception as exc:
            app.notify(describe(api_error(exc)), severity="error", title="Could not read groups")
            return
        # System groups (admins, all employees …) cannot be edited: not offered.
        choices = [Choice("group", str(g.id), g.name, g.type.value) for g in groups
                   if g.type.value == "generic"]
        if not choices:
            app.notify(f"{fresh.nickname} is in no editable group directly", severity="warning")
            return

        def search(text: str) -> list[Choice]:
            return [c for c in choices if text.lower() in f"{c.label} {c.id}".lower()]

        choice = await app.push_screen_wait(
            PickerScreen(f"Remove {fresh.nickname} from group", search))
        if choice is not None:
            self.remove_user_from(user, choice)


async def refresh_user(host: Any, uid: str) -> None:
    """Read the user again and swap its row in the shared users list (no full reload)."""
    app = host.app
    cache = getattr(app, "directory", None)
    if cache is None or not uid:
        return
    cache.two_fa.invalidate(uid)
    try:
        user = await app.client.directory.get_user(uid)
        names = await cache.load_departments()
    except Exception:  # the outcome was already shown; a stale row is fixed by R (reload)
        return
    data = cache.users
    for i, row in data.rows():
        if row[U_ID] == uid:
            data.replace_row(i, user_row(user, names))
            break
    table = getattr(host, "table", None)
    if table is not None:
        table.refresh_rows()


# ------------------------------------------------------------------------------ pickers


def user_search(app: Any):
    """Loaded users matching the text (login, name, email), plus a user id typed in full."""
    from .picker import Choice

    def search(text: str) -> list[Choice]:
        found = app.directory.users.search(text, 50) if app.directory else []
        out = [Choice("user", r[U_ID], r[U_LOGIN], r[U_NAME]) for _, r in found]
        if text.isdigit() and len(text) > 12 and all(c.id != text for c in out):
            out.insert(0, Choice("user", text, text, "user id"))
        return out
    return search


def group_search(app: Any, *, exclude: str = ""):
    """Loaded groups matching the text (system groups left out: they cannot be edited)."""
    from .picker import Choice

    def search(text: str) -> list[Choice]:
        found = app.directory.groups.search(text, 80) if app.directory else []
        return [Choice("group", r[G_ID], r[G_NAME], r[G_TYPE]) for _, r in found
                if r[G_TYPE] == "generic" and r[G_ID] != exclude][:50]
    return search


def department_search(app: Any):
    """Departments (all loaded once per session) matching the text."""
    from .picker import Choice

    def search(text: str) -> list[Choice]:
        needle = text.lower()
        departments = app.directory.departments if app.directory else []
        return [Choice("department", str(d.id), d.name, d.email or "") for d in departments
                if needle in d.name.lower() or needle == str(d.id)][:50]
    return search


def member_search(app: Any, group_id: str):
    """Users, then groups, then departments: anything a group may contain."""
    users, groups, departments = (user_search(app), group_search(app, exclude=group_id),
                                  department_search(app))

    def search(text: str) -> list[Choice]:
        return users(text)[:30] + groups(text)[:10] + departments(text)[:10]
    return search


# ------------------------------------------------------------------------------ groups


def group_current(row: Any) -> dict[str, Any]:
    return {"id": int(row[G_ID]), "name": row[G_NAME], "type": row[G_TYPE]}


class GroupEditActions(EditActionsBase):
    """Edits of groups, from the Groups list or a group detail."""

    EDIT_ACTIONS = GROUP_ACTIONS
    BINDINGS: ClassVar[list[Binding]] = bindings(GROUP_ACTIONS)

    def edit_groups(self) -> list[dict[str, Any]]:
        return [group_current(r) for r in self.selected_rows()]

    def edit_group(self) -> dict[str, Any] | None:
        row = self.one_row()
        return group_current(row) if row is not None else None

    async def after_group_edit(self, outcome: Any) -> None:
        """Groups change size and membership: reload the list (it is short)."""
        reload = getattr(self, "action_reload", None)
        if reload is not None:
            reload()

    def action_select_from_list(self) -> None:
        """Add the users a list names to the group under the cursor, or remove them."""
        from .selection import start_list_flow

        start_list_flow(self, "group")

    def action_new_group(self) -> None:
        from ...data.edits import CreateGroup
        from .flow import start_edit

        start_edit(self, CreateGroup(None), load=False, after=self.after_group_edit)  # type: ignore[arg-type]

    def action_edit_group(self) -> None:
        from ...data.edits import EditGroup
        from .flow import start_edit

        group = self.edit_group()
        if group is not None:
            start_edit(self, EditGroup(group), after=self.after_group_edit)  # type: ignore[arg-type]

    def action_delete_group(self) -> None:
        from ...data.edits import DeleteGroup
        from .flow import start_bulk, start_edit

        groups = self.edit_groups()
        if len(groups) == 1:
            start_edit(self, DeleteGroup(groups[0]), after=self.after_group_edit)  # type: ignore[arg-type]
        elif groups:
            start_bulk(self, self.bulk_title(f"Delete {len(groups)} groups"),  # type: ignore[arg-type]
                       [DeleteGroup(g) for g in groups], after=self.after_group_edit)

    def action_add_member(self) -> None:
        from ...data.edits import AddMember
        from .flow import start_edit
        from .picker import PickerScreen

        group = self.edit_group()
        if group is None:
            return

        def chosen(choice: Choice | None) -> None:
            if choice is not None:
                start_edit(self, AddMember(group, {  # type: ignore[arg-type]
                    "memberType": choice.kind, "memberId": choice.id,
                    "memberLabel": choice.label}), form=False, after=self.after_group_edit)

        self.app.push_screen(  # type: ignore[attr-defined]
            PickerScreen(f"Add a member to {group['name']}",
                         member_search(self.app, str(group["id"]))), chosen)  # type: ignore[attr-defined]

    def action_remove_member(self) -> None:
        group = self.edit_group()
        if group is not None:
            self.app.run_worker(self._pick_member_to_remove(group),  # type: ignore[attr-defined]
                                group="edits", exit_on_error=False)

    async def _pick_member_to_remove(self, group: dict[str, Any]) -> None:
        from ...data.edits import RemoveMember
        from ...data.edits.base import api_error, describe
        from .flow import start_edit
        from .picker import Choice, PickerScreen

        app = self.app  # type: ignore[attr-defined]
        try:
            members = await app.client.directory.group_members(group["id"])
        except Exception as exc:
            app.notify(describe(api_error(exc)), severity="error", title="Could not read members")
            return
        choices = (
            [Choice("user", u.id, u.nickname, u.name.full if hasattr(u.name, "full") else "")
             for u in members.users]
            + [Choice("group", str(g.id), g.name) for g in members.groups]
            + [Choice("department", str(d.id), d.name) for d in members.departments])

        def search(text: str) -> list[Choice]:
            needle = text.lower()
            return [c for c in choices if needle in f"{c.label} {c.detail} {c.id}".lower()]

        choice = await app.push_screen_wait(
            PickerScreen(f"Remove a member from {group['name']}", search))
        if choice is not None:
            start_edit(self, RemoveMember(  # type: ignore[arg-type]
                {**group, "members": [{"type": c.kind, "id": c.id} for c in choices]},
                {"memberType": choice.kind, "memberId": choice.id, "memberLabel": choice.label}),
                load=False, form=False, after=self.after_group_edit)


# ------------------------------------------------------------------------------ departments


class DepartmentEditActions(EditActionsBase):
    """Edits of departments; the screen gives the department under the cursor."""

    EDIT_ACTIONS = DEPARTMENT_ACTIONS
    BINDINGS: ClassVar[list[Binding]] = bindings(DEPARTMENT_ACTIONS)

    def edit_department(self) -> dict[str, Any] | None:
        """The department under the cursor of the screen's ``Tree`` (wire keys), or None."""
        from textual.widgets import Tree

        from ...data.edits.base import wire

        trees = self.query(Tree)
        node = trees.first().cursor_node if trees else None
        data = node.data if node is not None else None
        if not data or data[0] not in ("department", "members"):
            self.notify("put the cursor on a department", severity="warning")  # type: ignore[attr-defined]
            return None
        return wire(data[1])

    async def after_department_edit(self, outcome: Any) -> None:
        reload = getattr(self, "action_reload", None)
        cache = getattr(self.app, "directory", None)  # type: ignore[attr-defined]
        if cache is not None:
            cache.forget_departments()
        if reload is not None:
            reload()

    def action_new_department(self) -> None:
        from ...data.edits import CreateDepartment
        from .flow import start_edit

        parent = self.edit_department()
        values = {"parentId": str(parent["id"]) if parent else "1"}
        start_edit(self, CreateDepartment(None, values), load=False,  # type: ignore[arg-type]
                   after=self.after_department_edit)

    def action_edit_department(self) -> None:
        from ...data.edits import EditDepartment
        from .flow import start_edit

        dep = self.edit_department()
        if dep is not None:
            start_edit(self, EditDepartment(dep), after=self.after_department_edit)  # type: ignore[arg-type]

    def action_delete_department(self) -> None:
        from ...data.edits import DeleteDepartment
        from .flow import start_edit

        dep = self.edit_department()
        if dep is not None:
            start_edit(self, DeleteDepartment(dep), after=self.after_department_edit)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ shared files


def file_current(shared: Any) -> dict[str, Any]:
    """What ``Unpublish`` needs of a ``data.links.SharedFile``."""
    res = shared.resource
    return {"public_hash": res.public_hash, "name": res.name, "path": res.path,
            "user_id": shared.owner.id, "owner": shared.owner.nickname, "ident": shared.ident}


async def access_names(app: Any, shared: Any) -> dict[str, str]:
    """``"<type>:<id>"`` -> name for the access entries of ``shared`` (logins, group and
    department names), so the confirmation names who loses access."""
    from ..screens.detail import session_linker

    settings = shared.settings
    if settings is None:
        return {}
    linker = session_linker(app)
    graph = await linker.graph()
    uids = [str(a.id) for a in settings.accesses if a.id is not None
            and a.type.value in ("user", "owner")]
    users = await linker.user_names(uids)
    names: dict[str, str] = {}
    for access in settings.accesses:
        kind, ident = access.type.value, access.id
        if ident is None:
            continue
        if kind in ("user", "owner"):
            names[f"{kind}:{ident}"] = users.get(str(ident), str(ident))
        elif kind == "group":
            names[f"group:{ident}"] = graph.group_name(ident)
        elif kind == "department":
            names[f"department:{ident}"] = graph.department_name(ident)
    return names


class FileEditActions(EditActionsBase):
    """Unpublish from the Shared files view or a shared-file detail; the screen gives the
    selected ``SharedFile`` objects (``shared_files()``) and refreshes them afterwards."""

    EDIT_ACTIONS = FILE_ACTIONS
    BINDINGS: ClassVar[list[Binding]] = bindings(FILE_ACTIONS)

    def shared_files(self) -> list[Any]:
        """The selected shared files (marked rows, or the one under the cursor)."""
        return list(self.selected_rows())

    async def refresh_files(self, idents: list[str]) -> None:
        """Show the server's state of these files (``<owner uid>:<path>``) again (override
        per screen)."""

    async def after_file_edit(self, outcome: Outcome) -> None:
        await self.refresh_files([outcome.plan.target.id])

    async def after_file_bulk(self, result: Any) -> None:
        # Failed items too: a request that timed out may still have been applied.
        sent = ("ok", "verify-mismatch", "failed", "uncertain")
        await self.refresh_files([item.target.id for item in result.items
                                  if item.status in sent])

    def action_select_from_list(self) -> None:
        """Mark the resources a list names (public keys, or owners), then unpublish them."""
        from .selection import start_list_flow

        start_list_flow(self, "shared_file")

    def action_unpublish(self) -> None:
        from ...data.edits import Unpublish
        from .flow import start_bulk

        files = [f for f in self.shared_files() if f is not None]
        if len(files) == 1:
            self.app.run_worker(self._unpublish_one(files[0]),  # type: ignore[attr-defined]
                                group="edits", exit_on_error=False)
        elif files:
            start_bulk(self, self.bulk_title(  # type: ignore[arg-type]
                f"Unpublish {len(files)} resources"),
                [Unpublish(file_current(f)) for f in files], after=self.after_file_bulk)
        else:
            self.notify("no published resource selected", severity="warning")  # type: ignore[attr-defined]

    async def _unpublish_one(self, shared: Any) -> None:
        from ...data.edits import Unpublish
        from .flow import start_edit

        try:
            names = await access_names(self.app, shared)  # type: ignore[attr-defined]
        except Exception:  # names are a courtesy: ids are shown instead
            names = {}
        start_edit(self, Unpublish({**file_current(shared), "names": names}),  # type: ignore[arg-type]
                   after=self.after_file_edit)
