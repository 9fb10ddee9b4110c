"""The objects of one finding (Enter on a row of the Findings view), as the usual views show them.

Each screen is the view of its kind over a fixed list (``fixed_list``: a ``PagedList.random``
whose pages are slices of the finding's objects), so columns, filter, sort, marks, Enter and
the bulk edits are those of the view it imitates:

- users: ``UsersScreen``'s columns and edits (Space/*/U marks, sign out, block, …); after an
  edit the row is taken again from the session's users list, which the edit refreshed;
- groups: ``GroupsScreen``'s; after an edit the groups are read again from the API;
- shared files: ``SharedFilesScreen``'s (``u`` unpublishes, in bulk for marked rows);
- departments: name, parent, employees, e-mail; Enter opens the department;
- service applications and settings: a short list; Enter shows every field of the object.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from textual import on
from textual.screen import Screen

from ...api.errors import NotFound
from ...data.directory import G_ID, U_ID, group_row, user_key
from ...data.findings import SERVICE_APP, SETTING, Finding
from ...data.links import DEPARTMENT, GROUP, SHARED_FILE, USER
from ...data.paged import Chunk, PagedList
from ..widgets.lazy_table import Column, LazyTable
from .groups import GroupsScreen
from .list_view import ListScreen
from .shared_files import SharedFilesScreen
from .users import UsersScreen

PAGE_SIZE = 1000


def fixed_list(rows: Callable[[], list[Any]], search_key: Callable[[Any], str],
               page_size: int = PAGE_SIZE) -> PagedList[Any]:
    """A list whose pages are slices of ``rows()`` (read again on every page, so a screen
    may swap what it returns, e.g. after a reload)."""

    async def page(n: int) -> Chunk[Any]:
        items = rows()
        return Chunk(items[n * page_size:(n + 1) * page_size], total=len(items))

    return PagedList.random(page, page_size, search_key)


class FindingUsersScreen(UsersScreen):
    """The users of a finding, as the Users view shows them (columns, marks, edits)."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        self.rows = list(finding.objects)
        super().__init__(crumb=finding.title)

    def make_list(self) -> PagedList[Any]:
        """The finding's user rows."""
        return fixed_list(lambda: self.rows, user_key)

    def loading_elsewhere(self) -> bool:
        """The rows are all here."""
        return False

    def resync(self, uids: set[str]) -> None:
        """Take the rows of ``uids`` again from the session's users list (an edit refreshed
        them there)."""
        shared = self.app.directory.users  # type: ignore[attr-defined]
        fresh = {row[U_ID]: row for _, row in shared.rows() if row[U_ID] in uids}
        self.rows = [fresh.get(row[U_ID], row) for row in self.rows]
        for i, row in list(self.data.rows()):
            new = fresh.get(row[U_ID])
            if new is not None and new is not row:
                self.data.replace_row(i, new)
        if self.is_mounted:
            self.table.refresh_rows()

    async def after_user_edit(self, outcome: Any) -> None:
        """Refresh the shared row, then this list's copy."""
        await super().after_user_edit(outcome)
        self.resync({outcome.plan.target.id})

    async def after_user_bulk(self, result: Any) -> None:
        """Refresh the shared rows, then this list's copies."""
        await super().after_user_bulk(result)
        self.resync({item.target.id for item in result.items})


class FindingGroupsScreen(GroupsScreen):
    """The groups of a finding, as the Groups view shows them."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        self.rows = list(finding.objects)
        self._reread = False
        super().__init__(crumb=finding.title)

    def make_list(self) -> PagedList[Any]:
        """The finding's group rows."""
        return PagedList.random(self._page, PAGE_SIZE, self.search_key)

    async def _page(self, n: int) -> Chunk[Any]:
        if self._reread:
            self.rows = await self._read_again()
            self._reread = False
        return Chunk(self.rows[n * PAGE_SIZE:(n + 1) * PAGE_SIZE], total=len(self.rows))

    async def _read_again(self) -> list[Any]:
        """The groups as the server has them now (deleted ones left out)."""
        client = self.app.client  # type: ignore[attr-defined]
        gate = asyncio.Semaphore(8)

        async def one(gid: str) -> Any:
            async with gate:
                try:
                    return group_row(await client.directory.get_group(int(gid)))
                except NotFound:
                    return None

        rows = await asyncio.gather(*(one(row[G_ID]) for row in self.rows))
        return [r for r in rows if r is not None]

    def loading_elsewhere(self) -> bool:
        """The rows are all here."""
        return False

    def action_reload(self) -> None:
        """Read the groups again (after an edit, or R)."""
        self._reread = True
        super().action_reload()


class FindingFilesScreen(SharedFilesScreen):
    """The shared files of a finding, as the Shared files view shows them (``u`` unpublishes
    the file under the cursor, or the marked ones in bulk)."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        self.rows = list(finding.objects)
        super().__init__(crumb=finding.title)

    def make_list(self) -> PagedList[Any]:
        """The finding's files."""
        return fixed_list(lambda: self.rows, self.search_key)


class ObjectsScreen(ListScreen):
    """A short list of a finding's objects; Enter shows one (subclasses say how)."""

    EMPTY = "nothing found"

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        super().__init__(crumb=finding.title)

    def make_list(self) -> PagedList[Any]:
        """The finding's objects."""
        return fixed_list(lambda: list(self.finding.objects), self.search_key)

    def open_object(self, obj: Any) -> None:
        """Show every field of ``obj``."""
        from .detail import ObjectDetailScreen

        self.app.push_screen(ObjectDetailScreen(obj, self.label(obj)))

    def label(self, obj: Any) -> str:
        """The breadcrumb of ``obj``'s detail."""
        return str(self.cells(obj)[0])

    @on(LazyTable.Activated)
    def _open(self, event: LazyTable.Activated) -> None:
        if self.is_active and event.row is not None:
            self.open_object(event.row)


class FindingDepartmentsScreen(ObjectsScreen):
    """Departments: name, parent, employees, e-mail; Enter opens the department."""

    COLUMNS = [
        Column("Name", 28, priority=0, flex=True),
        Column("Parent", 24, priority=1, flex=True),
        Column("Employees", 9, priority=0, align_right=True,
               sort_key=lambda d: d.members_count),
        Column("Email", 24, priority=2, flex=True),
    ]

    def cells(self, row: Any) -> Sequence[str]:
        """Name, parent's name, employees, e-mail."""
        names = self.app.directory.department_names  # type: ignore[attr-defined]
        parent = names.get(row.parent_id, str(row.parent_id)) if row.parent_id else ""
        return (row.name, parent, str(row.members_count), row.email or "")

    def open_object(self, obj: Any) -> None:
        """The department's detail (its edits, members and links)."""
        self.app.open_detail(DEPARTMENT, str(obj.id), obj.name)  # type: ignore[attr-defined]


class FindingAppsScreen(ObjectsScreen):
    """Service applications: client id and scopes."""

    COLUMNS = [
        Column("Client id", 34, priority=0),
        Column("Scopes", 6, priority=1, align_right=True),
        Column("Scope list", 40, priority=0, flex=True),
    ]

    def cells(self, row: Any) -> Sequence[str]:
        """Client id, how many scopes, the scopes."""
        return (row.id, str(len(row.scopes)), ", ".join(row.scopes))


class FindingSettingsScreen(ObjectsScreen):
    """Security settings: what, value, the endpoint that gives it."""

    COLUMNS = [
        Column("Setting", 30, priority=0, flex=True),
        Column("Value", 16, priority=0),
        Column("Endpoint", 18, priority=1),
    ]

    def cells(self, row: Any) -> Sequence[str]:
        """Title, value, endpoint."""
        return (row.title, row.value, row.key)

    def open_object(self, obj: Any) -> None:
        """The setting as the API gives it."""
        from .detail import ObjectDetailScreen

        if obj.model is not None:
            self.app.push_screen(ObjectDetailScreen(obj.model, obj.title))


def _mail_forwards(finding: Finding) -> Screen:
    """Forwards outside the organisation: (user, rule) rows (``mail_settings`` imports this
    module, so it is imported here on first use)."""
    from .mail_settings import FindingMailForwardsScreen

    return FindingMailForwardsScreen(finding)


def _domains(finding: Finding) -> Screen:
    """Domains without MX/SPF/DKIM, as the Domains view shows them (imported on first use)."""
    from .domains import FindingDomainsScreen

    return FindingDomainsScreen(finding)


def _mail_rules(finding: Finding) -> Screen:
    """Routing rules forwarding outside, as the Mail routing view shows them (imported on
    first use)."""
    from .mail_routing import FindingMailRulesScreen

    return FindingMailRulesScreen(finding)


SCREENS: dict[str, Callable[[Finding], Screen]] = {
    "mail_forward": _mail_forwards,
    "mail_rule": _mail_rules,
    "domain": _domains,
    USER: FindingUsersScreen,
    GROUP: FindingGroupsScreen,
    SHARED_FILE: FindingFilesScreen,
    DEPARTMENT: FindingDepartmentsScreen,
    SERVICE_APP: FindingAppsScreen,
    SETTING: FindingSettingsScreen,
}


def objects_screen(finding: Finding) -> Screen:
    """The screen listing ``finding``'s objects."""
    return SCREENS[finding.kind](finding)
