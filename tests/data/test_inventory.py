"""inventory.py against the emulator: audit-first ordering, adaptive concurrency with 429 and
Retry-After (injected clock), the SQLite cache (reuse, delta refresh, unpublished files gone,
corrupt and foreign caches replaced), settings fetched only when asked; and the generator's
publishing share and matching Disk audit records."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timezone

import httpx
import pytest

from y360tui.api import Y360Client
from y360tui.api.client import RetryPolicy
from y360tui.data.directory import DirectoryCache
from y360tui.data.inventory import (
    AdaptiveLimit,
    Inventory,
    InventoryCache,
    cache_path,
)
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
BASE = "http://demo.invalid"


@pytest.fixture
def org():
    """500 users, seed 5 (tests unpublish files: one org per test)."""
    return generate_org(users=500, seed=5, now=NOW)


def listed(org) -> set[tuple[str, str]]:
    """(uid, path) of every resource the admin list shows (published or shared)."""
    return {(uid, r["path"]) for uid, records in org.disk.items() for r in records
            if r["public_key"] or any(a.get("type") != "owner"
                                      for a in r["public_settings"]["accesses"])}


def logged_owners(org) -> set[str]:
    """Owners the audit logs name as publishing (both logs, the retention window)."""
    out = {e["ownerUid"] for e in org.disk_events
           if e["eventType"] in ("fs-set-public", "fs-set-public-settings")}
    for item in org.audit_events:
        event = item["event"]
        if event["type"] in ("disk_fs-set-public", "disk_fs-set-public-settings",
                             "disk_fs-set-private"):
            out.add(str(event["meta"].get("owner_uid") or event["uid"]))
    return out


class Throttle(httpx.AsyncBaseTransport):
    """Answers the first ``count`` public-resources requests with 429 + Retry-After."""

    def __init__(self, inner: httpx.AsyncBaseTransport, count: int, retry_after: str) -> None:
        self.inner, self.count, self.retry_after = inner, count, retry_after
        self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/public-resources") and self.sent < self.count:
            self.sent += 1
            return httpx.Response(429, headers={"Retry-After": self.retry_after},
                                  json={"message": "too many requests",
                                        "description": "slow down", "error": "TooManyRequests"})
        return await self.inner.handle_async_request(request)


def client_for(org, transport=None):
    return Y360Client(org.admin_token, org.id, base_url=BASE,
                      transport=transport or EmulatorTransport(create_app(org)),
                      retry=RetryPolicy(retries=0))


def inventory(client, tmp_path=None, **kwargs) -> Inventory:
    cache = None
    if tmp_path is not None:
        cache = InventoryCache(cache_path(tmp_path, client.org_id, BASE), org_id=client.org_id,
                               server=BASE)
    directory = DirectoryCache(client, users_page_size=100)
    return Inventory(client, directory, cache=cache, clock=lambda: NOW.timestamp(), **kwargs)


async def test_owners_from_the_audit_logs_are_scanned_first(org):
    logged = logged_owners(org)
    assert logged, "the generator writes publishing records"
    async with client_for(org) as client:
        inv = inventory(client)
        order: list[str] = []
        scan_one = inv._scan_one

        async def recording(uid, login, name):
            order.append(uid)
            await scan_one(uid, login, name)

        inv._scan_one = recording  # type: ignore[method-assign]
        await inv.wait_complete()
        await inv.aclose()
    found = {(f.owner.id, f.resource.path) for f in inv.rows}
    assert found == listed(org)
    live = logged & set(org.users)
    first = order[:len(live)]
    assert set(first) == live  # every owner the logs name, before anyone else
    owners = {uid for uid, _ in listed(org)}
    assert inv.rows[0].owner.id in logged & owners  # the first link: a logged owner's
    assert inv.stats.settings == 0  # settings only when asked
    assert inv.stats.resources == len(set(order))  # one request per user (limit 1000)


async def test_backs_off_on_429_and_honours_retry_after(org):
    now = [0.0]

    async def sleep(seconds: float) -> None:  # an injected clock: no real waiting
        now[0] += seconds
        await asyncio.sleep(0)

    limit = AdaptiveLimit(16, clock=lambda: now[0], sleep=sleep)
    throttle = Throttle(EmulatorTransport(create_app(org)), count=5, retry_after="7")
    async with client_for(org, throttle) as client:
        inv = inventory(client, limit=limit, monotonic=lambda: now[0], sleep=sleep)
        await inv.wait_complete()
        await inv.aclose()
    assert throttle.sent == 5 and limit.throttled == 5
    assert limit.pauses and limit.pauses[0] == 7.0  # the server's Retry-After
    assert now[0] >= 7.0  # new requests waited for it
    assert limit.lowest == 8  # halved once for the burst, then grown again while fast
    assert {(f.owner.id, f.resource.path) for f in inv.rows} == listed(org)  # none lost


def test_limit_grows_while_fast_and_shrinks_when_slow():
    limit = AdaptiveLimit(8, high=64)
    for _ in range(400):
        limit.in_flight += 1
        limit.release(0.08)
    assert limit.limit == 64
    for _ in range(100):
        limit.in_flight += 1
        limit.release(1.0)  # answers 12x slower: the server is saturated
    assert limit.limit < 64
    grown = limit.limit
    limit.in_flight += 1
    limit.release(None, throttled=True, retry_after=None)
    assert limit.limit == max(2, grown // 2) and limit.pauses == [1.0]


async def test_cache_is_shown_at_once_and_refreshed(org, tmp_path):
    async with client_for(org) as client:
        first = inventory(client, tmp_path)
        await first.wait_complete()
        await first.aclose()
        assert first.cache is not None and first.cache.message == ""
        # Unpublish one file with nothing but its link (it then leaves the admin list).
        uid, record = next((u, r) for u, records in org.disk.items() for r in records
                           if r["public_key"] and len(r["public_settings"]["accesses"]) == 2)
        await client.disk.admin_unpublish(uid, record["public_key"])

        second = inventory(client, tmp_path)
        task = second.start()
        await asyncio.sleep(0)
        # The cached rows, before any request answered, marked with their age.
        assert len(second.rows) == len(first.rows) and not second.complete
        assert second.cached_at == NOW.timestamp()
        assert "cached 0 s ago, refreshing" in second.status_text()
        generation = second.generation
        await task
        await second.aclose()
    paths = {(f.owner.id, f.resource.path) for f in second.rows}
    assert (uid, record["path"]) not in paths  # unpublished since the last scan: gone
    assert paths == listed(org) and second.generation > generation
    # The audit delta (the unpublish event) was read from the checkpoint only.
    assert second.stats.audit < first.stats.audit
    db = sqlite3.connect(cache_path(tmp_path, org.id, BASE))
    assert db.execute("SELECT count(*) FROM files").fetchone()[0] == len(paths)
    assert db.execute("SELECT count(*) FROM files WHERE path = ? AND uid = ?",
                      (record["path"], uid)).fetchone()[0] == 0
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert "token" not in " ".join(tables)
    values = " ".join(str(v) for row in db.execute("SELECT * FROM meta") for v in row)
    assert org.admin_token not in values  # no token in the cache


async def test_full_rescan_ignores_the_cache(org, tmp_path):
    async with client_for(org) as client:
        first = inventory(client, tmp_path)
        await first.wait_complete()
        again = inventory(client, tmp_path)
        await again.restart(full=True)
        await first.aclose()
        await again.aclose()
    assert again.stats.audit == first.stats.audit  # the whole window read again
    assert {(f.owner.id, f.resource.path) for f in again.rows} == listed(org)


@pytest.mark.parametrize("damage", ["garbage", "version", "org"])
async def test_corrupt_or_foreign_cache_is_replaced(org, tmp_path, damage):
    path = cache_path(tmp_path, org.id, BASE)
    path.parent.mkdir(parents=True, exist_ok=True)
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    else:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE files (uid TEXT)")
        db.execute("INSERT INTO meta VALUES ('org_id', ?)",
                   ("1" if damage == "org" else str(org.id),))
        db.execute(f"PRAGMA user_version = {99 if damage == 'version' else 1}")
        db.commit()
        db.close()
    async with client_for(org) as client:
        inv = inventory(client, tmp_path)
        await inv.wait_complete()
        await inv.aclose()
    assert "inventory cache discarded" in inv.message
    assert {(f.owner.id, f.resource.path) for f in inv.rows} == listed(org)
    again = InventoryCache(path, org_id=org.id, server=BASE)
    again.open()
    assert again.message == "" and len(again.rows()) == len(inv.rows)
    again.close()


async def test_settings_only_for_rows_asked_for_and_cached(org, tmp_path):
    async with client_for(org) as client:
        inv = inventory(client, tmp_path)
        await inv.wait_complete()
        await inv.load_settings(inv.rows[:3])
        await inv.load_settings(inv.rows[:3])  # kept: not asked again
        assert inv.stats.settings == 3 and all(f.settings for f in inv.rows[:3])
        await inv.aclose()
        again = inventory(client, tmp_path)
        again.start()
        await asyncio.sleep(0)
        cached = {f.resource.path: f.settings for f in again.rows if f.settings is not None}
        assert len(cached) == 3
        await again.aclose()


def test_generator_publishing_share_and_disk_log():
    org = generate_org(users=3000, seed=42, now=NOW)
    owners = {uid for uid, records in org.disk.items() if any(r["public_key"] for r in records)}
    assert 0.10 < len(owners) / 3000 < 0.18  # ~14% of the employees publish
    published = {(uid, "/disk" + r["path"][len("disk:"):]) for uid, records in org.disk.items()
                 for r in records if r["public_key"]}
    matching = {(e["ownerUid"], e["path"]) for e in org.disk_events
                if e["eventType"] == "fs-set-public"} & published
    assert matching  # the log records real publishing …
    logged = {uid for uid, _ in matching}
    assert 0.2 < len(logged) / len(owners) < 0.8  # … but not all of it (retention window)
    dates = [e["date"] for e in org.disk_events]
    assert dates == sorted(dates, reverse=True)  # still newest first


async def test_public_settings_by_key_after_publish_and_unpublish(org):
    async with client_for(org) as client:
        uid, record = next((u, r) for u, records in org.disk.items() for r in records
                           if r["public_key"])
        settings = await client.disk.admin_public_settings(record["public_key"])
        assert settings.accesses
        key = record["public_key"]
        await client.disk.admin_unpublish(uid, key)
        with pytest.raises(Exception, match="not found"):
            await client.disk.admin_public_settings(key)


async def test_status_names_the_phase_with_progress_and_eta(org):
    now = [100.0]
    async with client_for(org) as client:
        inv = inventory(client, monotonic=lambda: now[0])
        inv.phase = "every user"
        inv.everyone_total, inv._everyone_base, inv.everyone_done = 1000, 100, 600
        inv._everyone_started = 90.0  # 500 users of this pass in 10 s: 400 left, 8 s
        assert inv.eta() == 8.0
        assert "every user: 600 of 1,000 · ETA 8 s" in inv.status_text()
        inv.phase, inv.likely_found, inv.likely_done = "likely owners", 40, 12
        assert "likely owners (audit logs): 12 of 40" in inv.status_text()
        await inv.aclose()


async def test_a_detail_first_then_the_view_uses_the_cache_without_duplicates(org, tmp_path):
    from y360tui.data.inventory import inventory_for
    from y360tui.data.links import Linker

    async with client_for(org) as client:
        first = inventory(client, tmp_path)
        await first.wait_complete()
        await first.aclose()
        linker = Linker(client, DirectoryCache(client, users_page_size=100))
        uid = first.rows[0].owner.id
        await linker._inventory().files_of(uid)  # a user detail's "Shared files" line
        inv = inventory_for(linker, cache_dir=tmp_path)  # then the Shared files view
        assert inv.cache is not None
        inv.clock = lambda: NOW.timestamp()
        await inv.wait_complete()
        await inv.aclose()
    pairs = [(f.owner.id, f.resource.path) for f in inv.rows]
    assert len(pairs) == len(set(pairs)) and set(pairs) == listed(org)
