"""Departments: the tree by ``parentId``; expanding a department shows its sub-departments and
a "members" node that lists its employees.

Departments are few (hundreds), so Textual's ``Tree`` is fine here. The API cannot list the users
of one department, so the first "members" node that is opened loads every user page into the
session's shared users list (in a worker, bounded concurrency) and reads members from it.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume, ScreenSuspend
from textual.screen import Screen
from textual.widgets import Footer, Header, Tree
from textual.widgets.tree import TreeNode

from ...api.models import Department
from ...data.directory import U_ID, U_LOGIN, U_NAME, U_POSITION, U_STATUS
from ..forms.actions import DepartmentEditActions
from ..registry import OpenDetail, register_view
from ..widgets.breadcrumb import Breadcrumb
from .list_view import StatusBar, error_text

Data = tuple[str, Any]  # ("department", Department) | ("members", Department) | ("user", row)


def department_label(dept: Department) -> str:
    """Name, member count and mailing list."""
    email = f"  {dept.email}" if dept.email else ""
    return f"{dept.name}  ({dept.members_count}){email}"


def member_label(row: tuple[str, ...]) -> str:
    """Login, name, position, and the status when not active."""
    status = "" if row[U_STATUS] == "active" else f"  [{row[U_STATUS]}]"
    position = f" · {row[U_POSITION]}" if row[U_POSITION] else ""
    return f"{row[U_LOGIN]} — {row[U_NAME]}{position}{status}"


@register_view(key="2", name="departments", title="Departments",
               description="the department tree, with members")
class DepartmentsScreen(DepartmentEditActions, Screen):
    """The department tree; Enter opens the department (or user) under the cursor."""

    TITLE = "Departments"
    crumb = "Departments"
    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("right,l", "expand", "Expand", show=False),
        Binding("left,h", "collapse", "Collapse", show=False),
        Binding("escape,backspace", "back", "Back", show=False),
        Binding("R", "reload", "Reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = None  # the header shows the app's title (org, profile)
        self.children_of: dict[int, list[Department]] = {}

    def compose(self) -> ComposeResult:
        """Header, breadcrumb, tree, status, footer."""
        yield Header()
        yield Breadcrumb(id="breadcrumb")
        tree: Tree[Data] = Tree("Departments", id="tree")
        tree.show_root = False
        tree.auto_expand = False
        yield tree
        yield StatusBar("loading departments…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Load the departments in a worker; the tree fills when they arrive."""
        self.query_one(Tree).focus()
        self.run_worker(self._load(), group="departments", exit_on_error=False)

    @property
    def cache(self) -> Any:
        """The session's directory cache."""
        return self.app.directory  # type: ignore[attr-defined]

    async def _load(self) -> None:
        try:
            await self.cache.load_departments()
        except Exception as exc:
            self._status(f"could not load departments: {error_text(exc)} (R reloads)")
            self.notify(error_text(exc), severity="error", title="Departments", timeout=8)
            return
        self._build()

    def _build(self) -> None:
        departments = self.cache.departments
        self.children_of = {}
        for dept in sorted(departments, key=lambda d: d.name.casefold()):
            self.children_of.setdefault(dept.parent_id, []).append(dept)
        tree = self.query_one(Tree)
        tree.clear()
        roots = self.children_of.get(0, [])
        for dept in roots:
            node = self._add_department(tree.root, dept)
            node.expand()
        self._status(f"{len(departments):,} departments  ·  Enter opens  ·  → expands")

    def _add_department(self, parent: TreeNode[Data], dept: Department) -> TreeNode[Data]:
        node = parent.add(department_label(dept), data=("department", dept))
        for child in self.children_of.get(dept.id, []):
            self._add_department(node, child)
        if dept.members_count:
            node.add("members…", data=("members", dept), allow_expand=True)
        return node

    def _status(self, text: str) -> None:
        self.query_one(StatusBar).update(text)

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[Data]) -> None:
        data = event.node.data
        if data and data[0] == "members" and not event.node.children:
            self.run_worker(self._fill_members(event.node, data[1]), group="members",
                            exit_on_error=False)

    async def _fill_members(self, node: TreeNode[Data], dept: Department) -> None:
        cache = self.cache
        if not cache.users.complete:
            node.set_label("members (loading every user…)")
            try:
                await cache.load_all_users()
            except Exception as exc:
                node.set_label("members (failed: R reloads)")
                self.notify(error_text(exc), severity="error", title="Members", timeout=8)
                return
        rows = cache.users_in_department(dept.id)
        node.set_label(f"members ({len(rows)} direct)")
        for row in sorted(rows, key=lambda r: r[U_LOGIN]):
            node.add_leaf(member_label(row), data=("user", row))

    def action_open(self) -> None:
        """Open the department or user under the cursor; toggle a "members" node."""
        node = self.query_one(Tree).cursor_node
        if node is None or node.data is None:
            return
        kind, value = node.data
        if kind == "department":
            self.post_message(OpenDetail("department", str(value.id), value.name))
        elif kind == "user":
            self.post_message(OpenDetail("user", value[U_ID], value[U_LOGIN]))
        else:
            node.toggle()

    def action_expand(self) -> None:
        """Expand the node under the cursor."""
        node = self.query_one(Tree).cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_collapse(self) -> None:
        """Collapse the node under the cursor, or move to its parent."""
        tree = self.query_one(Tree)
        node = tree.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None and node.parent is not tree.root:
            tree.move_cursor(node.parent)

    def action_back(self) -> None:
        """Back one step on the navigation stack."""
        self.app.action_back()  # type: ignore[attr-defined]

    def action_reload(self) -> None:
        """Load the departments again."""
        self.workers.cancel_node(self)
        self.cache.forget_departments()
        self.run_worker(self._load(), group="departments", exit_on_error=False)

    def on_screen_suspend(self, event: ScreenSuspend) -> None:
        """Leaving the view: stop loading members."""
        self.workers.cancel_group(self, "members")

    def on_screen_resume(self, event: ScreenResume) -> None:
        """Back on the view: refresh the path."""
        self.query_one(Breadcrumb).update_path()

