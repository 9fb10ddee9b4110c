"""The domains client (``client.domains``) against the emulator and scripted servers: every
method, page/perPage paging (empty, one page, several), record checks before sending,
tolerance of unknown fields and enum values, scopes, the family's own host."""

from __future__ import annotations

import httpx
import pytest

from y360tui.api import Y360Client
from y360tui.api.domains import domain_name, validate_record
from y360tui.api.errors import BadRequest, Forbidden, NotFound
from y360tui.api.models.domains import DnsRecord, DomainState, RecordType

from .conftest import token_for
from .mock import Script, make_client


def _list(domains, page, pages, total, per_page=10):
    return httpx.Response(200, json={"domains": domains, "page": page, "pages": pages,
                                     "perPage": per_page, "total": total})


async def test_all_domains_from_the_emulator(client, org) -> None:
    domains = await client.domains.all_domains()
    assert [d.name for d in domains] == list(org.domains)
    master = domains[0]
    assert master.name == org.domain and master.master and master.verified and master.mx
    assert master.status.spf.match and master.status.dkim.match
    second, third = domains[1], domains[2]
    assert second.verified and second.status.dkim.match is False
    assert not third.verified and not third.mx
    assert third.status.name is DomainState.NOT_VERIFIED


async def test_domains_paging_several_pages(client, org) -> None:
    pager = client.domains.list(per_page=2)
    pages = [p async for p in pager]
    assert [len(p) for p in pages] == [2, 1]
    assert pages[0].total == 3 and pages[0].pages == 2 and not pages[1].has_more
    assert [d.name for p in pages for d in p.items] == list(org.domains)


async def test_domains_empty_and_one_page() -> None:
    script = Script(_list([], 1, 0, 0), _list([{"name": "a.example"}], 1, 1, 1))
    async with make_client(script) as client:
        assert await client.domains.all_domains() == []
        one = [p async for p in client.domains.list()]
        assert len(one) == 1 and one[0].items[0].name == "a.example" and not one[0].has_more
    assert script.requests[0].url.params["perPage"] == "10"


async def test_unknown_fields_and_enum_values_tolerated() -> None:
    domain = {"name": "a.example", "verified": False, "futureFlag": 1,
              "status": {"name": "quarantined", "spf": {"match": False, "value": ""},
                         "dmarc": {"match": True}}}
    record = {"recordId": 5, "type": "HTTPS", "name": "@", "ttl": 300, "svcParams": "alpn=h2",
              "target": "svc.example."}
    script = Script(_list([domain], 1, 1, 1),
                    httpx.Response(200, json={"records": [record], "page": 1, "pages": 1,
                                              "perPage": 50, "total": 1}))
    async with make_client(script) as client:
        got = (await client.domains.all_domains())[0]
        assert got.model_extra == {"futureFlag": 1}
        assert got.status.name.value == "quarantined" and not got.status.name.is_known
        rec = (await client.domains.all_dns("a.example"))[0]
        assert rec.type.value == "HTTPS" and not rec.type.is_known
        assert rec.content == "svc.example." and rec.model_extra == {"svcParams": "alpn=h2"}


async def test_dns_paging_default_50_and_several_pages(client, org) -> None:
    truth = org.domains[org.domain]["records"]
    first = await client.domains.dns(org.domain).get_page(1)
    assert first.total == len(truth) and len(first) == min(50, len(truth))
    pages = [p async for p in client.domains.dns(org.domain, per_page=10)]
    assert len(pages) == -(-len(truth) // 10) > 1
    ids = [r.record_id for p in pages for r in p.items]
    assert ids == [r["recordId"] for r in truth]
    mx = next(r for p in pages for r in p.items if r.type is RecordType.MX)
    assert mx.exchange == "mx.yandex.net." and mx.rank == 10


async def test_dns_empty_domain(client) -> None:
    pages = [p async for p in client.domains.dns("demo-corp.online")]
    assert len(pages) == 1 and pages[0].items == [] and pages[0].total == 0


async def test_add_then_delete_record(client, org) -> None:
    created = await client.domains.add_record(
        "demo-corp.online", {"type": "MX", "name": "@", "exchange": "mx.yandex.net.",
                             "preference": 10, "ttl": 3600})
    assert created.record_id and created.type is RecordType.MX and created.preference == 10
    records = await client.domains.all_dns("demo-corp.online")
    assert [r.record_id for r in records] == [created.record_id]
    domains = {d.name: d for d in await client.domains.all_domains()}
    assert domains["demo-corp.online"].mx is True
    await client.domains.delete_record("demo-corp.online", created.record_id)
    assert await client.domains.all_dns("demo-corp.online") == []
    with pytest.raises(NotFound, match="not found"):
        await client.domains.delete_record("demo-corp.online", created.record_id)


async def test_verify_with_and_without_the_txt(client) -> None:
    status = await client.domains.verify("demo-corp.online")
    assert status.name is DomainState.NOT_VERIFIED
    await client.domains.add_record("demo-corp.online",
                                    DnsRecord(type="TXT", text="yandex-verification: 0a1b2c"))
    status = await client.domains.verify("demo-corp.online")
    assert status.name is DomainState.VERIFIED
    assert (await client.domains.status("demo-corp.online")).name is DomainState.VERIFIED


async def test_add_and_delete_domain(client) -> None:
    created = await client.domains.add_domain("Новый-Домен.РФ")
    assert created.name == "xn----ctbherucgce3l.xn--p1ai" and not created.verified
    assert created.name in [d.name for d in await client.domains.all_domains()]
    await client.domains.delete_domain(created.name)
    assert created.name not in [d.name for d in await client.domains.all_domains()]


async def test_unknown_domain_is_404(client) -> None:
    with pytest.raises(NotFound, match=r"domain nowhere\.example not found"):
        await client.domains.all_dns("nowhere.example")


@pytest.mark.parametrize(("record", "message"), [
    ({"type": "SPF", "text": "x"}, "type must be one of"),
    ({"type": "MX", "exchange": "mx.yandex.net."}, "preference .priority. is required"),
    ({"type": "TXT", "text": ""}, "text must not be empty"),
    ({"type": "TXT", "text": '"v=spf1 -all'}, "unbalanced quote"),
    ({"type": "A", "address": "2001:db8::1"}, "needs an IPv4"),
    ({"type": "A", "address": "1.2.3.4", "ttl": 0}, "ttl must be between"),
    ({"type": "A", "address": "1.2.3.4", "ttl": "soon"}, "ttl must be a whole number"),
    ({"type": "CNAME", "target": "not a host"}, "target must be a host name"),
    ({"type": "SRV", "target": "x.example.", "priority": 1, "weight": 1}, "port is required"),
    ({"type": "A", "name": "bad name", "address": "1.2.3.4"}, "name must be"),
])
async def test_bad_records_refused_before_sending(record, message) -> None:
    script = Script()
    async with make_client(script) as client:
        with pytest.raises(ValueError, match=message):
            await client.domains.add_record("a.example", record)
    assert script.requests == []


def test_validate_record_normalises() -> None:
    out = validate_record({"type": "txt", "name": "Mail._DomainKey", "text": '"v=DKIM1; p=x"'})
    assert out == {"type": "TXT", "name": "mail._domainkey", "ttl": 21600, "text": "v=DKIM1; p=x"}
    assert validate_record({"type": "AAAA", "address": "2001:DB8:0::1"})["address"] == \
        "2001:db8::1"
    assert domain_name("Example.COM.") == "example.com"
    with pytest.raises(ValueError):
        domain_name("localhost")


async def test_emulator_validates_too(client, org) -> None:
    with pytest.raises(BadRequest, match="preference"):
        await client.call("api360", "POST",
                          f"/directory/v1/org/{org.id}/domains/{org.domain}/dns", None,
                          json_body={"type": "MX", "exchange": "mx.yandex.net."})


async def test_scopes(org, app) -> None:
    async with Y360Client(token=token_for(org, "ro"), org_id=org.id,
                          transport=httpx.ASGITransport(app)) as ro:
        assert len(await ro.domains.all_domains()) == 3
        assert await ro.domains.all_dns(org.domain)  # reading DNS is allowed
        with pytest.raises(Forbidden, match="manage_dns"):
            await ro.domains.add_record(org.domain, {"type": "A", "name": "x",
                                                     "address": "192.0.2.1"})
        with pytest.raises(Forbidden, match="write_domains"):
            await ro.domains.verify("demo-corp.online")
    async with Y360Client(token=token_for(org, "user"), org_id=org.id,
                          transport=httpx.ASGITransport(app)) as user:
        with pytest.raises(Forbidden):
            await user.domains.all_domains()


async def test_family_host() -> None:
    script = Script(_list([], 1, 0, 0))
    async with make_client(script, family_urls={"domains": "https://dns.example"}) as client:
        await client.domains.all_domains()
    assert script.requests[0].url.host == "dns.example"
