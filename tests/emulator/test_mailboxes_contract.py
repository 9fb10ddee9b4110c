"""Shared and delegated mailboxes in the emulator: scopes with the reference error bodies,
paging, the asynchronous access change (running, then complete; visible to later reads;
audited), create, delegation on/off, and the generator's shares at several sizes."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def org():
    return generate_org(200, seed=3, now=NOW)


@pytest.fixture
async def http(org):
    transport = httpx.ASGITransport(create_app(org))
    async with httpx.AsyncClient(transport=transport, base_url="http://emu") as client:
        yield client


def h(token: str) -> dict[str, str]:
    return {"Authorization": f"OAuth {token}"}


def base(org) -> str:
    return f"/admin/v1/org/{org.id}/mailboxes"


async def test_scopes_and_error_bodies(org, http):
    r = await http.get(base(org) + "/shared")
    assert r.status_code == 401 and r.json()["code"] == 16 and "details" in r.json()
    r = await http.get(base(org) + "/shared", headers=h(org.extra_tokens["user"]))
    assert r.status_code == 403 and r.json()["code"] == 7
    assert "mail_read_shared_mailbox_inventory" in r.json()["message"]
    ro = h(org.extra_tokens["readonly"])
    assert (await http.get(base(org) + "/shared", headers=ro)).status_code == 200
    rid = next(iter(org.mailboxes["shared"]))
    writes = [http.post(f"{base(org)}/set/{rid}", params={"actorId": org.admin_uid},
                        json={"roles": []}, headers=ro),
              http.put(base(org) + "/shared", json={"email": f"x@{org.domain}", "name": "X"},
                       headers=ro),
              http.put(base(org) + "/delegated", json={"resourceId": org.admin_uid}, headers=ro)]
    for write in writes:
        r = await write
        assert r.status_code == 403 and r.json()["code"] == 7
    r = await http.get(f"{base(org)}/shared/1", headers=h(org.admin_token))
    assert r.status_code == 404 and r.json()["code"] == 5
    r = await http.get("/admin/v1/org/1/mailboxes/shared", headers=h(org.admin_token))
    assert r.status_code == 404


async def test_paging(org, http):
    admin = h(org.admin_token)
    total = len(org.mailboxes["shared"])
    body = (await http.get(base(org) + "/shared", params={"perPage": 2}, headers=admin)).json()
    assert body["total"] == total and body["pages"] == -(-total // 2) and body["perPage"] == 2
    assert len(body["resources"]) == 2 and set(body["resources"][0]) == {"resourceId", "count"}
    past = (await http.get(base(org) + "/shared", params={"page": 99}, headers=admin)).json()
    assert past["resources"] == []
    clamped = (await http.get(base(org) + "/delegated", params={"perPage": 5000},
                              headers=admin)).json()
    assert clamped["perPage"] == 100
    org.mailboxes["delegated"].clear()
    empty = (await http.get(base(org) + "/delegated", headers=admin)).json()
    assert empty["resources"] == [] and empty["total"] == 0 and empty["pages"] == 0


async def test_grant_is_applied_when_the_task_completes(org, http):
    admin = h(org.admin_token)
    rid = next(iter(org.mailboxes["shared"]))
    actor = next(u for u in org.users if u not in org.mailboxes["actors"][rid]
                 and u != org.admin_uid)
    r = await http.post(f"{base(org)}/set/{rid}", params={"actorId": actor, "notify": "none"},
                        json={"roles": ["shared_mailbox_imap_admin", "shared_mailbox_sender"]},
                        headers=admin)
    task = r.json()["taskId"]
    first = (await http.get(f"{base(org)}/tasks/{task}", headers=admin)).json()
    assert first["status"] == "running"
    actors = (await http.get(f"{base(org)}/actors/{rid}", headers=admin)).json()["actors"]
    assert actor not in {a["actorId"] for a in actors}
    assert (await http.get(f"{base(org)}/tasks/{task}", headers=admin)).json()["status"] == \
        "complete"
    actors = (await http.get(f"{base(org)}/actors/{rid}", headers=admin)).json()["actors"]
    assert {"actorId": actor,
            "roles": ["shared_mailbox_imap_admin", "shared_mailbox_sender"]} in actors
    mine = (await http.get(f"{base(org)}/resources/{actor}", headers=admin)).json()
    assert {"resourceId": rid, "type": "shared",
            "roles": ["shared_mailbox_imap_admin", "shared_mailbox_sender"]} in mine["resources"]
    event = org.audit_events[0]["event"]
    assert event["type"] == "ya360_b2bplatform_mailbox_access_updated"
    assert event["meta"]["actor_id"] == actor and event["meta"]["roles_before"] == []
    # revoke: an empty list
    task = (await http.post(f"{base(org)}/set/{rid}", params={"actorId": actor},
                            json={"roles": []}, headers=admin)).json()["taskId"]
    for _ in range(2):
        await http.get(f"{base(org)}/tasks/{task}", headers=admin)
    actors = (await http.get(f"{base(org)}/actors/{rid}", headers=admin)).json()["actors"]
    assert actor not in {a["actorId"] for a in actors}
    assert org.audit_events[0]["event"]["meta"]["roles_after"] == []


async def test_bad_access_changes(org, http):
    admin = h(org.admin_token)
    rid = next(iter(org.mailboxes["shared"]))
    cases = [({"actorId": org.admin_uid}, {"roles": ["boss"]}, 400),
             ({"actorId": org.admin_uid}, {}, 400),
             ({}, {"roles": []}, 400),
             ({"actorId": org.admin_uid, "notify": "x"}, {"roles": []}, 400),
             ({"actorId": "1130000000000001"}, {"roles": []}, 404)]
    for params, body, status in cases:
        r = await http.post(f"{base(org)}/set/{rid}", params=params, json=body, headers=admin)
        assert r.status_code == status, (params, body, r.json())
    r = await http.post(f"{base(org)}/set/42", params={"actorId": org.admin_uid},
                        json={"roles": []}, headers=admin)
    assert r.status_code == 404
    assert (await http.get(f"{base(org)}/tasks/nope", headers=admin)).status_code == 404
    assert not org.mailboxes["tasks"]


async def test_create_and_delegation(org, http):
    admin = h(org.admin_token)
    r = await http.put(base(org) + "/shared", headers=admin,
                       json={"email": f"Hotline@{org.domain}", "name": "Hotline"})
    rid = r.json()["resourceId"]
    card = (await http.get(f"{base(org)}/shared/{rid}", headers=admin)).json()
    assert card["email"] == f"hotline@{org.domain}" and card["name"] == "Hotline"
    assert org.audit_events[0]["event"]["type"] == \
        "ya360_b2bplatform_resource_shared_mailbox_created"
    again = await http.put(base(org) + "/shared", headers=admin,
                           json={"email": f"hotline@{org.domain}", "name": "Again"})
    assert again.status_code == 409 and again.json()["code"] == 6
    outside = await http.put(base(org) + "/shared", headers=admin,
                             json={"email": "x@elsewhere.example", "name": "X"})
    assert outside.status_code == 400
    uid = next(u for u in list(org.users)[3:] if u not in org.mailboxes["delegated"])
    r = await http.put(base(org) + "/delegated", json={"resourceId": uid}, headers=admin)
    assert r.json() == {"resourceId": uid}
    assert (await http.put(base(org) + "/delegated", json={"resourceId": uid},
                           headers=admin)).status_code == 409
    listed = (await http.get(base(org) + "/delegated", params={"perPage": 100},
                             headers=admin)).json()["resources"]
    assert {"resourceId": uid, "count": 0} in listed
    assert (await http.delete(f"{base(org)}/delegated/{uid}", headers=admin)).status_code == 200
    assert org.audit_events[0]["event"]["type"] == "ya360_b2bplatform_mailbox_delegation_disabled"
    assert (await http.delete(f"{base(org)}/delegated/{uid}", headers=admin)).status_code == 404


@pytest.mark.parametrize("users", [200, 2000])
def test_generator_shares(users):
    org = generate_org(users, seed=11, now=NOW)
    state = org.mailboxes
    assert len(state["shared"]) == max(2, round(users * 0.02))
    assert len(state["delegated"]) == max(1, round(users * 0.01)) or \
        abs(len(state["delegated"]) - users * 0.01) <= users * 0.002
    emails = [c["email"] for c in state["shared"].values()]
    assert len(set(emails)) == len(emails) and all(e.endswith("@demo-corp.ru") for e in emails)
    assert "info@demo-corp.ru" in emails or "support@demo-corp.ru" in emails
    assert not set(state["shared"]) & set(org.users)
    for rid in state["shared"]:
        assert 1 <= len(state["actors"][rid]) <= 6
    for uid in state["delegated"]:
        assert uid in org.users and 1 <= len(state["actors"][uid]) <= 3
        assert uid not in state["actors"][uid]
    roles = {tuple(r) for items in state["actors"].values() for r in items.values()}
    assert len(roles) >= 4
    again = generate_org(users, seed=11, now=NOW).mailboxes
    assert again == state


def test_generator_small_and_large():
    tiny = generate_org(1, seed=1, now=NOW).mailboxes
    assert len(tiny["shared"]) == 2
    big = generate_org(100_000, seed=1, now=NOW).mailboxes
    assert len(big["shared"]) == 2000 and len(big["delegated"]) >= 900
    assert len({c["email"] for c in big["shared"].values()}) == 2000
