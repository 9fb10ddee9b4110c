"""Yandex Tracker (§13): myself, users (paged and ``_relative``), one user, groups.

Served under both ``/v2`` (``yandex_tracker_client``'s default) and ``/v3``, with and without a
trailing slash. Users are stored without ``self``; it is added per request from the request's
own base URL, so a client that follows ``self`` comes back to this emulator.
"""

from __future__ import annotations

import bisect
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.routing import Route

from ..errors import ApiError
from ..state import Org
from .common import JSON, caller, int_param, require_scope

VERSIONS = ("v2", "v3")
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
RELATIVE_MAX = 100
# Tracker refuses page/perPage access beyond this many records (use _relative instead).
PAGING_LIMIT = 10_000
PLACEHOLDER = "not provided"  # what yandex_tracker_client sends when it has no X-Org-Id


def tracker_org(request: Request) -> Org:
    """The org named by ``X-Cloud-Org-ID`` (preferred) or ``X-Org-ID``; checks the read scope."""
    org: Org = request.app.state.org
    cloud = request.headers.get("x-cloud-org-id", "").strip()
    plain = request.headers.get("x-org-id", "").strip()
    named = next((v for v in (cloud, plain) if v and v.lower() != PLACEHOLDER), None)
    if named is None:
        raise ApiError(400, "organization is not specified: send X-Org-ID or X-Cloud-Org-ID",
                       field="X-Org-ID")
    if named != str(org.id):
        raise ApiError(403, f"no access to organization {named}", field="X-Org-ID")
    require_scope(request, "tracker:read", "tracker:write")
    return org


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def with_self(request: Request, user: dict[str, Any]) -> dict[str, Any]:
    """The wire form of a stored user: ``self`` added, ``groups`` only with ``expand=groups``."""
    root = base_url(request)
    body = {"self": f"{root}/v3/users/{user['uid']}"}
    body.update((k, v) for k, v in user.items() if k != "groups")
    if "groups" in request.query_params.get("expand", "").split(","):
        body["groups"] = [{"self": f"{root}/v3/groups/{g['id']}", **g}
                          for g in user.get("groups", [])]
    return body


def group_body(request: Request, group: dict[str, Any]) -> dict[str, Any]:
    return {"self": f"{base_url(request)}/v3/groups/{group['id']}", **group}


async def myself(request: Request) -> JSON:
    """GET /v3/myself: the Tracker user behind the token (401 if it has no Tracker account)."""
    org = tracker_org(request)
    uid = str(caller(request)["uid"])
    for user in org.tracker_users:
        if str(user.get("passportUid")) == uid:
            return JSON(with_self(request, user))
    raise ApiError(401, "the token's user has no access to Tracker")


def link_header(request: Request, page: int, per_page: int, has_next: bool) -> str:
    """``Link`` with ``rel="next"`` (only while more pages exist) and the ``{&page}`` seek form."""
    url = f"{base_url(request)}{request.url.path}"
    links = []
    if has_next:
        links.append(f'<{url}?{urlencode({"page": page + 1, "perPage": per_page})}>; rel="next"')
    links.append(f'<{url}?{urlencode({"perPage": per_page})}{{&page}}>; rel="seek"')
    return ", ".join(links)


async def users(request: Request) -> JSON:
    """GET /v3/users: a JSON array page with X-Total-Count, X-Total-Pages and Link headers."""
    org = tracker_org(request)
    page = int_param(request, "page", 1)
    per_page = int_param(request, "perPage", DEFAULT_PER_PAGE, hi=MAX_PER_PAGE, clamp=True)
    everyone = org.tracker_users
    start = (page - 1) * per_page
    if start >= PAGING_LIMIT:
        raise ApiError(400, f"cannot page past {PAGING_LIMIT} records; use users/_relative",
                       field="page")
    reachable = min(len(everyone), PAGING_LIMIT)
    stop = min(start + per_page, reachable)
    pages = -(-reachable // per_page)
    body = [with_self(request, u) for u in everyone[start:stop]]
    headers = {"X-Total-Count": str(len(everyone)), "X-Total-Pages": str(pages),
               "Link": link_header(request, page, per_page, page < pages)}
    return JSON(body, headers=headers)


async def relative(request: Request) -> JSON:
    """GET /v3/users/_relative: users after uid ``id`` (exclusive), ``hasNext`` exact."""
    org = tracker_org(request)
    per_page = int_param(request, "perPage", DEFAULT_PER_PAGE, hi=RELATIVE_MAX, clamp=True)
    everyone = org.tracker_users
    start = 0
    raw = request.query_params.get("id", "")
    if raw:
        if not raw.isdigit():
            raise ApiError(400, f"invalid id: {raw!r}", field="id")
        start = bisect.bisect_right(everyone, int(raw), key=lambda u: int(u["uid"]))
    chunk = everyone[start:start + per_page]
    return JSON({"users": [with_self(request, u) for u in chunk],
                 "hasNext": start + per_page < len(everyone)})


def find_user(org: Org, key: str) -> dict[str, Any] | None:
    """A user by uid (digits), by ``login:<login>`` or by login."""
    if key.startswith("login:"):
        login = key[len("login:"):]
        return next((u for u in org.tracker_users if u.get("login") == login), None)
    if key.isdigit():
        everyone = org.tracker_users
        index = bisect.bisect_left(everyone, int(key), key=lambda u: int(u["uid"]))
        if index < len(everyone) and int(everyone[index]["uid"]) == int(key):
            return everyone[index]
        return None
    return next((u for u in org.tracker_users if u.get("login") == key), None)


async def one_user(request: Request) -> JSON:
    """GET /v3/users/{key}: one user by uid or login (``login:12345`` for digit-only logins)."""
    org = tracker_org(request)
    key = request.path_params["key"]
    user = find_user(org, key)
    if user is None:
        raise ApiError(404, f"user {key} not found", field="user")
    return JSON(with_self(request, user))


async def groups(request: Request) -> JSON:
    """GET /v3/groups: every group (the list is not paged)."""
    org = tracker_org(request)
    return JSON([group_body(request, g) for g in org.tracker_groups])


async def one_group(request: Request) -> JSON:
    """GET /v3/groups/{id}: one group (what a client's lazy ``self`` reference resolves to)."""
    org = tracker_org(request)
    key = request.path_params["key"]
    group = next((g for g in org.tracker_groups if str(g.get("id")) == key), None)
    if group is None:
        raise ApiError(404, f"group {key} not found", field="group")
    return JSON(group_body(request, group))


def _routes() -> list[Route]:
    # _relative is declared before {key} so it is not taken for a login.
    table = [("/myself", myself), ("/users", users), ("/users/_relative", relative),
             ("/users/{key}", one_user), ("/groups", groups), ("/groups/{key}", one_group)]
    return [Route(f"/{version}{path}{slash}", handler, methods=["GET"])
            for version in VERSIONS for path, handler in table for slash in ("", "/")]


routes = _routes()
