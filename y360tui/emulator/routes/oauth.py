"""Service-application token exchange, POST oauth.yandex.ru/token (§12).

The body is form-encoded; it is parsed with ``urllib`` because Starlette's own form parser
needs the optional ``python-multipart`` package even for urlencoded bodies.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.routing import Route

from ..errors import ApiError
from ..state import Org, peek_user
from .common import JSON

TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
BY_UID = "urn:yandex:params:oauth:token-type:uid"
BY_EMAIL = "urn:yandex:params:oauth:token-type:email"
ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token"
LIFETIME = 3600
REQUIRED = ("grant_type", "client_id", "client_secret", "subject_token", "subject_token_type")


async def form(request: Request) -> dict[str, str]:
    """The urlencoded body as a flat dict (first value of each field)."""
    raw = (await request.body()).decode("utf-8", errors="replace")
    return {key: values[0] for key, values in parse_qs(raw, keep_blank_values=True).items()}


def app_scopes(org: Org, client_id: str, secret: str) -> list[str]:
    """Scopes of the service app; 401 on a bad client, 400 if the org has not registered it."""
    if org.service_app_secrets.get(client_id) != secret:
        raise ApiError(401, "client authentication failed", error="invalid_client")
    if not org.service_apps_active:
        raise ApiError(400, "service applications are disabled in the organization",
                       error="invalid_grant")
    app = next((a for a in org.service_apps if a.get("id") == client_id), None)
    if app is None:
        raise ApiError(400, "the application is not a service application of the organization",
                       error="invalid_grant")
    return list(app.get("scopes", []))


def subject(org: Org, token: str, token_type: str) -> str:
    """The uid of the active user named by ``token`` (a uid or an email); 400 if unknown."""
    if token_type == BY_UID:
        user: dict[str, Any] | None = peek_user(org.users, token)
    elif token_type == BY_EMAIL:
        wanted = token.strip().lower()
        user = next((u for u in org.users.values() if u.get("email", "").lower() == wanted),
                    None)
    else:
        raise ApiError(400, f"unsupported subject_token_type: {token_type}",
                       error="invalid_request")
    if user is None or user["id"] in org.hidden_users or user.get("isDismissed"):
        raise ApiError(400, "subject_token does not name a user of the organization",
                       error="invalid_grant")
    return user["id"]


async def token(request: Request) -> JSON:
    """Exchange service-app credentials for a one-hour token acting as one org user."""
    org: Org = request.app.state.org
    fields = await form(request)
    missing = [name for name in REQUIRED if not fields.get(name)]
    if missing:
        raise ApiError(400, f"missing form field(s): {', '.join(missing)}",
                       error="invalid_request")
    if fields["grant_type"] != TOKEN_EXCHANGE:
        raise ApiError(400, f"unsupported grant_type: {fields['grant_type']}",
                       error="unsupported_grant_type")
    scopes = app_scopes(org, fields["client_id"], fields["client_secret"])
    uid = subject(org, fields["subject_token"], fields["subject_token_type"])
    access_token = "y0_" + secrets.token_urlsafe(32)
    with org.lock:
        org.tokens[access_token] = {"uid": uid, "scopes": set(scopes)}
    return JSON({"access_token": access_token, "expires_in": LIFETIME,
                 "issued_token_type": ACCESS_TOKEN, "scope": " ".join(scopes),
                 "token_type": "bearer"})


routes = [Route("/token", token, methods=["POST"]), Route("/token/", token, methods=["POST"])]
