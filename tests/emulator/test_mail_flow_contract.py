"""Contract tests of the mail flow routes (issue 10 §3; reference in ``api/mail_flow.py``):
bodies, scopes (401/403 with the api360 error body), 400s for malformed lists, whole-list
writes visible to later reads, the policies' revision, audit events, and the generated lists
at several org sizes."""

from __future__ import annotations

import ipaddress
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from y360tui.emulator.generate import generate_org
from y360tui.emulator.state import Org

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def org() -> Org:
    """The generated org only: the hand-built one has no mail flow part."""
    return generate_org(users=60, seed=1, now=NOW)


def mail(org: Org, suffix: str) -> str:
    return f"/admin/v1/org/{org.id}/mail{suffix}"


RULES, POLICIES, ALLOW = "/routing/rules", "/routing/policies", "/antispam/allowlist/ips"


def check_error(response: httpx.Response, status: int, code: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    assert body["details"][0]["@type"] == "type.googleapis.com/google.rpc.RequestInfo"
    assert response.headers["x-request-id"]
    return body


def token(org: Org, kind: str) -> str:
    return org.extra_tokens[kind]


async def test_bodies(client: httpx.AsyncClient, org: Org) -> None:
    rules = (await client.get(mail(org, RULES))).json()
    assert set(rules) == {"rules"} and rules["rules"] == org.mail_routing_rules
    for rule in rules["rules"]:
        assert set(rule) == {"terminal", "condition", "actions", "scope"}
        assert rule["scope"]["direction"] in ("inbound", "outbound")
        assert all(a["action"] in ("drop", "forward") for a in rule["actions"])
    policies = (await client.get(mail(org, POLICIES))).json()
    assert set(policies) == {"rules", "revision"} and isinstance(policies["revision"], int)
    for rule in policies["rules"]:
        assert {"name", "description", "enabled", "condition", "action"} <= set(rule)
        assert len(rule["condition"]) == 1
    allow = (await client.get(mail(org, ALLOW))).json()
    assert set(allow) == {"allowList"} and allow["allowList"]


@pytest.mark.parametrize(("method", "suffix", "body"), [
    ("GET", RULES, None), ("PUT", RULES, {"rules": []}), ("GET", POLICIES, None),
    ("PUT", POLICIES, {"rules": []}), ("GET", ALLOW, None),
    ("POST", ALLOW, {"allowList": []}), ("DELETE", ALLOW, None)])
async def test_scopes(app, org: Org, method: str, suffix: str, body: Any) -> None:
    transport = httpx.ASGITransport(app=app)
    url = "https://api360.yandex.net" + mail(org, suffix)
    async with httpx.AsyncClient(transport=transport) as anon:
        check_error(await anon.request(method, url, json=body), 401, 16)
    for kind, allowed in (("readonly", method == "GET"), ("user", False)):
        headers = {"Authorization": f"OAuth {token(org, kind)}"}
        async with httpx.AsyncClient(transport=transport, headers=headers) as c:
            response = await c.request(method, url, json=body)
            if allowed:
                assert response.status_code == 200
            else:
                error = check_error(response, 403, 7)
                assert "ya360_admin:mail_" in error["message"]


async def test_rules_write_replaces_and_logs(client: httpx.AsyncClient, org: Org) -> None:
    new = [{"condition": {"$or": [{"address:from": "a@x.example"},
                                  {"header:subject": "win"}]},
            "actions": [{"action": "drop"}], "terminal": True, "unknown": 1},
           {"condition": {"address:to": "jobs@corp.example"},
            "actions": [{"action": "forward", "data": {"email": " hr@corp.example "}}],
            "scope": {"direction": "outbound"}}]
    response = await client.put(mail(org, RULES), json={"rules": new})
    assert response.status_code == 200 and response.json() == {}
    rules = (await client.get(mail(org, RULES))).json()["rules"]
    assert rules == [
        {"terminal": True, "condition": new[0]["condition"], "actions": [{"action": "drop"}],
         "scope": {"direction": "inbound"}},
        {"terminal": False, "condition": new[1]["condition"],
         "actions": [{"action": "forward", "data": {"email": "hr@corp.example"}}],
         "scope": {"direction": "outbound"}}]
    event = org.audit_events[0]["event"]
    assert event["type"] == "ya360_b2bplatform_organization_updated"
    assert event["meta"]["setting"] == "mail_routing_rules"
    assert event["meta"]["rules_after"] == 2
    assert str(event["uid"]) == org.admin_uid


@pytest.mark.parametrize(("body", "field"), [
    ({}, "rules"),
    ({"rules": {"a": 1}}, "rules"),
    ({"rules": ["drop"]}, "rules[0]"),
    ({"rules": [{"actions": []}]}, "rules[0].actions"),
    ({"rules": [{"actions": [{"action": "bounce"}]}]}, "rules[0].actions[0].action"),
    ({"rules": [{"actions": [{"action": "forward", "data": {"email": "nobody"}}]}]},
     "rules[0].actions[0].data.email"),
    ({"rules": [{"condition": {"$or": []}, "actions": [{"action": "drop"}]}]},
     "rules[0].condition.$or"),
    ({"rules": [{"condition": {"from": "x"}, "actions": [{"action": "drop"}]}]},
     "rules[0].condition.from"),
    ({"rules": [{"terminal": "yes", "actions": [{"action": "drop"}]}]}, "rules[0].terminal"),
    ({"rules": [{"actions": [{"action": "drop"}], "scope": {"direction": "sideways"}}]},
     "rules[0].scope.direction"),
])
async def test_malformed_rules(client: httpx.AsyncClient, org: Org, body: dict[str, Any],
                               field: str) -> None:
    before = list(org.mail_routing_rules)
    error = check_error(await client.put(mail(org, RULES), json=body), 400, 3)
    assert field in error["message"]
    violation = error["details"][1]["fieldViolations"][0]
    assert violation["field"].startswith(field.split(".")[0].split("[")[0])
    assert org.mail_routing_rules == before


async def test_policies_revision(client: httpx.AsyncClient, org: Org) -> None:
    start = (await client.get(mail(org, POLICIES))).json()
    rules = start["rules"][:1]
    ok = await client.put(mail(org, POLICIES), json={"rules": rules,
                                                      "revision": start["revision"]})
    assert ok.status_code == 200
    now = (await client.get(mail(org, POLICIES))).json()
    assert now == {"rules": rules, "revision": start["revision"] + 1}
    stale = await client.put(mail(org, POLICIES), json={"rules": [],
                                                         "revision": start["revision"]})
    assert "stale" in check_error(stale, 409, 6)["message"]
    assert (await client.get(mail(org, POLICIES))).json() == now
    event = org.audit_events[0]["event"]
    assert event["meta"] == {"setting": "mail_sender_policies",
                             "revision": start["revision"] + 1, "rules_after": 1}


@pytest.mark.parametrize("condition", [
    {"ip_filter": {"list": ["10.0.0.1/24"]}},
    {"domain_filter": {"list": ["not a domain"]}},
    {"email_from_filter": {"list": ["nobody"]}},
    {"ip_filter": {"list": ["192.0.2.1"]}, "domain_filter": {"list": ["a.example"]}},
    {"ip_filter": {"list": []}},
    {"ip_filter": {"list": [f"192.0.2.{i % 250}" for i in range(201)]}},
])
async def test_malformed_policies(client: httpx.AsyncClient, org: Org,
                                  condition: dict[str, Any]) -> None:
    rule = {"name": "x", "condition": condition, "action": {"type": "reject"}}
    check_error(await client.put(mail(org, POLICIES), json={"rules": [rule]}), 400, 3)
    forced_reject = {"name": "x", "condition": {"ip_filter": {"list": ["192.0.2.1"]}},
                     "action": {"type": "reject", "options": {"force": "spam"}}}
    check_error(await client.put(mail(org, POLICIES), json={"rules": [forced_reject]}), 400, 3)


async def test_allowlist_replace_and_delete(client: httpx.AsyncClient, org: Org) -> None:
    before = list(org.antispam_allowlist)
    new = [before[0], "198.51.100.0/24", "2001:db8:cafe::/48"]
    assert (await client.post(mail(org, ALLOW), json={"allowList": new})).json() == {}
    assert (await client.get(mail(org, ALLOW))).json() == {"allowList": new}
    meta = org.audit_events[0]["event"]["meta"]
    assert meta["setting"] == "antispam_allowlist"
    assert meta["added"] == ["198.51.100.0/24", "2001:db8:cafe::/48"]
    assert meta["removed"] == before[1:]
    assert (await client.delete(mail(org, ALLOW))).json() == {}
    assert (await client.get(mail(org, ALLOW))).json() == {"allowList": []}
    assert org.audit_events[0]["event"]["meta"]["removed"] == new


@pytest.mark.parametrize(("entries", "field"), [
    (["192.0.2.300"], "allowList[0]"), (["10.0.0.1/24"], "allowList[0]"),
    (["192.0.2.1", "2001:db8::/129"], "allowList[1]"), ([7], "allowList[0]"),
    (["192.0.2.1", "192.0.2.1"], "allowList[1]"),
])
async def test_allowlist_400(client: httpx.AsyncClient, org: Org, entries: list[Any],
                             field: str) -> None:
    before = list(org.antispam_allowlist)
    error = check_error(await client.post(mail(org, ALLOW), json={"allowList": entries}),
                        400, 3)
    assert error["message"].startswith(field)
    assert org.antispam_allowlist == before
    check_error(await client.post(mail(org, ALLOW), json={}), 400, 3)


DOC_RANGES = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24",
                                                 "203.0.113.0/24", "2001:db8::/32")]


@pytest.mark.parametrize("users", [1, 60, 2000, 100_000])
def test_generated_at_sizes(users: int) -> None:
    org = generate_org(users, seed=5, now=NOW)
    rules = org.mail_routing_rules
    assert 3 <= len(rules) <= 12
    assert len(rules) == (4 if users == 1 else 12 if users >= 20_000 else len(rules))
    assert any(a["action"] == "forward" for r in rules for a in r["actions"])
    assert any(a["action"] == "drop" for r in rules for a in r["actions"])
    allow = org.antispam_allowlist
    assert 2 <= len(allow) <= 10 and len(set(allow)) == len(allow)
    nets = [ipaddress.ip_network(e) for e in allow]
    assert all(any(n.version == d.version and n.subnet_of(d) for d in DOC_RANGES) for n in nets)
    assert not any(a != b and a.version == b.version and a.subnet_of(b)
                   for a in nets for b in nets)
    policies = org.sender_policies
    assert 3 <= len(policies["rules"]) <= 6 and 3 <= policies["revision"] <= 40
    again = generate_org(users, seed=5, now=NOW)
    assert (again.mail_routing_rules, again.sender_policies, again.antispam_allowlist) == (
        rules, policies, allow)


def test_more_rules_for_larger_orgs() -> None:
    sizes = [len(generate_org(n, seed=2, now=NOW).mail_routing_rules)
             for n in (1, 100, 2000, 50_000)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1] == 12
