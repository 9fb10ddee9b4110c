"""Contract tests of the domains and DNS routes (issue 10 §4; reference in ``api/domains.py``):
bodies, paging, scopes (401/403 with the api360 error body), 404 for an unknown domain or
record, 400s naming the field of a bad record, writes visible to later reads, verification,
audit events, and the generated domains at several org sizes."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from y360tui.emulator.generate import generate_org
from y360tui.emulator.state import Org

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def org() -> Org:
    """The generated org only: the hand-built one has no domains part."""
    return generate_org(users=60, seed=1, now=NOW)


def path(org: Org, suffix: str = "") -> str:
    return f"/directory/v1/org/{org.id}/domains{suffix}"


def check_error(response: httpx.Response, status: int, code: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    assert response.headers["x-request-id"]
    return body


async def test_list_bodies_and_paging(client: httpx.AsyncClient, org: Org) -> None:
    body = (await client.get(path(org))).json()
    assert set(body) == {"domains", "page", "pages", "perPage", "total"}
    assert body["total"] == 3 and body["pages"] == 1 and body["perPage"] == 10
    master, second, third = body["domains"]
    assert set(master) == {"name", "country", "mx", "delegated", "master", "verified",
                           "status"}
    assert master["name"] == org.domain and master["master"] and master["verified"]
    assert set(master["status"]) == {"name", "lastCheck", "lastAdded", "spf", "mx", "ns",
                                     "dkim"}
    assert all(master["status"][k]["match"] for k in ("spf", "mx", "ns", "dkim"))
    assert second["verified"] and second["status"]["dkim"] == {"match": False, "value": ""}
    assert not third["verified"] and not third["mx"] and not third["delegated"]
    # perPage is clamped to the documented 10; page 2 of 2 a page holds the third domain
    assert (await client.get(path(org), params={"perPage": 50})).json()["perPage"] == 10
    page2 = (await client.get(path(org), params={"page": 2, "perPage": 2})).json()
    assert [d["name"] for d in page2["domains"]] == [third["name"]] and page2["pages"] == 2


async def test_dns_paging(client: httpx.AsyncClient, org: Org) -> None:
    records = org.domains[org.domain]["records"]
    first = (await client.get(path(org, f"/{org.domain}/dns"))).json()
    assert first["perPage"] == 50 and first["total"] == len(records) > 10
    got = []
    for n in range(1, first["total"] // 10 + 2):
        got += (await client.get(path(org, f"/{org.domain}/dns"),
                                 params={"page": n, "perPage": 10})).json()["records"]
    assert got == records
    empty = (await client.get(path(org, "/demo-corp.online/dns"))).json()
    assert empty == {"records": [], "page": 1, "pages": 0, "perPage": 50, "total": 0}


@pytest.mark.parametrize(("method", "suffix", "body", "read"), [
    ("GET", "", None, True), ("GET", "/demo-corp.ru/dns", None, True),
    ("GET", "/demo-corp.ru/status", None, True),
    ("POST", "", {"domain": "x.example"}, False),
    ("DELETE", "/demo-corp.com", None, False),
    ("POST", "/demo-corp.online/verify", None, False),
    ("POST", "/demo-corp.ru/dns", {"type": "A", "name": "x", "address": "192.0.2.1"}, False),
    ("DELETE", "/demo-corp.ru/dns/1", None, False)])
async def test_scopes(app, org: Org, method: str, suffix: str, body: Any, read: bool) -> None:
    transport = httpx.ASGITransport(app=app)
    url = "https://api360.yandex.net" + path(org, suffix)
    async with httpx.AsyncClient(transport=transport) as anon:
        check_error(await anon.request(method, url, json=body), 401, 16)
    for kind, allowed in (("readonly", read), ("user", False)):
        headers = {"Authorization": f"OAuth {org.extra_tokens[kind]}"}
        async with httpx.AsyncClient(transport=transport, headers=headers) as c:
            response = await c.request(method, url, json=body)
            if allowed:
                assert response.status_code == 200
            else:
                error = check_error(response, 403, 7)
                assert "directory:" in error["message"]


async def test_unknown_domain_and_record_404(client: httpx.AsyncClient, org: Org) -> None:
    for suffix in ("/nowhere.example/dns", "/nowhere.example/status"):
        error = check_error(await client.get(path(org, suffix)), 404, 5)
        assert error["message"] == "domain nowhere.example not found"
    error = check_error(await client.delete(path(org, f"/{org.domain}/dns/12")), 404, 5)
    assert "record 12 not found" in error["message"]


@pytest.mark.parametrize(("body", "field"), [
    ({"type": "SPF", "text": "v=spf1"}, "type"),
    ({"type": "TXT", "name": "@"}, "text"),
    ({"type": "MX", "exchange": "mx.yandex.net."}, "preference"),
    ({"type": "MX", "preference": 10}, "exchange"),
    ({"type": "A", "address": "not-an-ip"}, "address"),
    ({"type": "AAAA", "address": "192.0.2.1"}, "address"),
    ({"type": "A", "address": "192.0.2.1", "ttl": 5}, "ttl"),
    ({"type": "SRV", "target": "x.example.", "priority": 0, "weight": 0}, "port"),
    ({"type": "CNAME", "name": "www", "target": "x.example."}, "name"),  # www has a record
    ({"type": "A", "name": "a b", "address": "192.0.2.1"}, "name"),
])
async def test_bad_records_400(client: httpx.AsyncClient, org: Org, body, field) -> None:
    before = list(org.domains[org.domain]["records"])
    error = check_error(await client.post(path(org, f"/{org.domain}/dns"), json=body), 400, 3)
    assert field in error["message"]
    assert org.domains[org.domain]["records"] == before


async def test_add_delete_record_visible_and_logged(client: httpx.AsyncClient,
                                                    org: Org) -> None:
    domain = "demo-corp.com"
    response = await client.post(path(org, f"/{domain}/dns"),
                                 json={"type": "TXT", "name": "mail._domainkey",
                                       "text": "v=DKIM1; k=rsa; p=MIGf", "ttl": 3600})
    assert response.status_code == 200
    created = response.json()
    assert created["recordId"] > max(r["recordId"] for r in org.domains[org.domain]["records"])
    assert created == {"recordId": created["recordId"], "type": "TXT",
                       "name": "mail._domainkey", "ttl": 3600, "text": "v=DKIM1; k=rsa; p=MIGf"}
    records = (await client.get(path(org, f"/{domain}/dns"))).json()["records"]
    assert records[-1] == created
    listed = {d["name"]: d for d in (await client.get(path(org))).json()["domains"]}
    assert listed[domain]["status"]["dkim"]["match"] is True
    event = org.audit_events[0]["event"]
    assert event["type"] == "ya360_b2bplatform_domain_updated"
    assert event["meta"] == {"domain": domain, "dns": "added", "recordId": created["recordId"],
                             "type": "TXT", "name": "mail._domainkey"}
    assert (await client.delete(path(org, f"/{domain}/dns/{created['recordId']}"))).json() == {}
    records = (await client.get(path(org, f"/{domain}/dns"))).json()["records"]
    assert created["recordId"] not in [r["recordId"] for r in records]
    assert org.audit_events[0]["event"]["meta"]["dns"] == "removed"


async def test_verify(client: httpx.AsyncClient, org: Org) -> None:
    url = path(org, "/demo-corp.online/verify")
    status = (await client.post(url)).json()
    assert status["name"] == "not_verified"
    assert org.audit_events[0]["event"]["meta"]["verification"] == "not_verified"
    await client.post(path(org, "/demo-corp.online/dns"),
                      json={"type": "TXT", "text": "yandex-verification: 1234abcd"})
    assert (await client.post(url)).json()["name"] == "verified"
    listed = (await client.get(path(org))).json()["domains"]
    assert listed[2]["verified"] is True
    assert org.audit_events[0]["event"]["meta"] == {
        "domain": "demo-corp.online", "verification": "verified", "was_verified": False}


async def test_add_and_delete_domain(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.post(path(org), json={"domain": "Shop.Example."})
    assert response.status_code == 200 and response.json()["name"] == "shop.example"
    assert org.audit_events[0]["event"]["type"] == "ya360_b2bplatform_domain_created"
    check_error(await client.post(path(org), json={"domain": "shop.example"}), 409, 6)
    check_error(await client.post(path(org), json={"domain": "localhost"}), 400, 3)
    assert (await client.delete(path(org, "/shop.example"))).json() == {}
    assert org.audit_events[0]["event"]["type"] == "ya360_b2bplatform_domain_deleted"
    check_error(await client.delete(path(org, f"/{org.domain}")), 400, 3)
    assert (await client.get(path(org))).json()["total"] == 3


@pytest.mark.parametrize("users", [1, 200, 2000])
def test_generated_at_sizes(users: int) -> None:
    org = generate_org(users=users, seed=3, now=NOW)
    again = generate_org(users=users, seed=3, now=NOW)
    assert org.domains == again.domains  # deterministic per seed
    names = list(org.domains)
    assert names == [org.domain, "demo-corp.com", "demo-corp.online"]
    master = org.domains[org.domain]["records"]
    assert len(master) > 20
    types = {r["type"] for r in master}
    assert {"MX", "TXT", "A", "CNAME", "SRV", "NS"} <= types
    dkim = next(r for r in master if r["name"] == "mail._domainkey")
    assert dkim["text"].startswith("v=DKIM1; k=rsa; t=s; p=MIGfMA0")
    ids = [r["recordId"] for d in org.domains.values() for r in d["records"]]
    assert len(set(ids)) == len(ids)
    second = org.domains["demo-corp.com"]["records"]
    assert not any(r["name"] == "mail._domainkey" for r in second)
    assert org.domains["demo-corp.online"]["records"] == []
    assert not org.domains["demo-corp.online"]["verified"]


async def test_bad_paging_400_and_past_the_end_empty(client: httpx.AsyncClient, org: Org) -> None:
    url = path(org, f"/{org.domain}/dns")
    error = check_error(await client.get(url, params={"perPage": 0}), 400, 3)
    assert "perPage" in error["message"]
    check_error(await client.get(path(org), params={"page": "x"}), 400, 3)
    past = (await client.get(url, params={"page": 99, "perPage": 10})).json()
    assert past["records"] == [] and past["total"] == len(org.domains[org.domain]["records"])
