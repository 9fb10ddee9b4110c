"""Models: wire aliases, tolerance to unknown fields and enum values, secret handling."""

import json

from y360tui.api import (
    AuditEventsPage,
    ContactType,
    DomainSessions,
    GroupMembers,
    MailEvent,
    MailEventType,
    PublicSettings,
    ServiceAppToken,
    TrackerUser,
    User,
    UsersPage,
)

USER = {
    "id": "1130000000000001", "nickname": "ivan", "departmentId": 4, "email": "ivan@corp.example",
    "name": {"first": "Ivan", "last": "Petrov", "middle": ""}, "gender": "male",
    "contacts": [{"type": "email", "value": "ivan@corp.example", "main": True, "synthetic": True}],
    "groups": [2, 3], "isAdmin": False, "isEnabled": True, "createdAt": "2025-01-01T00:00:00Z",
}


def test_user_camel_wire_snake_python():
    user = User.model_validate_json(json.dumps(USER))
    assert user.id == "1130000000000001"
    assert user.department_id == 4
    assert user.name.full == "Petrov Ivan"
    assert user.contacts[0].type is ContactType.EMAIL
    assert user.model_dump(by_alias=True)["departmentId"] == 4


def test_unknown_fields_and_enum_values_never_raise():
    wire = {**USER, "brandNewField": {"x": 1}, "gender": "other",
            "contacts": [{"type": "telegram", "value": "@ivan"}]}
    user = User.model_validate_json(json.dumps(wire))
    assert user.model_extra == {"brandNewField": {"x": 1}}
    contact_type = user.contacts[0].type
    assert contact_type == "telegram" and not contact_type.is_known
    assert ContactType.EMAIL.is_known
    # The same unknown value maps to the same pseudo-member.
    assert ContactType("telegram") is contact_type


def test_page_envelope():
    page = UsersPage.model_validate_json(json.dumps(
        {"users": [USER], "page": 1, "pages": 3, "perPage": 1, "total": 3}))
    assert (page.page, page.pages, page.per_page, page.total) == (1, 3, 1, 3)


def test_mail_event_from_is_from_underscore():
    event = MailEvent.model_validate({"eventType": "message_receive", "from": "a@b.c",
                                      "folderType": "weird", "orgId": 5})
    assert event.from_ == "a@b.c"
    assert event.event_type is MailEventType.MESSAGE_RECEIVE
    assert not event.folder_type.is_known


def test_audit_event_snake_case_and_null_cursor():
    page = AuditEventsPage.model_validate_json(json.dumps({"items": [
        {"user_login": "a", "user_name": "A", "event": {
            "type": "id_cookie.set", "status": "Success", "service": "Teleport", "uid": None,
            "org_id": 1, "occurred_at": "2026-10-01T16:01:22+00:00", "meta": {}}}],
        "iteration_key": None}))
    assert page.iteration_key is None
    assert page.items[0].event.service == "Teleport"


def test_v2_members_and_other_shapes():
    members = GroupMembers.model_validate({"users": [], "groups": [{"id": 3, "name": "g",
                                           "membersCount": 2}], "sharedMailboxes": [
                                           {"id": "9", "name": "box"}]})
    assert members.groups[0].members_count == 2
    assert members.shared_mailboxes[0].name == "box"
    assert DomainSessions.model_validate({"authTTL": 60}).auth_ttl == 60
    settings = PublicSettings.model_validate(
        {"available_until": None, "accesses": [{"type": "owner", "id": 7, "rights": ["write"]},
                                               {"type": "macro", "macros": ["all"],
                                                "rights": "read"}]})
    assert settings.accesses[1].rights == ["read"]
    tracker = TrackerUser.model_validate({"self": "https://x/v3/users/5", "uid": 5,
                                          "hasLicense": True})
    assert tracker.self_.endswith("/5") and tracker.has_license


def test_service_app_token_hides_access_token():
    token = ServiceAppToken.model_validate_json(b'{"access_token": "y0_TOPSECRET",'
                                                b' "token_type": "bearer"}')
    assert "TOPSECRET" not in repr(token)
    assert "TOPSECRET" not in str(token.model_dump())
    assert token.access_token.reveal() == "y0_TOPSECRET"
    assert token.auth_scheme == "Bearer"
