"""The demo-organisation generator: determinism and the invariants the routes rely on."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from y360tui.emulator.generate import generate_org

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


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


@pytest.mark.parametrize("users", [1, 10, 300])
def test_small_orgs_generate(users):
    org = generate_org(users, seed=1, now=NOW)
    assert len(org.users) == users
    assert org.admin_uid in org.users
    assert org.users[org.admin_uid]["isAdmin"] is True
    assert org.tokens[org.admin_token] == {"uid": org.admin_uid, "scopes": None}


def test_same_seed_same_org_and_other_seed_differs():
    a = dump(generate_org(200, seed=7, now=NOW))
    assert a == dump(generate_org(200, seed=7, now=NOW))
    assert a != dump(generate_org(200, seed=8, now=NOW))
