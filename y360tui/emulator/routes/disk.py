"""Disk REST API (§11): admin views of a user's public resources, and the owner's own methods.

Records live in ``org.disk[uid]`` (see ``state.py``). A record is *public* when it has a
``public_key`` (a published link) or personal accesses in ``public_settings``; the owner's
``resources/public`` lists only link-published records, whose ``public_key``/``public_url``
the wire requires. Errors use the Disk body ``{message, description, error}`` (chosen by path).
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote

from starlette.requests import Request
from starlette.routing import Route

from .. import disk_keys, events
from ..errors import ApiError
from ..state import Org, peek_user
from .common import JSON, caller, int_param, json_body, require_scope

ADMIN = "/v1/disk/public/resources/admin"
READ = ("cloud_api:disk.read", "cloud_api:disk.write")
WRITE = ("cloud_api:disk.write",)
ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
Record = dict[str, Any]


# --- lookups -------------------------------------------------------------------------------


def disk_path(raw: str) -> str:
    """The canonical ``disk:/a/b`` form of a path given with or without the ``disk:`` prefix."""
    path = raw.strip()
    if path.startswith("disk:"):
        path = path[len("disk:"):]
    path = "/" + path.strip("/")
    return "disk:" + path


def required(request: Request, name: str) -> str:
    """A required query parameter (400 ``FieldValidationError`` when absent or blank)."""
    value = request.query_params.get(name, "").strip()
    if not value:
        raise ApiError(400, f"parameter {name} is required", field=name)
    return value


def org_user(org: Org, uid: str) -> str:
    """``uid`` if it names a current user of the org, else 404 ``DiskNotFoundError``."""
    if uid not in org.users or uid in org.hidden_users:
        raise ApiError(404, f"user {uid} not found")
    return uid


def check_org_id(request: Request, org: Org, *, needed: bool) -> None:
    """The ``org_id`` query parameter must name this org (403 otherwise: not its admin)."""
    raw = required(request, "org_id") if needed else request.query_params.get("org_id", "")
    if raw and raw.strip() != str(org.id):
        raise ApiError(403, f"not an administrator of organization {raw}")


def require_admin(request: Request, org: Org) -> None:
    """Admin methods need an org administrator's token with a Disk scope."""
    require_scope(request, *READ)
    uid = str(caller(request)["uid"])
    if not peek_user(org.users, uid, {}).get("isAdmin"):
        raise ApiError(403, "the token's user is not an administrator of the organization")


def find_path(org: Org, uid: str, raw_path: str) -> Record:
    """The record at ``raw_path`` on ``uid``'s Disk; 404 if there is none."""
    path = disk_path(raw_path)
    for record in org.disk.get(uid, []):
        if record["path"] == path:
            return record
    raise ApiError(404, f"resource not found: {path}")


def key_candidates(raw: str) -> list[str]:
    """The key as received, then decoded once more: orglib quotes it before httpx does too."""
    keys = [raw]
    while ESCAPE.search(keys[-1]):
        keys.append(unquote(keys[-1]))
    return keys


def find_key(org: Org, raw_key: str) -> tuple[str, Record]:
    """``(owner uid, record)`` published under ``raw_key`` (a key or public URL); 404 if none."""
    hit = disk_keys.lookup(org, key_candidates(raw_key))  # an index, not a scan
    if hit is not None:
        return hit
    raise ApiError(404, "public resource not found")


def is_listed(record: Record) -> bool:
    """Published by link, or shared with someone other than the owner."""
    accesses = (record.get("public_settings") or {}).get("accesses") or []
    return bool(record.get("public_key")) or any(a.get("type") != "owner" for a in accesses)


# --- wire forms ----------------------------------------------------------------------------


def settings_body(record: Record) -> dict[str, Any]:
    """PublicSettings: ``available_until`` (null allowed) and ``accesses`` are always present."""
    stored = record.get("public_settings") or {}
    return {**stored, "available_until": stored.get("available_until"),
            "accesses": list(stored.get("accesses") or [])}


def short(record: Record) -> dict[str, Any]:
    """ResourceShort (admin list item); ``public_hash`` is always present, null if unpublished."""
    return {"public_hash": record.get("public_key"), "name": record["name"],
            "path": record["path"], "type": record["type"],
            "created_at": record["created"], "modified_at": record["modified"]}


def resource(record: Record) -> dict[str, Any]:
    """Resource (user side): public fields only while published; size/mime_type for files."""
    body = {key: record[key] for key in ("name", "path", "type", "created", "modified")}
    body["resource_id"] = record.get("resource_id", "")
    if record.get("public_key"):
        body["public_key"] = record["public_key"]
        body["public_url"] = record.get("public_url") or ""
    if record["type"] == "file":
        body["mime_type"] = record.get("mime_type", "")
        body["size"] = record.get("size", 0)
    return body


def field_tree(fields: str) -> dict[str, Any]:
    """``"limit, items.name,items.path"`` -> ``{"limit": {}, "items": {"name": {}, "path": {}}}``.

    Spaces are tolerated: orglib sends one after a comma.
    """
    tree: dict[str, Any] = {}
    for spec in fields.split(","):
        node = tree
        for part in (p.strip() for p in spec.split(".")):
            if part:
                node = node.setdefault(part, {})
    return tree


def project(value: Any, tree: dict[str, Any]) -> Any:
    """Keep only the keys named in ``tree`` (an empty subtree keeps the whole value)."""
    if not tree:
        return value
    if isinstance(value, list):
        return [project(item, tree) for item in value]
    if isinstance(value, dict):
        return {key: project(value[key], sub) for key, sub in tree.items() if key in value}
    return value


def reply(request: Request, body: dict[str, Any]) -> JSON:
    """A Disk reply after the ``fields`` projection, when one was asked for."""
    fields = request.query_params.get("fields", "")
    return JSON(project(body, field_tree(fields)) if fields.strip() else body)


def link(request: Request, path: str) -> JSON:
    """The Link object publish/unpublish answer with: where to read the resource."""
    href = f"{str(request.base_url).rstrip('/')}/v1/disk/resources?path={quote(path, safe='')}"
    return JSON({"href": href, "method": "GET", "templated": False})


def limit_offset(request: Request, default: int) -> tuple[int, int]:
    return int_param(request, "limit", default), int_param(request, "offset", 0, lo=0)


# --- admin methods -------------------------------------------------------------------------


def admin_target(request: Request) -> tuple[Org, str]:
    """The org and the user an admin list method is about: checks the admin token, then the
    required ``user_id``, then ``org_id`` (a missing user_id is reported first)."""
    org: Org = request.app.state.org
    require_admin(request, org)
    raw_uid = required(request, "user_id")
    check_org_id(request, org, needed=True)
    return org, org_user(org, raw_uid)


async def admin_public_resources(request: Request) -> JSON:
    """GET …/admin/public-resources: a user's public resources, limit/offset (empty past end)."""
    org, uid = admin_target(request)
    limit, offset = limit_offset(request, 100)
    listed = [r for r in org.disk.get(uid, []) if is_listed(r)]
    items = [short(r) for r in listed[offset:offset + limit]]
    return JSON({"items": items, "limit": limit, "offset": offset})


async def admin_settings_by_key(request: Request) -> JSON:
    """GET …/admin/public-settings?public_key=: settings of a published resource."""
    org: Org = request.app.state.org
    require_admin(request, org)
    _, record = find_key(org, required(request, "public_key"))
    return JSON(settings_body(record))


async def admin_settings_by_path(request: Request) -> JSON:
    """GET …/admin/public-settings-by-path?user_id=&path=: path with or without ``disk:``."""
    org: Org = request.app.state.org
    require_admin(request, org)
    uid = org_user(org, required(request, "user_id"))
    return JSON(settings_body(find_path(org, uid, required(request, "path"))))


def shared_with(org: Org, uid: str, with_groups: bool) -> Iterable[Record]:
    """Other users' records whose accesses name ``uid`` (or, optionally, its groups/dept)."""
    user = peek_user(org.users, uid)
    wanted = {("user", int(uid))}
    if with_groups:
        wanted |= {("group", int(g)) for g in user.get("groups", [])}
        wanted.add(("department", int(user.get("departmentId", 0))))
    for owner, records in org.disk.items():
        if owner == uid:
            continue
        for record in records:
            accesses = (record.get("public_settings") or {}).get("accesses") or []
            if any((a.get("type"), a.get("id")) in wanted for a in accesses):
                yield record


def bool_param(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").strip().lower() in ("true", "1", "yes")


async def admin_accessible(request: Request) -> JSON:
    """GET …/admin/accessible-resources: resources shared with the user; iteration_key cursor."""
    org, uid = admin_target(request)
    limit = int_param(request, "limit", 100)
    token = request.query_params.get("iteration_key", "").strip() or "0"
    if not token.isdigit():
        raise ApiError(400, f"invalid iteration_key: {token!r}", field="iteration_key")
    start = int(token)
    found = list(shared_with(org, uid, bool_param(request, "include_group_access")))
    more = start + limit < len(found)
    return JSON({"items": [short(r) for r in found[start:start + limit]],
                 "iteration_key": str(start + limit) if more else None})


def make_private(org: Org, request: Request, owner: str, record: Record) -> None:
    """Drop the public link (key, URL, "anyone with the link" access) and log it."""
    was_public = bool(record.get("public_key"))
    settings = record.get("public_settings") or {}
    kept = [a for a in settings.get("accesses") or [] if a.get("type") != "macro"]
    with org.lock:
        # Replaced, not edited in place: generated records may share small values.
        record["public_key"] = None
        record["public_url"] = None
        record["public_settings"] = {**settings, "accesses": kept}
    if was_public:
        events.record(org, "disk_fs-set-private", uid=str(caller(request)["uid"]),
                      meta=disk_meta(owner, record))


def disk_meta(owner: str, record: Record) -> dict[str, Any]:
    """The ``meta`` of a Disk audit event: which resource, of whom."""
    return {"tgt_rawaddress": f"{owner}:/disk{record['path'][len('disk:'):]}",
            "resource_type": record["type"], "owner_uid": owner}


async def admin_unpublish(request: Request) -> JSON:
    """PUT …/admin/unpublish: by ``public_key``, or by ``path`` + ``user_id``; ``org_id`` checked.

    The reference leaves the parameter names open (§11.2), so both forms are served.
    """
    org: Org = request.app.state.org
    require_admin(request, org)
    require_scope(request, *WRITE)
    check_org_id(request, org, needed=False)
    user_id = request.query_params.get("user_id", "").strip()
    key = request.query_params.get("public_key", "").strip()
    if key:
        owner, record = find_key(org, key)
        if user_id and user_id != owner:
            raise ApiError(404, "public resource not found for that user")
    elif user_id and request.query_params.get("path", "").strip():
        owner = org_user(org, user_id)
        record = find_path(org, owner, required(request, "path"))
    else:
        raise ApiError(400, "pass public_key, or path and user_id", field="public_key")
    make_private(org, request, owner, record)
    return link(request, record["path"])


# --- the owner's own methods ---------------------------------------------------------------


def own_uid(request: Request) -> str:
    return str(caller(request)["uid"])


async def public_resources(request: Request) -> JSON:
    """GET /v1/disk/resources/public: the caller's published resources, limit/offset, type."""
    org: Org = request.app.state.org
    require_scope(request, *READ)
    limit, offset = limit_offset(request, 20)
    kind = request.query_params.get("type", "").strip()
    if kind not in ("", "file", "dir"):
        raise ApiError(400, f"type must be file or dir, not {kind!r}", field="type")
    published = [r for r in org.disk.get(own_uid(request), [])
                 if r.get("public_key") and (not kind or r["type"] == kind)]
    body: dict[str, Any] = {"items": [resource(r) for r in published[offset:offset + limit]],
                            "limit": limit, "offset": offset}
    if kind:
        body["type"] = kind
    return reply(request, body)


async def own_settings(request: Request) -> JSON:
    """GET /v1/disk/public/resources/public-settings?path=: settings of the caller's resource."""
    org: Org = request.app.state.org
    require_scope(request, *READ)
    return JSON(settings_body(find_path(org, own_uid(request), required(request, "path"))))


def new_key() -> str:
    # Real keys are standard base64, so they carry '+', '/' and '=' that need escaping.
    return base64.b64encode(secrets.token_bytes(33)).decode()


async def publish(request: Request) -> JSON:
    """PUT /v1/disk/resources/publish?path=; optional body ``{"public_settings": {...}}``."""
    org: Org = request.app.state.org
    require_scope(request, *WRITE)
    uid = own_uid(request)
    record = find_path(org, uid, required(request, "path"))
    wanted = (await json_body(request)).get("public_settings")
    if wanted is not None and not isinstance(wanted, dict):
        raise ApiError(400, "public_settings must be an object", field="public_settings")
    with org.lock:
        settings = record["public_settings"] = {"available_until": None, "accesses": [],
                                                **(record.get("public_settings") or {})}
        if not record.get("public_key"):
            record["public_key"] = new_key()
            record["public_url"] = "https://disk.yandex.ru/d/" + secrets.token_urlsafe(10)
            if not any(a.get("type") == "macro" for a in settings.get("accesses") or []):
                settings["accesses"] = [*settings.get("accesses", []),
                                        {"type": "macro", "macros": ["all"], "rights": ["read"]}]
            disk_keys.remember(org, uid, record)
            events.record(org, "disk_fs-set-public", uid=uid, meta=disk_meta(uid, record))
        if wanted:
            apply_settings(settings, wanted)
            events.record(org, "disk_fs-set-public-settings", uid=uid,
                          meta=disk_meta(uid, record))
    return link(request, record["path"])


def apply_settings(settings: dict[str, Any], wanted: dict[str, Any]) -> None:
    """Merge requested public settings: expiry and the access list (400 if malformed)."""
    if "accesses" in wanted:
        if not isinstance(wanted["accesses"], list):
            raise ApiError(400, "accesses must be an array", field="accesses")
        settings["accesses"] = wanted["accesses"]
    if "available_until" in wanted:
        settings["available_until"] = wanted["available_until"]


async def unpublish(request: Request) -> JSON:
    """PUT /v1/disk/resources/unpublish?path=: the caller closes one of its links."""
    org: Org = request.app.state.org
    require_scope(request, *WRITE)
    uid = own_uid(request)
    record = find_path(org, uid, required(request, "path"))
    make_private(org, request, uid, record)
    return link(request, record["path"])


def folder(org: Org, uid: str, path: str) -> Record | None:
    """A directory implied by deeper records (or the root), when it has no record of its own."""
    if path != "disk:/" and not any(r["path"].startswith(path + "/")
                                    for r in org.disk.get(uid, [])):
        return None
    return implied_dir(org, uid, path)


def implied_dir(org: Org, uid: str, path: str) -> Record:
    """A directory record for a path that only exists as the parent of other records."""
    name = path.rsplit("/", 1)[-1] or "disk"
    return {"name": name, "path": path, "type": "dir", "created": org.now,
            "modified": org.now, "resource_id": f"{uid}:{path}"}


def children(org: Org, uid: str, path: str) -> list[Record]:
    """Direct children of directory ``path``: its records plus implied sub-directories."""
    prefix = path.rstrip("/") + "/"
    found: dict[str, Record] = {}
    for record in org.disk.get(uid, []):
        if not record["path"].startswith(prefix):
            continue
        head = record["path"][len(prefix):].split("/", 1)[0]
        child = prefix + head
        if child == record["path"]:
            found[child] = record
        elif child not in found:
            found[child] = implied_dir(org, uid, child)
    return [found[p] for p in sorted(found)]


async def get_resource(request: Request) -> JSON:
    """GET /v1/disk/resources?path=: a resource; directories list ``_embedded.items``."""
    org: Org = request.app.state.org
    require_scope(request, *READ)
    uid = own_uid(request)
    path = disk_path(required(request, "path"))
    record = next((r for r in org.disk.get(uid, []) if r["path"] == path), None)
    record = record or folder(org, uid, path)
    if record is None:
        raise ApiError(404, f"resource not found: {path}")
    body = resource(record)
    if record["type"] == "dir":
        limit, offset = limit_offset(request, 20)
        items = children(org, uid, path)
        body["_embedded"] = {"items": [resource(r) for r in items[offset:offset + limit]],
                             "limit": limit, "offset": offset, "path": path,
                             "total": len(items), "sort": ""}
    return reply(request, body)


routes = [
    Route(f"{ADMIN}/public-resources", admin_public_resources, methods=["GET"]),
    Route(f"{ADMIN}/public-settings", admin_settings_by_key, methods=["GET"]),
    Route(f"{ADMIN}/public-settings-by-path", admin_settings_by_path, methods=["GET"]),
    Route(f"{ADMIN}/accessible-resources", admin_accessible, methods=["GET"]),
    Route(f"{ADMIN}/unpublish", admin_unpublish, methods=["PUT"]),
    Route("/v1/disk/resources/public", public_resources, methods=["GET"]),
    Route("/v1/disk/public/resources/public-settings", own_settings, methods=["GET"]),
    Route("/v1/disk/resources/publish", publish, methods=["PUT"]),
    Route("/v1/disk/resources/unpublish", unpublish, methods=["PUT"]),
    Route("/v1/disk/resources", get_resource, methods=["GET"]),
]
