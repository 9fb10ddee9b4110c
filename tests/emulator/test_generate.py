"""The demo-organisation generator: determinism and the invariants the routes rely on."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from y360tui.emulator import generate
from y360tui.emulator.generate import READ_SCOPES, generate_org

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
WINDOW_START = NOW - timedelta(days=90)

CONTACT_TYPES = {"email", "phone_extension", "phone", "site", "icq", "twitter", "skype", "staff"}
MAIL_TYPES = {"mailbox_send", "message_receive", "message_seen", "message_unseen",
              "message_forward", "message_purge", "message_trash", "message_spam",
              "message_unspam", "message_move", "message_copy", "message_answer"}
FOLDER_TYPES = {"inbox", "sent", "trash", "spam", "drafts", "outbox", "archive", "template_",
                "discount", "restored", "reply_later", "user"}
SERVICES = {"Web", "Desktop", "Mobile", "Api", "Synchronization", "ID", "Internal", "Unknown"}
USER_STR_KEYS = ("id", "nickname", "email", "gender", "position", "avatarId", "about",
                 "birthday", "externalId", "timezone", "language", "createdAt", "updatedAt",
                 "displayName")
USER_BOOL_KEYS = ("isAdmin", "isRobot", "isDismissed", "isEnabled")
GROUP_STR_KEYS = ("name", "type", "description", "label", "email", "externalId", "authorId",
                  "createdAt")


def dump(org) -> str:
    """Every wire collection as JSON, to compare two orgs byte for byte."""
    parts = {
        "org": [org.id, org.name, org.domain, org.admin_token, org.admin_uid, org.now,
                org.organization, org.extra_tokens],
        "users": org.users, "departments": list(org.departments.values()),
        "groups": list(org.groups.values()), "auth": org.auth_types, "2fa": org.two_fa,
        "mail": org.mail_events, "disk_events": org.disk_events, "audit": org.audit_events,
        "disk": org.disk, "tracker": [org.tracker_users, org.tracker_groups],
        "apps": [org.service_apps, org.service_app_secrets],
        "tokens": {t: [r["uid"], sorted(r["scopes"]) if r["scopes"] is not None else None]
                   for t, r in org.tokens.items()},
    }
    return json.dumps(parts, ensure_ascii=False, sort_keys=True)


def parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@functools.cache
def make(users: int):
    """One org per size for the whole module: the invariant tests only read it."""
    return generate_org(users, seed=42, now=NOW)


@pytest.fixture(params=[1, 10, 2000])
def org(request):
    return make(request.param)


@pytest.fixture
def big():
    return make(2000)


# -- determinism ------------------------------------------------------------------------------


def test_same_seed_same_org_and_other_seed_differs():
    a = dump(generate_org(120, seed=7, now=NOW))
    assert a == dump(generate_org(120, seed=7, now=NOW))
    assert a != dump(generate_org(120, seed=8, now=NOW))


def test_output_does_not_depend_on_string_hashing():
    """Iterating a set of strings would make the org differ between processes."""
    script = ("import hashlib, sys; sys.path.insert(0, sys.argv[1]);"
              "from test_generate import dump, make;"
              "print(hashlib.sha256(dump(make(60)).encode()).hexdigest())")
    here = str(Path(__file__).parent)
    digests = {
        subprocess.run([sys.executable, "-c", script, here], capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_default_now_is_current_minute():
    before = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    org = generate_org(3)
    stamp = parse(org.now)
    assert stamp.second == 0
    assert before <= stamp <= datetime.now(timezone.utc)


@pytest.mark.parametrize("users", [1, 10])
def test_small_orgs_have_every_part(users):
    org = generate_org(users, seed=1, now=NOW)
    assert len(org.users) == users
    assert org.users[org.admin_uid]["isAdmin"] is True
    assert set(org.auth_types) == set(org.users) == set(org.two_fa)
    assert len(org.tracker_users) == users
    assert org.mail_events and org.audit_events and org.disk_events
    assert len(org.departments) >= 8
    assert len(org.groups) >= 13


# -- organisation, tokens, service apps -------------------------------------------------------


def test_organization_and_tokens(org):
    assert org.organization["id"] == org.id and isinstance(org.id, int)
    assert set(org.organization) == {"id", "name", "email", "phone", "fax", "language",
                                     "subscriptionPlan"}
    assert org.domain == "demo-corp.ru"
    assert org.tokens[org.admin_token] == {"uid": org.admin_uid, "scopes": None}
    readonly = org.tokens[org.extra_tokens["readonly"]]
    assert readonly["scopes"] == set(READ_SCOPES)
    assert not any("write" in scope for scope in readonly["scopes"])
    assert org.users[readonly["uid"]]["isAdmin"]
    user = org.tokens[org.extra_tokens["user"]]
    assert user["scopes"] == set()
    if len(org.users) > 2:
        assert not org.users[user["uid"]]["isAdmin"]


def test_service_app_has_secret(org):
    (app,) = org.service_apps
    assert set(app["scopes"]) == {"cloud_api:disk.read", "cloud_api:disk.write",
                                  "mail:imap_full"}
    assert org.service_app_secrets[app["id"]]


# -- users ------------------------------------------------------------------------------------


def test_user_ids_are_ascending_strings(org):
    ids = list(org.users)
    assert all(isinstance(i, str) and i.isdigit() and len(i) == 16 for i in ids)
    assert ids == sorted(ids, key=int) == sorted(ids)
    assert all(org.users[i]["id"] == i for i in ids)


def test_user_wire_shape(org):
    for user in org.users.values():
        for key in USER_STR_KEYS:
            assert isinstance(user[key], str), key
        for key in USER_BOOL_KEYS:
            assert isinstance(user[key], bool), key
        assert isinstance(user["departmentId"], int) and user["departmentId"] in org.departments
        assert all(isinstance(user["name"][k], str) for k in ("first", "last", "middle"))
        assert user["gender"] in {"male", "female", ""}
        assert user["birthday"] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", user["birthday"])
        assert user["language"] in {"ru", "en"}
        assert parse(user["createdAt"]) <= parse(user["updatedAt"]) <= NOW
        assert all(isinstance(a, str) for a in user["aliases"])
    # Dismissed users are disabled, but for the few inconsistent ones a report should find.
    still_enabled = sum(u["isDismissed"] and u["isEnabled"] for u in org.users.values())
    assert still_enabled <= max(2, 0.003 * len(org.users))


def test_nicknames_and_emails_unique(org):
    nicknames = [u["nickname"] for u in org.users.values()]
    assert len(set(nicknames)) == len(nicknames)
    assert all(re.fullmatch(r"[a-z0-9.\-]+", n) for n in nicknames)
    assert all(u["email"] == f"{u['nickname']}@{org.domain}" for u in org.users.values())
    aliases = [a for u in org.users.values() for a in u["aliases"]]
    assert not set(aliases) & set(nicknames)
    assert len(set(aliases)) == len(aliases)


def test_contacts(org):
    for user in org.users.values():
        contacts = user["contacts"]
        assert contacts[0] == {"type": "email", "value": user["email"], "main": True,
                               "alias": False, "synthetic": True}
        for contact in contacts:
            assert contact["type"] in CONTACT_TYPES
            assert isinstance(contact["value"], str) and contact["value"]
            assert all(isinstance(contact[k], bool) for k in ("main", "alias", "synthetic"))
        alias_values = [c["value"] for c in contacts if c["alias"]]
        assert alias_values == [f"{a}@{org.domain}" for a in user["aliases"]]
        for phone in (c["value"] for c in contacts if c["type"] == "phone"):
            assert re.fullmatch(r"\+7 \d{3} \d{3}-\d{2}-\d{2}", phone), phone


def test_roles_and_their_shares(big):
    users = list(big.users.values())
    n = len(users)
    admins = [u for u in users if u["isAdmin"]]
    assert len(admins) >= 2 and users[0]["isAdmin"]
    robots = [u for u in users if u["isRobot"]]
    assert robots and all(u["nickname"].startswith("robot-") for u in robots)
    dismissed = sum(u["isDismissed"] for u in users)
    blocked = sum(not u["isEnabled"] and not u["isDismissed"] for u in users)
    assert 0.01 * n <= dismissed <= 0.03 * n
    assert 0.005 * n <= blocked <= 0.025 * n
    assert 0.02 * n <= sum(bool(u["aliases"]) for u in users) <= 0.08 * n
    english = sum(not re.search("[а-яё]", u["name"]["first"], re.I) for u in users
                  if not u["isRobot"])
    assert 0.12 * n <= english <= 0.28 * n
    assert any(u["birthday"] == "" for u in users) and any(u["birthday"] for u in users)
    assert {c["type"] for u in users for c in u["contacts"]} == CONTACT_TYPES


def test_gender_matches_russian_name(big):
    for user in big.users.values():
        middle = user["name"]["middle"]
        if middle:
            expected = "male" if middle.endswith(("вич", "ич")) else "female"
            assert user["gender"] == expected, user["name"]


# -- departments ------------------------------------------------------------------------------


def test_department_tree(org):
    departments = org.departments
    root = departments[1]
    assert root["parentId"] == 0 and root["name"] == "All employees"
    depth = 0
    for dept in departments.values():
        assert isinstance(dept["id"], int) and isinstance(dept["parentId"], int)
        for key in ("name", "description", "externalId", "label", "email", "headId",
                    "createdAt"):
            assert isinstance(dept[key], str), key
        assert dept["email"] == (f"{dept['label']}@{org.domain}" if dept["label"] else "")
        level, node = 0, dept
        while node["id"] != 1:
            node = departments[node["parentId"]]
            level += 1
            assert level < 10  # no cycle
        depth = max(depth, level + 1)
    assert 3 <= depth <= 5


def test_department_members_count_and_heads(org):
    departments = org.departments
    count = dict.fromkeys(departments, 0)
    for user in org.users.values():
        if user["isDismissed"]:
            continue
        dept = user["departmentId"]
        while dept:
            count[dept] += 1
            dept = departments[dept]["parentId"]
    assert {d: departments[d]["membersCount"] for d in departments} == count
    assert departments[1]["membersCount"] == sum(not u["isDismissed"]
                                                 for u in org.users.values())
    for dept in departments.values():
        if dept["headId"]:
            head = org.users[dept["headId"]]
            assert head["departmentId"] == dept["id"] and not head["isDismissed"]


def test_big_org_departments_scale(big):
    assert len(big.departments) == 2000 // 25
    heads = sum(bool(d["headId"]) for d in big.departments.values())
    assert heads >= 0.6 * len(big.departments)
    assert any(d["label"] for d in big.departments.values())


# -- groups -----------------------------------------------------------------------------------


def test_group_wire_shape(org):
    for gid, group in org.groups.items():
        assert group["id"] == gid and isinstance(gid, int)
        for key in GROUP_STR_KEYS:
            assert isinstance(group[key], str), key
        assert group["removed"] is False
        assert group["membersCount"] == len(group["members"])
        assert all(isinstance(a, str) for a in group["adminIds"])
        for member in group["members"]:
            assert member["type"] in {"user", "group", "department"}
            assert isinstance(member["id"], str)
    types = [g["type"] for g in org.groups.values()]
    assert types[:3] == ["organization_admin", "organization_deputy_admin", "robots"]
    assert set(types[3:]) == {"generic"}


def test_group_membership_consistent_both_ways(org):
    from_groups = {(m["id"], gid) for gid, g in org.groups.items() for m in g["members"]
                   if m["type"] == "user"}
    from_users = {(uid, gid) for uid, u in org.users.items() for gid in u["groups"]}
    assert from_groups == from_users
    nested = {(int(m["id"]), gid) for gid, g in org.groups.items() for m in g["members"]
              if m["type"] == "group"}
    member_of = {(gid, parent) for gid, g in org.groups.items() for parent in g["memberOf"]}
    assert nested == member_of
    for group in org.groups.values():
        for member in group["members"]:
            if member["type"] == "department":
                assert int(member["id"]) in org.departments
        assert group["memberOf"] == sorted(group["memberOf"])
    for user in org.users.values():
        assert user["groups"] == sorted(user["groups"])


def test_system_groups_members(org):
    def user_ids(gid):
        return {m["id"] for m in org.groups[gid]["members"]}

    assert user_ids(1) == {uid for uid, u in org.users.items() if u["isAdmin"]}
    assert user_ids(3) == {uid for uid, u in org.users.items() if u["isRobot"]}
    assert not user_ids(2) & user_ids(1)


def test_groups_have_no_cycles_and_nest_deeply(org):
    children = {gid: [int(m["id"]) for m in g["members"] if m["type"] == "group"]
                for gid, g in org.groups.items()}

    def depth(gid, path=()):
        assert gid not in path, "cycle"
        return 1 + max((depth(c, (*path, gid)) for c in children[gid]), default=0)

    assert max(depth(g) for g in children) >= 4


def test_big_org_groups(big):
    generic = [g for g in big.groups.values() if g["type"] == "generic"]
    assert len(generic) == 2000 // 40
    types = {m["type"] for g in generic for m in g["members"]}
    assert types == {"user", "group", "department"}
    assert any(g["label"] for g in generic) and any(g["adminIds"] for g in generic)
    dismissed = {uid for uid, u in big.users.items() if u["isDismissed"]}
    assert not dismissed & {m["id"] for g in big.groups.values() for m in g["members"]}


# -- security ---------------------------------------------------------------------------------


def test_auth_types_and_2fa(big):
    assert set(big.auth_types.values()) == {"portal", "idp"}
    share = sum(t == "idp" for t in big.auth_types.values()) / len(big.auth_types)
    assert 0.18 <= share <= 0.32
    states = list(big.two_fa.values())
    assert 0.5 <= sum(s["has2fa"] for s in states) / len(states) <= 0.7
    assert all(s["has2fa"] for s in states if s["hasSecurityPhone"])
    assert any(s["has2fa"] and not s["hasSecurityPhone"] for s in states)


# -- events -----------------------------------------------------------------------------------


def assert_newest_first_in_window(stamps):
    times = [parse(s) for s in stamps]
    assert times == sorted(times, reverse=True)
    assert times[-1] >= WINDOW_START and times[0] <= NOW


def test_mail_events(org):
    events = org.mail_events
    assert len(events) == min(len(org.users) * 40, generate.MAIL_EVENTS_CAP)
    assert_newest_first_in_window(e["date"] for e in events)
    assert len({e["uniqId"] for e in events}) == len(events)
    for event in events:
        assert event["eventType"] in MAIL_TYPES
        assert event.get("folderType") in FOLDER_TYPES
        assert event["orgId"] == org.id
        assert event["userUid"] in org.users
        for key in ("clientIp", "date", "requestId", "source", "uniqId", "userLogin",
                    "userName", "userUid", "from", "to", "subject", "folderName", "mid"):
            assert isinstance(event[key], str), key
        assert all(isinstance(label, str) for label in event.get("labels", []))


def test_mail_event_mix(big):
    types = {e["eventType"] for e in big.mail_events}
    assert types == MAIL_TYPES
    sent = [e for e in big.mail_events if e["eventType"] == "mailbox_send"]
    assert all(e["from"] == e["userLogin"] and e["folderType"] == "sent" for e in sent)
    actors = {e["userUid"] for e in big.mail_events}
    assert 0.15 * len(big.users) <= len(actors) <= 0.45 * len(big.users)


def test_disk_events(org):
    events = org.disk_events
    assert_newest_first_in_window(e["date"] for e in events)
    for event in events:
        assert event["eventType"].startswith(("fs-", "share-"))
        assert event["userUid"] in org.users and event["ownerUid"] in org.users
        assert isinstance(event["orgId"], int) and isinstance(event["size"], int)
        assert event["path"].startswith("/disk/")


def test_audit_events(org):
    items = org.audit_events
    assert len(items) == min(len(org.users) * 30, generate.AUDIT_EVENTS_CAP)
    assert_newest_first_in_window(i["event"]["occurred_at"] for i in items)
    assert len({i["event"]["idempotency_id"] for i in items}) == len(items)
    for item in items:
        event = item["event"]
        assert isinstance(item["user_login"], str) and isinstance(item["user_name"], str)
        assert event["service"] in SERVICES
        assert event["status"] in {"Success", "Error"}
        assert isinstance(event["uid"], int) and str(event["uid"]) in org.users
        assert event["org_id"] == org.id
        assert isinstance(event["meta"], dict)
        assert event["is_system"] is False
        for key in ("type", "ip", "occurred_at", "idempotency_id", "request_id"):
            assert isinstance(event[key], str) and event[key], key
        assert event["occurred_at"].endswith("+00:00")


def test_audit_event_mix(big):
    types = [i["event"]["type"] for i in big.audit_events]
    for prefix in ("id_", "ya360_b2bplatform_", "disk_", "telemost_", "messenger_"):
        assert any(t.startswith(prefix) for t in types), prefix
    admin_uids = {uid for uid, u in big.users.items() if u["isAdmin"]}
    assert all(str(i["event"]["uid"]) in admin_uids for i in big.audit_events
               if i["event"]["type"].startswith("ya360_b2bplatform_"))
    statuses = [i["event"]["status"] for i in big.audit_events]
    assert 0 < statuses.count("Error") < 0.1 * len(statuses)


# -- disk -------------------------------------------------------------------------------------


def test_disk_resources(org):
    keys = []
    for uid, records in org.disk.items():
        assert uid in org.users
        paths = [r["path"] for r in records]
        assert len(set(paths)) == len(paths) and 1 <= len(records) <= 8
        for record in records:
            assert record["path"].startswith("disk:/") and record["path"].endswith(
                record["name"])
            assert record["type"] in {"file", "dir"}
            if record["type"] == "file":
                assert isinstance(record["mime_type"], str) and isinstance(record["size"], int)
            else:
                assert "mime_type" not in record and "size" not in record
            assert parse(record["created"]) <= parse(record["modified"]) <= NOW
            assert record["resource_id"].startswith(uid + ":")
            check_public_settings(org, uid, record)
            if record["public_key"] is not None:
                keys.append(record["public_key"])
                assert record["public_url"].startswith("https://disk.yandex.ru/d/")
            else:
                assert record["public_url"] is None
    assert len(set(keys)) == len(keys)


def check_public_settings(org, uid, record):
    settings = record["public_settings"]
    assert set(settings) == {"available_until", "accesses"}
    assert settings["available_until"] is None or isinstance(settings["available_until"], int)
    owner, *others = settings["accesses"]
    assert owner == {"type": "owner", "id": int(uid), "rights": ["write"]}
    for access in others:
        assert isinstance(access["rights"], list) and access["rights"]
        if access["type"] == "macro":
            assert access["macros"] in (["all"], ["employees"])
            if access["macros"] == ["employees"]:
                assert access["org_id"] == org.id
        else:
            assert access["type"] in {"user", "group", "department"}
            assert isinstance(access["id"], int) and access["org_id"] == org.id


def test_disk_variety(big):
    records = [r for rs in big.disk.values() for r in rs]
    assert 0.08 * len(big.users) <= len(big.disk) <= 0.22 * len(big.users)
    assert {r["type"] for r in records} == {"file", "dir"}
    assert any(r["public_key"] is None for r in records)
    keys = "".join(r["public_key"] for r in records if r["public_key"])
    assert {"+", "/", "="} <= set(keys)
    accesses = [a for r in records for a in r["public_settings"]["accesses"]]
    assert {a["type"] for a in accesses} == {"owner", "macro", "user", "group", "department"}


# -- tracker ----------------------------------------------------------------------------------


def test_tracker_users_mirror_directory(org):
    tracker = org.tracker_users
    assert [t["uid"] for t in tracker] == sorted(int(u) for u in org.users)
    refs = {str(g["id"]) for g in org.tracker_groups}
    for entry in tracker:
        user = org.users[str(entry["passportUid"])]
        assert entry["uid"] == entry["passportUid"]
        assert entry["login"] == user["nickname"] and entry["email"] == user["email"]
        assert entry["dismissed"] == user["isDismissed"]
        assert entry["sources"] == ["directory"] and entry["external"] is False
        assert "self" not in entry
        for key in ("firstLoginDate", "lastLoginDate"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", entry[key])
        assert entry["firstLoginDate"] <= entry["lastLoginDate"]
        assert {g["id"] for g in entry["groups"]} <= refs


def test_tracker_licences(big):
    share = sum(t["hasLicense"] for t in big.tracker_users) / len(big.tracker_users)
    assert 0.6 <= share <= 0.8


def test_mutable_parts_are_private_to_their_object(big):
    """Routes edit these in place: one shared list would leak an edit into other objects."""
    users = list(big.users.values())
    for key in ("groups", "aliases", "contacts", "name"):
        assert len({id(u[key]) for u in users}) == len(users), key
    groups = list(big.groups.values())
    for key in ("members", "memberOf", "adminIds", "aliases"):
        assert len({id(g[key]) for g in groups}) == len(groups), key
    # 2FA states are shared (three dicts): writes replace a user's state, never edit it.
    assert len({id(s) for s in big.two_fa.values()}) <= 3
    assert len({id(d["aliases"]) for d in big.departments.values()}) == len(big.departments)
