"""The client against the emulator: security, audit, Disk, service apps, Tracker, faults."""

from datetime import timedelta

import httpx
import pytest

from y360tui.api import (
    AuditEvent,
    BadRequest,
    DiskEvent,
    Forbidden,
    MailEvent,
    NotFound,
    PublicSettings,
    RateLimited,
    RetryPolicy,
    TrackerUser,
    Unauthorized,
    Y360Client,
)
from y360tui.emulator.app import create_app
from y360tui.emulator.faults import FaultConfig

from .conftest import NOW, token_for
from .mock import Recorder


async def test_security_settings(client, org):
    status = await client.security.enable_domain_2fa(3600, logout_users=False)
    assert status.enabled and status.duration == 3600
    v2 = await client.security.get_domain_2fa(v2=True)
    assert v2.enabled and v2.scope
    assert not (await client.security.disable_domain_2fa()).enabled
    assert (await client.security.set_session_ttl(7200)).auth_ttl == 7200
    assert (await client.security.get_session_ttl()).auth_ttl == 7200
    await client.security.logout_user(org.admin_uid)
    assert (await client.security.set_password_policy(True)).enabled
    assert (await client.security.get_password_policy()).enabled
    apps = await client.security.service_applications()
    assert apps.applications
    replaced = await client.security.set_service_applications(
        [{"id": "client-1", "scopes": ["cloud_api:disk.read"]}])
    assert [a.id for a in replaced.applications] == ["client-1"]
    await client.security.deactivate_service_applications()
    await client.security.activate_service_applications()
    assert (await client.security.clear_service_applications()).applications == []


async def test_mail_log_pages_filters_and_resume(client, org):
    pager = client.audit.mail_log(100)
    pages = [p async for p in pager]
    events = [e for p in pages for e in p.items]
    assert len(events) == len(org.mail_events) and all(isinstance(e, MailEvent) for e in events)
    assert pages[-1].cursor is None and all(p.cursor for p in pages[:-1])
    resumed = await client.audit.mail_log(100, start=pages[0].cursor).all()
    assert [e.uniq_id for e in resumed] == [e.uniq_id for e in events[100:]]
    uid = events[0].user_uid
    mine = await client.audit.mail_log(50, include_uids=[uid], types=["message_seen"]).all()
    assert mine and all(e.user_uid == uid and e.event_type == "message_seen" for e in mine)
    since = NOW - timedelta(days=1)
    recent = await client.audit.mail_log(100, after=since).all()
    assert all(e.date >= since for e in recent)
    nothing = [p async for p in client.audit.mail_log(10, include_uids=["1"])]
    assert len(nothing) == 1 and nothing[0].items == [] and not nothing[0].has_more


async def test_disk_log(client, org):
    events = await client.audit.disk_log(100).all()
    assert len(events) == len(org.disk_events) and all(isinstance(e, DiskEvent) for e in events)


async def test_audit_events_window_filters_and_resume(client, org):
    start = NOW - timedelta(days=10)
    pager = client.audit.events(NOW, started_at=start, count=50)
    pages = [p async for p in pager]
    items = [i for p in pages for i in p.items]
    assert items and all(isinstance(i, AuditEvent) for i in items)
    assert all(start <= i.event.occurred_at <= NOW for i in items)
    assert pages[-1].cursor is None
    if len(pages) > 1:
        rest = await client.audit.events(NOW, started_at=start, count=50,
                                         start=pages[0].cursor).all()
        assert [i.event.idempotency_id for i in rest] == [
            i.event.idempotency_id for i in items[50:]]
    api_only = await client.audit.events(NOW, count=100, service="Api").all()
    assert all(i.event.service == "Api" for i in api_only)
    empty = [p async for p in client.audit.events(NOW - timedelta(days=5000),
                                                  started_at=NOW - timedelta(days=5001))]
    assert len(empty) == 1 and empty[0].items == []


def publishers(org):
    return [uid for uid, records in org.disk.items()
            if any(r.get("public_key") for r in records)]


async def test_disk_admin_views(client, org):
    uid = publishers(org)[0]
    resources = [r async for r in client.disk.admin_public_resources(uid, 2).items()]
    public = [r for r in org.disk[uid] if r.get("public_key")]
    assert len(resources) == len(public)
    key = resources[0].public_hash
    by_key = await client.disk.admin_public_settings(key)
    by_path = await client.disk.admin_public_settings_by_path(uid, resources[0].path)
    assert isinstance(by_key, PublicSettings) and by_key == by_path
    assert all(a.id is not None for a in by_key.accesses if a.type != "macro")
    shared = await client.disk.accessible_resources(uid, 5).all()
    assert isinstance(shared, list)
    await client.disk.admin_unpublish(uid, key)
    with pytest.raises(NotFound) as info:
        await client.disk.admin_public_settings(key)
    assert info.value.code and info.value.message


async def test_service_app_exchange_and_owner_side_disk(client, org):
    app_id, secret = next(iter(org.service_app_secrets.items()))
    uid = publishers(org)[0]
    token = await client.service_apps.exchange(app_id, secret, uid=uid)
    assert token.token_type.lower() == "bearer" and token.expires_in > 0
    async with await client.service_apps.client_for(app_id, secret, uid=uid) as owner:
        mine = await owner.disk.public_resources(limit=3).all()
        assert len(mine) == len([r for r in org.disk[uid] if r.get("public_key")])
        path = mine[0].path
        settings = await owner.disk.public_settings(path)
        assert isinstance(settings, PublicSettings)
        link = await owner.disk.unpublish(path)
        assert link.href
        assert path not in {r.path for r in await owner.disk.public_resources().all()}
        await owner.disk.publish(path)
        assert path in {r.path for r in await owner.disk.public_resources().all()}
        resource = await owner.disk.get_resource(path)
        assert resource.path == path
    with pytest.raises((BadRequest, Unauthorized)) as info:  # reference §12: 400 or 401
        await client.service_apps.exchange(app_id, "wrong-secret", uid=uid)
    assert info.value.code in ("invalid_client", "invalid_grant")
    assert "wrong-secret" not in str(info.value)


async def test_tracker(client, org, app):
    me = await client.tracker.myself()
    assert isinstance(me, TrackerUser)
    pager = client.tracker.users(7)
    pages = [p async for p in pager]
    uids = [u.uid for p in pages for u in p.items]
    assert pager.total == len(uids) == len(org.tracker_users)
    assert await client.tracker.users(7).fetch_all(concurrency=3) == [
        u for p in pages for u in p.items]
    relative = [p async for p in client.tracker.users_relative(9)]
    assert [u.uid for p in relative for u in p.items] == sorted(uids)
    resumed = await client.tracker.users_relative(9, start=relative[0].cursor).all()
    assert [u.uid for u in resumed] == sorted(uids)[9:]
    assert (await client.tracker.get_user(uids[0])).uid == uids[0]
    login = next(u.login for p in pages for u in p.items if u.login)
    assert (await client.tracker.get_user_by_login(login)).login == login
    groups = await client.tracker.groups()
    assert groups and groups[0].name
    with pytest.raises(NotFound) as info:
        await client.tracker.get_user_by_login("no-such-person")
    assert info.value.message
    assert any(r["path"] == "/v3/myself" for r in app.state.request_log)


async def test_tracker_sends_org_header(org):
    seen = []
    app = create_app(org)

    class Spy(httpx.ASGITransport):
        async def handle_async_request(self, request):
            seen.append(request.headers.get("x-org-id"))
            return await super().handle_async_request(request)

    async with Y360Client(org.admin_token, org.id, transport=Spy(app)) as client:
        await client.tracker.myself()
    assert seen == [str(org.id)]


async def test_forbidden_for_a_token_without_scopes(app, org):
    async with Y360Client(token_for(org, "user"), org.id,
                          transport=httpx.ASGITransport(app)) as user:
        with pytest.raises(Forbidden) as info:
            await user.audit.mail_log().all()
    assert info.value.status == 403 and info.value.message


async def test_injected_429_is_retried_after_exactly_retry_after(org):
    faults = FaultConfig(rates={"429": 1.0}, retry_after=2, max_streak=2, seed=1,
                         sleep=Recorder())
    sleeps = Recorder()
    app = create_app(org, faults=faults)
    async with Y360Client(org.admin_token, org.id, transport=httpx.ASGITransport(app),
                          sleep=sleeps) as client:
        user = await client.directory.get_user(org.admin_uid)
    assert user.id == org.admin_uid
    assert sleeps.sleeps == [2.0, 2.0]  # two injected 429s, each waited exactly Retry-After
    assert faults.injected["429"] == 2


async def test_injected_429_on_a_write_surfaces_at_once(org):
    faults = FaultConfig(rates={"429": 1.0}, retry_after=1, seed=1, sleep=Recorder())
    app = create_app(org, faults=faults)
    async with Y360Client(org.admin_token, org.id, transport=httpx.ASGITransport(app),
                          sleep=Recorder(), retry=RetryPolicy(retries=3)) as client:
        with pytest.raises(RateLimited) as info:
            await client.directory.add_user_alias(org.admin_uid, "never-twice")
    assert info.value.retry_after == 1.0
    assert faults.injected["429"] == 1
