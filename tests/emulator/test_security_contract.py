"""Contract tests of the api360 security routes (reference §9): bodies, statuses, scopes,
validation errors, and the audit events the writes leave behind."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from y360tui.emulator.state import Org


def sec(org: Org, version: str = "v1") -> str:
    return f"/security/{version}/org/{org.id}"


def check_error(response: httpx.Response, status: int, code: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    assert response.headers["x-request-id"]
    return body


def last_event(org: Org) -> dict[str, Any]:
    return org.audit_events[0]["event"]


def employee(org: Org) -> dict[str, Any]:
    return next(u for uid, u in org.users.items()
                if uid not in org.hidden_users and not u["isAdmin"] and not u["isDismissed"])


async def test_domain_2fa_v1_cycle(client: httpx.AsyncClient, org: Org) -> None:
    url = sec(org) + "/domain_2fa"
    status = (await client.get(url)).json()
    assert set(status) == {"enabled", "duration", "enabledAt"}
    assert isinstance(status["enabled"], bool) and isinstance(status["duration"], int)
    on = await client.post(url, json={"duration": 86400, "logoutUsers": False,
                                      "validationMethod": "default"})
    assert on.status_code == 200
    body = on.json()
    assert body["enabled"] is True and body["duration"] == 86400 and body["enabledAt"]
    assert (await client.get(url)).json() == body
    assert last_event(org)["type"] == "ya360_b2bplatform_organization_updated"
    off = (await client.delete(url)).json()
    assert off["enabled"] is False and set(off) == {"enabled", "duration", "enabledAt"}


async def test_domain_2fa_v2(client: httpx.AsyncClient, org: Org) -> None:
    url = sec(org, "v2") + "/domain_2fa"
    assert set((await client.get(url)).json()) == {"enabled", "duration", "enabledAt", "scope"}
    check_error(await client.post(url, json={"scope": "per_domain"}), 400, 3)
    check_error(await client.post(url, json={"duration": "long"}), 400, 3)
    check_error(await client.post(url, json={"duration": -1}), 400, 3)
    on = (await client.post(url, json={"duration": 0, "logoutUsers": True,
                                       "validationMethod": "default",
                                       "scope": "per_domain"})).json()
    assert on["enabled"] is True and on["scope"] == "per_domain"
    # v1 and v2 read the same setting.
    assert (await client.get(sec(org) + "/domain_2fa")).json()["enabled"] is True
    assert (await client.delete(url)).json()["enabled"] is False


async def test_domain_sessions(client: httpx.AsyncClient, org: Org) -> None:
    url = sec(org) + "/domain_sessions"
    assert (await client.get(url)).json() == {"authTTL": org.domain_sessions["authTTL"]}
    assert (await client.post(url, json={"authTTL": 3600})).json() == {"authTTL": 3600}
    assert (await client.get(url)).json() == {"authTTL": 3600}
    for bad in ({}, {"authTTL": 0}, {"authTTL": "1h"}, {"authTTL": True}):
        check_error(await client.post(url, json=bad), 400, 3)
    assert org.domain_sessions["authTTL"] == 3600


async def test_logout_user(client: httpx.AsyncClient, org: Org) -> None:
    user = employee(org)
    response = await client.put(f"{sec(org)}/domain_sessions/users/{user['id']}/logout")
    assert (response.status_code, response.json()) == (200, {})
    event = last_event(org)
    assert event["type"] == "id_account.glogout" and event["uid"] == int(user["id"])
    assert event["meta"] == {"initiator_uid": org.admin_uid}
    check_error(await client.put(f"{sec(org)}/domain_sessions/users/42/logout"), 404, 5)


async def test_domain_passwords(client: httpx.AsyncClient, org: Org) -> None:
    url = sec(org) + "/domain_passwords"
    assert isinstance((await client.get(url)).json()["enabled"], bool)
    put = await client.put(url, json={"enabled": True, "unknown": 1})
    assert put.status_code == 200 and put.json()["enabled"] is True
    assert (await client.get(url)).json()["enabled"] is True
    check_error(await client.put(url, json={"enabled": "yes"}), 400, 3)
    check_error(await client.put(url, json={}), 400, 3)


async def test_service_applications(client: httpx.AsyncClient, org: Org) -> None:
    url = sec(org) + "/service_applications"
    listing = (await client.get(url)).json()
    assert set(listing) == {"applications"}
    apps = [{"id": "client-a", "scopes": ["mail:imap_full", "cloud_api:disk.read"]},
            {"id": "client-b", "scopes": []}]
    replaced = await client.post(url, json={"applications": apps})
    assert replaced.json() == {"applications": apps}
    assert (await client.get(url)).json() == {"applications": apps}
    one = [{"id": "client-c", "scopes": ["cloud_api:disk.read"]}]
    assert (await client.post(url, json={"applications": one})).json()["applications"] == one
    assert (await client.delete(url)).json() == {"applications": []}
    assert (await client.get(url)).json() == {"applications": []}
    assert last_event(org)["type"] == "ya360_b2bplatform_organization_updated"


@pytest.mark.parametrize("body", [
    {}, {"applications": "x"}, {"applications": [{"scopes": []}]},
    {"applications": [{"id": "a", "scopes": "mail"}]},
    {"applications": [{"id": "a"}, {"id": "a"}]},
    {"applications": [{"id": f"app{i}", "scopes": []} for i in range(21)]},
])
async def test_service_applications_validation(client: httpx.AsyncClient, org: Org,
                                               body: dict[str, Any]) -> None:
    before = list(org.service_apps)
    check_error(await client.post(sec(org) + "/service_applications", json=body), 400, 3)
    assert org.service_apps == before


async def test_service_applications_activate_deactivate(client: httpx.AsyncClient,
                                                        org: Org) -> None:
    url = sec(org) + "/service_applications"
    off = await client.post(url + "/deactivate", json={})
    assert (off.status_code, off.json()) == (200, {}) and org.service_apps_active is False
    on = await client.post(url + "/activate", json={})
    assert on.json() == {} and org.service_apps_active is True


async def test_security_scopes(client: httpx.AsyncClient, org: Org) -> None:
    org.tokens["sessions-ro"] = {"uid": org.admin_uid,
                                 "scopes": {"ya360_security:domain_sessions_read"}}
    headers = {"Authorization": "OAuth sessions-ro"}
    url = sec(org) + "/domain_sessions"
    assert (await client.get(url, headers=headers)).status_code == 200
    check_error(await client.post(url, json={"authTTL": 60}, headers=headers), 403, 7)
    check_error(await client.get(sec(org) + "/domain_2fa", headers=headers), 403, 7)
    check_error(await client.get(sec(org) + "/service_applications", headers=headers), 403, 7)
    uid = employee(org)["id"]
    check_error(await client.put(f"{url}/users/{uid}/logout", headers=headers), 403, 7)


async def test_unknown_org_is_404(client: httpx.AsyncClient, org: Org) -> None:
    check_error(await client.get("/security/v1/org/999/domain_sessions"), 404, 5)
