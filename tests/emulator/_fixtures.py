"""A small hand-built organisation for the audit, Disk, OAuth and Tracker contract tests.

Built by hand (not by the generator) so each test knows every id, date and key it meets.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
from starlette.types import ASGIApp

from y360tui.emulator.app import create_app
from y360tui.emulator.state import Org

ORG_ID = 4242
DOMAIN = "corp.example"
ADMIN_TOKEN = "admin-token"
USER_TOKEN = "user-token"  # uid USER1, Disk read only
NOSCOPE_TOKEN = "noscope-token"  # uid USER2, no scope at all
NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=timezone.utc)
ADMIN = "1130000000000001"
USER1 = "1130000000000002"
USER2 = "1130000000000003"
USER3 = "1130000000000004"
GONE = "1130000000000005"  # deleted: hidden from lists, unknown to lookups
UIDS = [ADMIN, USER1, USER2, USER3]
APP_ID = "svc-client"
APP_SECRET = "svc-secret"
APP_SCOPES = ["cloud_api:disk.read", "cloud_api:disk.write"]
# A real-looking Disk key: standard base64, so '+', '/' and '=' need escaping on the wire.
KEY1 = "HQsmHLoeyBlJf8Eu1jlmzuU+ZaLkjPkgcvmokRUCIo8=/a+b"
KEY_ADMIN = "Zm9vYmFyYmF6cXV4"
MAIL_TYPES = ["mailbox_send", "message_receive", "message_seen", "message_trash"]
AUDIT_TYPES = ["id_cookie.set", "disk_fs-set-public", "ya360_b2bplatform_user_updated"]
SERVICES = ["Web", "Desktop", "Mobile", "Api", "Synchronization", "ID", "Internal", "Unknown"]


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def user(uid: str, nickname: str, first: str, last: str, *, admin: bool = False,
         groups: tuple[int, ...] = ()) -> dict[str, Any]:
    """A complete v1User dict (every key orglib's model requires)."""
    return {
        "id": uid, "nickname": nickname, "departmentId": 1, "email": f"{nickname}@{DOMAIN}",
        "name": {"first": first, "last": last, "middle": ""}, "gender": "", "position": "",
        "avatarId": "", "about": "", "birthday": "", "externalId": "", "isAdmin": admin,
        "isRobot": False, "isDismissed": False, "isEnabled": True, "timezone": "Europe/Moscow",
        "language": "ru", "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z",
        "groups": list(groups), "contacts": [], "aliases": [], "displayName": "",
    }


def mail_event(index: int) -> dict[str, Any]:
    """The index-th mail event, one hour older than the one before."""
    uid = UIDS[index % len(UIDS)]
    return {
        "eventType": MAIL_TYPES[index % len(MAIL_TYPES)], "orgId": ORG_ID, "userUid": uid,
        "userLogin": f"u{uid[-1]}@{DOMAIN}", "userName": "Test User", "requestId": f"r{index}",
        "uniqId": f"m{index}", "source": "imap", "clientIp": "192.0.2.1",
        "date": iso(NOW - timedelta(hours=index)), "folderName": "Inbox", "folderType": "inbox",
        "from": f"sender{index}@example.com", "to": f"u{uid[-1]}@{DOMAIN}", "subject": "hi",
    }


def disk_event(index: int) -> dict[str, Any]:
    """The index-th legacy disk event, one day older than the one before."""
    uid = UIDS[index % len(UIDS)]
    return {
        "eventType": "fs-store", "date": iso(NOW - timedelta(days=index)), "orgId": ORG_ID,
        "userUid": uid, "userLogin": f"u{uid[-1]}@{DOMAIN}", "userName": "Test User",
        "ownerUid": uid, "ownerLogin": f"u{uid[-1]}@{DOMAIN}", "ownerName": "Test User",
        "path": f"/disk/file{index}.txt", "resourceFileId": f"f{index}", "rights": "640",
        "size": 100 + index, "lastModificationDate": iso(NOW - timedelta(days=index)),
        "requestId": f"d{index}", "uniqId": f"du{index}", "clientIp": "192.0.2.2",
    }


def audit_item(index: int, *, step_seconds: int = 60) -> dict[str, Any]:
    """The index-th audit event; pairs share a timestamp, so the cursor must break ties."""
    uid = UIDS[index % len(UIDS)]
    return {
        "user_login": f"u{uid[-1]}@{DOMAIN}", "user_name": "User Test",
        "event": {
            "type": AUDIT_TYPES[index % len(AUDIT_TYPES)], "status": "Success",
            "service": SERVICES[index % len(SERVICES)], "uid": int(uid), "org_id": ORG_ID,
            "ip": "198.51.100.7" if index % 2 else "2001:db8::1/128",
            "occurred_at": iso(NOW - timedelta(seconds=step_seconds * (index // 2))),
            "is_system": False, "idempotency_id": f"ev-{index:06d}", "request_id": f"q{index}",
            "meta": {"revision": str(index)},
        },
    }


def disk_record(path: str, kind: str, *, key: str | None = None,
                accesses: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    name = path.rsplit("/", 1)[-1]
    record = {
        "name": name, "path": path, "type": kind, "created": "2025-01-10T10:00:00+00:00",
        "modified": "2025-02-10T10:00:00+00:00", "public_key": key,
        "public_url": f"https://disk.yandex.ru/d/{name}" if key else None,
        "resource_id": f"rid:{path}",
        "public_settings": {"available_until": None, "accesses": accesses or []},
    }
    if kind == "file":
        record.update(mime_type="text/plain", size=1234)
    return record


def disk_of_user1() -> list[dict[str, Any]]:
    """USER1: a published file and folder, a file shared with USER2 only, a private file."""
    link_all = {"type": "macro", "macros": ["all"], "rights": ["read"]}
    owner = {"type": "owner", "id": int(USER1), "rights": ["write"]}
    return [
        disk_record("disk:/Docs/report.docx", "file", key=KEY1, accesses=[link_all, owner]),
        disk_record("disk:/Photos", "dir", key="cGhvdG9z",
                    accesses=[{"type": "macro", "macros": ["employees"], "rights": ["read"],
                               "org_id": ORG_ID}]),
        disk_record("disk:/Docs/plan.xlsx", "file", accesses=[
            owner, {"type": "user", "id": int(USER2), "org_id": ORG_ID, "rights": ["write"]},
            {"type": "group", "id": 7, "org_id": ORG_ID, "rights": ["read"]}]),
        disk_record("disk:/Private/notes.txt", "file"),
        disk_record("disk:/Photos/cat.jpg", "file"),
    ]


def tracker_user(position: int, uid: str, login: str) -> dict[str, Any]:
    """A stored Tracker user (no ``self``; the route adds it)."""
    return {
        "uid": 8_000_000_000 + position, "login": login, "trackerUid": 8_000_000_000 + position,
        "passportUid": int(uid), "cloudUid": f"aje{position:05d}", "firstName": "First",
        "lastName": f"Last{position}", "display": f"First Last{position}",
        "email": f"{login}@{DOMAIN}", "external": False, "hasLicense": position % 2 == 0,
        "dismissed": False, "useNewFilters": True, "disableNotifications": False,
        "firstLoginDate": "2024-01-01T10:00:00.000+0000",
        "lastLoginDate": "2025-05-01T10:00:00.000+0000", "welcomeMailSent": True,
        "sources": ["directory"], "position": "",
        "groups": [{"id": "1", "display": "Everyone"}],
    }


def build_org(*, mail: int = 25, disk_log: int = 7, audit: int = 25,
              tracker_extra: int = 0) -> Org:
    """The test organisation; sizes of the event lists and of Tracker's user list adjustable."""
    org = Org(id=ORG_ID, name="Test Corp", domain=DOMAIN, admin_token=ADMIN_TOKEN,
              admin_uid=ADMIN, now=iso(NOW))
    people = [user(ADMIN, "admin", "Ada", "Admin", admin=True, groups=(1,)),
              user(USER1, "ivan", "Ivan", "Ivanov", groups=(1, 7)),
              user(USER2, "maria", "Maria", "Petrova", groups=(1,)),
              user(USER3, "oleg", "Oleg", "Sidorov", groups=(7,)),
              user(GONE, "gone", "Gone", "Away")]
    org.users = {u["id"]: u for u in people}
    org.hidden_users = {GONE}
    org.mail_events = [mail_event(i) for i in range(mail)]
    org.disk_events = [disk_event(i) for i in range(disk_log)]
    org.audit_events = [audit_item(i) for i in range(audit)]
    org.disk = {USER1: disk_of_user1(), USER2: [],
                ADMIN: [disk_record("disk:/Shared/policy.pdf", "file", key=KEY_ADMIN)]}
    logins = ["admin", "ivan", "maria", "oleg"]
    org.tracker_users = [tracker_user(i, uid, login)
                         for i, (uid, login) in enumerate(zip(UIDS, logins, strict=True))]
    org.tracker_users += [tracker_user(len(UIDS) + i, str(2_000_000 + i), f"extra{i}")
                          for i in range(tracker_extra)]
    org.tracker_users.append(tracker_user(9_999_999, str(3_000_000), "12345"))
    org.tracker_groups = [{"id": 1, "name": "Everyone", "code": "everyone", "type": "group",
                           "url": "", "description": "", "parent": None}]
    org.service_apps = [{"id": APP_ID, "scopes": list(APP_SCOPES)}]
    org.service_app_secrets = {APP_ID: APP_SECRET, "stray-client": "stray-secret"}
    org.tokens = {ADMIN_TOKEN: {"uid": ADMIN, "scopes": None},
                  USER_TOKEN: {"uid": USER1, "scopes": {"cloud_api:disk.read"}},
                  NOSCOPE_TOKEN: {"uid": USER2, "scopes": set()}}
    return org


class SyncASGITransport(httpx.BaseTransport):
    """Lets a synchronous ``httpx.Client`` (orglib's) call the ASGI app in-process.

    ``httpx.ASGITransport`` is async-only; each request here runs it in a short event loop and
    reads the whole body there. App exceptions propagate, so emulator bugs fail the test.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._asgi = httpx.ASGITransport(app=app, client=("127.0.0.1", 50360))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def exchange() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers,
                                  content=content, request=request)

        return asyncio.run(exchange())


def client(org: Org, token: str = ADMIN_TOKEN, **headers: str) -> httpx.Client:
    """A synchronous client on the emulator for ``org``, authorised with ``token``."""
    return httpx.Client(transport=SyncASGITransport(create_app(org)),
                        base_url="http://emulator.test",
                        headers={"Authorization": f"OAuth {token}", **headers})
