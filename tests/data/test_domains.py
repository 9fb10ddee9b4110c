"""Domains data: the mail check over records as the API returns them, the view's rows, the
finding (its count equals the emulator's truth), and the three edits (validation before
anything is sent, plan in words, read back, journal line)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.api.models.domains import DnsRecord
from y360tui.data.domains import domain_row, load_rows, missing
from y360tui.data.edits.base import execute
from y360tui.data.edits.domains import AddDnsRecord, DeleteDnsRecord, VerifyDomain, form_record
from y360tui.data.findings_out import compute_findings
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(tmp_path):
    org = generate_org(200, seed=5, now=NOW)
    asgi = create_app(org)
    client = Y360Client(org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    journal = Journal(tmp_path / "j.jsonl", profile="demo", org=str(org.id))
    return org, client, journal, asgi.state.request_log


def rec(**fields) -> DnsRecord:
    return DnsRecord.model_validate({"name": "@", **fields})


def test_mail_check_reads_records() -> None:
    full = [rec(type="MX", exchange="mx.yandex.net.", preference=10),
            rec(type="TXT", text="v=spf1 redirect=_spf.yandex.net"),
            rec(type="TXT", name="mail._domainkey", text="v=DKIM1; k=rsa; p=MIGf")]
    assert missing(full) == ()
    assert missing(full[:2]) == ("DKIM",)
    assert missing([]) == ("MX", "SPF", "DKIM")
    # in the wrong place, or not what it claims, they do not count
    wrong = [rec(type="MX", name="www", exchange="mx.example.", preference=1),
             rec(type="TXT", name="spf", text="v=spf1 -all"),
             rec(type="TXT", text="google-site-verification=x"),
             rec(type="CNAME", name="mail._domainkey", target="x.example.")]
    assert missing(wrong) == ("MX", "SPF", "DKIM")
    # another DKIM selector counts; a quoted SPF text counts
    other = [rec(type="TXT", text='"v=spf1 include:_spf.google.com ~all"'),
             rec(type="TXT", name="google._domainkey", text="v=DKIM1; p=MIIB")]
    assert missing(other) == ("MX",)


async def test_rows_match_the_emulator(world) -> None:
    org, client, _journal, _log = world
    rows = await load_rows(client)
    assert [r.name for r in rows] == list(org.domains)
    by_name = {r.name: r for r in rows}
    assert by_name[org.domain].missing == () and by_name[org.domain].master
    assert by_name[org.domain].records == len(org.domains[org.domain]["records"])
    assert by_name["demo-corp.com"].missing == ("DKIM",)
    assert by_name["demo-corp.com"].check_text == "missing: DKIM"
    third = by_name["demo-corp.online"]
    assert third.missing == ("MX", "SPF", "DKIM") and third.state == "not verified"
    assert third.mark("MX") == "✗ no" and by_name[org.domain].mark("DKIM") == "✓ yes"
    assert third.finding_label() == ("demo-corp.online",
                                     "demo-corp.online: missing: MX, SPF, DKIM")


async def test_unreadable_records_are_unknown_not_missing(world) -> None:
    _org, client, _journal, _log = world
    domain = (await client.domains.all_domains())[0]
    row = domain_row(domain, None, "403: access denied")
    assert not row.checked and row.missing == () and row.mark("MX") == "?"
    assert row.check_text == "unknown: 403: access denied"


async def test_finding_count_equals_the_emulators_truth(world) -> None:
    org, client, _journal, _log = world
    # make the truth differ from the generator's: give the second domain its DKIM key
    await client.domains.add_record("demo-corp.com", {"type": "TXT", "name": "mail._domainkey",
                                                      "text": "v=DKIM1; k=rsa; p=MIGf"})
    truth = []
    for name, domain in org.domains.items():
        records = [DnsRecord.model_validate(r) for r in domain["records"]]
        if missing(records):
            truth.append(name)
    findings = {f.id: f for f in await compute_findings(client)}
    finding = findings["domains-mail-records"]
    assert finding.severity == "warning" and finding.kind == "domain"
    assert [o.name for o in finding.objects] == truth == ["demo-corp.online"]
    assert finding.count == 1 and "1 of 3 domains" in finding.detail


def test_form_record_per_type() -> None:
    assert form_record({"type": "mx", "name": "", "value": " mx.yandex.net. ",
                        "priority": "10", "ttl": ""}) == {
        "type": "MX", "name": "@", "ttl": 21600, "exchange": "mx.yandex.net.",
        "preference": "10"}
    srv = form_record({"type": "SRV", "name": "_sip._tcp", "value": "5 5060 sip.example.",
                       "priority": "1", "ttl": "300"})
    assert (srv["weight"], srv["port"], srv["target"], srv["priority"]) == \
        ("5", "5060", "sip.example.", "1")


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"type": "MX", "value": "mx.yandex.net."}, "priority", "is required"),
    ({"type": "A", "value": "1.2.3.4", "ttl": "-5"}, "ttl", "between"),
    ({"type": "A", "value": "1.2.3.4", "ttl": "an hour"}, "ttl", "whole number"),
    ({"type": "TXT", "value": '"v=spf1 -all'}, "value", "unbalanced quote"),
    ({"type": "TXT", "value": "   "}, "value", "must not be empty"),
    ({"type": "A", "value": "1.2.3.4", "priority": "5"}, "priority", "has no priority"),
    ({"type": "A", "name": "bad name", "value": "1.2.3.4"}, "name", "name must be"),
    ({"type": "AAAA", "value": "1.2.3.4"}, "value", "IPv6"),
])
async def test_add_record_validation_sends_nothing(world, values, field, words) -> None:
    _org, _client, _journal, log = world
    edit = AddDnsRecord({"id": "demo-corp.online"}, values)
    errors = edit.validate()
    assert field in errors and words in errors[field]
    assert log.writes() == []


async def test_add_record_end_to_end(world) -> None:
    org, client, journal, _log = world
    edit = AddDnsRecord({"id": "demo-corp.com"},
                        {"type": "TXT", "name": "mail._domainkey",
                         "value": '"v=DKIM1; k=rsa; t=s; p=MIGfMA0"', "ttl": "3600"})
    await edit.load(client)
    assert edit.validate() == {}
    plan = edit.plan()
    assert str(plan.changes[0]) == ('record: — -> TXT mail._domainkey → '
                                    '"v=DKIM1; k=rsa; t=s; p=MIGfMA0", TTL 3600')
    assert plan.notes[0] == "the mail check then finds DKIM and nothing missing"
    outcome = await execute(edit, client, journal, plan)
    assert outcome.ok, outcome.message
    stored = org.domains["demo-corp.com"]["records"][-1]
    assert stored["text"] == "v=DKIM1; k=rsa; t=s; p=MIGfMA0" and stored["ttl"] == 3600
    entry = journal.entries()[0]
    assert (entry.action, entry.target.kind, entry.target.id, entry.outcome) == \
        ("domain.dns.add", "domain", "demo-corp.com", "ok")
    assert org.audit_events[0]["event"]["meta"]["dns"] == "added"


async def test_delete_record_end_to_end_and_gone_refused(world) -> None:
    org, client, journal, _log = world
    mx = next(r for r in org.domains["demo-corp.com"]["records"] if r["type"] == "MX")
    edit = DeleteDnsRecord({"id": "demo-corp.com", "record": mx})
    await edit.load(client)
    assert edit.validate() == {}
    plan = edit.plan()
    assert plan.changes[0].before.startswith("MX @ → mx.yandex.net. (priority 10)")
    assert "the domain then has no MX: mail to the domain stops arriving" in plan.notes
    outcome = await execute(edit, client, journal, plan)
    assert outcome.ok
    assert mx["recordId"] not in [r["recordId"] for r in org.domains["demo-corp.com"]["records"]]
    assert journal.entries()[0].action == "domain.dns.delete"
    again = DeleteDnsRecord({"id": "demo-corp.com", "record": mx})
    await again.load(client)
    assert "gone already" in again.validate()["record"]


async def test_verify_domain(world) -> None:
    org, client, journal, _log = world
    edit = VerifyDomain({"id": "demo-corp.online"})
    await edit.load(client)
    plan = edit.plan()
    assert any("yandex-verification" in n for n in plan.notes)
    outcome = await execute(edit, client, journal, plan)
    assert outcome.status == "verify-mismatch" and "still not verified" in outcome.message
    await client.domains.add_record("demo-corp.online",
                                    {"type": "TXT", "text": "yandex-verification: 77aa"})
    edit = VerifyDomain({"id": "demo-corp.online"})
    await edit.load(client)
    assert not any("yandex-verification" in n for n in edit.plan().notes)
    assert (await execute(edit, client, journal)).ok
    assert org.domains["demo-corp.online"]["verified"] is True
    done = VerifyDomain({"id": "demo-corp.online"})
    await done.load(client)
    assert "verified already" in done.validate()["domain"]
    assert [e.outcome for e in journal.entries()] == ["ok", "verify-mismatch"]  # newest first


async def test_write_refused_by_a_read_only_token_is_failed_and_journaled(world) -> None:
    org, _client, journal, _log = world
    readonly = Y360Client(org.extra_tokens["readonly"], org.id, base_url="http://emulator",
                          transport=EmulatorTransport(create_app(org)),
                          retry=RetryPolicy(retries=0))
    edit = AddDnsRecord({"id": "demo-corp.online"},
                        {"type": "A", "name": "www", "value": "192.0.2.7"})
    await edit.load(readonly)  # reading the records is allowed
    outcome = await execute(edit, readonly, journal)
    assert outcome.status == "failed" and outcome.message.startswith("403: ")
    assert "directory:manage_dns" in outcome.message
    assert org.domains["demo-corp.online"]["records"] == []
    entry = journal.entries()[0]
    assert (entry.action, entry.outcome) == ("domain.dns.add", "failed")
    assert entry.error["status"] == 403
