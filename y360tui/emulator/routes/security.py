"""api360 security settings (§9): domain 2FA, session lifetime and sign-out, password policy,
and the service-application registry."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from .. import events
from ..directory_state import find_user, stamp
from ..errors import ApiError
from ..state import Org
from .common import (
    JSON,
    caller,
    json_body,
    opt_bool,
    opt_int,
    opt_list,
    opt_str,
    org_of,
    require_scope,
)

V1 = "/security/v1/org/{org_id}"
V2 = "/security/v2/org/{org_id}"

TWO_FA = ("ya360_security:domain_2fa_write",)
SESSIONS_READ = ("ya360_security:domain_sessions_read", "ya360_security:domain_sessions_write")
SESSIONS_WRITE = ("ya360_security:domain_sessions_write",)
PASSWORDS_READ = ("ya360_security:domain_passwords_read", "ya360_security:domain_passwords_write")
PASSWORDS_WRITE = ("ya360_security:domain_passwords_write",)
APPS_READ = ("ya360_security:service_applications_read",
             "ya360_security:service_applications_write")
APPS_WRITE = ("ya360_security:service_applications_write",)
MAX_APPS = 20  # the registry holds at most 20 applications per org (§9.5)


def _org(request: Request, scopes: tuple[str, ...]) -> Org:
    org = org_of(request)
    require_scope(request, *scopes)
    return org


def _log(request: Request, org: Org, kind: str, **meta: Any) -> None:
    events.record(org, kind, uid=caller(request)["uid"], meta=meta)


# ---------------------------------------------------------------- mandatory 2FA (§9.1)


def _two_fa_status(org: Org, v2: bool) -> dict[str, Any]:
    state = org.domain_2fa
    status = {"enabled": bool(state.get("enabled")), "duration": int(state.get("duration", 0)),
              "enabledAt": state.get("enabledAt") or ""}
    if v2:
        status["scope"] = state.get("scope") or "per_domain"
    return status


async def get_domain_2fa(request: Request) -> JSON:
    """GET domain_2fa (v1 and v2; v2 adds ``scope``)."""
    org = _org(request, TWO_FA)
    return JSON(_two_fa_status(org, request.url.path.startswith("/security/v2")))


async def enable_domain_2fa(request: Request) -> JSON:
    """POST domain_2fa: mandatory 2FA on, with a grace ``duration`` in seconds."""
    org = _org(request, TWO_FA)
    v2 = request.url.path.startswith("/security/v2")
    body = await json_body(request)
    duration = opt_int(body, "duration")
    if duration is None and v2:
        raise ApiError(400, "field duration is required", field="duration")
    if duration is not None and duration < 0:
        raise ApiError(400, "duration must be >= 0", field="duration")
    logout = opt_bool(body, "logoutUsers") or False
    method = opt_str(body, "validationMethod") or "default"
    scope = opt_str(body, "scope") or "per_domain"
    with org.lock:
        org.domain_2fa.update({"enabled": True, "duration": duration or 0,
                               "enabledAt": stamp(), "validationMethod": method,
                               "scope": scope})
    _log(request, org, "ya360_b2bplatform_organization_updated", setting="domain_2fa",
         enabled=True, duration=duration or 0, logout_users=logout)
    return JSON(_two_fa_status(org, v2))


async def disable_domain_2fa(request: Request) -> JSON:
    """DELETE domain_2fa: mandatory 2FA off."""
    org = _org(request, TWO_FA)
    with org.lock:
        org.domain_2fa["enabled"] = False
    _log(request, org, "ya360_b2bplatform_organization_updated", setting="domain_2fa",
         enabled=False)
    return JSON(_two_fa_status(org, request.url.path.startswith("/security/v2")))


# ---------------------------------------------------------------- sessions (§9.2, §9.3)


async def get_sessions(request: Request) -> JSON:
    """GET domain_sessions: ``{"authTTL"}``."""
    org = _org(request, SESSIONS_READ)
    return JSON({"authTTL": org.domain_sessions["authTTL"]})


async def set_sessions(request: Request) -> JSON:
    """POST domain_sessions: a new cookie session lifetime in seconds (> 0)."""
    org = _org(request, SESSIONS_WRITE)
    ttl = opt_int(await json_body(request), "authTTL")
    if ttl is None or ttl <= 0:
        raise ApiError(400, "authTTL must be a positive number of seconds", field="authTTL")
    with org.lock:
        org.domain_sessions["authTTL"] = ttl
    _log(request, org, "ya360_b2bplatform_organization_updated", setting="domain_sessions",
         auth_ttl=ttl)
    return JSON({"authTTL": ttl})


async def logout_user(request: Request) -> JSON:
    """PUT …/domain_sessions/users/{userId}/logout: ``{}``; 404 for an unknown user.

    The ``id_account.glogout`` event belongs to the signed-out account (that is whose
    sign-in history shows it), so its ``uid`` is the user's; the admin is in ``meta``.
    """
    org = _org(request, SESSIONS_WRITE)
    uid = request.path_params["user_id"]
    find_user(org, uid, writable=True)
    events.record(org, "id_account.glogout", uid=uid, service="ID",
                  meta={"initiator_uid": caller(request)["uid"]})
    return JSON({})


# ---------------------------------------------------------------- password policy (§9.4)


async def get_passwords(request: Request) -> JSON:
    """GET domain_passwords."""
    org = _org(request, PASSWORDS_READ)
    return JSON(dict(org.domain_passwords))


async def set_passwords(request: Request) -> JSON:
    """PUT domain_passwords: only ``enabled`` is a known setting; other keys are ignored."""
    org = _org(request, PASSWORDS_WRITE)
    enabled = opt_bool(await json_body(request), "enabled")
    if enabled is None:
        raise ApiError(400, "field enabled is required", field="enabled")
    with org.lock:
        org.domain_passwords["enabled"] = enabled
    _log(request, org, "ya360_b2bplatform_organization_updated", setting="domain_passwords",
         enabled=enabled)
    return JSON(dict(org.domain_passwords))


# ---------------------------------------------------------------- service applications (§9.5)


def _applications(raw: list[Any]) -> list[dict[str, Any]]:
    if len(raw) > MAX_APPS:
        raise ApiError(400, f"at most {MAX_APPS} service applications", field="applications")
    apps: list[dict[str, Any]] = []
    for i, item in enumerate(raw):
        field = f"applications[{i}]"
        if not isinstance(item, dict):
            raise ApiError(400, f"{field} must be an object", field=field)
        client_id = item.get("id")
        if not isinstance(client_id, str) or not client_id.strip():
            raise ApiError(400, f"{field}.id must be a ClientID string", field=f"{field}.id")
        scopes = item.get("scopes", [])
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise ApiError(400, f"{field}.scopes must be an array of strings",
                           field=f"{field}.scopes")
        if any(app["id"] == client_id for app in apps):
            raise ApiError(400, f"{field}.id {client_id!r} is listed twice", field=f"{field}.id")
        apps.append({"id": client_id, "scopes": list(dict.fromkeys(scopes))})
    return apps


async def get_apps(request: Request) -> JSON:
    """GET service_applications."""
    org = _org(request, APPS_READ)
    return JSON({"applications": org.service_apps})


async def set_apps(request: Request) -> JSON:
    """POST service_applications: replaces the whole list."""
    org = _org(request, APPS_WRITE)
    raw = opt_list(await json_body(request), "applications")
    if raw is None:
        raise ApiError(400, "field applications is required", field="applications")
    apps = _applications(raw)
    with org.lock:
        org.service_apps = apps
    _log(request, org, "ya360_b2bplatform_organization_updated",
         setting="service_applications", applications=[a["id"] for a in apps])
    return JSON({"applications": apps})


async def delete_apps(request: Request) -> JSON:
    """DELETE service_applications: the registry is emptied."""
    org = _org(request, APPS_WRITE)
    with org.lock:
        org.service_apps = []
    _log(request, org, "ya360_b2bplatform_organization_updated",
         setting="service_applications", applications=[])
    return JSON({"applications": []})


async def activate_apps(request: Request) -> JSON:
    """POST service_applications/activate: ``{}``."""
    return await _set_active(request, True)


async def deactivate_apps(request: Request) -> JSON:
    """POST service_applications/deactivate: ``{}``."""
    return await _set_active(request, False)


async def _set_active(request: Request, active: bool) -> JSON:
    org = _org(request, APPS_WRITE)
    await json_body(request)  # a malformed body is still a 400
    with org.lock:
        org.service_apps_active = active
    _log(request, org, "ya360_b2bplatform_organization_updated",
         setting="service_applications", active=active)
    return JSON({})


APPS = V1 + "/service_applications"

routes = [
    *(Route(base + "/domain_2fa", get_domain_2fa, methods=["GET"]) for base in (V1, V2)),
    *(Route(base + "/domain_2fa", enable_domain_2fa, methods=["POST"]) for base in (V1, V2)),
    *(Route(base + "/domain_2fa", disable_domain_2fa, methods=["DELETE"]) for base in (V1, V2)),
    Route(V1 + "/domain_sessions", get_sessions, methods=["GET"]),
    Route(V1 + "/domain_sessions", set_sessions, methods=["POST"]),
    Route(V1 + "/domain_sessions/users/{user_id}/logout", logout_user, methods=["PUT"]),
    Route(V1 + "/domain_passwords", get_passwords, methods=["GET"]),
    Route(V1 + "/domain_passwords", set_passwords, methods=["PUT"]),
    Route(APPS, get_apps, methods=["GET"]),
    Route(APPS, set_apps, methods=["POST"]),
    Route(APPS, delete_apps, methods=["DELETE"]),
    Route(APPS + "/activate", activate_apps, methods=["POST"]),
    Route(APPS + "/deactivate", deactivate_apps, methods=["POST"]),
]
