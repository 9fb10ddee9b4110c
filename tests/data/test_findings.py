"""findings.py: every finding's count equals the generated org's truth (read from its state, not
through the API), one failing source leaves the others, progress, and the export records."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from y360tui.api import Y360Client
from y360tui.api.client import RetryPolicy
from y360tui.api.models.domains import DnsRecord
from y360tui.data.directory import U_ID, U_STATUS, DirectoryCache
from y360tui.data.domains import missing
from y360tui.data.findings import (
    DONE,
    FAILED,
    FindingsRun,
    all_checks,
    sorted_findings,
)
from y360tui.data.findings_out import compute_findings, findings_records
from y360tui.data.links import Linker
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import READ_SCOPES, generate_org
from y360tui.emulator.transport import EmulatorTransport

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def org():
    """400 users, seed 11; tests here only read it (and add tokens of their own)."""
    return generate_org(users=400, seed=11, now=NOW)


def client_for(org, token=None):
    return Y360Client(token or org.admin_token, org.id, base_url="http://demo.invalid",
                      transport=EmulatorTransport(create_app(org)),
                      retry=RetryPolicy(retries=0))


async def run_findings(org, token=None, **kwargs):
    async with client_for(org, token) as client:
        directory = DirectoryCache(client, users_page_size=100, groups_page_size=50)
        changes = []
        run = FindingsRun(client, directory, Linker(client, directory),
                          on_change=lambda: changes.append(run.progress_text()), **kwargs)
        await run.run()
        directory.close()
        return run, changes


def truth(org) -> dict[str, set]:
    """What each finding must hold, from the org's state."""
    users = {uid: u for uid, u in org.users.items() if uid not in org.hidden_users}
    living = {uid for uid, u in users.items() if not u["isDismissed"]}
    no_2fa = {uid for uid in living if not org.two_fa[uid]["has2fa"]}
    admins = {uid for uid, u in users.items() if u["isAdmin"]}
    published = [(uid, r) for uid, records in org.disk.items() for r in records
                 if r["public_key"]]
    return {
        "no-2fa": no_2fa,
        "admins-no-2fa": no_2fa & admins,
        "admins": admins,
        "robots": {uid for uid, u in users.items() if u["isRobot"] and not u["isAdmin"]},
        "dismissed-enabled": {uid for uid, u in users.items()
                              if u["isDismissed"] and u["isEnabled"]},
        "no-department": {uid for uid in living if users[uid]["departmentId"] == 1},
        "empty-groups": {str(g["id"]) for g in org.groups.values() if not g["members"]},
        "no-head": {str(d["id"]) for d in org.departments.values() if not d["headId"]},
        "disk-no-expiry": {f"{uid}:{r['path']}" for uid, r in published
                           if r["public_settings"]["available_until"] is None},
        "disk-open-to-anyone": {f"{uid}:{r['path']}" for uid, r in published
                                if any("all" in (a.get("macros") or [])
                                       for a in r["public_settings"]["accesses"])},
        "service-apps": {a["id"] for a in org.service_apps},
        "domains-mail-records": {name for name, d in org.domains.items()
                                 if missing([DnsRecord.model_validate(r)
                                             for r in d["records"]])},
        "mail-routing-outside": {str(i + 1) for i, r in enumerate(org.mail_routing_rules)
                                 if any(not a.get("data", {}).get("email", "@" + org.domain)
                                        .endswith("@" + org.domain) for a in r["actions"])},
    }


async def test_every_count_equals_the_org_truth(org):
    run, changes = await run_findings(org)
    expected = truth(org)
    records = {r["id"]: r for r in findings_records(run.sorted())}
    assert set(records) == {c[0] for c in all_checks()}
    for cid, ids in expected.items():
        record = records[cid]
        assert record["state"] == DONE, (cid, record["detail"])
        assert {o["id"] for o in record["objects"]} == ids, cid
        assert record["count"] == len(ids), cid
        # Every kind the generator makes is found (admins without 2FA only by chance).
        assert ids or cid == "admins-no-2fa", cid
    # The org's settings: mandatory 2FA off, 30-day sessions, no password policy.
    assert records["domain-2fa"]["count"] == 1 and records["domain-2fa"]["severity"] == "error"
    assert records["session-ttl"]["count"] == 1
    assert records["session-ttl"]["title"] == "Sessions last 30 days"
    assert records["password-policy"]["count"] == 1
    assert "mandatory 2FA off" in records["no-2fa"]["detail"]
    # Progress was reported along the way and ends with every source done.
    assert len(changes) > 5 and "2FA" in changes[0]
    assert changes[-1] == ("directory ✓ · 2FA ✓ · dismissed users ✓ · settings ✓ · "
                           "service apps ✓ · Disk ✓ · mail ✓ · domains ✓ · routing ✓")


async def test_display_order_by_severity(org):
    run, _ = await run_findings(org)
    order = [f.severity for f in run.sorted() if f.count]
    assert order == sorted(order, key=["error", "warning", "info"].index)
    assert sorted_findings(run.findings.values()) == run.sorted()


async def test_a_403_on_one_source_leaves_the_others(org):
    """The read-only admin token lacks ``domain_2fa_write``: only that finding fails."""
    run, _ = await run_findings(org, org.extra_tokens["readonly"])
    failed = {f.id: f for f in run.findings.values() if f.state == FAILED}
    assert set(failed) == {"domain-2fa"}
    assert failed["domain-2fa"].detail.startswith("could not check: 403: ")
    assert failed["domain-2fa"].count is None
    assert run.findings["no-2fa"].count == len(truth(org)["no-2fa"])
    assert "mandatory 2FA" not in run.findings["no-2fa"].detail  # the policy is unknown
    assert run.progress["security"].state == FAILED and run.progress["disk"].state == DONE


async def test_no_disk_scope_fails_the_disk_findings_only(org):
    token = "findings-no-disk-token"
    org.tokens[token] = {"uid": org.admin_uid, "scopes": set(READ_SCOPES) - {
        "cloud_api:disk.read"} | {"ya360_security:domain_2fa_write"}}
    run, _ = await run_findings(org, token)
    failed = {f.id for f in run.findings.values() if f.state == FAILED}
    assert failed == {"disk-no-expiry", "disk-open-to-anyone"}
    assert "403" in run.findings["disk-no-expiry"].detail
    assert run.findings["domain-2fa"].state == DONE


async def test_no_scope_at_all_fails_every_finding_without_raising(org):
    run, _ = await run_findings(org, org.extra_tokens["user"])
    assert all(f.state == FAILED for f in run.findings.values())
    assert all(f.detail.startswith("could not check: ") for f in run.findings.values())
    assert run.done


async def test_two_fa_already_cached_is_not_fetched_again(org):
    asgi = create_app(org)
    async with Y360Client(org.admin_token, org.id, base_url="http://demo.invalid",
                          transport=EmulatorTransport(asgi)) as client:
        directory = DirectoryCache(client, users_page_size=100)
        await directory.synced()
        living = [row[U_ID] for _, row in directory.users.rows() if row[U_STATUS] != "dismissed"]
        await directory.two_fa.load(living[:50])
        before = len([p for p in asgi.state.request_log.paths("GET") if p.endswith("/2fa")])
        found = await compute_findings(client, directory, Linker(client, directory))
        after = len([p for p in asgi.state.request_log.paths("GET") if p.endswith("/2fa")])
        assert after - before == len(living) - 50
        assert any(f.id == "no-2fa" and f.state == DONE for f in found)
        directory.close()


async def test_recompute_sees_a_fix(org):
    """After an edit (an empty group deleted), ``run(refresh=True)`` finds one fewer."""
    own = generate_org(users=200, seed=5, now=NOW)
    async with client_for(own) as client:
        directory = DirectoryCache(client, users_page_size=100)
        linker = Linker(client, directory)
        run = FindingsRun(client, directory, linker)
        await run.run()
        before = run.findings["empty-groups"].count
        gid = int(run.findings["empty-groups"].objects[0][0])
        await client.directory.delete_group(gid)
        await run.run(refresh=True)
        assert run.findings["empty-groups"].count == before - 1
        directory.close()


async def test_compute_findings_headless_makes_its_own_caches(org):
    """The export path: ``compute_findings(client)`` alone, then plain records."""
    async with client_for(org) as client:
        records = findings_records(await compute_findings(client))
    ranks = [["error", "warning", "info"].index(r["severity"]) for r in records if r["count"]]
    assert ranks == sorted(ranks)  # display order
    by_id = {r["id"]: r for r in records}
    assert by_id["no-2fa"]["count"] == len(truth(org)["no-2fa"])
    assert all(set(o) == {"id", "label"} for r in records for o in r["objects"])
    assert by_id["domain-2fa"]["objects"] == [
        {"id": "domain_2fa", "label": "Mandatory 2FA for the domain: off"}]
