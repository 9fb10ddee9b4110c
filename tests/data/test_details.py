"""details.py: every field of an object shown, formatted for people."""

from __future__ import annotations

from datetime import datetime, timezone

from y360tui.api.models import (
    AuditEvent,
    Department,
    Group,
    MailEvent,
    PublicSettings,
    ResourceShort,
    User,
)
from y360tui.data.details import describe, fmt, label
from y360tui.data.links import GroupGraph, SharedFile

USER = {
    "id": "1130000000000019", "nickname": "ivan.petrov", "departmentId": 5,
    "email": "ivan.petrov@demo-corp.ru", "name": {"first": "Иван", "last": "Петров",
                                                  "middle": "Сергеевич"},
    "gender": "male", "position": "Engineer", "avatarId": "", "about": "", "birthday": "",
    "contacts": [{"type": "email", "value": "ivan.petrov@demo-corp.ru", "main": True,
                  "synthetic": True},
                 {"type": "phone", "value": "+7 495 000-00-00", "label": "work"}],
    "aliases": ["ivan", "i.petrov"], "groups": [4, 9], "externalId": "", "isAdmin": False,
    "isRobot": False, "isDismissed": False, "isEnabled": True, "timezone": "Europe/Moscow",
    "language": "ru", "createdAt": "2024-01-02T03:04:05Z", "updatedAt": "2024-02-03T04:05:06Z",
    "displayName": "", "futureField": {"nested": True},
}


def rows(detail) -> dict[str, str]:
    return {lbl: text for section in detail.sections for lbl, text in section.rows}


def test_user_detail_shows_every_field_readably():
    user = User.model_validate(USER)
    detail = describe(user)
    assert detail.kind == "user" and detail.title == "ivan.petrov"
    got = rows(detail)
    assert got["Name"] == "Петров Иван Сергеевич"
    assert got["Administrator"] == "no" and got["Enabled"] == "yes"
    assert got["Created at"] == "2024-01-02 03:04:05 UTC"
    assert got["Aliases"] == "ivan, i.petrov"
    assert got["Contacts"].splitlines() == [
        "email: ivan.petrov@demo-corp.ru (main, synthetic)",
        "phone: +7 495 000-00-00 (label work)"]
    assert got["Gender"] == "male" and got["Birthday"] == "—"
    # An unknown field the server added is not hidden.
    assert got["FutureField"] == "nested: yes"
    shown = {label(name) for name in User.model_fields} | {"FutureField"}
    assert shown <= set(got)


def test_department_and_group_ids_named_from_the_graph():
    user = User.model_validate(USER)
    # Without the graph the ids stay ids (the fields show before the graph arrives).
    assert rows(describe(user))["Department"] == "5"
    assert rows(describe(user))["Groups"] == "4, 9"
    graph = GroupGraph([Group(id=4, name="Продажи")],
                       [Department(id=5, name="Отдел продаж", parent_id=1)])
    got = rows(describe(user, graph))
    assert got["Department"] == "Отдел продаж (5)"
    # Group 9 is not in the graph: its bare id stays, nothing is invented.
    assert got["Groups"].splitlines() == ["Продажи (4)", "9"]
    group = Group(id=4, name="Продажи", member_of=[9])
    assert rows(describe(group, graph))["Member of"] == "9"


def test_events_and_shared_files():
    mail = MailEvent.model_validate({
        "eventType": "message_seen", "orgId": 1, "userUid": "5", "userLogin": "a@b",
        "userName": "A", "requestId": "r", "uniqId": "u", "source": "imap", "clientIp": "1.1.1.1",
        "date": "2025-06-01T11:00:00Z", "from": "x@y", "labels": ["seen"]})
    got = rows(describe(mail))
    assert got["From"] == "x@y" and got["Labels"] == "seen" and got["Subject"] == "—"
    event = AuditEvent.model_validate({"user_login": "a@b", "user_name": "A", "event": {
        "type": "disk_fs-set-public", "status": "Success", "service": "Web", "uid": 5,
        "org_id": 1, "ip": "1.2.3.4", "occurred_at": "2025-06-01T11:00:00+00:00",
        "idempotency_id": "i", "request_id": "r", "meta": {"resource_type": "file"}}})
    got = rows(describe(event))
    assert got["resource_type"] == "file" and got["Service"] == "Web"
    shared = SharedFile(User.model_validate(USER), ResourceShort(name="a.docx",
                                                                 path="disk:/a.docx"),
                        PublicSettings.model_validate({"available_until": None, "accesses": [
                            {"type": "macro", "macros": ["all"], "rights": ["read"]}]}))
    got = rows(describe(shared))
    assert got["Audience"] == "all" and got["Entries"] == "macro all: read"
    assert got["Available until"] == "—" and got["Login"] == "ivan.petrov"


def test_fmt_scalars():
    assert fmt(True) == "yes" and fmt(None) == "—" and fmt([]) == "—" and fmt("  ") == "—"
    assert fmt(datetime(2025, 1, 1, 9, tzinfo=timezone.utc)) == "2025-01-01 09:00:00 UTC"
