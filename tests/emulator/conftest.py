"""Fixtures for the emulator's contract tests: an org, its ASGI app and a client on it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.state import Org

TOKEN = "admin-token"
ADMIN = "1130000000000001"
DOMAIN = "contract.example"


def _user(n: int, nickname: str, dep: int, *, admin: bool = False) -> dict[str, Any]:
    uid = str(1130000000000000 + n)
    email = f"{nickname}@{DOMAIN}"
    return {
        "id": uid, "nickname": nickname, "departmentId": dep, "email": email,
        "name": {"first": nickname.title(), "last": "Testov", "middle": ""}, "gender": "male",
        "position": "Engineer", "avatarId": "", "about": "", "birthday": "1990-01-02",
        "contacts": [{"type": "email", "value": email, "main": True, "alias": False,
                      "synthetic": True, "label": ""}],
        "aliases": [], "groups": [], "externalId": "", "isAdmin": admin, "isRobot": False,
        "isDismissed": False, "isEnabled": True, "isEnabledUpdatedAt": "2024-01-01T00:00:00Z",
        "timezone": "Europe/Moscow", "language": "ru", "createdAt": "2024-01-01T00:00:00Z",
        "updatedAt": "2024-01-01T00:00:00Z", "displayName": "",
    }


def _department(did: int, name: str, parent: int, label: str = "") -> dict[str, Any]:
    return {"id": did, "name": name, "parentId": parent, "description": "", "externalId": "",
            "label": label, "email": f"{label}@{DOMAIN}" if label else "", "headId": "",
            "membersCount": 0, "aliases": [], "createdAt": "2024-01-01T00:00:00Z"}


def _group(gid: int, name: str, kind: str = "generic", label: str = "") -> dict[str, Any]:
    return {"id": gid, "name": name, "type": kind, "description": "", "membersCount": 0,
            "label": label, "email": f"{label}@{DOMAIN}" if label else "", "aliases": [],
            "externalId": "", "removed": False, "members": [], "memberOf": [], "adminIds": [],
            "authorId": ADMIN, "createdAt": "2024-01-01T00:00:00Z"}


def _join(org: Org, gid: int, kind: str, mid: str) -> None:
    group = org.groups[gid]
    group["members"].append({"type": kind, "id": mid})
    group["membersCount"] += 1
    if kind == "user":
        org.users[mid]["groups"].append(gid)
    elif kind == "group":
        org.groups[int(mid)]["memberOf"].append(gid)


def build_org() -> Org:
    """A small hand-made org: a 3-level department tree, system and nested generic groups."""
    org = Org(id=4242, name="Contract Org", domain=DOMAIN, admin_token=TOKEN, admin_uid=ADMIN,
              now="2025-01-01T00:00:00+00:00",
              tokens={TOKEN: {"uid": ADMIN, "scopes": None}})
    for dep in (_department(1, "All employees", 0), _department(2, "Sales", 1, "sales"),
                _department(3, "Sales East", 2), _department(4, "Empty", 1)):
        org.departments[dep["id"]] = dep
    people = [("admin", 1), ("anna", 2), ("boris", 3), ("clara", 3), ("dmitry", 1)]
    for n, (nick, dep) in enumerate(people, start=1):
        user = _user(n, nick, dep, admin=nick == "admin")
        org.users[user["id"]] = user
        org.auth_types[user["id"]] = "portal"
        org.two_fa[user["id"]] = {"has2fa": n % 2 == 0, "hasSecurityPhone": n == 2}
    for gid, name, kind, label in ((1, "Admins", "organization_admin", ""),
                                   (2, "Team", "generic", "team"),
                                   (3, "Everyone", "generic", "")):
        org.groups[gid] = _group(gid, name, kind, label)
    _join(org, 1, "user", ADMIN)
    _join(org, 2, "user", "1130000000000002")
    _join(org, 2, "department", "3")
    _join(org, 3, "group", "2")
    _join(org, 3, "user", "1130000000000005")
    for did, count in recount_departments(org).items():
        org.departments[did]["membersCount"] = count
    return org


def recount_departments(org: Org) -> dict[int, int]:
    """Department membersCount recomputed from scratch: employees (not dismissed) of the
    department and its subtree."""
    counts: Counter[int] = Counter()
    for uid, user in org.users.items():
        if uid in org.hidden_users or user["isDismissed"]:
            continue
        did = user["departmentId"]
        while did in org.departments:
            counts[did] += 1
            did = org.departments[did]["parentId"]
    return {did: counts[did] for did in org.departments}


def assert_consistent(org: Org) -> None:
    """Every cross-reference of the directory agrees with the others."""
    for gid, group in org.groups.items():
        assert group["membersCount"] == len(group["members"]), gid
        for member in group["members"]:
            if member["type"] == "user":
                assert gid in org.users[member["id"]]["groups"], (gid, member)
            elif member["type"] == "group":
                assert gid in org.groups[int(member["id"])]["memberOf"], (gid, member)
            else:
                assert int(member["id"]) in org.departments
        for parent in group["memberOf"]:
            assert {"type": "group", "id": str(gid)} in org.groups[parent]["members"]
    for uid, user in org.users.items():
        for gid in user["groups"]:
            assert {"type": "user", "id": uid} in org.groups[gid]["members"], (uid, gid)
    expected = recount_departments(org)
    assert {d: dep["membersCount"] for d, dep in org.departments.items()} == expected


@pytest.fixture
def consistent():
    """``assert_consistent`` for test modules (conftest is not importable by name)."""
    return assert_consistent


NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["generated", "hand-built"])
def org(request: pytest.FixtureRequest) -> Org:
    """Each contract test runs on a generated org (realistic data: nested groups, dismissed
    users, robots, system groups) and on the tiny hand-built one (every id known)."""
    if request.param == "generated":
        return generate_org(users=60, seed=1, now=NOW)
    return build_org()


@pytest.fixture
def app(org: Org):
    return create_app(org)


@pytest.fixture
async def client(app, org: Org):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://api360.yandex.net",
        headers={"Authorization": f"OAuth {org.admin_token}"},
    ) as c:
        yield c
