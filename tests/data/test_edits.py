"""Edits: validation rules (pure, nothing sent) and plans (exact before -> after)."""

from __future__ import annotations

from datetime import date

import pytest

from y360tui.data.edits import (
    AddAlias,
    AddMember,
    CreateGroup,
    DeleteDepartment,
    DeleteGroup,
    EditContacts,
    EditDepartment,
    EditUserFields,
    RemoveAlias,
    SetAuthType,
    SetEnabled,
    Unpublish,
    rules,
)
from y360tui.data.edits.base import UNKNOWN, Change

USER = {
    "id": "1130000000000042", "nickname": "ivan.petrov", "departmentId": 5,
    "email": "ivan.petrov@example.org",
    "name": {"first": "Ivan", "last": "Petrov", "middle": ""}, "gender": "male",
    "position": "Engineer", "about": "", "birthday": "1990-04-23", "externalId": "",
    "timezone": "Europe/Moscow", "language": "ru", "isEnabled": True, "isAdmin": False,
    "aliases": ["ivan"],
    "contacts": [
        {"type": "email", "value": "ivan.petrov@example.org", "synthetic": True},
        {"type": "phone", "value": "+7 495 000-00-00", "label": "work"},
    ],
}


def errors_for(**values):
    return EditUserFields(USER, values).validate()


# -- single rules ------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "message"), [
    ("1990-04-23", None),
    ("", None),
    ("23.04.1990", "use the format YYYY-MM-DD, e.g. 1990-04-23"),
    ("1990-02-30", "1990-02-30 is not a real date"),
    ("2030-01-01", "a birthday cannot be in the future"),
    ("1800-01-01", "the year must be 1900 or later"),
])
def test_birthday(value, message):
    assert rules.birthday(value, today=date(2026, 1, 1)) == message


@pytest.mark.parametrize("value", ["Europe/Moscow", "Asia/Yekaterinburg", "UTC"])
def test_known_timezones(value):
    assert rules.timezone_name(value) is None


@pytest.mark.parametrize("value", ["Mars/Olympus", "europe/moscow", "MSK+3"])
def test_unknown_timezones(value):
    assert "unknown time zone" in rules.timezone_name(value)


@pytest.mark.parametrize(("value", "ok"), [
    ("a.smith", True), ("ivan-petrov_2", True), ("x", True), (".lead", False),
    ("trail.", False), ("a..b", False), ("имя", False), ("a b", False), ("a" * 41, False),
])
def test_local_part(value, ok):
    assert (rules.local_part(value) is None) is ok


@pytest.mark.parametrize(("value", "ok"), [("ru", True), ("en", True), ("", True),
                                          ("RU", False), ("rus", False), ("r", False)])
def test_language(value, ok):
    assert (rules.language(value) is None) is ok


def test_gender():
    assert [rules.gender(v) for v in ("male", "female", "")] == [None, None, None]
    assert rules.gender("other") == "choose male, female or not set"


@pytest.mark.parametrize(("kind", "value", "ok"), [
    ("email", "a@b.ru", True), ("email", "nope", False), ("phone", "+7 (495) 123-45-67", True),
    ("phone", "call me", False), ("skype", "ivan", True), ("telegram", "@ivan", False),
    ("site", "", False),
])
def test_contact(kind, value, ok):
    assert (rules.contact(kind, value) is None) is ok


def test_parse_contacts_reports_the_line():
    contacts, error = rules.parse_contacts("phone +7 495 | work\n\nfax 123")
    assert contacts == [] and error.startswith("line 3: type must be one of email,")
    text = "phone +7 495 000-00-00 | home office\nsite https://x.ru"
    contacts, error = rules.parse_contacts(text)
    assert error is None
    assert contacts == [{"type": "phone", "value": "+7 495 000-00-00", "label": "home office"},
                        {"type": "site", "value": "https://x.ru", "label": ""}]
    assert rules.contacts_text(contacts) == text


# -- form validation ---------------------------------------------------------------------
def test_user_fields_start_valid_and_plan_nothing():
    edit = EditUserFields(USER)
    assert edit.validate() == {}
    assert edit.plan().noop


def test_user_fields_each_bad_field_named():
    errors = errors_for(first="", birthday="1990-13-01", gender="x", language="russian",
                        timezone="Moscow", departmentId="abc")
    assert set(errors) == {"first", "birthday", "gender", "language", "timezone",
                           "departmentId"}
    assert errors["first"] == "required"


def test_user_fields_plan_and_body_send_only_changes():
    edit = EditUserFields(USER, {"last": "Sidorov", "timezone": "Asia/Omsk",
                                 "departmentId": "7"})
    plan = edit.plan()
    assert plan.changes == [Change("last", "Petrov", "Sidorov"), Change("departmentId", 5, 7),
                            Change("timezone", "Europe/Moscow", "Asia/Omsk")]
    assert edit.body() == {"name": {"first": "Ivan", "last": "Sidorov", "middle": ""},
                           "departmentId": 7, "timezone": "Asia/Omsk"}


def test_contacts_keep_synthetic_out_and_validate_types():
    edit = EditContacts(USER)
    assert edit.values["contacts"] == "phone +7 495 000-00-00 | work"
    bad = EditContacts(USER, {"contacts": "pager 12345"})
    assert "type must be one of" in bad.validate()["contacts"]
    good = EditContacts(USER, {"contacts": "phone +74950000000 | work\nskype ivan"})
    assert good.validate() == {}
    assert good.plan().changes[0].after == ["phone +74950000000", "skype ivan"]


def test_alias_rules():
    assert AddAlias(USER, {"alias": "bad alias"}).validate()["alias"].startswith("use Latin")
    assert AddAlias(USER, {"alias": ""}).validate() == {"alias": "required"}
    assert AddAlias(USER, {"alias": "I.Petrov"}).plan().after() == {
        "aliases": ["ivan", "i.petrov"]}
    assert RemoveAlias(USER, {"alias": "other"}).validate() == {
        "alias": "'other' is not an alias of this user"}
    assert RemoveAlias(USER, {"alias": "ivan"}).plan().after() == {"aliases": []}


def test_auth_type_rules():
    to_portal = {"authType": "portal", "password": "", "passwordConfirm": ""}
    assert SetAuthType(USER, to_portal).validate() == {
        "password": "a password is required when switching to portal sign-in"}
    assert SetAuthType(USER, {**to_portal, "password": "short1",
                              "passwordConfirm": "short1"}).validate() == {
        "password": "at least 8 characters"}
    assert SetAuthType(USER, {**to_portal, "password": "Long-enough-1",
                              "passwordConfirm": "Long-enough-2"}).validate() == {
        "passwordConfirm": "the two passwords differ"}
    assert SetAuthType(USER, {**to_portal, "password": "Long-enough-1",
                              "passwordConfirm": "Long-enough-1", "dropOtp": True}
                       ).validate() == {"dropOtp": "only applies when switching to idp"}
    assert SetAuthType(USER, {"authType": "idp", "password": "x"}).validate() == {
        "password": "no password when switching to idp (sign-in goes via SSO)"}
    assert SetAuthType(USER, {"authType": "idp", "dropOtp": True}).validate() == {}


def test_auth_type_plan_never_holds_the_password():
    edit = SetAuthType(USER, {"authType": "portal", "password": "S3cret-pass",
                              "passwordConfirm": "S3cret-pass", "passwordChangeRequired": True})
    plan = edit.plan()
    assert "S3cret-pass" not in repr(plan) and "S3cret-pass" not in repr(edit)
    assert plan.changes[0] == Change("authType", UNKNOWN, "portal")
    assert plan.after() == {"authType": "portal", "passwordChangeRequired": True}


def test_block_plan():
    assert SetEnabled(USER, {"value": False}).plan().changes == [
        Change("isEnabled", True, False)]
    assert SetEnabled(USER, {"value": False}).plan().action == "user.block"
    assert SetEnabled(USER, {"value": True}).plan().noop


def test_member_rules():
    group = {"id": 7, "name": "Sales", "members": [{"type": "user", "id": "11"}]}
    assert AddMember(group, {"memberType": "user", "memberId": "abc"}).validate() == {
        "memberId": "a user id is digits only"}
    assert AddMember(group, {"memberType": "group", "memberId": "7"}).validate() == {
        "memberId": "a group cannot contain itself"}
    assert AddMember(group, {"memberType": "robot", "memberId": "1"}).validate() == {
        "memberType": "choose user, group or department"}
    assert AddMember(group, {"memberType": "user", "memberId": "11"}).plan().noop
    plan = AddMember(group, {"memberType": "department", "memberId": "3",
                             "memberLabel": "Sales dept"}).plan()
    assert plan.changes == [Change("department Sales dept", "not a member", "member")]


def test_group_rules_and_non_empty_delete():
    assert CreateGroup(None, {"name": "", "label": "bad label"}).validate() == {
        "name": "required", "label": CreateGroup.fields[2].rules[0]("bad label")}
    assert CreateGroup(None, {"name": "Ops"}).plan().after() == {"name": "Ops"}
    system = {"id": 1, "name": "Admins", "type": "organization_admin"}
    assert DeleteGroup(system).validate() == {"name": "a system group cannot be changed"}
    assert DeleteGroup({"id": 9, "name": "G", "membersCount": 3}).plan().non_empty
    assert not DeleteGroup({"id": 9, "name": "G", "membersCount": 0}).plan().non_empty


def test_department_rules():
    dep = {"id": 4, "name": "Sales", "parentId": 1, "membersCount": 0}
    assert EditDepartment(dep, {"parentId": "4"}).validate() == {
        "parentId": "a department cannot be its own parent"}
    assert EditDepartment(dep, {"headId": "x1"}).validate() == {
        "headId": "a user id is digits only"}
    assert EditDepartment(dep, {"name": "Sales EU"}).plan().after() == {"name": "Sales EU"}
    assert DeleteDepartment({"id": 1, "name": "All"}).validate() == {
        "name": "the root department cannot be deleted"}
    assert DeleteDepartment({**dep, "childCount": 2}).plan().non_empty
    assert not DeleteDepartment(dep).plan().non_empty


def test_unpublish_needs_a_public_key():
    assert Unpublish({"name": "a.docx", "public_hash": None, "user_id": "1"}).validate() == {
        "public_key": "this resource is not published"}
    edit = Unpublish({"name": "a.docx", "path": "disk:/a.docx", "public_hash": "k+1",
                      "user_id": "1"})
    assert edit.validate() == {} and edit.target.id == "k+1"
