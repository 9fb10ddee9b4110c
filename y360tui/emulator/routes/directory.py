"""api360 Directory: organisations (§5), users (§6), departments (§7), groups (§8).

Handlers are thin: parse the request, check the scope, call ``directory_state`` (which
validates, applies under the org lock and logs audit events) and encode the reply.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import directory_state as ds
from ..errors import ApiError
from .common import (
    JSON,
    caller,
    id_str,
    int_param,
    json_body,
    opt_str,
    org_of,
    page_body,
    paging,
    require_scope,
)

ORG = "/directory/v1/org/{org_id}"
ORG_V2 = "/directory/v2/org/{org_id}"

READ_USERS = ("directory:read_users", "directory:write_users")
WRITE_USERS = ("directory:write_users",)
READ_DEPS = ("directory:read_departments", "directory:write_departments")
WRITE_DEPS = ("directory:write_departments",)
READ_GROUPS = ("directory:read_groups", "directory:write_groups")
WRITE_GROUPS = ("directory:write_groups",)
READ_ORG = ("directory:read_organization", "directory:write_organization")


def _uid(request: Request) -> str:
    return caller(request)["uid"]


def _org(request: Request, scopes: tuple[str, ...]):
    org = org_of(request)
    require_scope(request, *scopes)
    return org


# ---------------------------------------------------------------- organisations (§5)


def organization(org) -> dict[str, Any]:
    """The §5 organisation object (the generator's, or one built from the org's fields)."""
    if org.organization:
        return org.organization
    return {"id": org.id, "name": org.name, "email": f"info@{org.domain}", "phone": "",
            "fax": "", "language": "ru", "subscriptionPlan": "business"}


async def list_orgs(request: Request) -> JSON:
    """GET /directory/v1/org: pageSize/pageToken paging (style b) over the one org."""
    org = _org(request, READ_ORG)
    size = int_param(request, "pageSize", 10, hi=100, clamp=True)
    token = request.query_params.get("pageToken") or "0"
    if not token.isdigit():
        raise ApiError(400, f"invalid pageToken: {token!r}", field="pageToken")
    items = [organization(org)]
    start = int(token)
    end = start + size
    return JSON({"organizations": items[start:end],
                 "nextPageToken": str(end) if end < len(items) else ""})


async def get_org(request: Request) -> JSON:
    """GET /directory/v1/org/{orgId}."""
    return JSON(organization(_org(request, READ_ORG)))


# ---------------------------------------------------------------- users (§6)


async def list_users(request: Request) -> JSON:
    """GET /users: page/perPage over visible users in id order (a cached list slice)."""
    org = _org(request, READ_USERS)
    page, per_page = paging(request)
    return Response(ds.users_page_json(org, page, per_page), media_type=JSON.media_type)


async def get_user(request: Request) -> JSON:
    """GET /users/{userId} (a deleted user is still readable, with isDismissed)."""
    org = _org(request, READ_USERS)
    return JSON(ds.find_user(org, request.path_params["user_id"]))


async def create_user(request: Request) -> JSON:
    """POST /users."""
    org = _org(request, WRITE_USERS)
    return JSON(ds.create_user(org, await json_body(request), _uid(request)))


async def update_user(request: Request) -> JSON:
    """PATCH /users/{userId}."""
    org = _org(request, WRITE_USERS)
    body = await json_body(request)
    return JSON(ds.update_user(org, request.path_params["user_id"], body, _uid(request)))


async def delete_user(request: Request) -> JSON:
    """DELETE /users/{userId}: the User, dismissed and hidden from lists."""
    org = _org(request, WRITE_USERS)
    return JSON(ds.dismiss_user(org, request.path_params["user_id"], _uid(request)))


async def put_contacts(request: Request) -> JSON:
    """PUT /users/{userId}/contacts: replaces every manual contact."""
    org = _org(request, WRITE_USERS)
    body = await json_body(request)
    raw = body.get("contacts")
    if not isinstance(raw, list):
        raise ApiError(400, "field contacts must be an array", field="contacts")
    return JSON(ds.set_contacts(org, request.path_params["user_id"], raw, _uid(request)))


async def delete_contacts(request: Request) -> JSON:
    """DELETE /users/{userId}/contacts: manual contacts removed, synthetic kept."""
    org = _org(request, WRITE_USERS)
    return JSON(ds.set_contacts(org, request.path_params["user_id"], None, _uid(request)))


async def _alias_of(request: Request) -> str:
    body = await json_body(request)
    alias = opt_str(body, "alias")
    if not alias:
        raise ApiError(400, "field alias is required", field="alias")
    return alias


async def add_user_alias(request: Request) -> JSON:
    """POST /users/{userId}/aliases."""
    org = _org(request, WRITE_USERS)
    alias = await _alias_of(request)
    return JSON(ds.add_user_alias(org, request.path_params["user_id"], alias, _uid(request)))


async def delete_user_alias(request: Request) -> JSON:
    """DELETE /users/{userId}/aliases/{alias}."""
    org = _org(request, WRITE_USERS)
    alias = request.path_params["alias"]
    ds.remove_user_alias(org, request.path_params["user_id"], alias, _uid(request))
    return JSON({"alias": alias, "removed": True})


async def get_2fa(request: Request) -> JSON:
    """GET /users/{userId}/2fa (v1, and the v2 alias)."""
    org = _org(request, READ_USERS)
    return JSON(ds.user_2fa(org, request.path_params["user_id"]))


async def delete_2fa(request: Request) -> JSON:
    """DELETE /users/{userId}/2fa: ``{}``."""
    org = _org(request, WRITE_USERS)
    ds.reset_2fa(org, request.path_params["user_id"], _uid(request))
    return JSON({})


async def patch_auth_type(request: Request) -> JSON:
    """PATCH /users/{userId}/auth_type: ``{}``."""
    org = _org(request, WRITE_USERS)
    body = await json_body(request)
    ds.set_auth_type(org, request.path_params["user_id"], body, _uid(request))
    return JSON({})


async def put_avatar(request: Request) -> JSON:
    """PUT /users/{userId}/avatar: accepts a PNG/JPEG body and sets ``avatarId``."""
    org = _org(request, WRITE_USERS)
    user = ds.find_user(org, request.path_params["user_id"], writable=True)
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind not in ("image/png", "image/jpeg"):
        raise ApiError(400, "avatar must be image/png or image/jpeg")
    if not await request.body():
        raise ApiError(400, "avatar body is empty")
    ds.set_avatar(org, user["id"], _uid(request))
    return JSON({"url": f"https://avatars.yandex.net/get-yapic/{user['avatarId']}/islands-200"})


# ---------------------------------------------------------------- departments (§7)


def _dep_id(request: Request) -> int:
    return request.path_params["department_id"]


async def list_departments(request: Request) -> JSON:
    """GET /departments: optional ``parentId`` (direct children) and ``orderBy`` id|name."""
    org = _org(request, READ_DEPS)
    page, per_page = paging(request)
    order_by = request.query_params.get("orderBy") or "id"
    if order_by not in ("id", "name"):
        raise ApiError(400, "orderBy must be id or name", field="orderBy")
    items = ds.sorted_departments(org, order_by)
    if request.query_params.get("parentId") not in (None, ""):
        parent = int_param(request, "parentId", 0, lo=0)
        items = [d for d in items if d["parentId"] == parent]
    return JSON(page_body("departments", items, page, per_page))


async def get_department(request: Request) -> JSON:
    """GET /departments/{departmentId}."""
    org = _org(request, READ_DEPS)
    return JSON(ds.find_department(org, _dep_id(request)))


async def create_department(request: Request) -> JSON:
    """POST /departments."""
    org = _org(request, WRITE_DEPS)
    return JSON(ds.create_department(org, await json_body(request), _uid(request)))


async def update_department(request: Request) -> JSON:
    """PATCH /departments/{departmentId}."""
    org = _org(request, WRITE_DEPS)
    body = await json_body(request)
    return JSON(ds.update_department(org, _dep_id(request), body, _uid(request)))


async def delete_department(request: Request) -> JSON:
    """DELETE /departments/{departmentId}: ``{"id", "removed": true}``."""
    org = _org(request, WRITE_DEPS)
    ds.delete_department(org, _dep_id(request), _uid(request))
    return JSON({"id": _dep_id(request), "removed": True})


async def add_department_alias(request: Request) -> JSON:
    """POST /departments/{departmentId}/aliases."""
    org = _org(request, WRITE_DEPS)
    alias = await _alias_of(request)
    return JSON(ds.add_department_alias(org, _dep_id(request), alias, _uid(request)))


async def delete_department_alias(request: Request) -> JSON:
    """DELETE /departments/{departmentId}/aliases/{alias}."""
    org = _org(request, WRITE_DEPS)
    alias = request.path_params["alias"]
    ds.remove_department_alias(org, _dep_id(request), alias, _uid(request))
    return JSON({"alias": alias, "removed": True})


# ---------------------------------------------------------------- groups (§8)


def _group_id(request: Request) -> int:
    return request.path_params["group_id"]


async def list_groups(request: Request) -> JSON:
    """GET /groups: page/perPage by id."""
    org = _org(request, READ_GROUPS)
    page, per_page = paging(request)
    return JSON(page_body("groups", ds.sorted_groups(org), page, per_page))


async def get_group(request: Request) -> JSON:
    """GET /groups/{groupId}."""
    org = _org(request, READ_GROUPS)
    return JSON(ds.find_group(org, _group_id(request)))


async def create_group(request: Request) -> JSON:
    """POST /groups."""
    org = _org(request, WRITE_GROUPS)
    return JSON(ds.create_group(org, await json_body(request), _uid(request)))


async def update_group(request: Request) -> JSON:
    """PATCH /groups/{groupId}."""
    org = _org(request, WRITE_GROUPS)
    body = await json_body(request)
    return JSON(ds.update_group(org, _group_id(request), body, _uid(request)))


async def delete_group(request: Request) -> JSON:
    """DELETE /groups/{groupId}: ``{"id", "removed": true}``."""
    org = _org(request, WRITE_GROUPS)
    ds.delete_group(org, _group_id(request), _uid(request))
    return JSON({"id": _group_id(request), "removed": True})


async def get_members(request: Request) -> JSON:
    """GET /groups/{groupId}/members: direct members in short forms."""
    org = _org(request, READ_GROUPS)
    return JSON(ds.member_lists(org, ds.find_group(org, _group_id(request))))


async def get_members_v2(request: Request) -> JSON:
    """GET /directory/v2/…/groups/{groupId}/members: all five arrays, always present."""
    org = _org(request, READ_GROUPS)
    members = ds.member_lists(org, ds.find_group(org, _group_id(request)))
    return JSON({**members, "externalContacts": [], "sharedMailboxes": []})


async def add_member(request: Request) -> JSON:
    """POST /groups/{groupId}/members: ``{"id", "type", "added": true}``.

    Adding a member that is already there answers the same 200 and changes nothing: a
    POST that timed out can then be repeated safely, and the end state is what was asked.
    """
    org = _org(request, WRITE_GROUPS)
    body = await json_body(request)
    kind = body.get("type") or "user"
    mid = id_str(body.get("id"), "id")
    ds.add_member(org, _group_id(request), kind, mid, _uid(request))
    return JSON({"id": mid, "type": kind, "added": True})


async def delete_member(request: Request) -> JSON:
    """DELETE /groups/{groupId}/members/{type}/{memberId}."""
    org = _org(request, WRITE_GROUPS)
    kind, mid = request.path_params["member_type"], request.path_params["member_id"]
    ds.remove_member(org, _group_id(request), kind, mid, _uid(request))
    return JSON({"id": mid, "type": kind, "deleted": True})


async def delete_members(request: Request) -> JSON:
    """DELETE /groups/{groupId}/members: the removed members in short forms."""
    org = _org(request, WRITE_GROUPS)
    return JSON(ds.clear_members(org, _group_id(request), _uid(request)))


async def put_members(request: Request) -> JSON:
    """PUT /groups/{groupId}/members: replaces every member; returns the Group."""
    org = _org(request, WRITE_GROUPS)
    body = await json_body(request)
    return JSON(ds.replace_members(org, _group_id(request), body.get("members"), _uid(request)))


async def put_admins(request: Request) -> JSON:
    """PUT /groups/{groupId}/admins: replaces the managers."""
    org = _org(request, WRITE_GROUPS)
    body = await json_body(request)
    return JSON(ds.set_admins(org, _group_id(request), body.get("adminIds"), _uid(request)))


async def delete_admins(request: Request) -> JSON:
    """DELETE /groups/{groupId}/admins: no managers left."""
    org = _org(request, WRITE_GROUPS)
    return JSON(ds.set_admins(org, _group_id(request), [], _uid(request)))


async def patch_members_add(request: Request) -> JSON:
    """PATCH /directory/v2/…/members/add: ``{}``."""
    org = _org(request, WRITE_GROUPS)
    body = await json_body(request)
    ds.patch_members_v2(org, _group_id(request), body, True, _uid(request))
    return JSON({})


async def patch_members_delete(request: Request) -> JSON:
    """PATCH /directory/v2/…/members/delete: ``{}``."""
    org = _org(request, WRITE_GROUPS)
    body = await json_body(request)
    ds.patch_members_v2(org, _group_id(request), body, False, _uid(request))
    return JSON({})


USER = ORG + "/users/{user_id}"
DEP = ORG + "/departments/{department_id:int}"
GROUP = ORG + "/groups/{group_id:int}"
GROUP_V2 = ORG_V2 + "/groups/{group_id:int}"

routes = [
    Route("/directory/v1/org", list_orgs, methods=["GET"]),
    Route(ORG, get_org, methods=["GET"]),
    Route(ORG + "/users", list_users, methods=["GET"]),
    Route(ORG + "/users", create_user, methods=["POST"]),
    Route(USER, get_user, methods=["GET"]),
    Route(USER, update_user, methods=["PATCH"]),
    Route(USER, delete_user, methods=["DELETE"]),
    Route(USER + "/contacts", put_contacts, methods=["PUT"]),
    Route(USER + "/contacts", delete_contacts, methods=["DELETE"]),
    Route(USER + "/aliases", add_user_alias, methods=["POST"]),
    Route(USER + "/aliases/{alias}", delete_user_alias, methods=["DELETE"]),
    Route(USER + "/2fa", get_2fa, methods=["GET"]),
    Route(USER + "/2fa", delete_2fa, methods=["DELETE"]),
    Route(ORG_V2 + "/users/{user_id}/2fa", get_2fa, methods=["GET"]),
    Route(ORG_V2 + "/users/{user_id}/2fa", delete_2fa, methods=["DELETE"]),
    Route(USER + "/auth_type", patch_auth_type, methods=["PATCH"]),
    Route(USER + "/avatar", put_avatar, methods=["PUT"]),
    Route(ORG + "/departments", list_departments, methods=["GET"]),
    Route(ORG + "/departments", create_department, methods=["POST"]),
    Route(DEP, get_department, methods=["GET"]),
    Route(DEP, update_department, methods=["PATCH"]),
    Route(DEP, delete_department, methods=["DELETE"]),
    Route(DEP + "/aliases", add_department_alias, methods=["POST"]),
    Route(DEP + "/aliases/{alias}", delete_department_alias, methods=["DELETE"]),
    Route(ORG + "/groups", list_groups, methods=["GET"]),
    Route(ORG + "/groups", create_group, methods=["POST"]),
    Route(GROUP, get_group, methods=["GET"]),
    Route(GROUP, update_group, methods=["PATCH"]),
    Route(GROUP, delete_group, methods=["DELETE"]),
    Route(GROUP + "/members", get_members, methods=["GET"]),
    Route(GROUP + "/members", add_member, methods=["POST"]),
    Route(GROUP + "/members", delete_members, methods=["DELETE"]),
    Route(GROUP + "/members", put_members, methods=["PUT"]),
    Route(GROUP + "/members/{member_type}/{member_id}", delete_member, methods=["DELETE"]),
    Route(GROUP + "/admins", put_admins, methods=["PUT"]),
    Route(GROUP + "/admins", delete_admins, methods=["DELETE"]),
    Route(GROUP_V2 + "/members", get_members_v2, methods=["GET"]),
    Route(GROUP_V2 + "/members/add", patch_members_add, methods=["PATCH"]),
    Route(GROUP_V2 + "/members/delete", patch_members_delete, methods=["PATCH"]),
]
