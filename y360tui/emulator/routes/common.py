"""Helpers shared by the route modules: the org, the caller, query parsing, JSON replies."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..errors import ApiError
from ..state import Org


class JSON(Response):
    """Compact UTF-8 JSON, as the real services send it."""

    media_type = "application/json; charset=utf-8"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


def org_of(request: Request, org_param: str = "org_id") -> Org:
    """The org, after checking the path's org id (404 in the family's format if unknown)."""
    org: Org = request.app.state.org
    raw = request.path_params.get(org_param)
    if raw is not None and str(raw) != str(org.id):
        raise ApiError(404, f"organization {raw} not found")
    return org


def caller(request: Request) -> dict[str, Any]:
    """The token record of the caller: ``{"uid", "scopes"}`` (set by the auth middleware)."""
    return request.scope["state"]["auth"]


def require_scope(request: Request, *scopes: str) -> None:
    """403 unless the caller's token carries one of ``scopes`` (None = all scopes)."""
    granted = caller(request).get("scopes")
    if granted is not None and not granted.intersection(scopes):
        raise ApiError(403, f"access denied: token lacks scope {' or '.join(scopes)}")


def int_param(request: Request, name: str, default: int, *, lo: int = 1,
              hi: int | None = None, clamp: bool = False) -> int:
    """An integer query parameter; 400 if not a number or below ``lo``; clamp or 400 above."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"invalid value for {name}: {raw!r}", field=name) from None
    if value < lo:
        raise ApiError(400, f"{name} must be >= {lo}", field=name)
    if hi is not None and value > hi:
        if clamp:
            return hi
        raise ApiError(400, f"{name} must be <= {hi}", field=name)
    return value


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object body; 400 if it is not JSON or not an object."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(400, "request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "request body must be a JSON object")
    return body
