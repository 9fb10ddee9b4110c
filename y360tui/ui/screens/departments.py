"""Departments: the tree by ``parentId``; expanding a department shows its sub-departments and
a "members" node that lists its employees. ``/`` filters the tree by department name or mailing
list: matching departments stay with the branches that lead to them (expanded) and their own
sub-tree (collapsed), with the match highlighted.

Departments are few (hundreds), so Textual's ``Tree`` is fine here. The API cannot list the users
of one department, so the first "members" node that is opened loads every user page into the
session's shared users list (in a worker, bounded concurrency) and reads members from it.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Click, ScreenResume, ScreenSuspend
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Tree
from textual.widgets.tree import TreeNode

from ...api.models import Department
from ...data.directory import U_ID, U_LOGIN, U_NAME, U_POSITION, U_STATUS
from ..dataout import DepartmentsDataOut
from ..forms.actions import DepartmentEditActions
from ..widgets.breadcrumb import Breadcrumb
from .list_view import StatusBar, error_text

Data = tuple[str, Any]  # ("department", Department) | ("members", Department) | ("user", row)


def department_label(dept: Department, query: str = "") -> Text:
    """Name, member count and mailing list; ``query`` highlighted (case-insensitive)."""
    email = f"  {dept.email}" if dept.email else ""
    text = Text(f"{dept.name}  ({dept.members_count}){email}")
    if query:
        text.highlight_regex(re.compile(re.escape(query), re.IGNORECASE), "reverse")
    return text


def department_matches(dept: Department, query: str) -> bool:
    """``query`` (already casefolded) is in the department's name or mailing list."""
    return query in dept.name.casefold() or query in dept.email.casefold()


def kept_by_filter(children_of: dict[int, list[Department]],
                   query: str) -> tuple[set[int], set[int]]:
    """``(matching ids, ids with a matching descendant)`` for a casefolded ``query``."""
    matches: set[int] = set()
    on_path: set[int] = set()

    def visit(dept: Department) -> bool:
        below = False
        for child in children_of.get(dept.id, []):
            below = visit(child) or below
        if below:
            on_path.add(dept.id)
        if department_matches(dept, query):
            matches.add(dept.id)
            return True
        return below

    for root in children_of.get(0, []):
        visit(root)
    return matches, on_path


def member_label(row: tuple[str, ...]) -> str:
    """Login, name, position, and the status when not active."""
    status = "" if row[U_STATUS] == "active" else f"  [{row[U_STATUS]}]"
    position = f" · {row[U_POSITION]}" if row[U_POSITION] else ""
    return f"{row[U_LOGIN]} — {row[U_NAME]}{position}{status}"


class DepartmentTree(Tree[Data]):
    """The department tree: Enter opens; a click moves the cursor and a double click opens,
    as in the lists (a plain ``Tree`` would open on every single click)."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open"),
        # Over the Tree's horizontal scrolling: the arrows walk the tree, as in a file manager.
        Binding("right,l", "expand", "Expand", show=False),
        Binding("left,h", "collapse", "Collapse / to parent", show=False),
    ]

    def on_click(self, event: Click) -> None:
        """Single click on a label: only move the cursor (the arrow still toggles)."""
        meta = event.style.meta
        if "line" not in meta or meta.get("toggle", False) or event.chain > 1:
            return  # Tree's own handler: toggle, or select on a double click
        event.prevent_default()
        self.cursor_line = meta["line"]

    def action_expand(self) -> None:
        """Expand the node under the cursor."""
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_collapse(self) -> None:
        """Collapse the node under the cursor, or move to its parent."""
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)


class DepartmentsScreen(DepartmentEditActions, DepartmentsDataOut, Screen):
    """The department tree; Enter opens the department (or user) under the cursor."""

    TITLE = "Departments"
    crumb = "Departments"
    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("escape", "escape", "Back", show=False),
        Binding("backspace", "back", "Back", show=False),
        Binding("R", "reload", "Reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = None  # the header shows the app's title (org, profile)
        self.children_of: dict[int, list[Department]] = {}
        self.query_text = ""  # the "/" filter as typed
        self.match_count = 0
        # "members" nodes whose load has not finished (leaving the view cancels it).
        self.members_waiting: set[TreeNode[Data]] = set()

    def compose(self) -> ComposeResult:
        """Header, breadcrumb, tree, filter input, status, footer."""
        yield Header()
        yield Breadcrumb(id="breadcrumb")
        tree = DepartmentTree("Departments", id="tree")
        tree.show_root = False
        tree.auto_expand = False
        yield tree
        yield Input(placeholder="filter departments…  (Enter keeps, Esc clears)", id="filter",
                    classes="hidden")
        yield StatusBar("loading departments…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Load the departments in a worker; the tree fills when they arrive."""
        self.query_one(Tree).focus()
        self.run_worker(self._load, group="departments", exit_on_error=False)

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
        self.children_of = {}
        for dept in sorted(self.cache.departments, key=lambda d: d.name.casefold()):
            self.children_of.setdefault(dept.parent_id, []).append(dept)
        self._fill_tree()

    def _fill_tree(self) -> None:
        """(Re)build the tree for the current filter (departments are few: hundreds), keeping
        the cursor on its department; a new filter puts it on the first match."""
        tree = self.query_one(Tree)
        self.members_waiting.clear()  # their nodes go with the old tree
        cursor = tree.cursor_node
        keep = cursor.data[1].id if cursor and cursor.data and cursor.data[0] == "department" \
            else None
        tree.clear()
        query = self.query_text.strip().casefold()
        matches, on_path = kept_by_filter(self.children_of, query) if query else (set(), set())
        self.match_count = len(matches)
        for dept in self.children_of.get(0, []):
            if not query:
                self._add_department(tree.root, dept).expand()
            elif dept.id in matches or dept.id in on_path:
                self._add_filtered(tree.root, dept, matches, on_path)
        self._reveal_matches(tree.root, matches)
        target = self._find(tree.root, lambda d: d.id in matches) if query else \
            self._find(tree.root, lambda d: d.id == keep)
        if target is None and tree.root.children:
            target = tree.root.children[0]
        if target is not None:
            self._reveal(target)
            tree.last_line  # noqa: B018  (builds the line index that move_cursor reads)
            tree.move_cursor(target)
        self._status(self._status_text())

    def _status_text(self) -> str:
        total = f"{len(self.cache.departments):,} departments"
        if self.query_text.strip():
            return f"{total}  ·  filter “{self.query_text.strip()}”: {self.match_count:,} match"
        return f"{total}  ·  Enter opens  ·  → expands  ·  / filters"

    def _add_department(self, parent: TreeNode[Data], dept: Department,
                        query: str = "") -> TreeNode[Data]:
        node = parent.add(department_label(dept, query), data=("department", dept))
        for child in self.children_of.get(dept.id, []):
            self._add_department(node, child, query)
        if dept.members_count:
            node.add("members…", data=("members", dept), allow_expand=True)
        return node

    def _add_filtered(self, parent: TreeNode[Data], dept: Department, matches: set[int],
                      on_path: set[int]) -> TreeNode[Data]:
        """A department kept by the filter: a match brings its whole sub-tree; a department
        that only leads to matches shows just those branches."""
        query = self.query_text.strip()
        if dept.id in matches:
            return self._add_department(parent, dept, query)
        node = parent.add(department_label(dept, query), data=("department", dept))
        for child in self.children_of.get(dept.id, []):
            if child.id in matches or child.id in on_path:
                self._add_filtered(node, child, matches, on_path)
        return node

    def _reveal_matches(self, node: TreeNode[Data], matches: set[int]) -> None:
        """Expand the branches that lead to every matching department under ``node``."""
        for child in node.children:
            data = child.data
            if data and data[0] == "department":
                if data[1].id in matches:
                    self._reveal(child)
                self._reveal_matches(child, matches)

    def _find(self, node: TreeNode[Data], wanted: Any) -> TreeNode[Data] | None:
        """The first department node at or under ``node`` (display order) with ``wanted(dept)``."""
        data = node.data
        if data and data[0] == "department" and wanted(data[1]):
            return node
        for child in node.children:
            if (found := self._find(child, wanted)) is not None:
                return found
        return None

    @staticmethod
    def _reveal(node: TreeNode[Data]) -> None:
        """Expand every ancestor of ``node`` so it is on screen."""
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent

    def _status(self, text: str) -> None:
        self.query_one(StatusBar).update(text)

    # ---------------------------------------------------------------- filter

    def action_filter(self) -> None:
        """Show the filter input and type into it."""
        box = self.query_one("#filter", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self.children_of:
            self._fill_tree()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        if not event.value:
            event.input.add_class("hidden")
        self.query_one(Tree).focus()

    def clear_filter(self) -> None:
        """Drop the filter, hide its input, show the whole tree again."""
        box = self.query_one("#filter", Input)
        box.value = ""
        box.add_class("hidden")
        self.query_text = ""
        if self.children_of:
            self._fill_tree()
        self.query_one(Tree).focus()

    def action_escape(self) -> None:
        """Esc: close/clear the filter first, then go back."""
        if self.query_one("#filter", Input).has_focus or self.query_text:
            self.clear_filter()
        else:
            self.action_back()

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[Data]) -> None:
        data = event.node.data
        if data and data[0] == "members" and not event.node.children:
            self.load_members(event.node)

    def load_members(self, node: TreeNode[Data]) -> None:
        """List the members of the department of a "members" ``node`` under it."""
        assert node.data is not None
        self.members_waiting.add(node)
        self.run_worker(partial(self._fill_members, node, node.data[1]), group="members",
                        exit_on_error=False)

    async def _fill_members(self, node: TreeNode[Data], dept: Department) -> None:
        cache = self.cache
        if not cache.users.complete:
            node.set_label("members (loading every user…)")
            try:
                await cache.load_all_users()
            except Exception as exc:
                self.members_waiting.discard(node)
                node.set_label("members (failed: R reloads)")
                self.notify(error_text(exc), severity="error", title="Members", timeout=8)
                return
        self.members_waiting.discard(node)
        rows = cache.users_in_department(dept.id)
        node.set_label(f"members ({len(rows)} direct)")
        for row in sorted(rows, key=lambda r: r[U_LOGIN]):
            node.add_leaf(member_label(row), data=("user", row))

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[Data]) -> None:
        event.stop()
        self.open_node(event.node)

    def action_open(self) -> None:
        """Open the department or user under the cursor; toggle a "members" node."""
        node = self.query_one(Tree).cursor_node
        if node is not None:
            self.open_node(node)

    def open_node(self, node: TreeNode[Data]) -> None:
        """Open the department or user of ``node``; toggle a "members" node."""
        if node.data is None or not self.is_active:
            return  # not on top: a second Enter typed before the first one's detail showed
        kind, value = node.data
        # Pushed right away (not by a message) so that second Enter finds this screen left.
        if kind == "department":
            self.app.open_detail("department", str(value.id), value.name)  # type: ignore[attr-defined]
        elif kind == "user":
            self.app.open_detail("user", value[U_ID], value[U_LOGIN])  # type: ignore[attr-defined]
        else:
            node.toggle()

    def action_back(self) -> None:
        """Back one step on the navigation stack."""
        self.app.action_back()  # type: ignore[attr-defined]

    def action_reload(self) -> None:
        """Load the departments again."""
        self.workers.cancel_node(self)
        self.cache.forget_departments()
        self.run_worker(self._load, group="departments", exit_on_error=False)

    def on_screen_suspend(self, event: ScreenSuspend) -> None:
        """Leaving the view: stop loading members."""
        self.workers.cancel_group(self, "members")

    def on_screen_resume(self, event: ScreenResume) -> None:
        """Back on the view: refresh the path, load again the members that leaving stopped."""
        self.query_one(Breadcrumb).update_path()
        for node in list(self.members_waiting):
            if node.is_expanded and not node.children:
                self.load_members(node)
            else:
                self.members_waiting.discard(node)

