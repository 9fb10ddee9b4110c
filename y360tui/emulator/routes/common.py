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
    except (ValueError, RecursionError):  # 100,000 "[" exhaust the parser's recursion
        raise ApiError(400, "request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "request body must be a JSON object")
    return body


def paging(request: Request, *, max_per_page: int = 1000) -> tuple[int, int]:
    """``page`` (default 1) and ``perPage`` (default 10, clamped to ``max_per_page``), §4 (a)."""
    page = int_param(request, "page", 1)
    per_page = int_param(request, "perPage", 10, hi=max_per_page, clamp=True)
    return page, per_page


def page_body(key: str, items: list[Any], page: int, per_page: int) -> dict[str, Any]:
    """A page/perPage reply: the slice for ``page`` plus the totals (``pages`` 0 when empty)."""
    total = len(items)
    start = (page - 1) * per_page
    return {key: items[start:start + per_page], "page": page,
            "pages": -(-total // per_page), "perPage": per_page, "total": total}


def _bad(name: str, expected: str) -> ApiError:
    return ApiError(400, f"field {name} must be {expected}", field=name)


def opt_str(body: dict[str, Any], name: str) -> str | None:
    """A string body field, None when absent; 400 when present with another type."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise _bad(name, "a string")
    return value


def req_str(body: dict[str, Any], name: str) -> str:
    """A required, non-blank string body field (400 otherwise)."""
    value = opt_str(body, name)
    if value is None or not value.strip():
        raise ApiError(400, f"field {name} is required", field=name)
    return value


def opt_bool(body: dict[str, Any], name: str) -> bool | None:
    """A boolean body field, None when absent; 400 when present with another type."""
    value = body.get(name)
    if value is not None and not isinstance(value, bool):
        raise _bad(name, "a boolean")
    return value


def opt_int(body: dict[str, Any], name: str) -> int | None:
    """An integer body field (a JSON number, not a bool), None when absent."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(name, "an integer")
    return value


def opt_list(body: dict[str, Any], name: str) -> list[Any] | None:
    """A list body field, None when absent; 400 when present with another type."""
    value = body.get(name)
    if value is not None and not isinstance(value, list):
        raise _bad(name, "an array")
    return value


def id_str(value: Any, name: str) -> str:
    """A user/member id given as a string or a number, normalised to the wire's string form."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) == "":
        raise _bad(name, "an id (string or number)")
    return str(value)
