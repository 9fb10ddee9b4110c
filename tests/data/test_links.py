"""links.py: the group graph (inherited groups, cycles), department members, shared-file access,
and every object's targets, against the in-process emulator."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import httpx
import pytest

from y360tui.api import Y360Client
from y360tui.api.models import Department, Group, PublicSettings, User
from y360tui.data.directory import PENDING_NAME, U_DEPT, DirectoryCache
from y360tui.data.inventory import inventory_for
from y360tui.data.links import (
    DEPARTMENT,
    GROUP,
    INFO,
    USER,
    VIEW,
    GroupGraph,
    Linker,
    SharedFile,
    access_summary,
    split_file_ident,
)
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def org():
    """200 users, seed 3; tests here only read it."""
    return generate_org(users=200, seed=3, now=NOW)


@pytest.fixture
async def linker(org):
    app = create_app(org)
    async with Y360Client(org.admin_token, org.id, transport=httpx.ASGITransport(app)) as client:
        linker = Linker(client, DirectoryCache(client, users_page_size=50))
        linker.request_log = app.state.request_log  # type: ignore[attr-defined]
        yield linker


def expected_groups(org, uid: str) -> set[int]:
    """Every group containing ``uid``: a fixpoint over the raw wire data (a different method
    than the graph walk under test)."""
    user = org.users[uid]
    deps, did = set(), user["departmentId"]
    while did:
        deps.add(did)
        did = org.departments[did]["parentId"]
    inside = {("user", uid)} | {("department", str(d)) for d in deps}
    found: set[int] = set()
    changed = True
    while changed:
        changed = False
        for gid, group in org.groups.items():
            if gid in found:
                continue
            if any((m["type"], m["id"]) in inside for m in group["members"]):
                found.add(gid)
                inside.add(("group", str(gid)))
                changed = True
    return found


# ------------------------------------------------------------------------ pure graph


def test_graph_inherits_through_groups_and_department_ancestors():
    groups = [
        Group(id=1, name="Direct", member_of=[2]),
        Group(id=2, name="Parent", members=[{"type": "group", "id": "1"}]),
        Group(id=3, name="Grand", members=[{"type": "group", "id": "2"}]),
        Group(id=4, name="Office", members=[{"type": "department", "id": "10"}]),
        Group(id=5, name="Unrelated"),
    ]
    deps = [Department(id=1, name="All", parent_id=0), Department(id=10, name="Sales",
                                                                  parent_id=1),
            Department(id=11, name="Sales East", parent_id=10)]
    graph = GroupGraph(groups, deps)
    user = User(id="7", nickname="ivan", department_id=11, groups=[1])
    got = {m.group.id: m for m in graph.user_memberships(user)}
    assert set(got) == {1, 2, 3, 4}
    assert got[1].direct and got[1].note == "direct"
    assert not got[3].direct and got[3].note == "inherited via Direct › Parent"
    assert got[4].note == "inherited via Sales"  # through an ancestor of the user's department


def test_graph_survives_cycles():
    groups = [Group(id=1, name="A", member_of=[2]), Group(id=2, name="B", member_of=[3]),
              Group(id=3, name="C", member_of=[1])]
    graph = GroupGraph(groups, [Department(id=1, name="All")])
    user = User(id="7", department_id=1, groups=[1])
    assert sorted(m.group.id for m in graph.user_memberships(user)) == [1, 2, 3]
    assert graph.ancestors_of_group(1) == [2, 3]
    # A department whose parent chain loops back on itself ends too.
    looped = GroupGraph([], [Department(id=5, parent_id=6), Department(id=6, parent_id=5)])
    assert looped.department_chain(5) == [5, 6]


def test_access_summary_and_file_ident():
    settings = PublicSettings.model_validate({"available_until": None, "accesses": [
        {"type": "macro", "macros": ["employees"], "rights": ["read"]},
        {"type": "user", "id": 5, "rights": ["write"]},
        {"type": "group", "id": 6, "rights": ["read"]},
        {"type": "owner", "id": 7, "rights": ["write"]}]})
    assert access_summary(settings) == "employees · 2 personal"
    assert access_summary(PublicSettings(accesses=[])) == "owner only"
    assert access_summary(None) == "…"
    assert split_file_ident("113:disk:/Docs/a:b.docx") == ("113", "disk:/Docs/a:b.docx")
    with pytest.raises(ValueError):
        split_file_ident("disk:/x")


# ------------------------------------------------------------------- against the emulator


async def test_user_groups_direct_and_inherited_match_the_org(org, linker):
    graph = await linker.graph()
    checked_inherited = 0
    for uid, raw in list(org.users.items())[:200]:
        if raw.get("isDismissed"):
            continue
        user = User.model_validate(raw)
        got = {m.group.id: m for m in graph.user_memberships(user)}
        assert set(got) == expected_groups(org, uid), raw["nickname"]
        for gid, membership in got.items():
            assert membership.direct == (gid in raw["groups"])
        checked_inherited += sum(1 for m in got.values() if not m.direct)
    assert checked_inherited > 0  # the generated org really nests groups and departments


async def test_user_targets(org, linker):
    graph = await linker.graph()
    # A user who inherits at least one group.
    uid = next(u for u, raw in org.users.items() if not raw.get("isDismissed") and any(
        not m.direct for m in graph.user_memberships(User.model_validate(raw))))
    user = await linker.load(USER, uid)
    targets = await linker.user_targets(user)
    kinds = {(t.section, t.kind) for t in targets}
    assert ("Department", DEPARTMENT) in kinds and ("Groups", GROUP) in kinds
    inherited = [t for t in targets if t.kind == GROUP and t.note.startswith("inherited via")]
    assert inherited
    two_fa = next(t for t in targets if t.key == "2fa")
    state = org.two_fa[uid]
    assert two_fa.note.startswith("enabled" if state["has2fa"] else "not set up")
    auth = next(t for t in targets if t.key == "auth_type")
    assert auth.kind == INFO and auth.note == "not exposed by the API"
    views = {t.key: t for t in targets if t.kind == VIEW}
    assert set(views) == {"user-shared-files", "user-mail-audit", "user-audit-events"}
    assert views["user-mail-audit"].params["uid"] == uid
    published = [r for r in org.disk.get(uid, []) if r.get("public_key")]
    assert views["user-shared-files"].note.startswith(str(len(published)))


async def test_department_members_scan_every_user_once(org, linker):
    did = next(d for d in org.departments if d != 1 and any(
        u["departmentId"] == d for u in org.users.values()))
    dep = await linker.load(DEPARTMENT, str(did))
    targets = await linker.department_targets(dep)
    members = {t.key for t in targets if t.section == "Members" and t.kind == USER}
    visible = [u for uid, u in org.users.items() if uid not in org.hidden_users]
    assert members == {u["id"] for u in visible if u["departmentId"] == did}
    children = {t.key for t in targets if t.section == "Children"}
    assert children == {d for d, raw in org.departments.items() if raw["parentId"] == did}
    if org.departments[did]["headId"]:
        assert [t.key for t in targets if t.section == "Head"] == [org.departments[did]["headId"]]
    # A second department reuses the scan: no users page is fetched again.
    before = len([p for p in linker.request_log.paths("GET") if p.endswith("/users")])
    await linker.department_targets(await linker.load(DEPARTMENT, "1"))
    after = len([p for p in linker.request_log.paths("GET") if p.endswith("/users")])
    assert after == before


async def test_group_targets_members_and_member_of(org, linker):
    gid = next(g for g, raw in org.groups.items()
               if raw["memberOf"] and any(m["type"] == "group" for m in raw["members"]))
    group = await linker.load(GROUP, str(gid))
    targets = await linker.group_targets(group)
    members = {(t.kind, str(t.key)) for t in targets if t.section == "Members"}
    assert members == {(m["type"], m["id"]) for m in org.groups[gid]["members"]}
    member_of = {t.key: t.note for t in targets if t.section == "Member of"}
    for parent in org.groups[gid]["memberOf"]:
        assert member_of[parent] == "direct"


async def test_shared_file_access_entries_resolve(org, linker):
    uid, resource = next((u, r) for u, rs in org.disk.items() for r in rs
                         if r.get("public_key") and any(
                             a["type"] in ("user", "group", "department")
                             for a in r["public_settings"]["accesses"]))
    shared = await linker.load("shared_file", f"{uid}:{resource['path']}")
    assert isinstance(shared, SharedFile) and shared.settings is not None
    targets = await linker.shared_file_targets(shared)
    assert targets[0].section == "Owner" and targets[0].key == uid
    wire = resource["public_settings"]["accesses"]
    access = [t for t in targets if t.section == "Access"]
    assert len(access) == len(wire)
    for entry, target in zip(wire, access, strict=True):
        if entry["type"] == "macro":
            assert target.kind == INFO
        else:
            kind = USER if entry["type"] in ("user", "owner") else entry["type"]
            assert (target.kind, str(target.key)) == (kind, str(entry["id"]))


async def test_the_linker_inventory_lists_every_users_public_files(org, linker):
    inventory = inventory_for(linker)  # the one the view, export and findings use
    await inventory.wait_complete()
    visible = [u for u in org.users if u not in org.hidden_users]
    expected = {(uid, r["path"]) for uid in visible for r in org.disk.get(uid, [])
                if r.get("public_key")}
    files = inventory.rows
    assert {(f.owner.id, f.resource.path) for f in files if f.resource.public_hash} == expected
    assert all(f.settings is None for f in files)  # fetched only when asked for
    await inventory.load_settings(files)
    assert all(f.settings is not None for f in files)
    await inventory.aclose()


async def test_closing_the_directory_stops_department_names_before_the_client_closes(org):
    app = create_app(org)
    async with Y360Client(org.admin_token, org.id, transport=httpx.ASGITransport(app)) as client:
        directory = DirectoryCache(client, users_page_size=50)
        await directory.users.load_page(0)  # a follow-up names the departments
        while directory._departments_task is None:  # its request has started
            await asyncio.sleep(0)
        assert directory.users.following_up
        directory.close()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert not directory.users.following_up
        assert directory._departments_task.cancelled()


async def test_names_that_arrive_while_the_first_page_completes_are_kept(org):
    # The first screenful arrives before the department names; the names come while the rest
    # of page 0 is on its way; the screenful must keep them when the rest is stored.
    app = create_app(org)
    async with Y360Client(org.admin_token, org.id, transport=httpx.ASGITransport(app)) as client:
        directory = DirectoryCache(client, users_page_size=200, first_page_size=100)
        directory.hold_lookups()
        await directory.users.load_page(0)
        assert directory.users.row(0)[U_DEPT] == PENDING_NAME
        users = client.directory.user_briefs

        def pager(per_page):
            real = users(per_page)
            get_page = real.get_page

            async def names_first(number):
                if number > 1:
                    directory.open_lookups()
                    await directory.users.settled()  # names revised into the screenful
                return await get_page(number)

            real.get_page = names_first
            return real

        client.directory.user_briefs = pager
        await directory.users.load_page(0)
        await directory.users.settled()
        depts = [directory.users.row(i)[U_DEPT] for i in range(200)]
        assert PENDING_NAME not in depts
