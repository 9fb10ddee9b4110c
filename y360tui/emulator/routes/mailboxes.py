"""api360 shared and delegated mailboxes (issue 10 §1; reference in ``y360tui/api/mailboxes.py``).

State: ``org.mailboxes`` (``generate/mailboxes.py``). Scopes: reads need
``ya360_admin:mail_read_shared_mailbox_inventory`` (or the write scope), writes
``ya360_admin:mail_write_shared_mailbox_inventory``.

Access changes are asynchronous, as in the reference: ``POST /set/{resourceId}`` checks its
input (400/404 at once), stores a task and answers ``{"taskId"}``. The task's first status
read says ``running``; the second completes it (or it completes by itself ``TASK_SECONDS``
after creation, for a client that never asks): the change is applied then, so later reads of
the actors and resources show it, and one audit event is logged
(``ya360_b2bplatform_mailbox_access_updated`` [uncertain name], ``meta``: resource, actor,
roles before and after). A change that would give an employee more than ``MAX_PER_ACTOR``
mailboxes ends in ``error`` and changes nothing. Creating a shared mailbox logs
``ya360_b2bplatform_resource_shared_mailbox_created``; delegation on/off logs
``ya360_b2bplatform_mailbox_delegation_enabled``/``…_disabled`` [uncertain names].
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from .. import events
from ..errors import ApiError
from ..generate.mailboxes import SHARED_BASE
from ..state import Org, peek_user
from .common import (
    JSON,
    caller,
    json_body,
    opt_list,
    org_of,
    page_body,
    paging,
    req_str,
    require_scope,
)

BASE = "/admin/v1/org/{org_id}/mailboxes"
READ = ("ya360_admin:mail_read_shared_mailbox_inventory",
        "ya360_admin:mail_write_shared_mailbox_inventory")
WRITE = ("ya360_admin:mail_write_shared_mailbox_inventory",)
ROLES = ("shared_mailbox_owner", "shared_mailbox_imap_admin", "shared_mailbox_sender",
         "shared_mailbox_half_sender", "shared_mailbox_reader", "shared_mailbox_editor",
         "shared_mailbox_admin")
NOTIFY = ("all", "delegates", "none")
MAX_PER_ACTOR = 40
MAX_PER_PAGE = 100
TASK_SECONDS = 2.0
_LOCAL = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def _state(request: Request, scopes: tuple[str, ...]) -> tuple[Org, dict[str, Any]]:
    org = org_of(request)
    require_scope(request, *scopes)
    state = org.mailboxes
    _settle(org, state)
    return org, state


def _log(request: Request, org: Org, kind: str, **meta: Any) -> None:
    events.record(org, "ya360_b2bplatform_" + kind, uid=str(caller(request)["uid"]), meta=meta)


def _is_user(org: Org, uid: str) -> bool:
    user = peek_user(org.users, uid)
    return user is not None and uid not in org.hidden_users and not user.get("isDismissed")


def _mailbox(org: Org, state: dict[str, Any], rid: str) -> str:
    """``shared`` or ``delegated``; 404 for an id that is neither."""
    if rid in state["shared"]:
        return "shared"
    if rid in state["delegated"]:
        return "delegated"
    raise ApiError(404, f"mailbox {rid} not found")


# ---------------------------------------------------------------- lists and cards


def _entries(state: dict[str, Any], rids: list[str]) -> list[dict[str, Any]]:
    return [{"resourceId": rid, "count": len(state["actors"].get(rid, {}))} for rid in rids]


async def list_shared(request: Request) -> JSON:
    """GET …/mailboxes/shared: ``{"resources": [{"resourceId", "count"}], page…}``."""
    _, state = _state(request, READ)
    page, per_page = paging(request, max_per_page=MAX_PER_PAGE)
    return JSON(page_body("resources", _entries(state, list(state["shared"])), page, per_page))


async def list_delegated(request: Request) -> JSON:
    """GET …/mailboxes/delegated: the same for mailboxes with delegation on."""
    _, state = _state(request, READ)
    page, per_page = paging(request, max_per_page=MAX_PER_PAGE)
    return JSON(page_body("resources", _entries(state, state["delegated"]), page, per_page))


async def get_shared(request: Request) -> JSON:
    """GET …/mailboxes/shared/{resource_id}: the card."""
    _, state = _state(request, READ)
    card = state["shared"].get(request.path_params["resource_id"])
    if card is None:
        raise ApiError(404, f"shared mailbox {request.path_params['resource_id']} not found")
    return JSON(card)


async def create_shared(request: Request) -> JSON:
    """PUT …/mailboxes/shared: ``{"email", "name", "description"}`` -> ``{"resourceId"}``."""
    org, state = _state(request, WRITE)
    body = await json_body(request)
    email = req_str(body, "email").strip().lower()
    name = req_str(body, "name").strip()
    description = body.get("description") or ""
    if not isinstance(description, str):
        raise ApiError(400, "field description must be a string", field="description")
    local, _, domain = email.partition("@")
    if domain != org.domain or not _LOCAL.match(local):
        raise ApiError(400, f"email must be an address on {org.domain}", field="email")
    with org.lock:
        taken = {c["email"] for c in state["shared"].values()}
        if email in taken or _address_taken(org, local):
            raise ApiError(409, f"address {email} is already taken")
        state["seq"] += 1
        rid = str(SHARED_BASE + 1 + (state["seq"] - 1) * 7)
        now = events.now_iso().replace("+00:00", "Z")
        state["shared"][rid] = {"id": rid, "email": email, "name": name,
                                "description": description, "createdAt": now,
                                "updatedAt": now}
        state["actors"][rid] = {}
    _log(request, org, "resource_shared_mailbox_created", resource_id=rid, email=email)
    return JSON({"resourceId": rid})


def _address_taken(org: Org, local: str) -> bool:
    """A generated employee, a department or a group already uses ``local``."""
    name_owner = getattr(org.users, "name_owner", None)
    if name_owner is not None and name_owner(local):
        return True
    labels = {d.get("label") for d in org.departments.values()}
    labels |= {g.get("label") for g in org.groups.values()}
    return local in labels


# ---------------------------------------------------------------- delegation


async def enable_delegation(request: Request) -> JSON:
    """PUT …/mailboxes/delegated: ``{"resourceId": uid}`` turns delegation on."""
    org, state = _state(request, WRITE)
    body = await json_body(request)
    raw = body.get("resourceId")
    if isinstance(raw, bool) or not isinstance(raw, (str, int)) or not str(raw).isdigit():
        raise ApiError(400, "field resourceId is required (an employee id)", field="resourceId")
    uid = str(raw)
    if not _is_user(org, uid):
        raise ApiError(404, f"user {uid} not found")
    with org.lock:
        if uid in state["delegated"]:
            raise ApiError(409, f"delegation of mailbox {uid} is already enabled")
        state["delegated"].append(uid)
        state["delegated"].sort()
        state["actors"].setdefault(uid, {})
    _log(request, org, "mailbox_delegation_enabled", resource_id=uid)
    return JSON({"resourceId": uid})


async def disable_delegation(request: Request) -> JSON:
    """DELETE …/mailboxes/delegated/{resource_id}: delegation off, every access revoked."""
    org, state = _state(request, WRITE)
    uid = request.path_params["resource_id"]
    with org.lock:
        if uid not in state["delegated"]:
            raise ApiError(404, f"delegated mailbox {uid} not found")
        state["delegated"].remove(uid)
        revoked = sorted(state["actors"].pop(uid, {}))
    _log(request, org, "mailbox_delegation_disabled", resource_id=uid, revoked=revoked)
    return JSON({})


# ---------------------------------------------------------------- actors and resources


async def actors(request: Request) -> JSON:
    """GET …/mailboxes/actors/{resource_id}: ``{"actors": [{"actorId", "roles"}]}``."""
    org, state = _state(request, READ)
    rid = request.path_params["resource_id"]
    _mailbox(org, state, rid)
    items = state["actors"].get(rid, {})
    return JSON({"actors": [{"actorId": a, "roles": list(r)} for a, r in items.items()]})


def _resources_of(state: dict[str, Any], actor: str) -> list[dict[str, Any]]:
    out = []
    delegated = set(state["delegated"])
    for rid, items in state["actors"].items():
        roles = items.get(actor)
        if roles is None:
            continue
        kind = "shared" if rid in state["shared"] else "delegated" if rid in delegated else ""
        if kind:
            out.append({"resourceId": rid, "type": kind, "roles": list(roles)})
    return out


async def resources(request: Request) -> JSON:
    """GET …/mailboxes/resources/{actor_id}: ``{"resources": [{"resourceId", "type",
    "roles"}]}``."""
    org, state = _state(request, READ)
    actor = request.path_params["actor_id"]
    if not actor.isdigit() or peek_user(org.users, actor) is None:
        raise ApiError(404, f"user {actor} not found")
    return JSON({"resources": _resources_of(state, actor)})


# ---------------------------------------------------------------- access changes


async def set_access(request: Request) -> JSON:
    """POST …/mailboxes/set/{resource_id}?actorId=&notify=: ``{"roles"}`` -> ``{"taskId"}``."""
    org, state = _state(request, WRITE)
    rid = request.path_params["resource_id"]
    _mailbox(org, state, rid)
    actor = request.query_params.get("actorId", "")
    if not actor.isdigit():
        raise ApiError(400, "query parameter actorId is required (an employee id)",
                       field="actorId")
    notify = request.query_params.get("notify", "none") or "none"
    if notify not in NOTIFY:
        raise ApiError(400, f"notify must be one of {', '.join(NOTIFY)}", field="notify")
    if not _is_user(org, actor):
        raise ApiError(404, f"user {actor} not found")
    if actor == rid:
        raise ApiError(400, "an employee cannot be given access to their own mailbox",
                       field="actorId")
    roles = opt_list(await json_body(request), "roles")
    if roles is None:
        raise ApiError(400, "field roles is required (an empty list revokes access)",
                       field="roles")
    clean: list[str] = []
    for i, role in enumerate(roles):
        if role not in ROLES:
            raise ApiError(400, f"roles[{i}]: unknown role {role!r}", field=f"roles[{i}]")
        if role not in clean:
            clean.append(role)
    task_id = uuid.uuid4().hex
    with org.lock:
        state["tasks"][task_id] = {"resourceId": rid, "actorId": actor, "roles": clean,
                                   "notify": notify, "status": "running", "polls": 0,
                                   "created": time.monotonic(),
                                   "by": str(caller(request)["uid"])}
    return JSON({"taskId": task_id})


def _finish(org: Org, state: dict[str, Any], task: dict[str, Any]) -> None:
    """Apply a task's change (or fail it), and log the audit event."""
    rid, actor, roles = task["resourceId"], task["actorId"], task["roles"]
    items = state["actors"].get(rid)
    if items is None:  # the mailbox went away meanwhile (delegation turned off)
        task["status"], task["error"] = "error", f"mailbox {rid} not found"
        return
    before = list(items.get(actor, []))
    if roles and not before and len(_resources_of(state, actor)) >= MAX_PER_ACTOR:
        task["status"] = "error"
        task["error"] = f"user {actor} already has access to {MAX_PER_ACTOR} mailboxes"
        return
    if roles:
        items[actor] = list(roles)
    else:
        items.pop(actor, None)
    if rid in state["shared"]:
        state["shared"][rid]["updatedAt"] = events.now_iso().replace("+00:00", "Z")
    task["status"] = "complete"
    events.record(org, "ya360_b2bplatform_mailbox_access_updated", uid=task["by"],
                  meta={"resource_id": rid, "actor_id": actor, "roles_before": before,
                        "roles_after": list(roles), "notify": task["notify"]})


def _settle(org: Org, state: dict[str, Any]) -> None:
    """Complete the running tasks older than ``TASK_SECONDS`` (nobody polled them)."""
    due = time.monotonic() - TASK_SECONDS
    with org.lock:
        for task in state["tasks"].values():
            if task["status"] == "running" and task["created"] <= due:
                _finish(org, state, task)


async def task_status(request: Request) -> JSON:
    """GET …/mailboxes/tasks/{task_id}: first read ``running``, then done."""
    org, state = _state(request, READ)
    with org.lock:
        task = state["tasks"].get(request.path_params["task_id"])
        if task is None:
            raise ApiError(404, f"task {request.path_params['task_id']} not found")
        task["polls"] += 1
        if task["status"] == "running" and task["polls"] >= 2:
            _finish(org, state, task)
        body = {"taskId": request.path_params["task_id"], "status": task["status"]}
        if task.get("error"):
            body["error"] = task["error"]
    return JSON(body)


routes = [
    Route(BASE + "/shared", list_shared, methods=["GET"]),
    Route(BASE + "/shared", create_shared, methods=["PUT"]),
    Route(BASE + "/shared/{resource_id}", get_shared, methods=["GET"]),
    Route(BASE + "/delegated", list_delegated, methods=["GET"]),
    Route(BASE + "/delegated", enable_delegation, methods=["PUT"]),
    Route(BASE + "/delegated/{resource_id}", disable_delegation, methods=["DELETE"]),
    Route(BASE + "/actors/{resource_id}", actors, methods=["GET"]),
    Route(BASE + "/resources/{actor_id}", resources, methods=["GET"]),
    Route(BASE + "/set/{resource_id}", set_access, methods=["POST"]),
    Route(BASE + "/tasks/{task_id}", task_status, methods=["GET"]),
]
