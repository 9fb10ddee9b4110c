"""group_graph.py: the compact groups give the same graph as full Group models."""

from __future__ import annotations

from y360tui.api import Y360Client
from y360tui.api.client import RetryPolicy
from y360tui.data.group_graph import GraphGroup, graph_groups
from y360tui.data.links import GroupGraph, Linker
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport


async def test_compact_graph_answers_as_the_full_one():
    org = generate_org(users=600, seed=9)
    async with Y360Client(org.admin_token, org.id, base_url="http://demo.invalid",
                          transport=EmulatorTransport(create_app(org)),
                          retry=RetryPolicy(retries=0)) as client:
        full = await client.directory.groups(100).fetch_all()
        compact = await graph_groups(client, per_page=100, concurrency=3)
        departments = await client.directory.departments(1000).fetch_all()
        users = await client.directory.users(1000).fetch_all()
    assert all(isinstance(g, GraphGroup) for g in compact)
    assert sorted(g.id for g in compact) == sorted(g.id for g in full)
    a, b = GroupGraph(full, departments), GroupGraph(compact, departments)
    assert a.parents_of_group == b.parents_of_group
    assert a.groups_of_department == b.groups_of_department
    for user in users[:200]:
        left = [(m.group.id, m.group.name, m.direct, m.via) for m in a.user_memberships(user)]
        right = [(m.group.id, m.group.name, m.direct, m.via) for m in b.user_memberships(user)]
        assert left == right
    for gid in list(a.groups)[:50]:
        assert a.ancestors_of_group(gid) == b.ancestors_of_group(gid)
        assert a.group_name(gid) == b.group_name(gid)
    # No user member is kept: only the containment edges.
    assert sum(len(g.members) for g in compact) < sum(len(g.members) for g in full)


async def test_the_graph_reuses_the_groups_list_pages_until_an_edit():
    """The Groups list keeps each page's compact groups: the graph is built from them with no
    second ``GET /groups``; after ``forget`` (an edit) it reads them afresh."""
    from y360tui.data.directory import DirectoryCache, group_row

    org = generate_org(users=600, seed=9)
    app = create_app(org)
    async with Y360Client(org.admin_token, org.id, base_url="http://demo.invalid",
                          transport=EmulatorTransport(app),
                          retry=RetryPolicy(retries=0)) as client:
        directory = DirectoryCache(client, groups_page_size=7)
        await directory.groups.load_all(4)
        full = await client.directory.groups(100).fetch_all()
        rows = [row for _, row in directory.groups.rows()]
        assert rows == [group_row(g) for g in full]  # the rows as the models would give them
        log = app.state.request_log
        before = len([p for p in log.paths("GET") if p.endswith("/groups")])
        linker = Linker(client, directory)
        graph = await linker.graph()
        assert sorted(graph.groups) == sorted(g.id for g in full)
        assert len([p for p in log.paths("GET") if p.endswith("/groups")]) == before
        linker.forget()
        await linker.graph()
        assert len([p for p in log.paths("GET") if p.endswith("/groups")]) > before
        directory.close()
