"""Pilot tests of detail screens: drill-down user -> group -> member -> shared files, the
breadcrumb, and Esc back with the cursor where it was; every field shown; errors reported."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from y360tui.api.models import User
from y360tui.data.links import GROUP, USER, VIEW
from y360tui.emulator.generate import generate_org
from y360tui.ui.app import Y360App
from y360tui.ui.screens.detail import DetailScreen, session_linker
from y360tui.ui.screens.shared_files import SharedFilesScreen
from y360tui.ui.widgets.breadcrumb import Breadcrumb

from .pilot import demo_app, settle

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def org():
    """200 users, seed 3 (read only here)."""
    return generate_org(users=200, seed=3, now=NOW)


def build_app(org) -> Y360App:
    return demo_app(org, lambda: NOW)


def shown(widget) -> str:
    """The text a widget shows, line by line."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def crumbs(app) -> str:
    return str(app.screen.query_one(Breadcrumb).render())


def link_index(screen: DetailScreen, kind: str, key) -> int:
    """The option index of the link to (kind, key)."""
    links = screen.query_one("#links")
    for option_id, target in screen._option_targets.items():
        if target.kind == kind and str(target.key) == str(key):
            return links.get_option_index(option_id)
    raise AssertionError(f"no link to {kind} {key}: {[t.key for t in screen.targets]}")


async def drill(app, pilot, kind: str, key) -> int:
    """Highlight the link to (kind, key), press Enter, wait; returns the highlighted index."""
    screen = app.screen
    index = link_index(screen, kind, key)
    screen.query_one("#links").highlighted = index
    await pilot.press("enter")
    await settle(app, pilot)
    return index


def pick_path(org):
    """A user among the first rows, one of their direct groups, and another member of it
    who has published files."""
    visible = [u for u in org.users if u not in org.hidden_users]
    published = {uid for uid, rs in org.disk.items() if any(r.get("public_key") for r in rs)}
    for position, uid in enumerate(visible[:20]):
        for gid in org.users[uid]["groups"]:
            for member in org.groups[gid]["members"]:
                if member["type"] == "user" and member["id"] != uid and member["id"] in published:
                    return position, uid, gid, member["id"]
    raise AssertionError("the generated org has no such path")


async def test_drill_down_and_back_restores_every_cursor(org):
    position, uid, gid, member = pick_path(org)
    app = build_app(org)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.screen.table.move_cursor(position)
        await pilot.press("enter")
        await settle(app, pilot)
        user_screen = app.screen
        assert isinstance(user_screen, DetailScreen) and user_screen.obj.id == uid
        nickname = org.users[uid]["nickname"]
        assert crumbs(app) == f"Users › {nickname}"

        group_index = await drill(app, pilot, GROUP, gid)
        group_name = org.groups[gid]["name"]
        assert app.screen.obj.id == gid
        member_index = await drill(app, pilot, USER, member)
        member_login = org.users[member]["nickname"]
        assert app.screen.obj.id == member

        files_index = link_index(app.screen, VIEW, "user-shared-files")
        await drill(app, pilot, VIEW, "user-shared-files")
        files = app.screen
        assert isinstance(files, SharedFilesScreen)
        assert crumbs(app) == f"Users › {nickname} › {group_name} › {member_login} › Shared files"
        expected = sorted(r["path"] for r in org.disk[member] if r.get("public_key"))
        assert sorted(row.resource.path for _, row in files.data.rows()) == expected
        assert all(row.owner.id == member for _, row in files.data.rows())

        for index in (files_index, member_index, group_index):
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.screen.query_one("#links").highlighted == index
        assert crumbs(app) == f"Users › {nickname}"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen.table.cursor == position
        assert crumbs(app) == "Users"


async def test_user_detail_fields_and_links(org):
    app = build_app(org)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        uid = screen.obj.id
        fields = shown(screen.query_one("#fields"))
        raw = org.users[uid]
        assert raw["email"] in fields and "Administrator" in fields
        labels = {t.key: t for t in screen.targets}
        assert labels["auth_type"].note == "not exposed by the API"
        # Nothing in the screen invents a sign-in method.
        assert "portal" not in fields and "idp" not in fields


async def test_user_detail_names_department_and_groups_and_indents_wrapped_links(org):
    app = build_app(org)
    # 110 columns: the links pane is about 50 wide, too narrow for the longer notes.
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        graph = await session_linker(app).graph()
        # The user with the longest membership note (an inherited group deep in the graph).
        users = [User.model_validate(raw) for raw in org.users.values()]
        user = max(users, key=lambda u: max((len(m.note) for m in graph.user_memberships(u)),
                                            default=0))
        app.open_detail(USER, user.id, user.nickname)
        await settle(app, pilot)
        screen = app.screen
        assert screen.obj.id == user.id
        fields = " ".join(shown(screen.query_one("#fields")).split())  # a value may wrap
        dep = graph.departments[user.department_id]
        assert f"{dep.name} ({dep.id})" in fields
        for gid in user.groups:
            assert f"{graph.groups[gid].name} ({gid})" in fields
        links = screen.query_one("#links")
        lines = [links.render_line(y).text.rstrip() for y in range(links.virtual_size.height)]
        sections = {t.section for t in screen.targets}
        assert len(lines) > links.option_count  # some notes are long enough to wrap …
        for line in lines:  # … and a wrapped line starts under the label, not at column 0
            assert line.strip() in sections or line.startswith(("› ", "  ")), line


async def test_department_detail_lists_members_from_a_full_scan(org):
    did = max((d for d in org.departments if d != 1),
              key=lambda d: sum(u["departmentId"] == d for u in org.users.values()))
    app = build_app(org)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_detail("department", str(did), org.departments[did]["name"])
        await settle(app, pilot)
        members = {t.key for t in app.screen.targets if t.section == "Members"}
        assert members == {uid for uid, u in org.users.items()
                           if u["departmentId"] == did and uid not in org.hidden_users}


async def test_a_missing_object_is_reported_and_the_app_goes_on(org):
    app = build_app(org)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.open_detail("user", "1130000999999999", "ghost")
        await settle(app, pilot)
        assert "404" in shown(app.screen.query_one("#fields"))
        assert any("404" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(app, pilot)
        assert crumbs(app) == "Users"


async def test_a_user_detail_shows_direct_groups_before_the_group_graph(org, monkeypatch):
    """Cold, the detail's links name the user's department and direct groups (read by id)
    while every group of the org is still loading; the full links replace them after."""
    from y360tui.data import links as links_module

    gate = None

    from y360tui.data import group_graph

    real = group_graph.fetch_page

    async def slow_groups_page(client, number, per_page):  # every group of the org: held
        await gate.wait()
        return await real(client, number, per_page)

    monkeypatch.setattr(group_graph, "fetch_page", slow_groups_page)
    uid = next(u for u in org.users if u not in org.hidden_users and org.users[u]["groups"])
    app = build_app(org)
    app.sync = False
    async with app.run_test(size=(120, 40)) as pilot:
        import asyncio

        gate = asyncio.Event()
        await settle(app, pilot)
        app.open_detail("user", uid, "")
        for _ in range(200):
            await pilot.pause(0.01)
            if any(t.key == "inherited" for t in getattr(app.screen, "targets", [])):
                break
        targets = app.screen.targets
        direct = {t.key for t in targets if t.kind == GROUP}
        assert direct == set(org.users[uid]["groups"])
        assert all(t.note == "direct" for t in targets if t.kind == GROUP)
        names = {org.groups[g]["name"] for g in direct}
        assert names <= {t.label for t in targets}
        assert not links_module.Linker.graph_ready.fget(session_linker(app))
        gate.set()
        await settle(app, pilot)
        assert not any(t.key == "inherited" for t in app.screen.targets)
        assert direct <= {t.key for t in app.screen.targets if t.kind == GROUP}


async def test_the_background_load_starts_no_page_while_a_foreground_load_runs():
    """``DirectoryCache.foreground``: pages in flight finish, no new page starts until it ends."""
    import asyncio

    from y360tui.data.paged import Chunk, PagedList

    started: list[int] = []

    async def page(n: int) -> Chunk[int]:
        started.append(n)
        await asyncio.sleep(0)
        return Chunk([n], total=6)

    paged = PagedList.random(page, 1)
    idle = asyncio.Event()
    paged.yield_to = idle.wait
    task = asyncio.ensure_future(paged.load_all(concurrency=2))
    for _ in range(20):
        await asyncio.sleep(0)
    assert started == [0]  # the first page (for the total) only
    idle.set()
    await task
    assert sorted(started) == [0, 1, 2, 3, 4, 5]
