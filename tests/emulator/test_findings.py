"""Every kind of finding an admin report looks for is in the generated org (issue 11), read
through the routes where the kind is a route's answer, and the org does not depend on the
order its lazily built parts are read in."""

from __future__ import annotations

import functools
from datetime import datetime, timezone

import httpx
import pytest
from test_generate import dump

from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.state import LazyUsers

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


@functools.cache
def make(users: int):
    return generate_org(users, seed=42, now=NOW)


@pytest.fixture(params=[200, 2000])
def org(request):
    return make(request.param)


def test_users_without_personal_2fa_admins_and_robots(org):
    assert sum(not s["has2fa"] for s in org.two_fa.values()) >= 0.3 * len(org.users)
    assert sum(u["isAdmin"] for u in org.users.values()) >= 2
    assert any(u["isRobot"] for u in org.users.values())


def test_inconsistent_users_dismissed_yet_enabled(org):
    odd = [u for u in org.users.values() if u["isDismissed"] and u["isEnabled"]]
    assert 2 <= len(odd) <= max(2, 0.003 * len(org.users))
    grouped = {m["id"] for g in org.groups.values() for m in g["members"]}
    assert not {u["id"] for u in odd} & grouped  # still dismissed for every other rule


def test_users_in_no_department(org):
    rootless = [u for u in org.users.values()
                if u["departmentId"] == 1 and not u["isDismissed"] and not u["isAdmin"]]
    assert len(rootless) >= 3


def test_departments_without_head(org):
    heads = [bool(d["headId"]) for d in org.departments.values()]
    assert heads.count(False) >= 2 and heads.count(True) >= 0.5 * len(heads)


def test_generic_groups_without_members(org):
    empty = [g for g in org.groups.values() if g["type"] == "generic" and not g["members"]]
    assert 2 <= len(empty) <= max(2, 0.05 * (len(org.groups) - 3))
    assert all(g["membersCount"] == 0 for g in empty)


def test_public_links_without_expiry_and_open_to_anyone(org):
    published = [r for records in org.disk.values() for r in records if r["public_key"]]
    forever = [r for r in published if r["public_settings"]["available_until"] is None]
    anyone = [r for r in forever if any(a.get("macros") == ["all"]
                                        for a in r["public_settings"]["accesses"])]
    assert forever and anyone
    assert any(r["public_settings"]["available_until"] is not None for r in published) \
        or len(published) < 10


def test_service_applications_with_scopes(org):
    assert org.service_apps and all(app["scopes"] for app in org.service_apps)


@pytest.mark.parametrize("users", [200, 2000])
async def test_org_security_settings_served(users):
    org = make(users)
    headers = {"Authorization": f"OAuth {org.extra_tokens['readonly']}"}
    transport = httpx.ASGITransport(app=create_app(org))
    async with httpx.AsyncClient(transport=transport, base_url="http://api360.test",
                                 headers=headers) as client:
        base = f"/security/v1/org/{org.id}"
        sessions = (await client.get(f"{base}/domain_sessions")).json()
        passwords = (await client.get(f"{base}/domain_passwords")).json()
        admin = {"Authorization": f"OAuth {org.admin_token}"}
        v1 = (await client.get(f"{base}/domain_2fa", headers=admin)).json()
        v2 = (await client.get(f"/security/v2/org/{org.id}/domain_2fa", headers=admin)).json()
    assert sessions == {"authTTL": 30 * 86400}
    assert passwords == {"enabled": False}
    assert v1 == {"enabled": False, "duration": 0, "enabledAt": ""}
    assert v2 == {**v1, "scope": "per_domain"}


def test_parts_are_built_on_first_read():
    org = generate_org(3000, seed=5, now=NOW)
    assert isinstance(org.users, LazyUsers)
    assert {"disk", "two_fa", "audit_events", "tracker_users"} <= set(org.lazy)
    assert "disk" not in vars(org)
    assert org.disk is org.disk and "disk" not in org.lazy
    assert org.users.pinned_count() == 0
    last = list(org.users)[-1]
    org.users.peek(last)  # read: built (with its chunk), not kept
    assert org.users.pinned_count() == 0
    org.users[last]  # taken for writing: pinned, its chunk's other records are not
    assert org.users.pinned_count() == 1


def test_access_order_does_not_change_the_org():
    """Parts read in the reverse order (users from the last chunk back) give the same org."""
    ordered = generate_org(2500, seed=9, now=NOW)
    reverse = generate_org(2500, seed=9, now=NOW)
    for name in ("audit_events", "disk_events", "mail_events", "tracker_users", "disk",
                 "two_fa"):
        getattr(reverse, name)
    for uid in reversed(list(reverse.users)):
        reverse.users[uid]
    assert dump(ordered) == dump(reverse)
    assert dump(ordered) == dump(generate_org(2500, seed=9, now=NOW, eager=True))
