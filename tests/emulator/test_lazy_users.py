"""The generated org's compact user store (``state.LazyUsers``): generated records are rebuilt
from their chunk's stream when read and not kept; a record taken for writing is pinned, so
writes persist and every reader (pages, single reads, iteration, Tracker, group members, name
checks) sees them; the data do not depend on the order they are read in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone

import httpx

from y360tui.emulator.app import create_app
from y360tui.emulator.directory_state import views
from y360tui.emulator.generate import USER_CHUNK, generate_org
from y360tui.emulator.state import LazyUsers, Org

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
USERS = 3500  # four chunks, the last one partial


def fresh(**kwargs) -> Org:
    return generate_org(USERS, seed=11, now=NOW, **kwargs)


def base(org: Org) -> str:
    return f"/directory/v1/org/{org.id}"


@asynccontextmanager
async def client(org: Org) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(org))
    async with httpx.AsyncClient(transport=transport, base_url="http://api360.test",
                                 headers={"Authorization": f"OAuth {org.admin_token}"}) as c:
        yield c


async def page(c: httpx.AsyncClient, org: Org, number: int, per_page: int = 1000) -> bytes:
    reply = await c.get(f"{base(org)}/users", params={"page": number, "perPage": per_page})
    assert reply.status_code == 200
    return reply.content


async def all_pages(c: httpx.AsyncClient, org: Org, per_page: int = 1000,
                    reverse: bool = False) -> list[bytes]:
    first = json.loads(await page(c, org, 1, per_page))
    numbers = range(1, first["pages"] + 1)
    out = {n: await page(c, org, n, per_page) for n in (reversed(numbers) if reverse
                                                        else numbers)}
    return [out[n] for n in numbers]


def listed(pages: list[bytes]) -> list[dict]:
    return [user for raw in pages for user in json.loads(raw)["users"]]


async def test_a_patched_user_is_listed_with_the_edit():
    org = fresh()
    async with client(org) as c:
        before = listed(await all_pages(c, org))  # every chunk built and packed
        uid = before[1500]["id"]  # in chunk 1, on page 2
        reply = await c.patch(f"{base(org)}/users/{uid}",
                              json={"position": "Chief tester", "name": {"first": "Zed"}})
        assert reply.status_code == 200
        edited = json.loads(await page(c, org, 2))["users"]
        user = next(u for u in edited if u["id"] == uid)
        assert user["position"] == "Chief tester" and user["name"]["first"] == "Zed"
        assert user == (await c.get(f"{base(org)}/users/{uid}")).json() == reply.json()
        # Only that record changed, and only it (with the caller's, if any) is kept.
        after = listed(await all_pages(c, org))
        assert [u for u in after if u != user] == [u for u in before if u["id"] != uid]
        assert 1 <= org.users.pinned_count() <= 2
        # Iteration and peeks see the pinned record, not a rebuilt one.
        assert next(u for u in org.users.values() if u["id"] == uid) is org.users.peek(uid)
        assert dict(org.users.items())[uid]["position"] == "Chief tester"


async def test_writes_through_groups_and_renames_reach_every_reader():
    org = fresh()
    users = list(org.users)
    member, renamed = users[2100], users[2200]
    gid = next(g["id"] for g in org.groups.values()
               if g["type"] == "generic" and g["members"] and g["id"] not in
               org.users.peek(member)["groups"])
    async with client(org) as c:
        await all_pages(c, org)
        reply = await c.post(f"{base(org)}/groups/{gid}/members",
                             json={"type": "user", "id": member})
        assert reply.status_code == 200
        old = org.users.peek(renamed)["nickname"]
        reply = await c.patch(f"{base(org)}/users/{renamed}", json={"nickname": "zz.renamed",
                                                                     "position": "Renamed"})
        assert reply.status_code == 200
        listed_member = next(u for u in json.loads(await page(c, org, 3))["users"]
                             if u["id"] == member)
        assert gid in listed_member["groups"]
        members = (await c.get(f"{base(org)}/groups/{gid}/members")).json()["users"]
        assert member in {u["id"] for u in members}
        # The old nickname is free again, the new one is taken.
        taken = await c.post(f"{base(org)}/users/{users[5]}/aliases", json={"alias": "zz.renamed"})
        assert taken.status_code == 409 and renamed in taken.text
        freed = await c.post(f"{base(org)}/users/{users[5]}/aliases", json={"alias": old})
        assert freed.status_code == 200
    # Tracker, built after the writes, mirrors them.
    tracker = {str(u["uid"]): u for u in org.tracker_users}
    assert tracker[renamed]["login"] == "zz.renamed" and tracker[renamed]["position"] == "Renamed"


async def test_a_department_with_a_moved_in_employee_cannot_be_deleted():
    org = fresh()
    uid = list(org.users)[3100]
    async with client(org) as c:
        dep = (await c.post(f"{base(org)}/departments",
                            json={"name": "Moved in", "parentId": 1})).json()
        assert (await c.patch(f"{base(org)}/users/{uid}",
                              json={"departmentId": dep["id"]})).status_code == 200
        refused = await c.delete(f"{base(org)}/departments/{dep['id']}")
        assert refused.status_code == 400 and "employees" in refused.text
        assert (await c.patch(f"{base(org)}/users/{uid}",
                              json={"departmentId": 1})).status_code == 200
        assert (await c.delete(f"{base(org)}/departments/{dep['id']}")).status_code == 200


async def test_the_data_do_not_depend_on_the_read_order():
    ordered = fresh()
    async with client(ordered) as c:
        expected = await all_pages(c, ordered)
        assert await all_pages(c, ordered) == expected  # packed JSON, then the build: same bytes
        odd = listed(await all_pages(c, ordered, per_page=700))
    assert odd == listed(expected)

    shuffled = fresh()
    uids = list(shuffled.users)
    async with client(shuffled) as c:
        # Single reads from the last user back, a few records pinned, pages last to first.
        for uid in uids[::-97]:
            assert (await c.get(f"{base(shuffled)}/users/{uid}")).status_code == 200
        for uid in uids[::-501]:
            shuffled.users[uid]
        assert list(shuffled.users.values())[::-1] == listed(expected)[::-1]
        assert await all_pages(c, shuffled, reverse=True) == expected

    eager = fresh(eager=True)
    async with client(eager) as c:
        assert await all_pages(c, eager) == expected
    assert eager.users == ordered.users == shuffled.users


async def test_listing_every_user_twice_keeps_no_record():
    org = fresh()
    users = org.users
    assert isinstance(users, LazyUsers)
    async with client(org) as c:
        for _ in range(2):
            pages = await all_pages(c, org)
            assert len(listed(pages)) == USERS - len(org.hidden_users)
        for uid in list(users)[::50]:  # single reads are not kept either
            assert (await c.get(f"{base(org)}/users/{uid}")).status_code == 200
    for _ in range(2):
        assert sum(1 for _ in users.values()) == len(users)
    assert users.pinned_count() == 0
    assert len(users._records) <= LazyUsers.RECORD_CHUNKS
    assert len(users._lines) <= LazyUsers.JSON_CHUNKS
    assert not views(org).encoded  # a generated user's JSON is kept packed, per chunk
    packed = sum(map(len, users._packed.values()))
    assert len(users._packed) == -(-USERS // USER_CHUNK) and packed < 250 * USERS


def test_the_generator_s_name_index_matches_the_records():
    org = fresh()
    scanned = {}
    for user in org.users.values():
        scanned[user["nickname"]] = user["id"]
        scanned.update((alias, user["id"]) for alias in user["aliases"])
    assert org.users._names_of() == scanned
    unindexed = LazyUsers(list(org.users), USER_CHUNK, org.users._build)
    some = next(u for u in org.users.values() if u["aliases"])
    assert unindexed.name_owner(some["aliases"][0]) == some["id"]
    assert unindexed.name_owner(some["nickname"]) == some["id"]
    assert unindexed.name_owner("no.such.name") is None
