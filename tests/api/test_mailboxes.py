"""The mailboxes sub-client against the emulator: paging (empty, one page, several, no totals),
cards, actors and resources, access changes and their task polled with an injected sleep."""

from __future__ import annotations

import httpx
import pytest

from y360tui.api import Y360Client
from y360tui.api.errors import Forbidden, NotFound
from y360tui.api.mailboxes import TaskFailed, TaskTimeout
from y360tui.api.models.mailboxes import MailboxType, Role, TaskStatus

from .conftest import token_for


async def test_empty_list_is_one_empty_page(org, client):
    org.mailboxes["shared"].clear()
    pages = [p async for p in client.mailboxes.shared(per_page=10)]
    assert len(pages) == 1 and pages[0].items == [] and pages[0].total == 0
    assert await client.mailboxes.shared().fetch_all() == []


async def test_one_page_and_several_pages(org, client):
    shared = list(org.mailboxes["shared"])
    one = [p async for p in client.mailboxes.shared(per_page=100)]
    assert len(one) == 1 and [e.resource_id for e in one[0].items] == shared
    assert not one[0].has_more
    several = [p async for p in client.mailboxes.shared(per_page=1)]
    assert len(several) == len(shared) >= 2
    assert [p.items[0].resource_id for p in several] == shared
    everything = await client.mailboxes.shared(per_page=1).fetch_all(concurrency=3)
    assert [e.resource_id for e in everything] == shared
    delegated = await client.mailboxes.delegated(per_page=1).fetch_all()
    assert [e.resource_id for e in delegated] == org.mailboxes["delegated"]
    assert all(e.count == len(org.mailboxes["actors"][e.resource_id]) for e in delegated)


def _fake(pages: dict[int, list[dict]]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        return httpx.Response(200, json={"resources": pages.get(number, [])})
    return httpx.MockTransport(handle)


async def test_envelope_without_totals_pages_until_a_short_page():
    full = [{"resourceId": str(10 + i), "count": 1} for i in range(2)]
    transport = _fake({1: full, 2: [{"resourceId": "99", "count": 0}]})
    async with Y360Client("t", 1, transport=transport) as client:
        items = await client.mailboxes.shared(per_page=2).all()
    assert [e.resource_id for e in items] == ["10", "11", "99"]
    async with Y360Client("t", 1, transport=_fake({})) as client:
        assert await client.mailboxes.shared(per_page=2).all() == []


async def test_card_actors_resources(org, client):
    rid = next(iter(org.mailboxes["shared"]))
    card = await client.mailboxes.get_shared(rid)
    assert card.email.endswith("@" + org.domain) and card.name
    actors = (await client.mailboxes.actors(rid)).actors
    assert {a.actor_id for a in actors} == set(org.mailboxes["actors"][rid])
    mine = (await client.mailboxes.resources(actors[0].actor_id)).resources
    assert any(r.resource_id == rid and r.type is MailboxType.SHARED for r in mine)
    with pytest.raises(NotFound):
        await client.mailboxes.get_shared("1")


async def test_grant_then_revoke_through_the_task(org, client, sleeps):
    rid = next(iter(org.mailboxes["shared"]))
    actor = next(u for u in org.mailboxes["actors"][org.mailboxes["delegated"][0]]
                 if u not in org.mailboxes["actors"][rid])
    task_id = await client.mailboxes.set_access(rid, actor, [Role.SENDER, "shared_mailbox_sender"])
    seen: list[str] = []
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    done = await client.mailboxes.wait_task(task_id, poll=0.5, sleep=sleep,
                                            on_poll=lambda n, t: seen.append(t.status.value))
    assert done.status is TaskStatus.COMPLETE and seen == ["running", "complete"]
    assert slept == [0.5]
    roles = {a.actor_id: a.roles for a in (await client.mailboxes.actors(rid)).actors}
    assert roles[actor] == [Role.SENDER]
    task_id = await client.mailboxes.set_access(rid, actor, [])
    await client.mailboxes.wait_task(task_id, poll=0.5, sleep=sleep)
    assert actor not in {a.actor_id for a in (await client.mailboxes.actors(rid)).actors}


async def test_task_error_and_timeout(org, client):
    async def sleep(seconds: float) -> None:
        return None

    rid = next(iter(org.mailboxes["shared"]))
    actor = org.mailboxes["delegated"][0]
    task_id = await client.mailboxes.set_access(rid, actor, ["shared_mailbox_owner"])
    org.mailboxes["actors"].pop(rid)  # the mailbox disappears before the task runs
    with pytest.raises(TaskFailed) as err:
        await client.mailboxes.wait_task(task_id, poll=1, sleep=sleep)
    assert "not found" in str(err.value)
    org.mailboxes["actors"][rid] = {}
    task_id = await client.mailboxes.set_access(rid, actor, ["shared_mailbox_owner"])
    org.mailboxes["tasks"][task_id]["polls"] = -100  # a task that stays running
    with pytest.raises(TaskTimeout):
        await client.mailboxes.wait_task(task_id, poll=1, timeout=3, sleep=sleep)


async def test_bad_arguments_send_nothing(client, app):
    before = len(app.state.request_log)
    for call in (lambda: client.mailboxes.set_access("abc", "1", ["x"]),
                 lambda: client.mailboxes.set_access("1", "2", "shared_mailbox_owner"),
                 lambda: client.mailboxes.set_access("1", "2", [], notify="boss"),
                 lambda: client.mailboxes.create_shared("info", "Info"),
                 lambda: client.mailboxes.task("a/b")):
        with pytest.raises(ValueError):
            await call()
    with pytest.raises(ValueError):
        client.mailboxes.shared(per_page=101)
    assert len(app.state.request_log) == before


async def test_create_shared_and_delegation(org, client):
    rid = await client.mailboxes.create_shared(f"hotline@{org.domain}", "Hotline", "24/7")
    assert (await client.mailboxes.get_shared(rid)).email == f"hotline@{org.domain}"
    uid = next(u for u in list(org.users)[5:] if u not in org.mailboxes["delegated"])
    assert await client.mailboxes.enable_delegation(uid) == uid
    assert uid in [e.resource_id for e in await client.mailboxes.delegated().all()]
    await client.mailboxes.disable_delegation(uid)
    assert uid not in [e.resource_id for e in await client.mailboxes.delegated().all()]


async def test_readonly_token_cannot_write(org, app):
    async with Y360Client(token_for(org, "ro"), org.id,
                          transport=httpx.ASGITransport(app)) as client:
        assert await client.mailboxes.shared().all()
        with pytest.raises(Forbidden) as err:
            await client.mailboxes.set_access(next(iter(org.mailboxes["shared"])),
                                              org.admin_uid, ["shared_mailbox_owner"])
    assert "mail_write_shared_mailbox_inventory" in err.value.message
