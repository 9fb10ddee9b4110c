"""Contract tests of the api360 Directory routes (reference §5–§8, §15) over the fixture org:
status codes, exact key sets and JSON types, paging arithmetic, error bodies, and writes that
later reads and the audit log both see."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from y360tui.emulator.state import Org

USER_KEYS = {"id", "nickname", "departmentId", "email", "name", "gender", "position",
             "avatarId", "about", "birthday", "contacts", "aliases", "groups", "externalId",
             "isAdmin", "isRobot", "isDismissed", "isEnabled", "timezone", "language",
             "createdAt", "updatedAt", "displayName"}
USER_OPTIONAL = {"isEnabledUpdatedAt"}
CONTACT_TYPES = {"email", "phone_extension", "phone", "site", "icq", "twitter", "skype", "staff"}
DEPARTMENT_KEYS = {"id", "name", "parentId", "description", "externalId", "label", "email",
                   "headId", "membersCount", "aliases", "createdAt"}
GROUP_KEYS = {"id", "name", "type", "description", "membersCount", "label", "email", "aliases",
              "externalId", "removed", "members", "memberOf", "adminIds", "authorId",
              "createdAt"}
SHORT_USER_KEYS = {"id", "nickname", "departmentId", "email", "name", "gender", "position",
                   "avatarId"}
ORG_KEYS = {"id", "name", "email", "phone", "fax", "language", "subscriptionPlan"}
PAGE_KEYS = {"page", "pages", "perPage", "total"}


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_user(user: dict[str, Any]) -> None:
    """A v1User exactly as §6.1/§14: ids are strings, departmentId and groups numbers."""
    assert USER_KEYS <= set(user) <= USER_KEYS | USER_OPTIONAL, set(user) ^ USER_KEYS
    assert isinstance(user["id"], str) and user["id"].isdigit()
    assert is_int(user["departmentId"])
    for key in ("nickname", "email", "gender", "position", "avatarId", "about", "birthday",
                "externalId", "timezone", "language", "createdAt", "updatedAt", "displayName"):
        assert isinstance(user[key], str), key
    assert set(user["name"]) == {"first", "last", "middle"}
    assert all(isinstance(v, str) for v in user["name"].values())
    for key in ("isAdmin", "isRobot", "isDismissed", "isEnabled"):
        assert isinstance(user[key], bool), key
    assert all(is_int(g) for g in user["groups"])
    assert all(isinstance(a, str) for a in user["aliases"])
    for contact in user["contacts"]:
        assert contact["type"] in CONTACT_TYPES
        assert isinstance(contact["value"], str)
        for flag in ("main", "alias", "synthetic"):
            assert isinstance(contact[flag], bool)
    assert "authType" not in user and "auth_type" not in user  # §6.1: never in the User


def check_short_user(user: dict[str, Any]) -> None:
    assert set(user) == SHORT_USER_KEYS
    assert isinstance(user["id"], str) and is_int(user["departmentId"])


def check_department(dep: dict[str, Any]) -> None:
    assert set(dep) == DEPARTMENT_KEYS
    for key in ("id", "parentId", "membersCount"):
        assert is_int(dep[key]), key
    for key in ("name", "description", "externalId", "label", "email", "headId", "createdAt"):
        assert isinstance(dep[key], str), key


def check_group(group: dict[str, Any]) -> None:
    assert set(group) == GROUP_KEYS
    assert is_int(group["id"]) and is_int(group["membersCount"])
    assert all(is_int(g) for g in group["memberOf"])
    assert all(isinstance(u, str) for u in group["adminIds"])
    assert isinstance(group["authorId"], str) and isinstance(group["removed"], bool)
    for member in group["members"]:
        assert set(member) == {"type", "id"}
        assert member["type"] in ("user", "group", "department")
        assert isinstance(member["id"], str)  # a string even for groups and departments


def check_error(response: httpx.Response, status: int, code: int) -> dict[str, Any]:
    """The §3.1 body with the gRPC code for ``status`` and an X-Request-Id header."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code and isinstance(body["message"], str) and body["message"]
    assert body["details"] and all("@type" in d for d in body["details"])
    assert body["details"][0]["requestId"] == response.headers["x-request-id"]
    return body


def base(org: Org) -> str:
    return f"/directory/v1/org/{org.id}"


def visible(org: Org) -> list[dict[str, Any]]:
    return [u for uid, u in org.users.items() if uid not in org.hidden_users]


def employee(org: Org) -> dict[str, Any]:
    """An enabled, non-admin, non-dismissed employee."""
    return next(u for u in visible(org)
                if not (u["isAdmin"] or u["isDismissed"] or u["isRobot"]) and u["isEnabled"])


def generic_group(org: Org) -> dict[str, Any]:
    return next(g for g in org.groups.values() if g["type"] == "generic")


def system_group(org: Org) -> dict[str, Any]:
    return next(g for g in org.groups.values() if g["type"] != "generic")


def last_event(org: Org) -> dict[str, Any]:
    return org.audit_events[0]["event"]


def event_types(org: Org, n: int) -> list[str]:
    return [item["event"]["type"] for item in org.audit_events[:n]]


# ---------------------------------------------------------------- organisations


async def test_org_list_and_single(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.get("/directory/v1/org", params={"pageSize": 10})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"organizations", "nextPageToken"}
    assert body["nextPageToken"] == ""
    [item] = body["organizations"]
    assert set(item) == ORG_KEYS and item["id"] == org.id and is_int(item["id"])
    single = await client.get(base(org))
    assert single.json() == item


async def test_org_list_past_the_end_and_unknown_org(client: httpx.AsyncClient,
                                                      org: Org) -> None:
    response = await client.get("/directory/v1/org", params={"pageToken": "1"})
    assert response.json() == {"organizations": [], "nextPageToken": ""}
    check_error(await client.get("/directory/v1/org/999"), 404, 5)
    check_error(await client.get("/directory/v1/org/999/users"), 404, 5)


# ---------------------------------------------------------------- users: reads and paging


async def test_users_default_page(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.get(base(org) + "/users")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"users"} | PAGE_KEYS
    total = len(visible(org))
    assert (body["page"], body["perPage"], body["total"]) == (1, 10, total)
    assert body["pages"] == -(-total // 10)
    assert len(body["users"]) == min(10, total)
    for user in body["users"]:
        check_user(user)


async def test_users_pages_concatenate_to_every_visible_user_once(
        client: httpx.AsyncClient, org: Org) -> None:
    seen: list[str] = []
    page, pages = 1, 1
    while page <= pages:
        body = (await client.get(base(org) + "/users",
                                 params={"page": page, "perPage": 3})).json()
        pages = body["pages"]
        seen += [u["id"] for u in body["users"]]
        page += 1
    assert seen == [u["id"] for u in visible(org)]
    assert seen == sorted(seen, key=int)


async def test_users_paging_boundaries(client: httpx.AsyncClient, org: Org) -> None:
    total = len(visible(org))
    url = base(org) + "/users"
    one = (await client.get(url, params={"perPage": total})).json()
    assert (one["pages"], len(one["users"])) == (1, total)
    two = (await client.get(url, params={"perPage": total - 1, "page": 2})).json()
    assert (two["pages"], two["page"], len(two["users"])) == (2, 2, 1)
    past = await client.get(url, params={"perPage": total - 1, "page": 3})
    assert past.status_code == 200
    assert past.json() == {"users": [], "page": 3, "pages": 2, "perPage": total - 1,
                           "total": total}
    clamped = (await client.get(url, params={"perPage": 5000})).json()
    assert clamped["perPage"] == 1000 and clamped["pages"] == 1


@pytest.mark.parametrize("params", [{"page": "x"}, {"perPage": "ten"}, {"page": 0},
                                    {"perPage": 0}, {"perPage": -5}])
async def test_users_bad_paging_is_400(client: httpx.AsyncClient, org: Org,
                                       params: dict[str, Any]) -> None:
    body = check_error(await client.get(base(org) + "/users", params=params), 400, 3)
    violation = body["details"][-1]
    assert violation["@type"].endswith("BadRequest")
    assert violation["fieldViolations"][0]["field"] in params


async def test_get_user_and_unknown_user(client: httpx.AsyncClient, org: Org) -> None:
    user = employee(org)
    response = await client.get(f"{base(org)}/users/{user['id']}")
    assert response.status_code == 200 and response.json() == user
    check_user(response.json())
    check_error(await client.get(base(org) + "/users/1"), 404, 5)


async def test_trailing_slash_unknown_route_and_wrong_method(client: httpx.AsyncClient,
                                                             org: Org) -> None:
    assert (await client.get(base(org) + "/users/")).status_code == 200
    check_error(await client.get(base(org) + "/nothing-here"), 404, 5)
    check_error(await client.put(base(org) + "/users"), 405, 12)


async def test_missing_or_bad_token_is_401(app, org: Org) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="https://api360.yandex.net") as anon:
        check_error(await anon.get(base(org) + "/users"), 401, 16)
        bad = await anon.get(base(org) + "/users", headers={"Authorization": "OAuth nope"})
        check_error(bad, 401, 16)


async def test_scopes(client: httpx.AsyncClient, org: Org) -> None:
    org.tokens["reader"] = {"uid": org.admin_uid, "scopes": {"directory:read_users"}}
    org.tokens["writer"] = {"uid": org.admin_uid, "scopes": {"directory:write_users"}}
    url = base(org) + "/users"
    reader = {"Authorization": "OAuth reader"}
    writer = {"Authorization": "Bearer writer"}
    assert (await client.get(url, headers=reader)).status_code == 200
    assert (await client.get(url, headers=writer)).status_code == 200  # write implies read
    check_error(await client.get(base(org) + "/groups", headers=reader), 403, 7)
    check_error(await client.get(base(org) + "/departments", headers=writer), 403, 7)
    uid = employee(org)["id"]
    check_error(await client.patch(f"{url}/{uid}", json={"position": "x"}, headers=reader),
                403, 7)
    assert org.users[uid]["position"] != "x"


# ---------------------------------------------------------------- users: writes


NEW_USER = {"nickname": "new.person", "name": {"first": "New", "last": "Person"},
            "password": "s3cret-pass", "departmentId": 1, "position": "Analyst",
            "contacts": [{"type": "phone", "value": "+7 900 000-00-00", "label": "work"}],
            "unknownKey": "ignored"}


async def test_create_user(consistent, client: httpx.AsyncClient, org: Org) -> None:
    before = org.departments[1]["membersCount"]
    response = await client.post(base(org) + "/users", json=NEW_USER)
    assert response.status_code == 200, response.text
    user = response.json()
    check_user(user)
    assert user["isEnabled"] is True and user["aliases"] == [] and user["groups"] == []
    assert user["nickname"] == "new.person" and user["email"] == f"new.person@{org.domain}"
    assert user["name"] == {"first": "New", "last": "Person", "middle": ""}
    synthetic = [c for c in user["contacts"] if c["synthetic"]]
    assert synthetic == [{"type": "email", "value": user["email"], "main": True,
                          "alias": False, "synthetic": True, "label": ""}]
    assert {"type": "phone", "value": "+7 900 000-00-00", "main": False, "alias": False,
            "synthetic": False, "label": "work"} in user["contacts"]
    assert int(user["id"]) > max(int(u) for u in org.users if u != user["id"])
    got = await client.get(f"{base(org)}/users/{user['id']}")
    assert got.json() == user
    listing = (await client.get(base(org) + "/users", params={"perPage": 1000})).json()
    assert listing["users"][-1]["id"] == user["id"]
    assert listing["total"] == len(visible(org))
    assert org.departments[1]["membersCount"] == before + 1
    assert "ya360_b2bplatform_user_created" in event_types(org, 2)
    assert org.audit_events[0]["event"]["uid"] == int(org.admin_uid)
    consistent(org)


@pytest.mark.parametrize(("patch", "field"), [
    ({"nickname": None}, "nickname"),
    ({"nickname": "Bad Nick!"}, "nickname"),
    ({"name": "Just a string"}, "name"),
    ({"name": {"first": "Only"}}, "last"),
    ({"password": None}, "password"),
    ({"password": 12345678}, "password"),
    ({"departmentId": None}, "departmentId"),
    ({"departmentId": "1"}, "departmentId"),
    ({"gender": "other"}, "gender"),
    ({"birthday": "02.01.1990"}, "birthday"),
    ({"contacts": [{"type": "fax", "value": "1"}]}, "contacts[0].type"),
])
async def test_create_user_field_errors(client: httpx.AsyncClient, org: Org,
                                        patch: dict[str, Any], field: str) -> None:
    body = {k: v for k, v in {**NEW_USER, **patch}.items() if v is not None}
    count = len(org.users)
    error = check_error(await client.post(base(org) + "/users", json=body), 400, 3)
    assert error["details"][-1]["fieldViolations"][0]["field"] == field
    assert len(org.users) == count


async def test_create_user_conflicts_and_unknown_department(client: httpx.AsyncClient,
                                                            org: Org) -> None:
    taken = employee(org)["nickname"]
    check_error(await client.post(base(org) + "/users", json={**NEW_USER, "nickname": taken}),
                409, 6)
    label = next(g["label"] for g in org.groups.values() if g["label"])
    check_error(await client.post(base(org) + "/users", json={**NEW_USER, "nickname": label}),
                409, 6)
    check_error(await client.post(base(org) + "/users",
                                  json={**NEW_USER, "departmentId": 987654}), 404, 5)
    check_error(await client.post(base(org) + "/users", content=b"{not json"), 400, 3)


async def test_patch_user_changes_only_supplied_keys(client: httpx.AsyncClient,
                                                     org: Org) -> None:
    user = employee(org)
    before = dict(user)
    response = await client.patch(f"{base(org)}/users/{user['id']}",
                                  json={"position": "Lead", "birthday": "1985-03-04",
                                        "name": {"middle": "M"}, "extra": 1})
    assert response.status_code == 200
    after = response.json()
    check_user(after)
    assert after["position"] == "Lead" and after["birthday"] == "1985-03-04"
    assert after["name"] == {**before["name"], "middle": "M"}
    assert after["updatedAt"] != before["updatedAt"]
    unchanged = set(USER_KEYS) - {"position", "birthday", "name", "updatedAt"}
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert last_event(org)["type"] == "ya360_b2bplatform_user_updated"
    assert last_event(org)["meta"]["user_id"] == user["id"]


@pytest.mark.parametrize(("body", "status"), [
    ({"birthday": "1985-3-4"}, 400), ({"birthday": "1985-02-30"}, 400),
    ({"gender": "x"}, 400), ({"departmentId": "2"}, 400), ({"isEnabled": "no"}, 400),
    ({"departmentId": 987654}, 404), ({"contacts": "x"}, 400),
])
async def test_patch_user_validation(client: httpx.AsyncClient, org: Org,
                                     body: dict[str, Any], status: int) -> None:
    user = employee(org)
    snapshot = {k: (v.copy() if isinstance(v, (dict, list)) else v) for k, v in user.items()}
    response = await client.patch(f"{base(org)}/users/{user['id']}", json=body)
    check_error(response, status, 3 if status == 400 else 5)
    assert user == snapshot


async def test_block_and_unblock(client: httpx.AsyncClient, org: Org) -> None:
    user = employee(org)
    url = f"{base(org)}/users/{user['id']}"
    blocked = (await client.patch(url, json={"isEnabled": False})).json()
    assert blocked["isEnabled"] is False and "isEnabledUpdatedAt" in blocked
    assert last_event(org)["type"] == "ya360_b2bplatform_user_blocked"
    unblocked = (await client.patch(url, json={"isEnabled": True})).json()
    assert unblocked["isEnabled"] is True
    assert last_event(org)["type"] == "ya360_b2bplatform_user_unblocked"
    assert (await client.get(url)).json()["isEnabled"] is True


async def test_move_user_keeps_department_counts(consistent, client: httpx.AsyncClient,
                                                 org: Org) -> None:
    user = employee(org)
    target = next(d for d in org.departments.values()
                  if d["id"] != user["departmentId"] and d["id"] != 1)
    response = await client.patch(f"{base(org)}/users/{user['id']}",
                                  json={"departmentId": target["id"]})
    assert response.json()["departmentId"] == target["id"]
    consistent(org)
    assert "ya360_b2bplatform_department_member_created" in event_types(org, 4)


async def test_admin_flag_follows_the_admin_group(consistent, client: httpx.AsyncClient,
                                                  org: Org) -> None:
    user = employee(org)
    admins = next(g for g in org.groups.values() if g["type"] == "organization_admin")
    await client.patch(f"{base(org)}/users/{user['id']}", json={"isAdmin": True})
    assert {"type": "user", "id": user["id"]} in admins["members"]
    await client.patch(f"{base(org)}/users/{user['id']}", json={"isAdmin": False})
    assert {"type": "user", "id": user["id"]} not in admins["members"]
    consistent(org)


async def test_password_change_is_logged(client: httpx.AsyncClient, org: Org) -> None:
    user = employee(org)
    response = await client.patch(f"{base(org)}/users/{user['id']}",
                                  json={"password": "n3w-password"})
    assert response.status_code == 200
    assert last_event(org)["type"] == "ya360_b2bplatform_user_password_updated"


async def test_delete_user_hides_and_dismisses(consistent, client: httpx.AsyncClient,
                                               org: Org) -> None:
    user = next(u for u in visible(org) if u["groups"] and not u["isAdmin"])
    total = (await client.get(base(org) + "/users")).json()["total"]
    response = await client.delete(f"{base(org)}/users/{user['id']}")
    assert response.status_code == 200
    check_user(response.json())
    assert response.json()["isDismissed"] is True
    listing = (await client.get(base(org) + "/users", params={"perPage": 1000})).json()
    assert listing["total"] == total - 1
    assert user["id"] not in {u["id"] for u in listing["users"]}
    assert (await client.get(f"{base(org)}/users/{user['id']}")).json()["isDismissed"]
    assert user["groups"] == []
    consistent(org)
    assert "ya360_b2bplatform_user_dismissed" in event_types(org, 1)
    check_error(await client.patch(f"{base(org)}/users/{user['id']}", json={}), 404, 5)


async def test_contacts_put_and_delete(client: httpx.AsyncClient, org: Org) -> None:
    user = employee(org)
    url = f"{base(org)}/users/{user['id']}/contacts"
    synthetic = [c for c in user["contacts"] if c["synthetic"]]
    orglib_style = [  # orglib sends main/alias/synthetic and no label
        {"type": "skype", "value": "live:me", "main": False, "alias": False,
         "synthetic": False},
        {"type": "email", "value": "fake@x", "main": True, "alias": False, "synthetic": True},
    ]
    response = await client.put(url, json={"contacts": orglib_style})
    assert response.status_code == 200
    body = response.json()
    check_user(body)
    assert body["contacts"] == [*synthetic, {"type": "skype", "value": "live:me",
                                             "main": False, "alias": False,
                                             "synthetic": False, "label": ""}]
    check_error(await client.put(url, json={"contacts": [{"type": "fax", "value": "1"}]}),
                400, 3)
    check_error(await client.put(url, json={"contacts": "no"}), 400, 3)
    cleared = (await client.delete(url)).json()
    assert cleared["contacts"] == synthetic


async def test_user_aliases(client: httpx.AsyncClient, org: Org) -> None:
    user, other = [u for u in visible(org) if not u["isDismissed"]][1:3]
    url = f"{base(org)}/users/{user['id']}/aliases"
    added = await client.post(url, json={"alias": "the.alias"})
    assert added.status_code == 200
    assert "the.alias" in added.json()["aliases"]
    assert last_event(org)["type"] == "ya360_b2bplatform_user_alias_created"
    for taken in ("the.alias", other["nickname"]):
        check_error(await client.post(url, json={"alias": taken}), 409, 6)
    check_error(await client.post(f"{base(org)}/users/{other['id']}/aliases",
                                  json={"alias": "the.alias"}), 409, 6)
    check_error(await client.post(url, json={}), 400, 3)
    removed = await client.delete(url + "/the.alias")
    assert removed.json() == {"alias": "the.alias", "removed": True}
    assert "the.alias" not in org.users[user["id"]]["aliases"]
    assert last_event(org)["type"] == "ya360_b2bplatform_user_alias_deleted"
    check_error(await client.delete(url + "/the.alias"), 404, 5)


async def test_user_2fa_v1_and_v2(client: httpx.AsyncClient, org: Org) -> None:
    user = employee(org)
    org.two_fa[user["id"]] = {"has2fa": True, "hasSecurityPhone": True}
    for version in ("v1", "v2"):
        url = f"/directory/{version}/org/{org.id}/users/{user['id']}/2fa"
        body = (await client.get(url)).json()
        assert body == {"userId": user["id"], "has2fa": True, "hasSecurityPhone": True}
    url = f"{base(org)}/users/{user['id']}/2fa"
    assert (await client.delete(url)).json() == {}
    assert (await client.get(url)).json()["has2fa"] is False
    check_error(await client.get(base(org) + "/users/42/2fa"), 404, 5)


async def test_auth_type_rules(client: httpx.AsyncClient, org: Org) -> None:
    user = employee(org)
    url = f"{base(org)}/users/{user['id']}/auth_type"
    org.auth_types[user["id"]] = "portal"
    org.two_fa[user["id"]] = {"has2fa": True, "hasSecurityPhone": True}
    check_error(await client.patch(url, json={"authType": "ldap"}), 400, 3)
    check_error(await client.patch(url, json={}), 400, 3)
    to_idp = await client.patch(url, json={"authType": "idp", "dropOtp": True})
    assert (to_idp.status_code, to_idp.json()) == (200, {})
    assert org.auth_types[user["id"]] == "idp"
    assert org.two_fa[user["id"]]["has2fa"] is False
    check_error(await client.patch(url, json={"authType": "portal"}), 400, 3)
    assert org.auth_types[user["id"]] == "idp"
    back = await client.patch(url, json={"authType": "portal", "password": "Str0ng-pass",
                                         "passwordChangeRequired": True})
    assert back.json() == {} and org.auth_types[user["id"]] == "portal"
    got = (await client.get(f"{base(org)}/users/{user['id']}")).json()
    check_user(got)


async def test_avatar(client: httpx.AsyncClient, org: Org) -> None:
    user = employee(org)
    url = f"{base(org)}/users/{user['id']}/avatar"
    response = await client.put(url, content=b"\x89PNG...", headers={
        "Content-Type": "image/png"})
    assert response.status_code == 200 and set(response.json()) == {"url"}
    assert org.users[user["id"]]["avatarId"] != ""
    check_error(await client.put(url, content=b"x", headers={"Content-Type": "text/plain"}),
                400, 3)


# ---------------------------------------------------------------- departments


async def test_departments_list_filters_and_order(client: httpx.AsyncClient, org: Org) -> None:
    url = base(org) + "/departments"
    body = (await client.get(url, params={"perPage": 1000})).json()
    assert set(body) == {"departments"} | PAGE_KEYS
    assert body["total"] == len(org.departments)
    for dep in body["departments"]:
        check_department(dep)
    assert [d["id"] for d in body["departments"]] == sorted(org.departments)
    by_name = (await client.get(url, params={"perPage": 1000, "orderBy": "name"})).json()
    names = [d["name"].casefold() for d in by_name["departments"]]
    assert names == sorted(names)
    children = (await client.get(url, params={"parentId": 1, "perPage": 1000})).json()
    expected = sorted(d["id"] for d in org.departments.values() if d["parentId"] == 1)
    assert [d["id"] for d in children["departments"]] == expected
    assert children["total"] == len(expected)
    none = (await client.get(url, params={"parentId": 987654})).json()
    assert none == {"departments": [], "page": 1, "pages": 0, "perPage": 10, "total": 0}
    check_error(await client.get(url, params={"orderBy": "size"}), 400, 3)
    root = (await client.get(url + "/1")).json()
    assert root["parentId"] == 0 and root["membersCount"] == sum(
        1 for u in visible(org) if not u["isDismissed"])
    check_error(await client.get(url + "/987654"), 404, 5)
    check_error(await client.get(url + "/abc"), 404, 5)


async def test_department_lifecycle(client: httpx.AsyncClient, org: Org) -> None:
    url = base(org) + "/departments"
    created = await client.post(url, json={"name": "Research", "parentId": 1,
                                           "label": "research", "description": "R&D"})
    assert created.status_code == 200, created.text
    dep = created.json()
    check_department(dep)
    assert (dep["email"], dep["membersCount"], dep["aliases"]) == (
        f"research@{org.domain}", 0, [])
    assert last_event(org)["type"] == "ya360_b2bplatform_department_created"
    assert (await client.get(f"{url}/{dep['id']}")).json() == dep
    check_error(await client.post(url, json={"name": "Dup", "parentId": 1,
                                             "label": "research"}), 409, 6)
    check_error(await client.post(url, json={"name": "Orphan", "parentId": 987654}), 404, 5)
    check_error(await client.post(url, json={"parentId": 1}), 400, 3)
    check_error(await client.post(url, json={"name": "NoParent"}), 400, 3)
    child = (await client.post(url, json={"name": "Lab", "parentId": dep["id"]})).json()
    renamed = await client.patch(f"{url}/{dep['id']}", json={"name": "Research & Dev"})
    assert renamed.json()["name"] == "Research & Dev"
    assert last_event(org)["type"] == "ya360_b2bplatform_department_updated"
    # No cycles: not under itself, not under its own sub-department; the root never moves.
    check_error(await client.patch(f"{url}/{dep['id']}", json={"parentId": child["id"]}),
                400, 3)
    check_error(await client.patch(f"{url}/{dep['id']}", json={"parentId": dep["id"]}), 400, 3)
    check_error(await client.patch(url + "/1", json={"parentId": dep["id"]}), 400, 3)
    # Non-empty (a child department) is refused, then the leaf and the parent go.
    check_error(await client.delete(f"{url}/{dep['id']}"), 400, 3)
    gone = await client.delete(f"{url}/{child['id']}")
    assert gone.json() == {"id": child["id"], "removed": True}
    assert (await client.delete(f"{url}/{dep['id']}")).json() == {"id": dep["id"],
                                                                  "removed": True}
    assert last_event(org)["type"] == "ya360_b2bplatform_department_deleted"
    check_error(await client.get(f"{url}/{dep['id']}"), 404, 5)
    check_error(await client.delete(url + "/1"), 400, 3)


async def test_department_with_employees_cannot_be_deleted(client: httpx.AsyncClient,
                                                           org: Org) -> None:
    dep_id = employee(org)["departmentId"]
    if dep_id == 1:
        dep_id = next(u["departmentId"] for u in visible(org) if u["departmentId"] != 1)
    check_error(await client.delete(f"{base(org)}/departments/{dep_id}"), 400, 3)
    assert dep_id in org.departments


async def test_moving_a_department_moves_its_counts(consistent, client: httpx.AsyncClient,
                                                    org: Org) -> None:
    url = base(org) + "/departments"
    a = (await client.post(url, json={"name": "A", "parentId": 1})).json()
    b = (await client.post(url, json={"name": "B", "parentId": 1})).json()
    user = employee(org)
    await client.patch(f"{base(org)}/users/{user['id']}", json={"departmentId": a["id"]})
    assert org.departments[a["id"]]["membersCount"] == 1
    moved = (await client.patch(f"{url}/{a['id']}", json={"parentId": b["id"]})).json()
    assert moved["parentId"] == b["id"]
    assert org.departments[b["id"]]["membersCount"] == 1
    consistent(org)


async def test_department_aliases_and_head(client: httpx.AsyncClient, org: Org) -> None:
    url = base(org) + "/departments/1"
    added = await client.post(url + "/aliases", json={"alias": "everyone"})
    assert added.status_code == 200 and "everyone" in added.json()["aliases"]
    check_department(added.json())
    check_error(await client.post(url + "/aliases", json={"alias": "everyone"}), 409, 6)
    removed = await client.delete(url + "/aliases/everyone")
    assert removed.json() == {"alias": "everyone", "removed": True}
    check_error(await client.delete(url + "/aliases/everyone"), 404, 5)
    head = employee(org)["id"]
    assert (await client.patch(url, json={"headId": head})).json()["headId"] == head
    check_error(await client.patch(url, json={"headId": "42"}), 404, 5)


# ---------------------------------------------------------------- groups


async def test_groups_list_and_get(client: httpx.AsyncClient, org: Org) -> None:
    url = base(org) + "/groups"
    body = (await client.get(url, params={"perPage": 1000})).json()
    assert set(body) == {"groups"} | PAGE_KEYS
    assert [g["id"] for g in body["groups"]] == sorted(org.groups)
    for group in body["groups"]:
        check_group(group)
    group = generic_group(org)
    assert (await client.get(f"{url}/{group['id']}")).json() == group
    check_error(await client.get(url + "/987654"), 404, 5)


async def test_groups_empty_list(client: httpx.AsyncClient, org: Org) -> None:
    org.groups.clear()
    for user in org.users.values():
        user["groups"] = []
    body = (await client.get(base(org) + "/groups")).json()
    assert body == {"groups": [], "page": 1, "pages": 0, "perPage": 10, "total": 0}


async def test_group_lifecycle(consistent, client: httpx.AsyncClient, org: Org) -> None:
    url = base(org) + "/groups"
    user = employee(org)
    created = await client.post(url, json={
        "name": "Pilots", "label": "pilots", "description": "d",
        "members": [{"type": "user", "id": user["id"]}, {"type": "department", "id": 1}],
        "adminIds": [user["id"]]})
    assert created.status_code == 200, created.text
    group = created.json()
    check_group(group)
    assert group["type"] == "generic" and group["authorId"] == org.admin_uid
    assert group["membersCount"] == 2 and group["email"] == f"pilots@{org.domain}"
    assert group["members"] == [{"type": "user", "id": user["id"]},
                                {"type": "department", "id": "1"}]
    assert group["id"] in org.users[user["id"]]["groups"]
    assert "ya360_b2bplatform_group_created" in event_types(org, 3)
    check_error(await client.post(url, json={"name": "Again", "label": "pilots"}), 409, 6)
    check_error(await client.post(url, json={"label": "nameless"}), 400, 3)
    check_error(await client.post(url, json={"name": "X", "members": [
        {"type": "user", "id": "42"}]}), 404, 5)
    patched = (await client.patch(f"{url}/{group['id']}", json={"name": "Pilots 2"})).json()
    assert patched["name"] == "Pilots 2" and patched["membersCount"] == 2
    assert last_event(org)["type"] == "ya360_b2bplatform_group_updated"
    deleted = await client.delete(f"{url}/{group['id']}")
    assert deleted.json() == {"id": group["id"], "removed": True}
    assert group["id"] not in org.users[user["id"]]["groups"]
    check_error(await client.get(f"{url}/{group['id']}"), 404, 5)
    consistent(org)


async def test_system_groups_are_immutable(client: httpx.AsyncClient, org: Org) -> None:
    group = system_group(org)
    url = f"{base(org)}/groups/{group['id']}"
    check_error(await client.patch(url, json={"name": "Mine"}), 403, 7)
    check_error(await client.delete(url), 403, 7)
    check_error(await client.post(url + "/members", json={"id": employee(org)["id"]}), 403, 7)
    assert group["id"] in org.groups and group["name"] != "Mine"


async def test_members_v1(consistent, client: httpx.AsyncClient, org: Org) -> None:
    group = generic_group(org)
    url = f"{base(org)}/groups/{group['id']}/members"
    body = (await client.get(url)).json()
    assert set(body) == {"users", "groups", "departments"}
    for user in body["users"]:
        check_short_user(user)
    for item in body["groups"] + body["departments"]:
        assert set(item) == {"id", "name", "membersCount"} and is_int(item["id"])
    direct_users = [m["id"] for m in group["members"] if m["type"] == "user"]
    assert [u["id"] for u in body["users"]] == direct_users
    newcomer = next(u for u in visible(org) if u["id"] not in direct_users
                    and not u["isDismissed"])
    added = await client.post(url, json={"id": newcomer["id"]})
    assert added.json() == {"id": newcomer["id"], "type": "user", "added": True}
    assert last_event(org)["type"] == "ya360_b2bplatform_group_member_created"
    count = group["membersCount"]
    again = await client.post(url, json={"id": newcomer["id"], "type": "user"})
    assert again.status_code == 200 and group["membersCount"] == count  # idempotent
    check_error(await client.post(url, json={"id": "42"}), 404, 5)
    check_error(await client.post(url, json={"id": "1", "type": "robot"}), 400, 3)
    check_error(await client.post(url, json={"type": "user"}), 400, 3)
    removed = await client.delete(f"{url}/user/{newcomer['id']}")
    assert removed.json() == {"id": newcomer["id"], "type": "user", "deleted": True}
    assert last_event(org)["type"] == "ya360_b2bplatform_group_member_deleted"
    check_error(await client.delete(f"{url}/user/{newcomer['id']}"), 404, 5)
    consistent(org)


async def test_group_cycles_are_refused(consistent, client: httpx.AsyncClient, org: Org) -> None:
    url = base(org) + "/groups"
    outer = (await client.post(url, json={"name": "Outer"})).json()
    inner = (await client.post(url, json={"name": "Inner"})).json()
    await client.post(f"{url}/{outer['id']}/members", json={"id": inner["id"], "type": "group"})
    assert org.groups[inner["id"]]["memberOf"] == [outer["id"]]
    check_error(await client.post(f"{url}/{outer['id']}/members",
                                  json={"id": str(outer["id"]), "type": "group"}), 400, 3)
    check_error(await client.post(f"{url}/{inner['id']}/members",
                                  json={"id": str(outer["id"]), "type": "group"}), 400, 3)
    # Deleting the inner group takes it out of the outer one.
    await client.delete(f"{url}/{inner['id']}")
    assert org.groups[outer["id"]]["members"] == []
    consistent(org)


async def test_members_clear_and_replace(consistent, client: httpx.AsyncClient, org: Org) -> None:
    group = generic_group(org)
    url = f"{base(org)}/groups/{group['id']}/members"
    before = (await client.get(url)).json()
    cleared = await client.delete(url)
    assert cleared.json() == before
    assert group["members"] == [] and group["membersCount"] == 0
    user = employee(org)
    replaced = await client.put(url, json={"members": [{"type": "user", "id": user["id"]},
                                                       {"type": "department", "id": "1"}]})
    assert replaced.status_code == 200
    check_group(replaced.json())
    assert replaced.json()["membersCount"] == 2
    check_error(await client.put(url, json={"members": [{"type": "user", "id": "42"}]}),
                404, 5)
    assert group["membersCount"] == 2  # a failed PUT changes nothing
    consistent(org)


async def test_group_admins(client: httpx.AsyncClient, org: Org) -> None:
    group = generic_group(org)
    url = f"{base(org)}/groups/{group['id']}/admins"
    user = employee(org)
    put = (await client.put(url, json={"adminIds": [user["id"]]})).json()
    check_group(put)
    assert put["adminIds"] == [user["id"]]
    check_error(await client.put(url, json={"adminIds": ["42"]}), 404, 5)
    check_error(await client.put(url, json={"adminIds": "x"}), 400, 3)
    assert (await client.delete(url)).json()["adminIds"] == []


async def test_members_v2(consistent, client: httpx.AsyncClient, org: Org) -> None:
    group = generic_group(org)
    url = f"/directory/v2/org/{org.id}/groups/{group['id']}/members"
    body = (await client.get(url)).json()
    assert set(body) == {"users", "groups", "departments", "externalContacts",
                         "sharedMailboxes"}
    assert body["externalContacts"] == [] and body["sharedMailboxes"] == []
    users = [u for u in visible(org) if not u["isDismissed"]
             and {"type": "user", "id": u["id"]} not in group["members"]][:2]
    add = await client.patch(url + "/add", json={"userIds": [u["id"] for u in users],
                                                 "departmentIds": [1]})
    assert (add.status_code, add.json()) == (200, {})
    after = (await client.get(url)).json()
    assert {u["id"] for u in users} <= {u["id"] for u in after["users"]}
    assert 1 in {d["id"] for d in after["departments"]}
    check_error(await client.patch(url + "/add", json={"userIds": ["42"]}), 404, 5)
    delete = await client.patch(url + "/delete", json={"userIds": [users[0]["id"]],
                                                       "departmentIds": [1]})
    assert delete.json() == {}
    final = (await client.get(url)).json()
    assert users[0]["id"] not in {u["id"] for u in final["users"]}
    consistent(org)


async def test_list_pages_reflect_every_kind_of_write(client: httpx.AsyncClient,
                                                      org: Org) -> None:
    """The users page is served from cached encodings: each write must show in the next page."""
    url = base(org) + "/users"

    def listed(body: dict[str, Any], uid: str) -> dict[str, Any]:
        return next(u for u in body["users"] if u["id"] == uid)

    user = employee(org)
    first = (await client.get(url, params={"perPage": 1000})).json()
    assert listed(first, user["id"]) == user
    await client.patch(f"{url}/{user['id']}", json={"position": "Cached?"})
    after_patch = (await client.get(url, params={"perPage": 1000})).json()
    assert listed(after_patch, user["id"])["position"] == "Cached?"
    group = generic_group(org)
    await client.post(f"{base(org)}/groups/{group['id']}/members", json={"id": user["id"]})
    after_join = (await client.get(url, params={"perPage": 1000})).json()
    assert group["id"] in listed(after_join, user["id"])["groups"]
    assert after_join == {"users": list(visible(org)), "page": 1, "pages": 1,
                          "perPage": 1000, "total": len(visible(org))}


async def test_fixture_org_is_consistent(consistent, org: Org) -> None:
    consistent(org)


async def test_rename_moves_the_primary_address(client: httpx.AsyncClient, org: Org) -> None:
    user = employee(org)
    old_email = user["email"]
    renamed = (await client.patch(f"{base(org)}/users/{user['id']}",
                                  json={"nickname": "Renamed.One"})).json()
    assert renamed["nickname"] == "renamed.one"
    assert renamed["email"] == f"renamed.one@{org.domain}"
    main = [c for c in renamed["contacts"] if c["synthetic"] and c["main"]]
    assert [c["value"] for c in main] == [renamed["email"]]
    assert old_email not in {c["value"] for c in renamed["contacts"]}
    assert last_event(org)["meta"]["fields"] == ["nickname"]
    other = next(u for u in visible(org) if u["id"] != user["id"])
    check_error(await client.patch(f"{base(org)}/users/{user['id']}",
                                   json={"nickname": other["nickname"]}), 409, 6)


async def test_unexpected_failure_is_a_500_in_the_api_format(
        app, org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    from y360tui.emulator import directory_state

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(directory_state, "find_user", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://api360.yandex.net",
                                 headers={"Authorization": f"OAuth {org.admin_token}"}) as c:
        response = await c.get(f"{base(org)}/users/{employee(org)['id']}")
    check_error(response, 500, 13)
    assert response.headers["retry-after"] == "1"
