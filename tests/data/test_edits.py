"""Edits: validation rules (pure, nothing sent) and plans (exact before -> after)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.bulk import INVALID, run_bulk
from y360tui.data.edits import (
    AddAlias,
    AddMember,
    CreateDepartment,
    CreateGroup,
    DeleteDepartment,
    DeleteGroup,
    EditContacts,
    EditDepartment,
    EditGroup,
    EditUserFields,
    MoveUser,
    RemoveAlias,
    RemoveMember,
    Reset2fa,
    SetAdmin,
    SetAuthType,
    SetEnabled,
    SignOut,
    Unpublish,
    execute,
    rules,
)
from y360tui.data.edits.base import UNKNOWN, Change
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.faults import FaultConfig
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport

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
    assert edit.validate() == {} and edit.target.id == "1:disk:/a.docx"


# -- end to end against the in-process emulator ------------------------------------------
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


class Env:
    """An emulated org, its app (request log), a client on it and a journal."""

    def __init__(self, tmp_path, faults=None, token=None):
        self.org = generate_org(60, seed=3, now=NOW)
        self.app = create_app(self.org, faults=faults)
        self.client = Y360Client(token or self.org.admin_token, self.org.id,
                                 base_url="http://emulator",
                                 transport=EmulatorTransport(self.app),
                                 retry=RetryPolicy(retries=0))
        self.journal = Journal(tmp_path / "journal.jsonl", profile="test", org=str(self.org.id))

    @property
    def log(self):
        return self.app.state.request_log

    def user(self, n=0):
        uids = [u for u, v in self.org.users.items()
                if not v["isDismissed"] and not v["isRobot"] and u != self.org.admin_uid]
        return self.org.users[uids[n]]

    def generic_group(self, n=0):
        return [g for g in self.org.groups.values() if g["type"] == "generic"][n]

    def lines(self):
        return [json.loads(line) for line in self.journal.path.read_text().splitlines()]

    async def run(self, edit):
        """What the UI does: load, plan, execute (validation must already pass)."""
        await edit.load(self.client)
        assert edit.validate() == {}
        return await execute(edit, self.client, self.journal)


@pytest.fixture
async def env(tmp_path):
    env = Env(tmp_path)
    yield env
    await env.client.aclose()


async def test_e2e_user_fields(env):
    user = env.user()
    edit = EditUserFields(user, {"position": "Lead", "birthday": "1985-12-31",
                                 "timezone": "Asia/Omsk", "middle": "Petrovich"})
    outcome = await env.run(edit)
    assert outcome.status == "ok", outcome.message
    state = env.org.users[user["id"]]
    assert (state["position"], state["birthday"], state["timezone"]) == (
        "Lead", "1985-12-31", "Asia/Omsk")
    assert state["name"]["middle"] == "Petrovich"
    [line] = env.lines()
    assert line["action"] == "user.update" and line["outcome"] == "ok"
    assert line["after"]["position"] == "Lead" and line["target"]["id"] == user["id"]
    assert [w["method"] for w in env.log.writes()] == ["PATCH"]


@pytest.mark.parametrize(("cls", "key", "value"), [(SetEnabled, "isEnabled", False),
                                                   (SetAdmin, "isAdmin", True)])
async def test_e2e_flags(env, cls, key, value):
    user = env.user(1)
    env.org.users[user["id"]][key] = not value
    outcome = await env.run(cls(user, {"value": value}))
    assert outcome.ok and env.org.users[user["id"]][key] is value
    assert len(env.lines()) == 1


async def test_e2e_move_contacts_aliases(env):
    user = env.user(2)
    target_dep = next(d for d in env.org.departments if d != user["departmentId"])
    assert (await env.run(MoveUser(user, {"departmentId": str(target_dep)}))).ok
    assert env.org.users[user["id"]]["departmentId"] == target_dep
    contacts = "phone +7 495 111-22-33 | desk\nskype ivan.p"
    assert (await env.run(EditContacts(user, {"contacts": contacts}))).ok
    manual = [c for c in env.org.users[user["id"]]["contacts"] if not c.get("synthetic")]
    assert {(c["type"], c["value"]) for c in manual} == {("phone", "+7 495 111-22-33"),
                                                         ("skype", "ivan.p")}
    assert (await env.run(AddAlias(user, {"alias": "ivan.alias"}))).ok
    assert "ivan.alias" in env.org.users[user["id"]]["aliases"]
    assert (await env.run(RemoveAlias(user, {"alias": "ivan.alias"}))).ok
    assert "ivan.alias" not in env.org.users[user["id"]]["aliases"]
    assert [line["outcome"] for line in env.lines()] == ["ok"] * 4


async def test_e2e_alias_conflict_is_journaled_with_api_message(env):
    taken = env.user(3)["nickname"]
    outcome = await env.run(AddAlias(env.user(4), {"alias": taken}))
    assert outcome.status == "failed" and outcome.error["status"] == 409
    [line] = env.lines()
    assert line["outcome"] == "failed" and line["error"]["status"] == 409
    assert line["error"]["message"] == outcome.error["message"] != ""


async def test_e2e_auth_type_password_never_journaled(env):
    user = env.user(5)
    env.org.auth_types[user["id"]] = "idp"
    secret = "Very-Secret-9"
    outcome = await env.run(SetAuthType(user, {"authType": "portal", "password": secret,
                                               "passwordConfirm": secret}))
    assert outcome.ok and env.org.auth_types[user["id"]] == "portal"
    text = env.journal.path.read_text()
    assert secret not in text and "not verifiable" in text
    env.org.two_fa[user["id"]] = {"has2fa": True, "hasSecurityPhone": True}
    assert (await env.run(SetAuthType(user, {"authType": "idp", "dropOtp": True}))).ok
    assert env.org.auth_types[user["id"]] == "idp"
    assert env.org.two_fa[user["id"]]["has2fa"] is False


async def test_e2e_2fa_reset_and_sign_out(env):
    user = env.user(6)
    env.org.two_fa[user["id"]] = {"has2fa": True, "hasSecurityPhone": True}
    edit = Reset2fa(user)
    outcome = await env.run(edit)
    assert outcome.ok and env.org.two_fa[user["id"]] == {"has2fa": False,
                                                         "hasSecurityPhone": False}
    assert edit.plan().before() == {"has2fa": True, "hasSecurityPhone": True}
    assert (await env.run(SignOut(user))).ok
    assert env.log.writes()[-1]["path"].endswith(f"/users/{user['id']}/logout")
    assert [line["action"] for line in env.lines()] == ["user.2fa-reset", "user.sign-out"]


async def test_e2e_groups(env):
    create = CreateGroup(None, {"name": "Night shift", "label": "night", "description": "ops"})
    assert (await env.run(create)).ok
    gid = create.target.id
    assert env.org.groups[int(gid)]["name"] == "Night shift"
    group = env.org.groups[int(gid)]
    assert (await env.run(EditGroup(group, {"name": "Night crew"}))).ok
    assert env.org.groups[int(gid)]["name"] == "Night crew"
    user = env.user(7)
    add = AddMember(group, {"memberType": "user", "memberId": user["id"]})
    assert (await env.run(add)).ok
    assert int(gid) in env.org.users[user["id"]]["groups"]
    dep = AddMember(group, {"memberType": "department", "memberId": "2"})
    assert (await env.run(dep)).ok
    remove = RemoveMember(group, {"memberType": "user", "memberId": user["id"]})
    assert (await env.run(remove)).ok
    assert int(gid) not in env.org.users[user["id"]]["groups"]
    delete = DeleteGroup(env.org.groups[int(gid)])
    await delete.load(env.client)
    assert delete.plan().non_empty  # the department is still a member
    assert (await execute(delete, env.client, env.journal)).ok
    gone = env.org.groups.get(int(gid))
    assert gone is None or gone.get("removed")
    assert [line["outcome"] for line in env.lines()] == ["ok"] * 6


async def test_e2e_departments(env):
    create = CreateDepartment(None, {"name": "Lab", "parentId": "2", "label": "lab"})
    assert (await env.run(create)).ok
    did = int(create.target.id)
    assert env.org.departments[did]["parentId"] == 2
    edit = EditDepartment(env.org.departments[did], {"name": "Research lab"})
    assert (await env.run(edit)).ok
    assert env.org.departments[did]["name"] == "Research lab"
    assert (await env.run(DeleteDepartment(env.org.departments[did]))).ok
    assert did not in env.org.departments


async def test_e2e_non_empty_department_delete_refused_by_api(env):
    edit = DeleteDepartment(env.org.departments[2])
    await edit.load(env.client)
    assert edit.plan().non_empty
    outcome = await execute(edit, env.client, env.journal)
    assert outcome.status == "failed" and outcome.error["status"] == 400
    assert 2 in env.org.departments
    assert env.lines()[0]["error"]["message"] == outcome.error["message"]


async def test_e2e_unpublish(env):
    uid, record = next((u, r) for u, rs in env.org.disk.items() for r in rs
                       if r.get("public_key"))
    item = {"public_hash": record["public_key"], "name": record["name"],
            "path": record["path"], "user_id": uid}
    assert (await env.run(Unpublish(item))).ok
    assert record["public_key"] is None or not record.get("public_key")
    assert env.lines()[0]["target"] == {"kind": "shared_file", "id": f"{uid}:{record['path']}",
                                        "label": record["path"]}


async def test_unpublish_plan_lists_the_access_that_goes(env):
    uid, record = next((u, r) for u, rs in env.org.disk.items() for r in rs
                       if r.get("public_key")
                       and len(r["public_settings"]["accesses"]) > 2)
    key = record["public_key"]
    edit = Unpublish({"public_hash": key, "path": record["path"], "user_id": uid,
                      "owner": "ivan"})
    await edit.load(env.client)
    plan = edit.plan()
    accesses = record["public_settings"]["accesses"]
    macros = [a for a in accesses if a["type"] == "macro"]
    personal = [a for a in accesses if a["type"] not in ("macro", "owner")]
    assert plan.changes[0] == Change("public link", key, None)
    assert len(plan.changes) == 1 + len(macros)
    assert all(c.field.startswith("access: ") and c.after is None for c in plan.changes[1:])
    assert plan.notes[0] == f"owner: ivan (uid {uid}); the file stays on their Disk"
    assert plan.notes[1].startswith("public URL: not returned by the admin API")
    assert plan.notes[2].startswith("personal access stays: ")
    assert plan.notes[2].count("(") == len(personal)
    assert (await env.run(edit)).ok
    # The emulator keeps personal entries: exactly what the plan said would stay.
    assert [a["type"] for a in record["public_settings"]["accesses"]] == [
        a["type"] for a in accesses if a["type"] != "macro"]
    # Unpublished meanwhile: the fresh read says so and nothing can be sent.
    record["public_key"] = None
    stale = Unpublish({"public_hash": key, "path": record["path"], "user_id": uid})
    await stale.load(env.client)
    assert stale.validate() == {"public_key": "this resource is not published any more"}


def test_access_names():
    from y360tui.data.edits.disk import access_name

    assert access_name({"type": "macro", "macros": ["all"]}, {}) == "anyone with the link"
    assert access_name({"type": "user", "id": 5}, {"user:5": "ivan"}) == "user ivan"
    assert access_name({"type": "group", "id": 7}, {}) == "group 7"


async def test_e2e_forbidden_token(tmp_path):
    env = Env(tmp_path)
    env.org.tokens["reader"] = {"uid": env.org.admin_uid, "scopes": {"directory:read_users"}}
    env.client = Y360Client("reader", env.org.id, base_url="http://emulator",
                            transport=EmulatorTransport(env.app), retry=RetryPolicy(retries=0))
    user = env.user()
    outcome = await env.run(SetEnabled(user, {"value": False}))
    assert outcome.status == "failed" and outcome.error["status"] == 403
    assert "directory:write_users" in outcome.message
    assert env.org.users[user["id"]]["isEnabled"] is True
    assert env.lines()[0]["outcome"] == "failed"
    await env.client.aclose()


async def test_e2e_server_error_500(tmp_path):
    probe = Env(tmp_path)
    uid = probe.user()["id"]
    # The write fails, its read-back does not: a 5xx may come after the write applied, so
    # the edit is read back, and only then called failed.
    faults = FaultConfig(rates={"500": 1.0}, routes=(f"/users/{uid}",), methods=("PATCH",))
    env = Env(tmp_path, faults=faults)
    outcome = await execute(SetEnabled(env.org.users[uid], {"value": False}), env.client,
                            env.journal)
    assert outcome.status == "failed" and outcome.error["status"] == 500
    assert outcome.message == "500: internal error, retry later; read back: not applied"
    assert env.org.users[uid]["isEnabled"] is True
    assert env.lines()[0]["error"]["status"] == 500


INVALID_EDITS = [
    lambda u: EditUserFields(u, {"birthday": "1990-02-30"}),
    lambda u: EditUserFields(u, {"birthday": "23.04.1990"}),
    lambda u: EditUserFields(u, {"gender": "robot"}),
    lambda u: EditUserFields(u, {"language": "Russian"}),
    lambda u: EditUserFields(u, {"timezone": "Moscow/Kremlin"}),
    lambda u: EditUserFields(u, {"first": ""}),
    lambda u: EditUserFields(u, {"departmentId": "0"}),
    lambda u: EditContacts(u, {"contacts": "telegram @ivan"}),
    lambda u: EditContacts(u, {"contacts": "email not-an-email"}),
    lambda u: AddAlias(u, {"alias": "bad alias!"}),
    lambda u: RemoveAlias(u, {"alias": "never-had-it"}),
    lambda u: SetAuthType(u, {"authType": "portal", "password": ""}),
    lambda u: SetAuthType(u, {"authType": "portal", "password": "Long-enough-1",
                              "passwordConfirm": "other"}),
    lambda u: SetAuthType(u, {"authType": "portal", "password": "Long-enough-1",
                              "passwordConfirm": "Long-enough-1", "dropOtp": True}),
    lambda u: SetAuthType(u, {"authType": "idp", "password": "x"}),
    lambda u: CreateGroup(None, {"name": ""}),
    lambda u: CreateGroup(None, {"name": "x", "label": "a..b"}),
    lambda u: AddMember({"id": 5, "name": "G"}, {"memberType": "user", "memberId": "x1"}),
    lambda u: CreateDepartment(None, {"name": "D", "parentId": "x"}),
    lambda u: EditDepartment({"id": 4, "name": "D", "parentId": 2}, {"headId": "abc"}),
    lambda u: DeleteDepartment({"id": 1, "name": "All"}),
    lambda u: Unpublish({"name": "a", "public_hash": None, "user_id": u["id"]}),
]


@pytest.mark.parametrize("make", INVALID_EDITS)
async def test_each_validation_rule_sends_nothing(env, make):
    edit = make(env.user())
    before = len(env.log)
    result = await run_bulk([edit], env.client, env.journal)
    assert result.items[0].status == INVALID
    assert len(env.log) == before  # not a single request, read or write
    assert not env.journal.path.exists()


async def test_bulk_50_with_faults_mid_way(tmp_path):
    probe = Env(tmp_path)
    users = [probe.user(i) for i in range(50)]
    faulty = users[20]["id"]
    faults = FaultConfig(rates={"500": 1.0}, routes=(f"/users/{faulty}",), methods=("PATCH",))
    env = Env(tmp_path, faults=faults)
    gone = users[35]["id"]
    edits = [SetEnabled(env.org.users[u["id"]], {"value": False}) for u in users]
    env.org.hidden_users.add(gone)  # removed by someone else between listing and running
    env.org.users[gone]["isDismissed"] = True
    result = await run_bulk(edits, env.client, env.journal, concurrency=6)
    failed = {r.target.id: r for r in result.failed}
    assert set(failed) == {faulty, gone}
    assert failed[faulty].error["status"] == 500 and failed[gone].error["status"] == 404
    blocked = {u["id"] for u in users if env.org.users[u["id"]]["isEnabled"] is False}
    assert blocked == {u["id"] for u in users} - {faulty, gone}
    patches = [w["path"] for w in env.log.writes()]
    assert len(patches) == len(set(patches))  # none twice
    lines = env.lines()
    assert len(lines) == 50
    by_id = {line["target"]["id"]: line["outcome"] for line in lines}
    assert by_id == {r.target.id: r.status for r in result.items}
    assert {u for u, o in by_id.items() if o == "ok"} == blocked
    # Retry the failed ones after the fault clears: only those two are sent again.
    env.app.state.org.users[gone]["isDismissed"] = False
    env.org.hidden_users.discard(gone)
    faults.rates.clear()
    again = await run_bulk(result.failed_edits(), env.client, env.journal)
    assert [r.status for r in again.items] == ["ok", "ok"]
    assert all(env.org.users[u["id"]]["isEnabled"] is False for u in users)
    assert len(env.lines()) == 52
    await env.client.aclose()
    await probe.client.aclose()


def test_membership_of_a_system_group_is_refused_before_sending():
    admins = {"id": 1, "name": "Admins", "type": "organization_admin", "members": []}
    for cls in (AddMember, RemoveMember):
        edit = cls(admins, {"memberType": "user", "memberId": "1130000000000042"})
        assert edit.validate() == {"name": "a system group cannot be changed"}


async def test_e2e_unpublish_forbidden_leaves_it_published(tmp_path):
    env = Env(tmp_path)
    uid, record = next((u, r) for u, rs in env.org.disk.items() for r in rs
                       if r.get("public_key"))
    env.org.tokens["disk-reader"] = {"uid": env.org.admin_uid,
                                     "scopes": {"cloud_api:disk.read"}}
    env.client = Y360Client("disk-reader", env.org.id, base_url="http://emulator",
                            transport=EmulatorTransport(env.app), retry=RetryPolicy(retries=0))
    key = record["public_key"]
    outcome = await env.run(Unpublish({"public_hash": key, "path": record["path"],
                                       "user_id": uid}))
    assert outcome.status == "failed" and outcome.error["status"] == 403
    assert record["public_key"] == key
    [line] = env.lines()
    assert line["outcome"] == "failed" and line["error"]["status"] == 403
    await env.client.aclose()
