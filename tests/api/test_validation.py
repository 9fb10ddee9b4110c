"""Arguments are checked before anything is sent: a clear ValueError and no request."""

import json
from datetime import datetime, timezone

import httpx
import pytest

from .mock import make_client


def never(request):
    raise AssertionError(f"nothing should be sent, got {request.method} {request.url}")


CASES = [
    ("events include+exclude", lambda c: c.audit.events(
        "2026-01-02T00:00:00Z", include_uids=["1"], exclude_uids=["2"]), "together"),
    ("events count > 100", lambda c: c.audit.events("2026-01-02T00:00:00Z", count=101),
     "count"),
    ("events end before start", lambda c: c.audit.events(
        datetime(2026, 1, 1, tzinfo=timezone.utc), started_at="2026-02-01T00:00:00Z"),
     "before started_at"),
    ("events bad date", lambda c: c.audit.events("yesterday"), "ISO 8601"),
    ("mail page size", lambda c: c.audit.mail_log(0), "page_size"),
    ("mail include+exclude", lambda c: c.audit.mail_log(include_uids=["1"], exclude_uids=["2"]),
     "together"),
    ("mail uids as a string", lambda c: c.audit.mail_log(include_uids="123"), "list"),
    ("users per page", lambda c: c.directory.users(1001), "per_page"),
    ("departments order", lambda c: c.directory.departments(order_by="size"), "order_by"),
    ("tracker relative per page", lambda c: c.tracker.users_relative(101), "per_page"),
    ("disk limit", lambda c: c.disk.admin_public_resources("1", 0), "limit"),
    ("disk type", lambda c: c.disk.public_resources(type="link"), "file"),
]


@pytest.mark.parametrize(("name", "make", "message"), CASES, ids=[c[0] for c in CASES])
async def test_sync_argument_checks(name, make, message):
    async with make_client(never) as client:
        with pytest.raises(ValueError, match=message):
            make(client)


ASYNC_CASES = [
    ("auth type value", lambda c: c.directory.set_auth_type("1", "ldap"), "portal"),
    ("password with idp", lambda c: c.directory.set_auth_type("1", "idp", password="x"),
     "portal"),
    ("drop otp with portal", lambda c: c.directory.set_auth_type("1", "portal", drop_otp=True),
     "idp"),
    ("user id", lambda c: c.directory.get_user("ivan"), "numeric"),
    ("empty update", lambda c: c.directory.update_user("1"), "at least one"),
    ("birthday", lambda c: c.directory.update_user("1", birthday="1.2.1990"), "YYYY-MM-DD"),
    ("create without last name", lambda c: c.directory.create_user(
        "ann", {"first": "Ann"}, "pw", 1), "first and last"),
    ("contact type", lambda c: c.directory.set_contacts("1", [{"type": "fax", "value": "1"}]),
     "contact type"),
    ("root department", lambda c: c.directory.delete_department(1), "root"),
    ("member type", lambda c: c.directory.add_group_member(3, "1", "robot"), "member type"),
    ("v2 nothing", lambda c: c.directory.add_group_members_v2(3), "at least one"),
    ("v2 unknown key", lambda c: c.directory.add_group_members_v2(3, users=["1"]), "unknown"),
    ("group admins string", lambda c: c.directory.set_group_admins(3, "1"), "list"),
    ("session ttl", lambda c: c.security.set_session_ttl(0), "auth_ttl"),
    ("2fa duration", lambda c: c.security.enable_domain_2fa(-1), "duration"),
    ("too many apps", lambda c: c.security.set_service_applications(
        [{"id": str(i)} for i in range(21)]), "at most 20"),
    ("exchange both", lambda c: c.service_apps.exchange("a", "s", uid="1", email="a@b.c"),
     "together"),
    ("exchange neither", lambda c: c.service_apps.exchange("a", "s"), "exactly one"),
    ("tracker uid", lambda c: c.tracker.get_user(0), "uid"),
    ("department head on update", lambda c: c.directory.update_department(5, head_id="boss"),
     "head_id"),
]


@pytest.mark.parametrize(("name", "make", "message"), ASYNC_CASES, ids=[c[0] for c in ASYNC_CASES])
async def test_async_argument_checks(name, make, message):
    async with make_client(never) as client:
        with pytest.raises(ValueError, match=message):
            await make(client)


async def test_org_id_must_be_int():
    from y360tui.api import Y360Client

    with pytest.raises(ValueError, match="org_id"):
        Y360Client("t", "42")


async def test_alias_is_one_path_segment():
    # An alias with "/" or "?" must not change the path or start a query string.
    seen = []

    def answer(request):
        seen.append(request.url.raw_path)
        return httpx.Response(200, json={"alias": "a", "removed": True})

    async with make_client(answer) as client:
        await client.directory.remove_user_alias("1", "a/b?c")
        await client.directory.remove_department_alias(5, "x y")
    assert seen == [b"/directory/v1/org/42/users/1/aliases/a%2Fb%3Fc",
                    b"/directory/v1/org/42/departments/5/aliases/x%20y"]


async def test_department_head_can_be_cleared_with_an_empty_id():
    bodies = []

    def answer(request):
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"id": 5, "name": "Sales"})

    async with make_client(answer) as client:
        await client.directory.update_department(5, head_id="")
        await client.directory.update_department(5, head_id=1130000000000018)
    assert bodies == [{"headId": ""}, {"headId": "1130000000000018"}]
