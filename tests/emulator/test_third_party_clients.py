"""Third-party clients run unchanged against the emulator (reference §14-15).

- ``y360_orglib`` 0.0.13 (sync httpx): its sessions are swapped for ``httpx.Client``s whose
  transport calls the emulator in-process (reference §14: "replace the public ``.session``").
  Its hard-coded ``https://…yandex…`` URLs are kept; the emulator serves every host's paths.
- ``yandex_tracker_client`` 2.10 (requests): talks real HTTP to the emulator served by uvicorn
  on a loopback socket bound before the server thread starts, so no request can race it.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timezone

import httpx
import pytest
import uvicorn
from _fixtures import SyncASGITransport
from y360_orglib.audit import audit_events as audit_events_module
from y360_orglib.audit.audit_events import AuditEvents
from y360_orglib.audit.audit_mail import AuditMail
from y360_orglib.directory.directory_client import DirectoryClient
from y360_orglib.directory.models import Contact
from y360_orglib.disk.disk_admin import DiskAdminClient
from y360_orglib.disk.disk_client import DiskClient
from y360_orglib.service_app.service_client import ServiceAppClient
from yandex_tracker_client import TrackerClient
from yandex_tracker_client.exceptions import NotFound

from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.state import Org

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def org() -> Org:
    """A generated org shared by the read-only tests (write tests build their own)."""
    return generate_org(users=300, seed=11, now=NOW)


@pytest.fixture(scope="module")
def bridge(org: Org) -> SyncASGITransport:
    return SyncASGITransport(create_app(org))


def attach(client: object, bridge: SyncASGITransport, attr: str = "session") -> None:
    """Point an orglib client's httpx session at the emulator, keeping its headers and base."""
    old: httpx.Client = getattr(client, attr)
    setattr(client, attr, httpx.Client(transport=bridge, base_url=old.base_url,
                                       headers=old.headers))
    old.close()


def visible_users(org: Org) -> list[str]:
    return [uid for uid in org.users if uid not in org.hidden_users]


def publisher(org: Org) -> str:
    """A user with at least two published resources."""
    return next(uid for uid, records in org.disk.items()
                if sum(1 for r in records if r.get("public_key")) >= 2)


# --- Directory -----------------------------------------------------------------------------


def directory(org: Org, bridge: SyncASGITransport) -> DirectoryClient:
    client = DirectoryClient(api_key=org.admin_token, org_id=str(org.id))
    attach(client, bridge)
    return client


def test_directory_count_pages_and_all_users(org, bridge):
    client = directory(org, bridge)
    total, pages = client.count_pages()
    assert total == len(visible_users(org)) and pages == 1
    users = client.get_all_users()
    assert [u.uid for u in users] == visible_users(org)


def test_directory_groups_members_and_2fa(org, bridge):
    client = directory(org, bridge)
    page = client.get_groups_page(1, 100)
    assert page.groups and page.total == len(org.groups)
    busiest = max(org.groups.values(), key=lambda g: g["membersCount"])
    members = client.get_group_members_v2(busiest["id"])
    direct_users = {m["id"] for m in busiest["members"] if m["type"] == "user"}
    assert {u.uid for u in members.users} == direct_users
    uid = visible_users(org)[0]
    two_fa = client.get_user_2fa(uid)
    assert two_fa.model_dump(by_alias=True)["userId"] == uid


def test_directory_writes_apply():
    org = generate_org(users=60, seed=3, now=NOW)
    client = directory(org, SyncASGITransport(create_app(org)))
    uid = visible_users(org)[5]
    generic = next(g for g in org.groups.values()
                   if g["type"] == "generic" and {"type": "user", "id": uid} not in g["members"])
    client.add_user_to_group(uid, generic["id"])
    assert {"type": "user", "id": uid} in org.groups[generic["id"]]["members"]
    user = next(u for u in client.get_all_users() if u.uid == uid)
    before = [c for c in org.users[uid]["contacts"] if not c.get("synthetic")]
    client.add_user_contacts(user, [Contact(type="phone", value="+7 900 000-00-01")])
    after = org.users[uid]["contacts"]
    assert any(c["type"] == "phone" and c["value"] == "+7 900 000-00-01" for c in after)
    for contact in before:  # replace=False re-sends the existing non-synthetic contacts
        assert any(c["value"] == contact["value"] for c in after)


# --- Audit ---------------------------------------------------------------------------------


def test_audit_mail_pages_with_orglib_offsets(org, bridge):
    client = AuditMail(api_key=org.admin_token, org_id=str(org.id))
    attach(client, bridge)
    first = client.get_logs_page(1, per_page=50)
    third = client.get_logs_page(3, per_page=50)
    assert [e.uniq_id for e in first.events] == [e["uniqId"] for e in org.mail_events[:50]]
    assert [e.uniq_id for e in third.events] == [e["uniqId"] for e in org.mail_events[100:150]]
    assert third.nextPageToken == "150"
    following = client.get_logs_page(0, per_page=50, page_token=third.nextPageToken)
    assert following.events[0].uniq_id == org.mail_events[150]["uniqId"]
    last_page = -(-len(org.mail_events) // 50)
    assert client.get_logs_page(last_page, per_page=50).nextPageToken == ""


def test_audit_events_loop_to_the_end(org, bridge, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(audit_events_module, "sleep", slept.append)
    client = AuditEvents(api_key=org.admin_token, org_id=str(org.id))
    attach(client, bridge, "_AuditEvents__session")
    started, ended = "2025-05-15T00:00:00+00:00", "2025-06-01T12:00:00+00:00"
    got = client.get_events(started_at=started, ended_at=ended, count=100)
    expected = [i["event"]["idempotency_id"] for i in org.audit_events
                if started <= i["event"]["occurred_at"] <= ended]
    assert len(expected) > 100  # several pages
    assert [e.event.idempotency_id for e in got] == expected
    assert len(slept) == -(-len(expected) // 100)  # one sleep per page, none after the last


def test_audit_events_with_filters(org, bridge, monkeypatch):
    monkeypatch.setattr(audit_events_module, "sleep", lambda _s: None)
    client = AuditEvents(api_key=org.admin_token, org_id=str(org.id))
    attach(client, bridge, "_AuditEvents__session")
    got = client.get_events(started_at="2025-03-01T00:00:00+00:00",
                            ended_at="2025-06-01T12:00:00+00:00", count=100,
                            service="Web", types="id_cookie.set")
    assert got and {(e.event.service, e.event.type) for e in got} == {("Web", "id_cookie.set")}


# --- Disk ----------------------------------------------------------------------------------


def test_disk_admin_public_resources_and_settings(org, bridge):
    client = DiskAdminClient(token=org.admin_token, org_id=str(org.id))
    attach(client, bridge)
    uid = publisher(org)
    listed = client.get_user_public_resources(uid, limit=1)  # one per page, then an empty one
    records = [r for r in org.disk[uid] if r.get("public_key")
               or any(a["type"] != "owner" for a in r["public_settings"]["accesses"])]
    assert [r.path for r in listed] == [r["path"] for r in records]
    published = next(r for r in listed if r.public_hash)
    by_key = client.get_public_settings_by_key(published.public_hash)  # '+' '/' '=' escaped twice
    by_path = client.get_public_settings_by_path(uid, published.path)  # 'disk:' stripped
    assert by_key == by_path
    assert by_key.public_accesses


def test_service_app_token_then_disk_client(org, bridge):
    uid = publisher(org)
    app = org.service_apps[0]
    service = ServiceAppClient(app["id"], org.service_app_secrets[app["id"]])
    attach(service, bridge)
    token = service.get_service_app_token(org.users[uid]["email"])
    assert token.expires_in == 3600 and token.auth_header["Authorization"].startswith("Bearer ")
    disk = DiskClient(token=token.access_token)
    attach(disk, bridge)
    mine = disk.get_public_resources(limit=1)
    assert sorted(r.path for r in mine) == sorted(
        r["path"] for r in org.disk[uid] if r.get("public_key"))
    settings = disk.get_public_settings(mine[0].path)
    assert settings.available_until is None or settings.available_until
    # The Bearer form orglib builds is accepted too.
    with httpx.Client(transport=bridge, headers=token.auth_header) as http:
        assert http.get("https://cloud-api.yandex.net/v1/disk/resources/public").status_code == 200


# --- Tracker (real HTTP) -------------------------------------------------------------------


@pytest.fixture(scope="module")
def tracker_url(org: Org) -> Iterator[str]:
    """The emulator over loopback HTTP; the socket listens before the server thread starts."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(create_app(org), log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def test_tracker_client_myself_and_users(org, tracker_url):
    client = TrackerClient(token=org.admin_token, org_id=str(org.id), base_url=tracker_url)
    me = client.myself
    assert me.login == org.users[org.admin_uid]["nickname"]
    users = client.users.get_all()
    assert len(users) == len(org.tracker_users)  # X-Total-Count
    assert [u.uid for u in users] == [u["uid"] for u in org.tracker_users]  # follows rel=next
    page3 = users.get_page(3)  # the rel="seek" template
    assert [u.uid for u in page3] == [u["uid"] for u in org.tracker_users[100:150]]
    one = client.users[org.tracker_users[7]["uid"]]
    assert one.login == org.tracker_users[7]["login"]
    with pytest.raises(NotFound):
        client.users["no-such-login"]


def test_tracker_client_groups_and_cloud_org(org, tracker_url):
    client = TrackerClient(token=org.admin_token, cloud_org_id=str(org.id),
                           base_url=tracker_url, api_version="v3")
    groups = client.groups.get_all()
    assert {g.id for g in groups} == {g["id"] for g in org.tracker_groups}
    assert client.myself.passportUid == int(org.admin_uid)
