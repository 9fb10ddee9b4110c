"""The directory lists the explorer keeps for a session, as compact rows (no widgets here).

100,000 users as pydantic models would cost several hundred MB; a list row is a tuple of a few
short strings instead (~0.5 KB), built once when its page arrives. Detail screens fetch the full
object by id when it is opened.

Row layouts (indices are the ``U_*`` / ``G_*`` constants):

- user: ``(id, login, name, department name, position, status, admin, email, department id,
  enabled)`` with status ``active`` / ``blocked`` / ``dismissed``, admin ``admin`` / ``robot`` /
  ``""`` and enabled ``yes`` / ``no`` (the API's ``isEnabled``, which a dismissed account may
  still have);
- group: ``(id, name, type, members count, email, description)``.

The users list is shared by the Users view, the Departments tree (members per department need
every user: the API cannot filter users by department) and the command palette.

First paint: the first users request asks for ``first_page_size`` rows (100: a screenful, even
on a tall terminal, plus the table's one-screen lookahead), decoded ~5x faster than a full
500-row page; the rest of page 0 comes as the following pages of that size, fetched together,
so no user is fetched twice. Department names (4 pages of 1000 in a 100k org, ~1 MB of JSON)
are requested only after that first users page arrived (and, in the app, after it is drawn:
``hold_lookups``), so they neither delay it nor compete with its decoding; rows that arrive
before the names show ``…`` and are revised in place when the names come
(``PagedList.follow_up``/``revise``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..api.memory import bulk_decode
from ..api.models import Department, Group, User, UserBrief, UserTwoFA
from .paged import Chunk, LookupCache, PagedList
from .search import ExactIndex

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from .group_graph import GraphGroup

# The department cell of a row whose department names have not arrived yet.
PENDING_NAME = "…"

UserRow = tuple[str, str, str, str, str, str, str, str, str, str]
GroupRow = tuple[str, str, str, str, str, str]

(U_ID, U_LOGIN, U_NAME, U_DEPT, U_POSITION, U_STATUS, U_ADMIN, U_EMAIL, U_DEPT_ID,
 U_ENABLED) = range(10)
G_ID, G_NAME, G_TYPE, G_MEMBERS, G_EMAIL, G_DESCRIPTION = range(6)


def user_status(user: User | UserBrief) -> str:
    """``dismissed``, ``blocked`` or ``active``."""
    if user.is_dismissed:
        return "dismissed"
    return "active" if user.is_enabled else "blocked"


def user_row(user: User | UserBrief, department_names: dict[int, str] | None) -> UserRow:
    """The compact list row of ``user`` (``department_names`` None: not known yet)."""
    role = "admin" if user.is_admin else ("robot" if user.is_robot else "")
    if department_names is None:
        department = PENDING_NAME
    else:
        department = department_names.get(user.department_id, f"#{user.department_id}")
    return (user.id, user.nickname, user.name.full or user.display_name, department,
            user.position, user_status(user), role, user.email, str(user.department_id),
            "yes" if user.is_enabled else "no")


def group_row(group: Group) -> GroupRow:
    """The compact list row of ``group``."""
    return (str(group.id), group.name, str(group.type.value), str(group.members_count),
            group.email, " ".join(group.description.split()))


def user_key(row: UserRow) -> str:
    """What ``/`` matches in a user row: what the Users view shows (login, name, department,
    position, status, admin) and the e-mail; not the ids, which no column shows (the palette
    looks ids up on the server). The login is left out when the e-mail starts with
    ``login@``: matching the e-mail matches it too. Every character left out is filter time
    saved: a keystroke tests every loaded key (100,000 × ~80 characters)."""
    login, email = row[U_LOGIN], row[U_EMAIL]
    skip = (U_ID, U_LOGIN) if email.startswith(login + "@") else (U_ID,)
    return "\t".join(row[i] for i in range(U_DEPT_ID) if i not in skip)


def two_fa_text(state: UserTwoFA | None) -> str:
    """The 2FA column: ``on``, ``off``, or ``…`` while not fetched."""
    if state is None:
        return "…"
    return "on" if state.has2fa else "off"


class DirectoryCache:
    """Users and groups as ``PagedList``s of rows, departments in full, 2FA per user on demand.

    ``users_page_size`` is the ``perPage`` of user requests (max 1000): bigger pages mean fewer
    round trips but a longer wait for the first one.
    """

    def __init__(self, client: Y360Client, *, users_page_size: int = 1000,
                 first_page_size: int = 100, groups_page_size: int = 1000,
                 two_fa_concurrency: int = 8, sync_concurrency: int = 8) -> None:
        self.client = client
        self.first_page_size = min(first_page_size, users_page_size)
        self.users: PagedList[UserRow] = PagedList.random(
            self._users_page, users_page_size, user_key)
        self.groups: PagedList[GroupRow] = PagedList.random(self._groups_page, groups_page_size)
        self.two_fa: LookupCache[str, UserTwoFA] = LookupCache(
            client.directory.get_user_2fa, concurrency=two_fa_concurrency)
        self.departments: list[Department] = []
        self.department_names: dict[int, str] = {}
        self._departments_task: asyncio.Task[list[Department]] | None = None
        self._by_department: dict[str, list[int]] | None = None
        self._lookups = asyncio.Event()
        self._lookups.set()
        self.sync_concurrency = sync_concurrency
        # Groups list page -> (when read, its compact groups): the group graph reuses them.
        self._compact_groups: dict[int, tuple[float, list[GraphGroup]]] = {}
        # Set while no foreground load runs: the background pages wait for it (``foreground``).
        self._idle = asyncio.Event()
        self._idle.set()
        self._foreground = 0
        self.users.yield_to = self.groups.yield_to = self._idle.wait
        self.exact_users = ExactIndex(self.users, (U_ID, U_LOGIN, U_EMAIL))
        self.exact_groups = ExactIndex(self.groups, (G_ID, G_NAME, G_EMAIL))
        self._sync_task: asyncio.Task[None] | None = None
        self.sync_error: BaseException | None = None

    async def _users_page(self, page: int) -> Chunk[UserRow]:
        if page == 0 and self.users.page_size % self.first_page_size == 0:
            return await self._first_users_page()
        pager = self.client.directory.user_briefs(self.users.page_size)
        result = await pager.get_page(page + 1)
        return self._user_chunk([], result.items, result.total)

    async def _first_users_page(self) -> Chunk[UserRow]:
        """Page 0 in two steps: a screenful first (first paint), then the rest of the page as
        the next screenful-sized pages, fetched together, after the rows already loaded."""
        small = self.first_page_size
        pager = self.client.directory.user_briefs(small)
        if self.users.total is None or any(self.users.row(i) is None for i in range(small)):
            result = await pager.get_page(1)
            return self._user_chunk([], result.items, result.total)
        last = -(-min(self.users.page_size, self.users.total) // small)  # ceiling division
        results = await asyncio.gather(*(pager.get_page(n) for n in range(2, last + 1)))
        # The screenful as it is now: department names may have been filled in meanwhile.
        have = [row for i in range(small) if (row := self.users.row(i)) is not None]
        users = [user for result in results for user in result.items]
        total = results[-1].total if results else self.users.total
        return self._user_chunk(have, users, total)

    def _user_chunk(self, have: list[UserRow], users: list[UserBrief],
                    total: int | None) -> Chunk[UserRow]:
        names = self._loaded_department_names()
        if names is None and not self.users.following_up:
            self.users.follow_up(self._name_departments())
        return Chunk(have + [user_row(u, names) for u in users], total=total)

    def _loaded_department_names(self) -> dict[int, str] | None:
        task = self._departments_task
        if task is not None and task.done() and not task.cancelled() and not task.exception():
            return self.department_names
        return None

    @contextlib.contextmanager
    def foreground(self) -> Iterator[None]:
        """While open, the whole-directory load starts no new page (those in flight finish):
        what the admin waits for (a detail's first lines) is not queued behind ~100 pages."""
        self._foreground += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._foreground -= 1
            if not self._foreground:
                self._idle.set()

    def hold_lookups(self) -> None:
        """Hold the lookups that follow pages (department names) until ``open_lookups``: the
        app holds them while its first screenful of users is decoded and drawn, so their
        requests and decoding do not delay that frame."""
        self._lookups.clear()

    def open_lookups(self) -> None:
        """Let held and future lookups run."""
        self._lookups.set()

    async def lookups_open(self) -> None:
        """Return once lookups may run."""
        await self._lookups.wait()

    async def _name_departments(self) -> None:
        """Put department names into the rows that arrived before them."""
        await self._lookups.wait()
        names = await self.load_departments()

        def named(row: UserRow) -> UserRow:
            if row[U_DEPT] != PENDING_NAME:
                return row
            dept = int(row[U_DEPT_ID])
            return (*row[:U_DEPT], names.get(dept, f"#{dept}"), *row[U_DEPT + 1:])  # type: ignore[return-value]

        self.users.revise(named)

    async def _groups_page(self, page: int) -> Chunk[GroupRow]:
        # Parsed without models (``data.group_graph``): a page of 1,000 groups with their
        # members took ~170 ms of the event loop as ``GroupsPage``; the graph's compact groups
        # are kept beside the rows, so a user's detail needs no second download of them.
        from .group_graph import compact_group, fetch_page, raw_group_row

        body = await fetch_page(self.client, page + 1, self.groups.page_size)
        raws = body.get("groups") or []
        self._compact_groups[page] = (time.monotonic(), [compact_group(r) for r in raws])
        return Chunk([raw_group_row(r) for r in raws], total=int(body.get("total") or 0))

    def compact_groups(self, since: float = 0.0) -> list[GraphGroup] | None:
        """Every group, compact (``data.group_graph``), when the Groups list is complete and
        each of its pages was read after ``since`` (``time.monotonic``); else None."""
        pages = self.groups.page_count or 0
        if not self.groups.complete or any(
                self._compact_groups.get(p, (-1.0, []))[0] < since for p in range(pages)):
            return None
        return [g for p in range(pages) for g in self._compact_groups[p][1]]

    async def load_departments(self) -> dict[int, str]:
        """Every department (once per session; concurrent callers share the request);
        returns id -> name. A failure is not cached."""
        await asyncio.shield(self._start_departments())
        return self.department_names

    def _start_departments(self) -> asyncio.Task[list[Department]]:
        task = self._departments_task
        if task is None or (task.done() and (task.cancelled() or task.exception())):
            task = self._departments_task = asyncio.ensure_future(self._fetch_departments())
        return task

    def close(self) -> None:
        """Stop background work (department names, follow-ups) before the client closes, so
        nothing is left to fail on a closed connection pool at exit."""
        if self._sync_task is not None:
            self._sync_task.cancel()
        if self._departments_task is not None:
            self._departments_task.cancel()
        for paged in (self.users, self.groups):
            paged.cancel_follow_ups()

    def forget_departments(self) -> None:
        """Fetch the departments again on the next ``load_departments``."""
        self._departments_task = None

    async def _fetch_departments(self) -> list[Department]:
        departments = await self.client.directory.departments(1000).fetch_all(concurrency=4)
        self.departments = departments
        self.department_names = {d.id: d.name for d in departments}
        return departments

    async def load_all_users(self, concurrency: int | None = None) -> None:
        """Every page of users, ``concurrency`` at a time (first page first, for the total),
        then the department names of rows that came before them. The collector stays paused
        meanwhile (``bulk_decode``): the rows are kept, rescanning them is wasted work."""
        with bulk_decode():
            await self.users.load_all(concurrency or self.sync_concurrency)
        await self.users.settled()
        self._by_department = None

    # ------------------------------------------------------------------ the whole directory

    def start_sync(self) -> asyncio.Task[None]:
        """Load every user, group and department in the background (once; again after a
        failure), after the held lookups are let go: filter, sort and the palette then see the
        whole organisation. ``synced`` waits for it."""
        task = self._sync_task
        if task is None or (task.done() and (task.cancelled() or self.sync_error)):
            task = self._sync_task = asyncio.ensure_future(self._sync())
        return task

    @property
    def syncing(self) -> bool:
        """True while the background load of the whole directory runs."""
        return self._sync_task is not None and not self._sync_task.done()

    @property
    def synced_fully(self) -> bool:
        """True once users, groups and departments are all loaded."""
        return self.users.complete and self.groups.complete and bool(self.department_names)

    async def synced(self) -> None:
        """Wait for the background load (starting it if needed); its errors stay in
        ``sync_error`` and in the lists' failed pages, not raised here."""
        await asyncio.shield(self.start_sync())

    async def _sync(self) -> None:
        await self._lookups.wait()
        self.sync_error = None
        results = await asyncio.gather(self.load_all_users(), self._load_all_groups(),
                                       self.load_departments(), return_exceptions=True)
        self.sync_error = next((r for r in results if isinstance(r, BaseException)), None)
        for paged in (self.users, self.groups):
            await paged.prepare_search()
        for exact in (self.exact_users, self.exact_groups):
            await asyncio.sleep(0)
            exact.build()

    async def _load_all_groups(self) -> None:
        with bulk_decode():
            await self.groups.load_all(self.sync_concurrency)

    def users_in_department(self, department_id: int) -> list[UserRow]:
        """Loaded users whose department is ``department_id`` (complete after
        ``load_all_users``)."""
        if self._by_department is None or not self.users.complete:
            index: dict[str, list[int]] = {}
            for i, row in self.users.rows():
                index.setdefault(row[U_DEPT_ID], []).append(i)
            self._by_department = index
        rows = (self.users.row(i) for i in self._by_department.get(str(department_id), []))
        return [r for r in rows if r is not None]
