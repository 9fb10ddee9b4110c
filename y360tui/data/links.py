"""What each directory object links to, computed from API data (no widgets here).

The API answers only direct relations: ``user.groups`` lists the groups a user is a direct
member of, ``group.members``/``memberOf`` list direct members and parents, and departments know
only their ``parentId``. The explorer also shows what follows from them:

- **inherited groups**: a user belongs to every group that contains one of their groups, their
  department or one of that department's ancestors, and to every group containing those, and so
  on. ``GroupGraph`` answers this from the full groups and departments lists; it walks the graph
  breadth-first with a visited set, so cycles (a group inside itself through others) end.
- **department members**: the API has no server filter for "users of department X" (the users
  list takes only ``page``/``perPage``). Scanning only the rows some view happened to load would
  silently miss members, so the linker pages through *every* user once per session, through the
  session's shared users list (``DirectoryCache.load_all_users``: compact rows, bounded
  concurrency, pages already loaded by the Users view are not fetched again), then indexes the
  rows by department. Later departments are dictionary reads.
- **shared-file access**: an access entry names a user, group or department by numeric id;
  ``Linker.access_targets`` resolves those ids to objects the explorer can open.

``Target`` is one drillable (or informational) line of a detail screen's links list.
``Linker`` holds the session caches (groups, departments, users) and builds the targets; the
public Disk resources of every user are ``data.inventory``'s (one per session, on the linker).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..api.errors import ApiError, NotFound, TransportError, Y360Error
from ..api.models import (
    Access,
    AccessType,
    AuditEvent,
    Department,
    Group,
    MailEvent,
    MemberType,
    PublicSettings,
    ResourceShort,
    ShortUser,
    TrackerUser,
    User,
)
from .directory import U_ID, U_LOGIN, U_NAME
from .paged import LookupCache
from .user_extras import extra_user_targets

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from .directory import DirectoryCache

# Target kinds the detail screen knows how to open.
USER = "user"
GROUP = "group"
DEPARTMENT = "department"
SHARED_FILE = "shared_file"
VIEW = "view"  # a list view filtered to the object (e.g. this user's mail audit events)
INFO = "info"  # a fact shown in the links list that opens nothing (2FA state, auth type)


@dataclass(frozen=True)
class Target:
    """One line in a detail screen's links list.

    ``section`` groups lines (``Groups``, ``Members`` …); ``kind`` says what Enter opens and
    ``key`` identifies it (a uid, a group or department id, or for ``VIEW`` the view name);
    ``params`` carries view filters (``{"uid": "…"}``); ``note`` is shown dimmed next to the
    label (``inherited via Sales``); ``obj`` is the object when it is already loaded.
    """

    section: str
    kind: str
    key: Any
    label: str
    note: str = ""
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    obj: Any = field(default=None, hash=False, compare=False)

    @property
    def drillable(self) -> bool:
        """True when Enter on this line opens something."""
        return self.kind != INFO


# --------------------------------------------------------------------------- the graph


@dataclass(frozen=True)
class Membership:
    """A group a user belongs to: ``direct`` or inherited ``via`` a chain of containers."""

    group: Group
    direct: bool
    via: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        """``direct`` or ``inherited via A › B``."""
        if self.direct:
            return "direct"
        return "inherited via " + " › ".join(self.via)


class GroupGraph:
    """Groups and departments of an organisation, indexed for membership questions."""

    def __init__(self, groups: Iterable[Group], departments: Iterable[Department]) -> None:
        self.groups: dict[int, Group] = {g.id: g for g in groups}
        self.departments: dict[int, Department] = {d.id: d for d in departments}
        # Who contains whom: built from ``members`` and ``memberOf`` both, so the graph is
        # right even when one side of a relation is missing from a listing.
        self.parents_of_group: dict[int, set[int]] = {}
        self.groups_of_department: dict[int, set[int]] = {}
        self.children: dict[int, list[Department]] = {}
        for group in self.groups.values():
            for parent in group.member_of:
                self.parents_of_group.setdefault(group.id, set()).add(parent)
            for member in group.members:
                if not member.id.isdigit():
                    continue
                if member.type is MemberType.GROUP:
                    self.parents_of_group.setdefault(int(member.id), set()).add(group.id)
                elif member.type is MemberType.DEPARTMENT:
                    self.groups_of_department.setdefault(int(member.id), set()).add(group.id)
        for dep in sorted(self.departments.values(), key=lambda d: (d.name.lower(), d.id)):
            self.children.setdefault(dep.parent_id, []).append(dep)

    def group_name(self, gid: int) -> str:
        """The group's name, or ``group <id>`` when it is unknown."""
        group = self.groups.get(gid)
        return group.name if group and group.name else f"group {gid}"

    def department_name(self, did: int) -> str:
        """The department's name, or ``department <id>`` when it is unknown."""
        dep = self.departments.get(did)
        return dep.name if dep and dep.name else f"department {did}"

    def department_chain(self, did: int) -> list[int]:
        """``did`` and its ancestors up to the root, nearest first (cycle-safe)."""
        chain: list[int] = []
        current = did
        while current and current not in chain:
            chain.append(current)
            dep = self.departments.get(current)
            if dep is None:
                break
            current = dep.parent_id
        return chain

    def user_memberships(self, user: User | ShortUser, direct_ids: Iterable[int] = ()
                         ) -> list[Membership]:
        """Every group ``user`` belongs to: direct ones first, then inherited ones in the
        order a breadth-first walk reaches them (nearest containers first).

        ``direct_ids`` defaults to ``user.groups`` (a ``ShortUser`` has none).
        """
        direct = list(dict.fromkeys(direct_ids or getattr(user, "groups", [])))
        found: dict[int, tuple[str, ...]] = {gid: () for gid in direct}
        queue: deque[tuple[int, tuple[str, ...]]] = deque((gid, ()) for gid in direct)
        for did in self.department_chain(user.department_id):
            via = (self.department_name(did),)
            for gid in sorted(self.groups_of_department.get(did, ())):
                if gid not in found:
                    found[gid] = via
                    queue.append((gid, via))
        while queue:
            gid, via = queue.popleft()
            step = (*via, self.group_name(gid))
            for parent in sorted(self.parents_of_group.get(gid, ())):
                if parent not in found:
                    found[parent] = step
                    queue.append((parent, step))
        return [Membership(self._group(gid), not via and gid in direct, via)
                for gid, via in found.items()]

    def ancestors_of_group(self, gid: int) -> list[int]:
        """Every group containing ``gid`` directly or through other groups (cycle-safe)."""
        seen: list[int] = []
        queue = deque(sorted(self.parents_of_group.get(gid, ())))
        while queue:
            parent = queue.popleft()
            if parent in seen or parent == gid:
                continue
            seen.append(parent)
            queue.extend(sorted(self.parents_of_group.get(parent, ())))
        return seen

    def _group(self, gid: int) -> Group:
        return self.groups.get(gid) or Group(id=gid, name=f"group {gid}")


# --------------------------------------------------------------------------- the linker

Loader = Callable[[], Awaitable[Any]]


def _quiet(task: asyncio.Future[Any]) -> None:
    """Done callback of a task started early: its error is raised to the later awaiter (the
    shared computation's own), not logged as never retrieved."""
    if not task.cancelled():
        task.exception()


class Once:
    """An async value computed at most once; concurrent callers share one computation.

    A failure is not cached: the next caller tries again.
    """

    def __init__(self, load: Loader) -> None:
        self._load = load
        self._task: asyncio.Task[Any] | None = None
        self.value: Any = None

    @property
    def ready(self) -> bool:
        """True once the value has been computed."""
        return self._task is not None and self._task.done() and not self._task.cancelled() \
            and self._task.exception() is None

    async def get(self) -> Any:
        """The value, computing it on first use."""
        if self._task is None or (self._task.done() and (
                self._task.cancelled() or self._task.exception() is not None)):
            self._task = asyncio.ensure_future(self._load())
        self.value = await asyncio.shield(self._task)
        return self.value

    def reset(self) -> None:
        """Forget the value (after an edit changed the data behind it)."""
        self._task = None
        self.value = None


@dataclass
class SharedFile:
    """A public resource of one user, with its access settings once they are fetched."""

    owner: User | ShortUser
    resource: ResourceShort
    settings: PublicSettings | None = None
    settings_error: str = ""

    @property
    def ident(self) -> str:
        """``<owner uid>:<path>``: what a detail screen needs to find the file again."""
        return f"{self.owner.id}:{self.resource.path}"


def split_file_ident(ident: str) -> tuple[str, str]:
    """``(uid, path)`` from a ``SharedFile.ident`` (uids are digits, so the first ``:``
    separates them even though paths start with ``disk:``)."""
    uid, _, path = ident.partition(":")
    if not uid.isdigit() or not path:
        raise ValueError(f"not a shared-file id: {ident!r}")
    return uid, path


def user_label(user: User | ShortUser) -> str:
    """``nickname`` plus the full name when there is one."""
    full = user.name.full
    return f"{user.nickname} — {full}" if full else user.nickname or user.id


def failure_text(exc: Y360Error) -> str:
    """Why one side lookup failed, in a few words: the API's status and message, or what
    broke on the way (a dropped connection, an unreadable body)."""
    if isinstance(exc, ApiError):
        return f"{exc.status}: {exc.message}"
    if isinstance(exc, TransportError):
        return f"network: {exc.message}"
    return f"unreadable answer: {getattr(exc, 'message', exc)}"


def access_label(access: Access) -> str:
    """An access entry's rights as short text: ``read, write``."""
    return ", ".join(r.value for r in access.rights) or "no rights"


def access_summary(settings: PublicSettings | None) -> str:
    """The access column of a shared file: link audience plus personal entries, e.g.
    ``all · 2 personal``, ``employees``, ``3 personal``, ``owner only`` (``…`` = not loaded)."""
    if settings is None:
        return "…"
    macros = [m for a in settings.accesses if a.type is AccessType.MACRO for m in a.macros]
    personal = sum(1 for a in settings.accesses
                   if a.type in (AccessType.USER, AccessType.GROUP, AccessType.DEPARTMENT))
    parts = list(dict.fromkeys(macros))
    if personal:
        parts.append(f"{personal} personal")
    return " · ".join(parts) or "owner only"


# --------------------------------------------------------------------------- the linker


class Linker:
    """Session caches and link building for detail screens.

    ``directory`` is the session's ``DirectoryCache``: its departments list and its shared users
    list are reused rather than fetched again. Groups are loaded here in full (the list view's
    rows drop members and memberOf, which the graph needs). ``member_cap`` bounds how many
    members a department shows (a note says how many more there are).
    """

    def __init__(self, client: Y360Client, directory: DirectoryCache, *,
                 concurrency: int = 8, member_cap: int = 1000) -> None:
        self.client = client
        self.directory = directory
        self.member_cap = member_cap
        self.concurrency = concurrency
        self._graph = Once(self._load_graph)
        self._forgot_at = 0.0
        self._all_users = Once(self._load_all_users)
        self.users: LookupCache[str, User] = LookupCache(client.directory.get_user,
                                                         concurrency=concurrency)

    # ------------------------------------------------------------------ caches

    async def graph(self) -> GroupGraph:
        """The group graph (every group and department, loaded once per session)."""
        return await self._graph.get()

    async def _load_graph(self) -> GroupGraph:
        # Compact groups: the graph's fields only (``data.group_graph``).
        groups_task = asyncio.ensure_future(self._compact_groups())
        await self.directory.load_departments()
        groups = await groups_task
        return GroupGraph(groups, self.directory.departments)

    async def _compact_groups(self) -> list[Any]:
        """Every group, compact: from the session's Groups list (loading what it lacks; pages
        the background load has in flight are awaited, not fetched twice), or read afresh
        after ``forget`` (an edit changed them) or when that list cannot be completed."""
        from .group_graph import graph_groups

        groups = self.directory.compact_groups(self._forgot_at)
        if groups is None and not self._forgot_at:
            with contextlib.suppress(Exception):  # read afresh below, which reports the error
                await self.directory.groups.load_all(4)
            groups = self.directory.compact_groups(self._forgot_at)
        return groups if groups is not None else await graph_groups(self.client)

    def forget(self) -> None:
        """Drop every cache (after an edit changed groups, departments or users)."""
        self._forgot_at = time.monotonic()  # the Groups list's pages from before are stale
        self._graph.reset()
        self._all_users.reset()
        self.users = LookupCache(self.client.directory.get_user, concurrency=self.concurrency)

    async def _load_all_users(self) -> bool:
        await self.directory.load_all_users()
        return True

    async def department_members(self, did: int) -> list[tuple[str, str]]:
        """``(uid, label)`` of the users whose department is ``did`` (full scan, see the
        module docstring)."""
        await self._all_users.get()
        rows = self.directory.users_in_department(did)
        return [(r[U_ID], f"{r[U_LOGIN]} — {r[U_NAME]}" if r[U_NAME] else r[U_LOGIN])
                for r in rows]

    async def user_names(self, uids: Iterable[str]) -> dict[str, str]:
        """A label per uid (fetched with bounded concurrency; the uid itself on failure)."""
        wanted = [u for u in dict.fromkeys(uids) if u]
        await self.users.load(wanted)
        return {u: user_label(self.users.values[u]) if u in self.users.values else u
                for u in wanted}

    # ------------------------------------------------------------------ objects by id

    async def load(self, kind: str, ident: str) -> Any:
        """The object a ``Target`` of ``kind`` names (fresh from the API for users)."""
        if kind == USER:
            # Its detail names the user's groups: start the graph beside the user's request.
            self._graph_early = asyncio.ensure_future(self._graph.get())
            self._graph_early.add_done_callback(_quiet)
            user = await self.client.directory.get_user(ident)
            self.users.values[user.id] = user
            return user
        if kind == GROUP:
            return await self.client.directory.get_group(int(ident))
        if kind == DEPARTMENT:
            return await self.client.directory.get_department(int(ident))
        if kind == SHARED_FILE:
            return await self.shared_file(ident)
        raise ValueError(f"unknown object kind {kind!r}")

    async def shared_file(self, ident: str) -> SharedFile:
        """The shared file ``<uid>:<path>`` with its settings (NotFound if unpublished)."""
        uid, path = split_file_ident(ident)
        owner = await self.load(USER, uid)
        for shared in await self._inventory().files_of(uid, owner):  # its row updated too
            if shared.resource.path == path:
                shared.settings, shared.settings_error = None, ""  # read again, as asked
                await self.fill_settings([shared])
                return shared
        raise NotFound(404, f"{path} of {owner.nickname} is not published any more",
                       method="GET", path="/v1/disk/public/resources/admin/public-resources")

    async def shared_files_of(self, owner: User | ShortUser) -> list[SharedFile]:
        """Every public resource of ``owner``, with settings."""
        files = await self._inventory().files_of(owner.id, owner)
        await self.fill_settings(files)
        return files

    def _inventory(self) -> Any:
        """The session's Shared files inventory (``data.inventory``): one code path for the
        view, details, export and findings."""
        from .inventory import inventory_for

        return inventory_for(self)

    async def fill_settings(self, files: list[SharedFile]) -> None:
        """Fetch each file's public settings (bounded concurrency); a failure is kept as
        ``settings_error`` on that file, so one broken resource does not hide the others."""
        gate = asyncio.Semaphore(self.concurrency)

        async def one(shared: SharedFile) -> None:
            async with gate:
                try:
                    shared.settings = await self._settings(shared)
                    shared.settings_error = ""
                except Y360Error as exc:  # dropped or garbled too: one file, not all
                    shared.settings_error = failure_text(exc)

        await asyncio.gather(*(one(f) for f in files))

    async def _settings(self, shared: SharedFile) -> PublicSettings:
        key = shared.resource.public_hash
        if key:
            return await self.client.disk.admin_public_settings(key)
        return await self.client.disk.admin_public_settings_by_path(shared.owner.id,
                                                                     shared.resource.path)

    # ------------------------------------------------------------------ links

    async def targets(self, obj: Any) -> list[Target]:
        """The links list of ``obj`` (a user, group, department or shared file)."""
        if isinstance(obj, User):
            return await self.user_targets(obj)
        if isinstance(obj, Group):
            return await self.group_targets(obj)
        if isinstance(obj, Department):
            return await self.department_targets(obj)
        if isinstance(obj, SharedFile):
            return await self.shared_file_targets(obj)
        return self.record_targets(obj)

    def record_targets(self, obj: Any) -> list[Target]:
        """Links of log records and Tracker users: the directory users they name."""
        out: list[Target] = []
        if isinstance(obj, MailEvent):
            if obj.user_uid:
                out.append(Target("Mailbox owner", USER, obj.user_uid, obj.user_login or
                                  obj.user_uid, note=obj.user_name))
            if obj.actor_uid and obj.actor_uid != obj.user_uid:
                out.append(Target("Acted by", USER, obj.actor_uid, obj.actor_uid))
        elif isinstance(obj, AuditEvent):
            if obj.event.uid:
                out.append(Target("Initiator", USER, str(obj.event.uid),
                                  obj.user_login or str(obj.event.uid), note=obj.user_name))
        elif isinstance(obj, TrackerUser) and obj.passport_uid:
            out.append(Target("Directory user", USER, str(obj.passport_uid),
                              obj.login or str(obj.passport_uid), note=obj.display))
        return out

    @property
    def graph_ready(self) -> bool:
        """True once the group graph is loaded (a user's links then come at once)."""
        return self._graph.ready

    async def quick_user_targets(self, user: User) -> list[Target]:
        """A user's first links, before the group graph (every group of the org) is in: the
        department and the direct groups, each read by id — a few small requests instead of
        megabytes — then lines saying what follows (``user_targets`` replaces them)."""
        directory = self.client.directory

        async def group(gid: int) -> Group | None:
            try:
                return await directory.get_group(gid)
            except Y360Error:
                return None  # named by its id; the full links say more

        async def department_name() -> str:
            known = self.directory.department_names.get(user.department_id)
            if known:
                return known
            try:
                return (await directory.get_department(user.department_id)).name
            except Y360Error:
                return f"department {user.department_id}"

        name, *groups = await asyncio.gather(department_name(), *map(group, user.groups))
        out = [Target("Department", DEPARTMENT, user.department_id, name)]
        out += [Target("Groups", GROUP, gid, (g.name if g else "") or f"group {gid}",
                       note="direct", obj=g) for gid, g in zip(user.groups, groups, strict=True)]
        out.append(Target("Groups", INFO, "inherited", "inherited groups",
                          note="loading every group…"))
        out.append(Target("Security", INFO, "2fa", "2FA", note="…"))
        return out

    async def user_targets(self, user: User) -> list[Target]:
        """Department, groups (direct and inherited), 2FA, sign-in method, shared files,
        mail audit events and audit events of ``user``."""
        graph_task = asyncio.ensure_future(self.graph())
        two_fa = asyncio.ensure_future(self._two_fa_text(user.id))
        files = asyncio.ensure_future(self._files_note(user.id))
        extras = asyncio.ensure_future(extra_user_targets(self.client, user))
        graph = await graph_task
        chain = graph.department_chain(user.department_id)
        parent = f"in {graph.department_name(chain[1])}" if len(chain) > 1 else ""
        out = [Target("Department", DEPARTMENT, user.department_id,
                      graph.department_name(user.department_id), note=parent)]
        memberships = graph.user_memberships(user)
        out += [Target("Groups", GROUP, m.group.id, m.group.name or f"group {m.group.id}",
                       note=m.note, obj=m.group) for m in memberships]
        if not memberships:
            out.append(Target("Groups", INFO, "groups", "no groups"))
        out += [Target("Heads", DEPARTMENT, d.id, d.name, note="head of department")
                for d in graph.departments.values() if d.head_id == user.id]
        out.append(Target("Security", INFO, "2fa", "2FA", note=await two_fa))
        # §6.1/§6.11: the API can set the sign-in method but offers no way to read it.
        out.append(Target("Security", INFO, "auth_type", "Sign-in method",
                          note="not exposed by the API"))
        params = {"uid": user.id, "login": user.nickname}
        out += [
            Target("Activity", VIEW, "user-shared-files", "Shared files", note=await files,
                   params=params),
            Target("Activity", VIEW, "user-mail-audit", "Mail audit events",
                   note="mail log filtered to this user", params=params),
            Target("Activity", VIEW, "user-audit-events", "Audit events",
                   note="audit events filtered to this user", params=params),
        ]
        return out + await extras

    async def _two_fa_text(self, uid: str) -> str:
        try:
            state = await self.client.directory.get_user_2fa(uid)
        except Y360Error as exc:  # one line of the links, not the whole list
            return f"unavailable ({failure_text(exc)})"
        phone = "security phone set" if state.has_security_phone else "no security phone"
        return f"{'enabled' if state.has2fa else 'not set up'}, {phone}"

    async def _files_note(self, uid: str) -> str:
        try:
            files = await self._inventory().files_of(uid)
        except Y360Error as exc:
            return f"unavailable ({failure_text(exc)})"
        count = len(files)
        return f"{count} public resource{'' if count == 1 else 's'}"

    async def group_targets(self, group: Group) -> list[Target]:
        """Members (users, groups, departments and the rest), member of, managers."""
        members_task = asyncio.ensure_future(self.client.directory.group_members_v2(group.id))
        graph = await self.graph()
        members = await members_task
        out = [Target("Members", USER, u.id, user_label(u), note=u.position, obj=u)
               for u in members.users]
        out += [Target("Members", GROUP, g.id, g.name, note=f"group · {g.members_count} members")
                for g in members.groups]
        out += [Target("Members", DEPARTMENT, d.id, d.name,
                       note=f"department · {d.members_count} employees")
                for d in members.departments]
        out += [Target("Members", INFO, c.id, " ".join(p for p in (c.last_name, c.first_name)
                                                       if p) or c.id, note="external contact")
                for c in members.external_contacts]
        out += [Target("Members", INFO, m.id, m.name or m.id, note="shared mailbox")
                for m in members.shared_mailboxes]
        if len(out) == 0:
            out.append(Target("Members", INFO, "members", "no members"))
        direct = set(group.member_of)
        for gid in graph.ancestors_of_group(group.id):
            note = "direct" if gid in direct else "inherited"
            out.append(Target("Member of", GROUP, gid, graph.group_name(gid), note=note))
        if group.admin_ids:
            names = await self.user_names(group.admin_ids)
            out += [Target("Managers", USER, uid, names[uid]) for uid in group.admin_ids]
        return out

    async def department_targets(self, dep: Department) -> list[Target]:
        """Parent, children, head, groups containing it, and members (full user scan)."""
        graph = await self.graph()
        out: list[Target] = []
        if dep.parent_id:
            out.append(Target("Parent", DEPARTMENT, dep.parent_id,
                              graph.department_name(dep.parent_id)))
        out += [Target("Children", DEPARTMENT, c.id, c.name, note=f"{c.members_count} employees")
                for c in graph.children.get(dep.id, [])]
        if dep.head_id:
            names = await self.user_names([dep.head_id])
            out.append(Target("Head", USER, dep.head_id, names[dep.head_id]))
        out += [Target("In groups", GROUP, gid, graph.group_name(gid))
                for gid in sorted(graph.groups_of_department.get(dep.id, ()))]
        members = await self.department_members(dep.id)
        out += [Target("Members", USER, uid, text) for uid, text in members[: self.member_cap]]
        if len(members) > self.member_cap:
            out.append(Target("Members", INFO, "more",
                              f"… {len(members) - self.member_cap} more",
                              note="filter the Users view by this department to see all"))
        if not members:
            out.append(Target("Members", INFO, "members", "no direct members"))
        return out

    async def shared_file_targets(self, shared: SharedFile) -> list[Target]:
        """The owner and each access entry, resolved to users, groups and departments."""
        out = [Target("Owner", USER, shared.owner.id, user_label(shared.owner))]
        if shared.settings is None:
            note = shared.settings_error or "not loaded"
            return [*out, Target("Access", INFO, "access", "access settings", note=note)]
        return out + await self.access_targets(shared.settings)

    async def access_targets(self, settings: PublicSettings) -> list[Target]:
        """Each access entry as a target: people, groups and departments drill on."""
        graph = await self.graph()
        uids = [str(a.id) for a in settings.accesses
                if a.type in (AccessType.USER, AccessType.OWNER) and a.id is not None]
        names = await self.user_names(uids)
        out: list[Target] = []
        for access in settings.accesses:
            out.append(self._access_target(access, graph, names))
        return out

    def _access_target(self, access: Access, graph: GroupGraph, names: dict[str, str]
                       ) -> Target:
        rights = access_label(access)
        if access.type is AccessType.MACRO:
            who = {"all": "anyone with the link", "employees": "employees of the organisation"}
            text = ", ".join(who.get(m, m) for m in access.macros) or "macro"
            return Target("Access", INFO, "macro", text, note=rights)
        if access.id is None:
            return Target("Access", INFO, access.type.value, access.type.value, note=rights)
        if access.type in (AccessType.USER, AccessType.OWNER):
            uid = str(access.id)
            note = f"owner · {rights}" if access.type is AccessType.OWNER else rights
            return Target("Access", USER, uid, names.get(uid, uid), note=note)
        if access.type is AccessType.GROUP:
            return Target("Access", GROUP, access.id, graph.group_name(access.id),
                          note=f"group · {rights}")
        if access.type is AccessType.DEPARTMENT:
            return Target("Access", DEPARTMENT, access.id, graph.department_name(access.id),
                          note=f"department · {rights}")
        return Target("Access", INFO, access.id, f"{access.type.value} {access.id}", note=rights)
