"""The mail flow client (``client.mail_flow``) against the emulator and scripted servers:
every method, whole-list writes, the revision, normalisation before sending, tolerance of
unknown fields and enum values, empty lists, scopes, the family's own host."""

from __future__ import annotations

import httpx
import pytest

from y360tui.api import Y360Client
from y360tui.api.errors import BadRequest, Conflict, Forbidden
from y360tui.api.mail_flow import normalize_allowlist, normalize_ip
from y360tui.api.models.mail_flow import (
    Direction,
    Force,
    PolicyActionType,
    RoutingRule,
    RuleActionType,
)

from .conftest import token_for
from .mock import Script, make_client

DROP_SPAM = {"terminal": True, "condition": {"address:from": "*@spam.example"},
             "actions": [{"action": "drop"}], "scope": {"direction": "inbound"}}
FORWARD = {"condition": {"address:to": "invoices@corp.example"},
           "actions": [{"action": "forward", "data": {"email": "acc@corp.example"}}]}
POLICY = {"name": "Partners", "description": "", "enabled": True,
          "condition": {"domain_filter": {"list": ["partner.example"]}},
          "action": {"type": "accept", "options": {"force": "ham"}}}


async def test_routing_rules_read_typed(client, org) -> None:
    result = await client.mail_flow.routing_rules()
    assert 3 <= len(result.rules) <= 12
    assert len(result.rules) == len(org.mail_routing_rules)
    first = result.rules[0]
    assert isinstance(first, RoutingRule) and first.terminal is True
    assert first.actions[0].action is RuleActionType.DROP
    assert first.scope is not None and first.scope.direction is Direction.INBOUND
    forwards = [a for r in result.rules for a in r.actions if a.action is RuleActionType.FORWARD]
    assert forwards and all(a.data is not None and "@" in a.data.email for a in forwards)


async def test_routing_rules_write_replaces_the_list(client, app) -> None:
    await client.mail_flow.set_routing_rules([DROP_SPAM, RoutingRule.model_validate(FORWARD)])
    rules = (await client.mail_flow.routing_rules()).rules
    assert [r.condition for r in rules] == [DROP_SPAM["condition"], FORWARD["condition"]]
    assert rules[1].scope.direction is Direction.INBOUND  # the server's default
    assert rules[1].actions[0].data.email == "acc@corp.example"
    put = [r for r in app.state.request_log if r["method"] == "PUT"]
    assert put and put[-1]["path"].endswith("/mail/routing/rules")


async def test_routing_rules_empty_list(client) -> None:
    await client.mail_flow.set_routing_rules([])
    assert (await client.mail_flow.routing_rules()).rules == []


async def test_malformed_rule_is_the_servers_400(client) -> None:
    bad = {**FORWARD, "actions": [{"action": "forward", "data": {}}]}
    with pytest.raises(BadRequest) as caught:
        await client.mail_flow.set_routing_rules([DROP_SPAM, bad])
    assert "rules[1].actions[0].data.email" in caught.value.message


async def test_sender_policies_revision(client, org) -> None:
    first = await client.mail_flow.sender_policies()
    assert first.revision == org.sender_policies["revision"] and first.rules
    kinds = {r.action.type for r in first.rules}
    assert kinds <= {PolicyActionType.ACCEPT, PolicyActionType.REJECT}
    await client.mail_flow.set_sender_policies([POLICY], revision=first.revision)
    second = await client.mail_flow.sender_policies()
    assert second.revision == first.revision + 1
    assert [r.name for r in second.rules] == ["Partners"]
    assert second.rules[0].action.options.force is Force.HAM
    assert second.rules[0].condition.domain_filter.items == ["partner.example"]
    with pytest.raises(Conflict):  # the revision read before the write is stale now
        await client.mail_flow.set_sender_policies([], revision=first.revision)
    await client.mail_flow.set_sender_policies([])  # no revision: plain replace
    empty = await client.mail_flow.sender_policies()
    assert empty.rules == [] and empty.revision == first.revision + 2


async def test_sender_policies_checked_before_sending(client, app) -> None:
    two_lists = {**POLICY, "condition": {"domain_filter": {"list": ["a.example"]},
                                         "ip_filter": {"list": ["192.0.2.1"]}}}
    before = len(app.state.request_log)
    with pytest.raises(ValueError, match="exactly one filter"):
        await client.mail_flow.set_sender_policies([two_lists])
    with pytest.raises(ValueError, match="revision"):
        await client.mail_flow.set_sender_policies([POLICY], revision="7")  # type: ignore[arg-type]
    assert len(app.state.request_log) == before


async def test_allowlist_cycle(client, org) -> None:
    listed = (await client.mail_flow.allowlist()).allow_list
    assert 2 <= len(listed) <= 10 and listed == org.antispam_allowlist
    await client.mail_flow.set_allowlist([*listed, "2001:DB8:0:0::7", "192.0.2.200/32"])
    after = (await client.mail_flow.allowlist()).allow_list
    assert after == [*listed, "2001:db8::7", "192.0.2.200"]  # normalised before sending
    await client.mail_flow.clear_allowlist()
    assert (await client.mail_flow.allowlist()).allow_list == []


async def test_allowlist_refused_before_sending(client, app) -> None:
    before = len(app.state.request_log)
    for bad, message in ((["10.0.0.1/24"], "host bits"), (["300.1.1.1"], "not an IP"),
                         (["192.0.2.1", "192.0.2.1/32"], "twice"), ("192.0.2.1", "not a single")):
        with pytest.raises(ValueError, match=message):
            await client.mail_flow.set_allowlist(bad)  # type: ignore[arg-type]
    assert len(app.state.request_log) == before


def test_normalize() -> None:
    assert normalize_ip(" 198.51.100.0/24 ") == "198.51.100.0/24"
    assert normalize_ip("2001:0db8::/32") == "2001:db8::/32"
    assert normalize_ip("2001:db8::1/128") == "2001:db8::1"
    assert normalize_allowlist(["192.0.2.1", "192.0.2.0/30"]) == ["192.0.2.1", "192.0.2.0/30"]
    with pytest.raises(ValueError, match=r"the range is 10\.0\.0\.0/24"):
        normalize_ip("10.0.0.1/24")


async def test_scopes(org, app) -> None:
    transport = httpx.ASGITransport(app)
    async with Y360Client(token_for(org, "ro"), org.id, transport=transport) as reader:
        assert (await reader.mail_flow.routing_rules()).rules
        assert (await reader.mail_flow.allowlist()).allow_list
        with pytest.raises(Forbidden):
            await reader.mail_flow.set_allowlist(["192.0.2.9"])
        with pytest.raises(Forbidden):
            await reader.mail_flow.set_routing_rules([])
        with pytest.raises(Forbidden):
            await reader.mail_flow.set_sender_policies([])
    async with Y360Client(token_for(org, "user"), org.id, transport=transport) as user:
        for call in (user.mail_flow.routing_rules, user.mail_flow.sender_policies,
                     user.mail_flow.allowlist):
            with pytest.raises(Forbidden):
                await call()


async def test_unknown_fields_and_enum_values_tolerated() -> None:
    rules = {"rules": [{"terminal": False, "condition": {"size:gt": "10M"},
                        "actions": [{"action": "quarantine", "data": {"email": "", "why": 1}}],
                        "scope": {"direction": "both"}, "priority": 3}], "etag": "x"}
    policies = {"rules": [{"name": "n", "condition": {"asn_filter": {"list": ["AS1"]}},
                           "action": {"type": "tarpit", "options": {"force": "quarantine"}},
                           "color": "red"}], "revision": 9, "owner": "x"}
    allow = {"allowList": [], "updatedAt": "2025-01-01"}
    script = Script(httpx.Response(200, json=rules), httpx.Response(200, json=policies),
                    httpx.Response(200, json=allow))
    async with make_client(script) as client:
        rule = (await client.mail_flow.routing_rules()).rules[0]
        assert rule.actions[0].action.value == "quarantine"
        assert not rule.actions[0].action.is_known
        assert rule.scope.direction.value == "both" and rule.model_extra == {"priority": 3}
        policy = (await client.mail_flow.sender_policies()).rules[0]
        assert policy.action.type.value == "tarpit" and not policy.action.type.is_known
        assert policy.action.options.force.value == "quarantine"
        assert policy.condition.model_extra == {"asn_filter": {"list": ["AS1"]}}
        assert (await client.mail_flow.allowlist()).allow_list == []
    assert [r.url.path for r in script.requests] == [
        "/admin/v1/org/42/mail/routing/rules", "/admin/v1/org/42/mail/routing/policies",
        "/admin/v1/org/42/mail/antispam/allowlist/ips"]


async def test_empty_answers() -> None:
    script = Script(httpx.Response(200, json={}))
    async with make_client(script) as client:
        assert (await client.mail_flow.routing_rules()).rules == []
        policies = await client.mail_flow.sender_policies()
        assert policies.rules == [] and policies.revision == 0
        assert (await client.mail_flow.allowlist()).allow_list == []


async def test_family_host() -> None:
    script = Script(httpx.Response(200, json={"allowList": ["192.0.2.1"]}))
    async with make_client(script, family_urls={"mail_flow": "https://mail.example"}) as client:
        await client.mail_flow.allowlist()
    assert script.requests[0].url.host == "mail.example"
