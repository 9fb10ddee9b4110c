"""Contract tests of the per-user mail settings routes (issue 10 §2; reference in
``api/mail_settings.py``): bodies, scopes (401/403 with the api360 error body), 404 for an
unknown user, 400s, writes visible to later reads, audit events, and the generated settings at
several org sizes (signatures, forwards inside and outside the org, auto-replies)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from y360tui.emulator.generate import generate_org
from y360tui.emulator.generate.mail_settings import PERSONAL_DOMAINS
from y360tui.emulator.state import Org

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def org() -> Org:
    """The generated org only: the hand-built one has no mail settings part."""
    return generate_org(users=60, seed=1, now=NOW)


def path(org: Org, uid: str, suffix: str) -> str:
    return f"/admin/v1/org/{org.id}/mail/users/{uid}/settings{suffix}"


def check_error(response: httpx.Response, status: int, code: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    assert body["details"][0]["@type"] == "type.googleapis.com/google.rpc.RequestInfo"
    assert response.headers["x-request-id"]
    return body


def forwarder(org: Org) -> str:
    store = org.mail_settings
    return next(u for u in store.generated_uids() if store.peek(u)["rules"]["forwards"])


def scan(org: Org) -> dict[str, int]:
    """Counts over every generated user: the emulator's truth."""
    store = org.mail_settings
    out = {"users": 0, "signatures": 0, "forwards": 0, "outside": 0, "autoreplies": 0,
           "keep": 0}
    for uid in store.generated_uids():
        record = store.peek(uid)
        out["users"] += 1
        out["signatures"] += bool(record["sender_info"]["signs"])
        out["autoreplies"] += len(record["rules"]["autoreplies"])
        for rule in record["rules"]["forwards"]:
            out["forwards"] += 1
            out["keep"] += rule["withStore"]
            host = rule["address"].rpartition("@")[2]
            if host != org.domain:
                assert host in PERSONAL_DOMAINS
                out["outside"] += 1
    return out


async def test_bodies(client: httpx.AsyncClient, org: Org) -> None:
    uid = forwarder(org)
    info = (await client.get(path(org, uid, "/sender_info"))).json()
    assert set(info) == {"defaultFrom", "fromName", "signPosition", "signs"}
    assert info["defaultFrom"] == org.users[uid]["email"]
    assert info["signPosition"] in ("bottom", "under")
    for sign in info["signs"]:
        assert set(sign) == {"emails", "isDefault", "lang", "text"}
    rules = (await client.get(path(org, uid, "/user_rules"))).json()
    assert set(rules) == {"autoreplies", "forwards"}
    assert set(rules["forwards"][0]) == {"ruleId", "ruleName", "address", "withStore"}
    assert isinstance(rules["forwards"][0]["ruleId"], int)
    book = (await client.get(path(org, uid, "/address_book"))).json()
    assert set(book) == {"collectAddresses"} and isinstance(book["collectAddresses"], bool)


async def test_reads_are_stable(client: httpx.AsyncClient, org: Org) -> None:
    uid = forwarder(org)
    first = (await client.get(path(org, uid, "/user_rules"))).json()
    assert (await client.get(path(org, uid, "/user_rules"))).json() == first
    assert not org.mail_settings.pinned  # reads keep nothing


@pytest.mark.parametrize(("method", "suffix", "body"), [
    ("GET", "/sender_info", None), ("POST", "/sender_info", {"fromName": "x"}),
    ("GET", "/user_rules", None), ("POST", "/user_rules", {"autoreply": {"text": "x"}}),
    ("DELETE", "/user_rules/1", None), ("GET", "/address_book", None),
    ("POST", "/address_book", {"collectAddresses": True})])
async def test_scopes(app, org: Org, method: str, suffix: str, body: Any) -> None:
    transport = httpx.ASGITransport(app=app)
    url = "https://api360.yandex.net" + path(org, forwarder(org), suffix)
    async with httpx.AsyncClient(transport=transport) as anon:
        check_error(await anon.request(method, url, json=body), 401, 16)
    for kind, allowed in (("readonly", method == "GET"), ("user", False)):
        headers = {"Authorization": f"OAuth {org.extra_tokens[kind]}"}
        async with httpx.AsyncClient(transport=transport, headers=headers) as c:
            response = await c.request(method, url, json=body)
            if allowed:
                assert response.status_code == 200
            else:
                error = check_error(response, 403, 7)
                assert "ya360_admin:mail_" in error["message"]
    assert not org.mail_settings.pinned


@pytest.mark.parametrize("uid", ["1130000000000000", "999", "ivan"])
async def test_unknown_user_is_404(client: httpx.AsyncClient, org: Org, uid: str) -> None:
    for suffix in ("/sender_info", "/user_rules", "/address_book"):
        body = check_error(await client.get(path(org, uid, suffix)), 404, 5)
        assert "not found" in body["message"]


async def test_delete_rule_then_read_and_event(client: httpx.AsyncClient, org: Org) -> None:
    uid = forwarder(org)
    rule = (await client.get(path(org, uid, "/user_rules"))).json()["forwards"][0]
    response = await client.delete(path(org, uid, f"/user_rules/{rule['ruleId']}"))
    assert response.status_code == 200 and response.json() == {}
    after = (await client.get(path(org, uid, "/user_rules"))).json()
    assert rule["ruleId"] not in [r["ruleId"] for r in after["forwards"]]
    event = org.audit_events[0]["event"]
    assert event["type"] == "mail_user_settings_updated"
    assert event["meta"] == {"user_id": uid, "setting": "user_rule_deleted",
                             "rule_id": rule["ruleId"], "kind": "forwards",
                             "address": rule["address"], "with_store": rule["withStore"]}
    assert str(event["uid"]) == org.admin_uid and event["service"] == "Api"
    check_error(await client.delete(path(org, uid, f"/user_rules/{rule['ruleId']}")), 404, 5)
    check_error(await client.delete(path(org, uid, "/user_rules/abc")), 400, 3)


async def test_create_rules(client: httpx.AsyncClient, org: Org) -> None:
    uid = forwarder(org)
    address = f"deputy@{org.domain}"
    made = await client.post(path(org, uid, "/user_rules"),
                             json={"forward": {"address": address, "ruleName": "d",
                                               "withStore": True}})
    assert made.status_code == 200 and set(made.json()) == {"ruleId"}
    reply = await client.post(path(org, uid, "/user_rules"),
                              json={"autoreply": {"ruleName": "away", "text": "В отпуске"}})
    rules = (await client.get(path(org, uid, "/user_rules"))).json()
    assert {"ruleId": made.json()["ruleId"], "ruleName": "d", "address": address,
            "withStore": True} in rules["forwards"]
    assert rules["autoreplies"][-1] == {"ruleId": reply.json()["ruleId"], "ruleName": "away",
                                        "text": "В отпуске"}
    assert org.audit_events[0]["event"]["meta"]["setting"] == "user_rule_created"


@pytest.mark.parametrize(("body", "field"), [
    ({}, None),
    ({"forward": {"address": "a@b.ru"}, "autoreply": {"text": "x"}}, None),
    ({"forward": {"address": "nobody"}}, "forward.address"),
    ({"forward": {"address": "someone@gmail.com"}}, "forward.address"),
    ({"forward": {"address": "x@demo-corp.ru", "withStore": "yes"}}, "withStore"),
    ({"autoreply": {"text": " "}}, "autoreply.text"),
    ({"autoreply": "away"}, "autoreply"),
])
async def test_bad_rules_are_400(client: httpx.AsyncClient, org: Org, body: Any,
                                 field: str | None) -> None:
    uid = forwarder(org)
    before = (await client.get(path(org, uid, "/user_rules"))).json()
    error = check_error(await client.post(path(org, uid, "/user_rules"), json=body), 400, 3)
    if field:
        assert field in error["message"]
    assert (await client.get(path(org, uid, "/user_rules"))).json() == before


async def test_sender_info_write(client: httpx.AsyncClient, org: Org) -> None:
    uid = forwarder(org)
    sign = {"emails": [org.users[uid]["email"]], "isDefault": True, "lang": "ru",
            "text": "--\nОтдел продаж"}
    response = await client.post(path(org, uid, "/sender_info"),
                                 json={"fromName": "Продажи", "signPosition": "under",
                                       "signs": [sign]})
    assert response.status_code == 200
    info = (await client.get(path(org, uid, "/sender_info"))).json()
    assert info == {**response.json(), "fromName": "Продажи"} and info["signs"] == [sign]
    assert info["signPosition"] == "under"
    meta = org.audit_events[0]["event"]["meta"]
    assert meta["setting"] == "sender_info" and meta["fields"] == [
        "fromName", "signPosition", "signs"]
    for bad, field in (({"defaultFrom": "x@gmail.com"}, "defaultFrom"),
                       ({"signPosition": "top"}, "signPosition"),
                       ({"signs": [{"text": 1}]}, "signs[0].text")):
        error = check_error(await client.post(path(org, uid, "/sender_info"), json=bad), 400, 3)
        assert field in error["message"]


async def test_address_book_write(client: httpx.AsyncClient, org: Org) -> None:
    uid = forwarder(org)
    before = (await client.get(path(org, uid, "/address_book"))).json()["collectAddresses"]
    response = await client.post(path(org, uid, "/address_book"),
                                 json={"collectAddresses": not before})
    assert response.json() == {"collectAddresses": not before}
    assert (await client.get(path(org, uid, "/address_book"))).json() == response.json()
    assert org.audit_events[0]["event"]["meta"] == {
        "user_id": uid, "setting": "address_book", "before": before, "after": not before}
    check_error(await client.post(path(org, uid, "/address_book"), json={}), 400, 3)


@pytest.mark.parametrize(("users", "forwards", "outside", "replies"),
                         [(200, 10, 3, 6), (2000, 100, 34, 60)])
def test_generated_shares(users: int, forwards: int, outside: int, replies: int) -> None:
    org = generate_org(users=users, seed=42, now=NOW)
    counts = scan(org)
    assert counts["forwards"] == forwards and counts["outside"] == outside
    assert counts["autoreplies"] == replies
    assert 0.5 * users < counts["signatures"] < 0.7 * users
    assert 0 < counts["keep"] < counts["forwards"]
    again = scan(generate_org(users=users, seed=42, now=NOW))
    assert again == counts  # deterministic
    assert not org.mail_settings.pinned


def test_dismissed_and_robots_have_no_rules() -> None:
    org = generate_org(users=2000, seed=3, now=NOW)
    store = org.mail_settings
    for uid in store.generated_uids():
        user = org.users.peek(uid)  # type: ignore[attr-defined]
        if user["isDismissed"] or user["isRobot"]:
            record = store.peek(uid)
            assert record["rules"] == {"forwards": [], "autoreplies": []}
            assert record["sender_info"]["signs"] == []


def test_tiny_and_huge_orgs() -> None:
    tiny = generate_org(users=1, seed=5, now=NOW)
    assert tiny.mail_settings.peek(tiny.admin_uid)["sender_info"]["defaultFrom"]
    huge = generate_org(users=100_000, seed=5, now=NOW)
    store = huge.mail_settings
    last = store.generated_uids()[-1]
    assert store.peek(last) == store.peek(last)
    assert len(store._plans) == 1  # one chunk planned, nothing else made
