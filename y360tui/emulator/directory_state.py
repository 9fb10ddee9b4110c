"""Directory logic over an ``Org``: cached ordered views and the writes of §6–§8.

Reads: ``visible_user_ids``/``sorted_groups``/``sorted_departments`` return lists cached on the
org and rebuilt only after a write changed membership, so a 1,000-user page is a list slice.
User records are read without being kept (``state.peek_user``, ``LazyUsers.values``) except by
writes, which take them with ``org.users[uid]``/``get`` (a generated org then keeps, "pins",
that record so the change persists: see ``state.LazyUsers``).

Writes keep every cross-reference right, as the real directory does:
``user.groups`` <-> ``group.members``, ``group.memberOf`` <-> group members of type group,
``group.membersCount`` (direct members) and ``department.membersCount`` (employees of the
department and its sub-departments, dismissed ones excluded). Each write records the audit
event a real org would log.
Every public write takes ``org.lock``; validation happens before the first change.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from typing import Any, TypeVar

from . import events
from .errors import ApiError
from .routes.common import id_str, opt_bool, opt_int, opt_list, opt_str, req_str
from .state import LazyUsers, Org, encode_user, peek_user, peek_users

CONTACT_TYPES = ("email", "phone_extension", "phone", "site", "icq", "twitter", "skype", "staff")
GENDERS = ("male", "female", "")
MEMBER_TYPES = ("user", "group", "department")
NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")
BIRTHDAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
USER_TEXT_FIELDS = ("position", "about", "externalId", "timezone", "language", "displayName")
EVENT = "ya360_b2bplatform_"

F = TypeVar("F", bound=Callable[..., Any])


def locked(func: F) -> F:
    """Run a write under ``org.lock`` (the org is the first argument)."""

    @functools.wraps(func)
    def wrapper(org: Org, *args: Any, **kwargs: Any) -> Any:
        with org.lock:
            try:
                return func(org, *args, **kwargs)
            finally:
                views(org).encoded.clear()  # any write may have changed any user's JSON

    return wrapper  # type: ignore[return-value]


def stamp() -> str:
    """The current time in the Directory's date-time format."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- cached views


class Views:
    """Ordered lists for paging, each valid while its key (version + sizes) is unchanged,
    and users' encoded JSON, valid until the next write (``locked`` clears it): every user's
    for a plain ``users`` dict, only the pinned and added ones' for a :class:`LazyUsers`
    (which keeps its generated users' JSON itself, compressed)."""

    def __init__(self) -> None:
        self.version = 0
        self.cached: dict[str, tuple[tuple[int, ...], list[dict[str, Any]]]] = {}
        self.encoded: dict[str, bytes] = {}

    def get(self, name: str, key: tuple[int, ...],
            build: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        key = (self.version, *key)
        hit = self.cached.get(name)
        if hit is None or hit[0] != key:
            hit = self.cached[name] = (key, build())
        return hit[1]


def views(org: Org) -> Views:
    """The org's view cache (kept on the org object itself, created on first use)."""
    cache = vars(org).get("_directory_views")
    if cache is None:
        cache = vars(org)["_directory_views"] = Views()
    return cache


def touch(org: Org) -> None:
    """Invalidate the cached lists after a write that adds, removes or reorders items."""
    views(org).version += 1


def visible_users(org: Org) -> Iterator[dict[str, Any]]:
    """Users without the hidden (deleted) ones, in ``org.users`` order, which is id order; for
    reading (not cached: a generated org does not keep its records)."""
    hidden = org.hidden_users
    return (u for uid, u in org.users.items() if uid not in hidden)


def visible_user_ids(org: Org) -> list[str]:
    """Ids of ``visible_users``, without reading the users (a generated org builds its user
    records on first read: a page must not build them all)."""
    hidden = org.hidden_users
    return views(org).get("user_ids", (len(org.users), len(hidden)), lambda: [
        uid for uid in org.users if uid not in hidden])


def users_page_json(org: Org, page: int, per_page: int) -> bytes:
    """The encoded ``GET /users`` reply: joins cached per-user JSON (the benchmark's hot path).

    Encoding 1,000 users with ``json.dumps`` costs tens of ms; joining cached bytes well
    under one, so only the first read of each user after a write pays for encoding.
    """
    ids = visible_user_ids(org)
    start = (page - 1) * per_page
    cache = views(org).encoded
    users = org.users
    wanted = ids[start:start + per_page]
    # A generated org's users come as JSON already (built, or decompressed, a chunk at a time).
    generated = users.json_lines(wanted) if isinstance(users, LazyUsers) else [None] * len(wanted)
    parts = []
    for uid, raw in zip(wanted, generated, strict=True):
        if raw is None:
            raw = cache.get(uid)
            if raw is None:
                raw = cache[uid] = encode_user(users[uid])
        parts.append(raw)
    total = len(ids)
    tail = b"]," + json.dumps({"page": page, "pages": -(-total // per_page),
                               "perPage": per_page, "total": total},
                              separators=(",", ":")).encode()[1:]
    if not parts:
        return b'{"users":[' + tail
    # One allocation of the page's size (a page is ~0.8 MB): head and tail join the ends.
    parts[0] = b'{"users":[' + parts[0]
    parts[-1] += tail
    return b",".join(parts)


def sorted_groups(org: Org) -> list[dict[str, Any]]:
    """Groups by id ascending."""
    return views(org).get("groups", (len(org.groups),),
                          lambda: [org.groups[k] for k in sorted(org.groups)])


def sorted_departments(org: Org, order_by: str = "id") -> list[dict[str, Any]]:
    """Departments by id, or by name (then id) when ``order_by == "name"``."""
    if order_by == "name":
        return views(org).get("departments_by_name", (len(org.departments),), lambda: sorted(
            org.departments.values(), key=lambda d: (d["name"].casefold(), d["id"])))
    return views(org).get("departments", (len(org.departments),),
                          lambda: [org.departments[k] for k in sorted(org.departments)])


# ---------------------------------------------------------------- lookups


def find_user(org: Org, uid: str, *, writable: bool = False) -> dict[str, Any]:
    """The user ``uid`` or 404. With ``writable`` a deleted (hidden) user is also 404 and the
    record is the org's own (pinned: changes to it persist); without, it is for reading."""
    if writable:
        user = org.users.get(uid) if uid not in org.hidden_users else None
    else:
        user = peek_user(org.users, uid)
    if user is None:
        raise ApiError(404, f"user {uid} not found")
    return user


def active_user(org: Org, uid: str, field: str) -> dict[str, Any]:
    """A user that may join a group, manage one or head a department: 404 if unknown or
    deleted, 400 if dismissed (a dismissed employee belongs to nothing). For reading."""
    user = peek_user(org.users, uid)
    if user is None or uid in org.hidden_users:
        raise ApiError(404, f"user {uid} not found")
    if user["isDismissed"]:
        raise ApiError(400, f"user {uid} is dismissed", field=field)
    return user


def find_group(org: Org, gid: int) -> dict[str, Any]:
    """The group ``gid`` or 404."""
    group = org.groups.get(gid)
    if group is None:
        raise ApiError(404, f"group {gid} not found")
    return group


def find_department(org: Org, did: int) -> dict[str, Any]:
    """The department ``did`` or 404."""
    dep = org.departments.get(did)
    if dep is None:
        raise ApiError(404, f"department {did} not found")
    return dep


def short_user(user: dict[str, Any]) -> dict[str, Any]:
    """ShortUser (§8.1)."""
    return {"id": user["id"], "nickname": user["nickname"],
            "departmentId": user["departmentId"], "email": user["email"],
            "name": dict(user["name"]), "gender": user["gender"], "position": user["position"],
            "avatarId": user["avatarId"]}


def short_group(group: dict[str, Any]) -> dict[str, Any]:
    """ShortGroup (§8.1)."""
    return {"id": group["id"], "name": group["name"], "membersCount": group["membersCount"]}


def short_department(dep: dict[str, Any]) -> dict[str, Any]:
    """ShortDepartment (§8.1)."""
    return {"id": dep["id"], "name": dep["name"], "membersCount": dep["membersCount"]}


def member_lists(org: Org, group: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A group's direct members in short forms, one list per member type."""
    out: dict[str, list[dict[str, Any]]] = {"users": [], "groups": [], "departments": []}
    users = peek_users(org.users, [m["id"] for m in group["members"]
                                   if m["type"] == "user" and m["id"] in org.users])
    for member in group["members"]:
        kind, mid = member["type"], member["id"]
        if kind == "user" and mid in org.users:
            out["users"].append(short_user(next(users)))
        elif kind == "group" and int(mid) in org.groups:
            out["groups"].append(short_group(org.groups[int(mid)]))
        elif kind == "department" and int(mid) in org.departments:
            out["departments"].append(short_department(org.departments[int(mid)]))
    return out


def name_owner(org: Org, name: str) -> str | None:
    """What already uses mailbox local part ``name`` (a nickname, label or alias), if anything.

    Users, groups and departments share one namespace on the org domain.
    """
    users = org.users
    if isinstance(users, LazyUsers):  # an index of the generated names, then the pinned users
        uid = users.name_owner(name)
        if uid is not None:
            return f"user {uid}"
        kept: Any = (user for _, user in users.pinned())
    else:
        kept = users.values()
    for user in kept:
        if user["nickname"] == name or name in user["aliases"]:
            return f"user {user['id']}"
    for kind, items in (("group", org.groups), ("department", org.departments)):
        for item in items.values():
            if item.get("label") == name or name in item.get("aliases", ()):
                return f"{kind} {item['id']}"
    return None


def _claim_name(org: Org, name: str, field: str) -> str:
    """Validate a nickname/label/alias and 409 if it is taken; returns it lowercased."""
    name = name.strip().lower()
    if not NAME_RE.match(name):
        raise ApiError(400, f"invalid {field}: {name!r}", field=field)
    owner = name_owner(org, name)
    if owner is not None:
        raise ApiError(409, f"{field} {name!r} is already used by {owner}")
    return name


def _record(org: Org, caller_uid: str, kind: str, **meta: Any) -> None:
    events.record(org, EVENT + kind, uid=caller_uid, meta=meta)


# ---------------------------------------------------------------- department counts


def ancestors(org: Org, did: int) -> list[int]:
    """``did`` and every department above it, up to the root."""
    chain: list[int] = []
    while did in org.departments and did not in chain:
        chain.append(did)
        did = org.departments[did]["parentId"]
    return chain


def _count_in(org: Org, did: int, delta: int) -> None:
    for dep_id in ancestors(org, did):
        org.departments[dep_id]["membersCount"] += delta


# ---------------------------------------------------------------- user body parsing


def _name_field(body: dict[str, Any], current: dict[str, str] | None) -> dict[str, str] | None:
    raw = body.get("name")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ApiError(400, "field name must be an object", field="name")
    name = dict(current or {"first": "", "last": "", "middle": ""})
    for part in ("first", "last", "middle"):
        value = opt_str(raw, part)
        if value is not None:
            name[part] = value
    return name


def parse_contacts(raw: list[Any]) -> list[dict[str, Any]]:
    """Manual contacts from a request: synthetic input is dropped, extra keys ignored."""
    contacts = []
    for i, item in enumerate(raw):
        field = f"contacts[{i}]"
        if not isinstance(item, dict):
            raise ApiError(400, f"{field} must be an object", field=field)
        if item.get("synthetic") is True:
            continue
        kind = item.get("type")
        if kind not in CONTACT_TYPES:
            raise ApiError(400, f"{field}.type must be one of {', '.join(CONTACT_TYPES)}",
                           field=f"{field}.type")
        value = item.get("value")
        if not isinstance(value, str) or not value.strip():
            raise ApiError(400, f"{field}.value must be a non-empty string",
                           field=f"{field}.value")
        label = item.get("label") or ""
        if not isinstance(label, str):
            raise ApiError(400, f"{field}.label must be a string", field=f"{field}.label")
        contacts.append({"type": kind, "value": value, "main": item.get("main") is True,
                         "alias": False, "synthetic": False, "label": label})
    return contacts


def _user_changes(org: Org, body: dict[str, Any], user: dict[str, Any] | None
                  ) -> dict[str, Any]:
    """The User keys a create/PATCH body sets, validated (400/404) but not yet applied."""
    changes: dict[str, Any] = {}
    for field in USER_TEXT_FIELDS:
        value = opt_str(body, field)
        if value is not None:
            changes[field] = value
    gender = opt_str(body, "gender")
    if gender is not None:
        if gender not in GENDERS:
            raise ApiError(400, "gender must be male, female or empty", field="gender")
        changes["gender"] = gender
    birthday = opt_str(body, "birthday")
    if birthday is not None:
        changes["birthday"] = _birthday(birthday)
    name = _name_field(body, user["name"] if user else None)
    if name is not None:
        changes["name"] = name
    dep_id = opt_int(body, "departmentId")
    if dep_id is not None:
        find_department(org, dep_id)
        changes["departmentId"] = dep_id
    for flag in ("isAdmin", "isEnabled"):
        value = opt_bool(body, flag)
        if value is not None:
            changes[flag] = value
    contacts = opt_list(body, "contacts")
    if contacts is not None:
        changes["contacts"] = parse_contacts(contacts)
    opt_bool(body, "passwordChangeRequired")  # accepted, not part of the User object
    return changes


def _birthday(value: str) -> str:
    if value == "":  # clears the field, which the User object shows as ""
        return value
    try:
        ok = bool(BIRTHDAY_RE.match(value)) and date.fromisoformat(value) is not None
    except ValueError:
        ok = False
    if not ok:
        raise ApiError(400, "birthday must match ^\\d{4}-\\d{2}-\\d{2}$", field="birthday")
    return value


def _password(body: dict[str, Any], *, required: bool) -> str | None:
    password = req_str(body, "password") if required else opt_str(body, "password")
    if password is not None and len(password) < 6:
        raise ApiError(400, "password is too short (6 characters at least)", field="password")
    return password


def _synthetic_email(address: str, *, alias: bool) -> dict[str, Any]:
    return {"type": "email", "value": address, "main": not alias, "alias": alias,
            "synthetic": True, "label": ""}


def _next_uid(org: Org) -> str:
    # org.users is in id order (state.py), so the last key is the largest id.
    last = next(reversed(org.users), "1130000000000000")
    return str(int(last) + 1)


# ---------------------------------------------------------------- user writes


@locked
def create_user(org: Org, body: dict[str, Any], caller_uid: str) -> dict[str, Any]:
    """POST /users (§6.4): validate, add, count into the department, log the events."""
    if not isinstance(body.get("name"), dict):
        raise ApiError(400, "field name is required", field="name")
    for part in ("first", "last"):
        req_str(body["name"], part)
    if body.get("departmentId") is None:
        raise ApiError(400, "field departmentId is required", field="departmentId")
    nickname = req_str(body, "nickname")
    _password(body, required=True)
    changes = _user_changes(org, body, None)
    nickname = _claim_name(org, nickname, "nickname")
    now = stamp()
    email = f"{nickname}@{org.domain}"
    user = {
        "id": _next_uid(org), "nickname": nickname, "departmentId": changes["departmentId"],
        "email": email, "name": changes["name"], "gender": "", "position": "",
        "avatarId": "", "about": "", "birthday": "",
        "contacts": [_synthetic_email(email, alias=False)], "aliases": [], "groups": [],
        "externalId": "", "isAdmin": False, "isRobot": False, "isDismissed": False,
        "isEnabled": True, "isEnabledUpdatedAt": now, "timezone": "Europe/Moscow",
        "language": "ru", "createdAt": now, "updatedAt": now, "displayName": "",
    }
    changes.pop("isEnabled", None)  # a new account always starts enabled
    contacts = changes.pop("contacts", [])
    user.update(changes)
    user["contacts"].extend(contacts)
    org.users[user["id"]] = user
    org.auth_types[user["id"]] = "portal"
    org.two_fa[user["id"]] = {"has2fa": False, "hasSecurityPhone": False}
    _count_in(org, user["departmentId"], 1)
    if user["isAdmin"]:
        _sync_admin_group(org, user, caller_uid)
    touch(org)
    _record(org, caller_uid, "user_created", user_id=user["id"], nickname=nickname)
    _record(org, caller_uid, "department_member_created", department_id=user["departmentId"],
            user_id=user["id"])
    return user


@locked
def update_user(org: Org, uid: str, body: dict[str, Any], caller_uid: str) -> dict[str, Any]:
    """PATCH /users/{id} (§6.5): only supplied keys change."""
    user = find_user(org, uid, writable=True)
    changes = _user_changes(org, body, user)
    password = _password(body, required=False)
    nickname = opt_str(body, "nickname")
    if nickname is not None and nickname.strip().lower() != user["nickname"]:
        nickname = _claim_name(org, nickname, "nickname")
    else:
        nickname = None
    changes = {k: v for k, v in changes.items() if user.get(k) != v or k == "contacts"}
    if nickname is not None:
        _rename(org, user, nickname)
        changes["nickname"] = nickname
    if "contacts" in changes:
        changes["contacts"] = _keep_synthetic(user) + changes["contacts"]
    old_dep = user["departmentId"]
    now = stamp()
    user.update(changes)
    if "isEnabled" in changes:
        user["isEnabledUpdatedAt"] = now
    if changes or password is not None:
        user["updatedAt"] = now
    _after_user_update(org, user, changes, old_dep, password is not None, caller_uid)
    return user


def _rename(org: Org, user: dict[str, Any], nickname: str) -> None:
    """New nickname: the primary address and its synthetic contact follow it."""
    old_email = user["email"]
    user["nickname"] = nickname
    user["email"] = f"{nickname}@{org.domain}"
    for contact in user["contacts"]:
        if contact.get("synthetic") and contact["value"] == old_email:
            contact["value"] = user["email"]


def _keep_synthetic(user: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in user["contacts"] if c.get("synthetic")]


def _after_user_update(org: Org, user: dict[str, Any], changes: dict[str, Any], old_dep: int,
                       password_set: bool, caller_uid: str) -> None:
    uid = user["id"]
    if "departmentId" in changes and not user["isDismissed"]:
        _count_in(org, old_dep, -1)
        _count_in(org, user["departmentId"], 1)
        _record(org, caller_uid, "department_member_deleted", department_id=old_dep,
                user_id=uid)
        _record(org, caller_uid, "department_member_created",
                department_id=user["departmentId"], user_id=uid)
    if "isAdmin" in changes:
        _sync_admin_group(org, user, caller_uid)
    if "isEnabled" in changes:
        _record(org, caller_uid, "user_unblocked" if user["isEnabled"] else "user_blocked",
                user_id=uid)
    if password_set:
        _record(org, caller_uid, "user_password_updated", user_id=uid)
    other = sorted(set(changes) - {"isEnabled", "departmentId"})
    if other or "departmentId" in changes:
        _record(org, caller_uid, "user_updated", user_id=uid,
                fields=sorted(set(changes) - {"isEnabled"}))


def _sync_admin_group(org: Org, user: dict[str, Any], caller_uid: str) -> None:
    """Keep the system ``organization_admin`` group's members equal to the admins."""
    for group in org.groups.values():
        if group["type"] == "organization_admin":
            if user["isAdmin"]:
                _add_member(org, group, "user", user["id"], caller_uid)
            else:
                _remove_member(org, group, "user", user["id"], caller_uid)


@locked
def dismiss_user(org: Org, uid: str, caller_uid: str) -> dict[str, Any]:
    """DELETE /users/{id} (§6.6): dismissed, hidden from lists, out of groups and counts."""
    user = find_user(org, uid, writable=True)
    for gid in list(user["groups"]):
        _remove_member(org, org.groups[gid], "user", uid, caller_uid)
    for group in org.groups.values():
        if uid in group["adminIds"]:
            group["adminIds"].remove(uid)
    for dep in org.departments.values():
        if dep.get("headId") == uid:
            dep["headId"] = ""
    if not user["isDismissed"]:
        _count_in(org, user["departmentId"], -1)
    user["isDismissed"] = True
    user["updatedAt"] = stamp()
    org.hidden_users.add(uid)
    touch(org)
    _record(org, caller_uid, "user_dismissed", user_id=uid)
    return user


@locked
def set_contacts(org: Org, uid: str, raw: list[Any] | None, caller_uid: str
                 ) -> dict[str, Any]:
    """PUT (``raw`` a list) or DELETE (``raw`` None) /users/{id}/contacts (§6.7)."""
    user = find_user(org, uid, writable=True)
    manual = parse_contacts(raw) if raw is not None else []
    user["contacts"] = _keep_synthetic(user) + manual
    user["updatedAt"] = stamp()
    _record(org, caller_uid, "user_updated", user_id=uid, fields=["contacts"])
    return user


@locked
def add_user_alias(org: Org, uid: str, alias: str, caller_uid: str) -> dict[str, Any]:
    """POST /users/{id}/aliases (§6.8): 409 if any user, group or department uses the name."""
    user = find_user(org, uid, writable=True)
    alias = _claim_name(org, alias, "alias")
    user["aliases"].append(alias)
    user["contacts"].append(_synthetic_email(f"{alias}@{org.domain}", alias=True))
    user["updatedAt"] = stamp()
    _record(org, caller_uid, "user_alias_created", user_id=uid, alias=alias)
    return user


@locked
def remove_user_alias(org: Org, uid: str, alias: str, caller_uid: str) -> None:
    """DELETE /users/{id}/aliases/{alias} (§6.8): 404 if the user has no such alias."""
    user = find_user(org, uid, writable=True)
    if alias not in user["aliases"]:
        raise ApiError(404, f"alias {alias!r} not found")
    user["aliases"].remove(alias)
    address = f"{alias}@{org.domain}"
    user["contacts"] = [c for c in user["contacts"]
                        if not (c.get("alias") and c["value"] == address)]
    user["updatedAt"] = stamp()
    _record(org, caller_uid, "user_alias_deleted", user_id=uid, alias=alias)


@locked
def set_auth_type(org: Org, uid: str, body: dict[str, Any], caller_uid: str) -> None:
    """PATCH /users/{id}/auth_type (§6.11); the method lives in ``org.auth_types`` only."""
    user = find_user(org, uid, writable=True)
    auth_type = opt_str(body, "authType")
    if auth_type not in ("portal", "idp"):
        raise ApiError(400, "authType must be portal or idp", field="authType")
    password = _password(body, required=False)
    opt_bool(body, "passwordChangeRequired")
    drop_otp = opt_bool(body, "dropOtp") or False
    current = org.auth_types.get(uid, "portal")
    if current == "idp" and auth_type == "portal" and password is None:
        raise ApiError(400, "password is required to switch from idp to portal",
                       field="password")
    org.auth_types[uid] = auth_type
    if current == "portal" and auth_type == "idp" and drop_otp:
        org.two_fa[uid] = {"has2fa": False, "hasSecurityPhone": False}
    user["updatedAt"] = stamp()
    _record(org, caller_uid, "user_updated", user_id=uid, auth_type=auth_type)
    if password is not None and auth_type == "portal":
        _record(org, caller_uid, "user_password_updated", user_id=uid)


def user_2fa(org: Org, uid: str) -> dict[str, Any]:
    """GET /users/{id}/2fa (§6.10)."""
    find_user(org, uid)
    state = org.two_fa.get(uid, {})
    return {"userId": uid, "has2fa": bool(state.get("has2fa")),
            "hasSecurityPhone": bool(state.get("hasSecurityPhone"))}


@locked
def set_avatar(org: Org, uid: str, caller_uid: str) -> dict[str, Any]:
    """PUT /users/{id}/avatar: a new ``avatarId``; returns the User."""
    user = find_user(org, uid, writable=True)
    user["avatarId"] = f"{uid}-{stamp().replace(':', '')}"
    user["updatedAt"] = stamp()
    _record(org, caller_uid, "user_updated", user_id=uid, fields=["avatarId"])
    return user


@locked
def reset_2fa(org: Org, uid: str, caller_uid: str) -> None:
    """DELETE /users/{id}/2fa (§6.10): the personal 2FA setup and security phone are gone."""
    find_user(org, uid, writable=True)
    org.two_fa[uid] = {"has2fa": False, "hasSecurityPhone": False}
    _record(org, caller_uid, "user_updated", user_id=uid, fields=["2fa"])


# ---------------------------------------------------------------- group membership


def _member_exists(org: Org, kind: str, mid: str) -> None:
    """404 unless the member exists (a deleted user cannot join anything)."""
    if kind == "user":
        active_user(org, mid, "id")
        return
    if not mid.isdigit():
        raise ApiError(404, f"{kind} {mid} not found")
    if kind == "group":
        find_group(org, int(mid))
    else:
        find_department(org, int(mid))


def _contains_group(org: Org, outer: int, inner: int) -> bool:
    """Whether group ``outer`` holds group ``inner``, directly or through nested groups."""
    seen: set[int] = set()
    stack = [outer]
    while stack:
        gid = stack.pop()
        if gid == inner:
            return True
        if gid in seen or gid not in org.groups:
            continue
        seen.add(gid)
        stack.extend(int(m["id"]) for m in org.groups[gid]["members"] if m["type"] == "group")
    return False


def check_member(org: Org, group: dict[str, Any], kind: str, mid: str) -> None:
    """Validate a prospective member of ``group``: type (400), existence (404), cycles (400)."""
    if kind not in MEMBER_TYPES:
        raise ApiError(400, "member type must be user, group or department", field="type")
    _member_exists(org, kind, mid)
    if kind == "group" and _contains_group(org, int(mid), group["id"]):
        raise ApiError(400, f"adding group {mid} to group {group['id']} would create a cycle")


def _is_member(group: dict[str, Any], kind: str, mid: str) -> bool:
    return any(m["type"] == kind and m["id"] == mid for m in group["members"])


def _add_member(org: Org, group: dict[str, Any], kind: str, mid: str, caller_uid: str
                ) -> bool:
    """Add a validated member; False (nothing logged) when it already is one."""
    if _is_member(group, kind, mid):
        return False
    group["members"].append({"type": kind, "id": mid})
    group["membersCount"] = len(group["members"])
    if kind == "user":
        org.users[mid]["groups"].append(group["id"])
    elif kind == "group":
        org.groups[int(mid)]["memberOf"].append(group["id"])
    _record(org, caller_uid, "group_member_created", group_id=group["id"], member_type=kind,
            member_id=mid)
    return True


def _remove_member(org: Org, group: dict[str, Any], kind: str, mid: str, caller_uid: str
                   ) -> bool:
    """Remove a member; False when it was not one."""
    if not _is_member(group, kind, mid):
        return False
    group["members"] = [m for m in group["members"] if not (m["type"] == kind and m["id"] == mid)]
    group["membersCount"] = len(group["members"])
    gid = group["id"]
    if kind == "user" and mid in org.users and gid in peek_user(org.users, mid)["groups"]:
        org.users[mid]["groups"].remove(gid)
    elif kind == "group" and int(mid) in org.groups and gid in org.groups[int(mid)]["memberOf"]:
        org.groups[int(mid)]["memberOf"].remove(gid)
    _record(org, caller_uid, "group_member_deleted", group_id=gid, member_type=kind,
            member_id=mid)
    return True


def writable_group(org: Org, gid: int) -> dict[str, Any]:
    """The group, or 403 for system groups.

    System groups (admins, deputy admins, robots) are maintained by the organisation itself
    (e.g. ``isAdmin`` on a user); the request is well-formed and the group exists, the caller
    just may not change it, so this is PERMISSION_DENIED (403), not a bad request (400).
    """
    group = find_group(org, gid)
    if group["type"] != "generic":
        raise ApiError(403, f"group {gid} is a system group ({group['type']}) and cannot be "
                            "changed")
    return group


def parse_members(org: Org, group: dict[str, Any], raw: Any) -> list[tuple[str, str]]:
    """``[{type, id}]`` from a body, each validated against ``group``; duplicates dropped."""
    if not isinstance(raw, list):
        raise ApiError(400, "field members must be an array", field="members")
    out: list[tuple[str, str]] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ApiError(400, f"members[{i}] must be an object", field=f"members[{i}]")
        kind = item.get("type", "user")
        mid = id_str(item.get("id"), f"members[{i}].id")
        check_member(org, group, kind, mid)
        if (kind, mid) not in out:
            out.append((kind, mid))
    return out


@locked
def add_member(org: Org, gid: int, kind: str, mid: str, caller_uid: str) -> None:
    """POST /groups/{id}/members (§8.2). Adding an existing member is a no-op (see route)."""
    group = writable_group(org, gid)
    check_member(org, group, kind, mid)
    _add_member(org, group, kind, mid, caller_uid)


@locked
def remove_member(org: Org, gid: int, kind: str, mid: str, caller_uid: str) -> None:
    """DELETE /groups/{id}/members/{type}/{memberId}: 404 when not a member."""
    group = writable_group(org, gid)
    if kind not in MEMBER_TYPES:
        raise ApiError(400, "member type must be user, group or department", field="type")
    if not _remove_member(org, group, kind, mid, caller_uid):
        raise ApiError(404, f"{kind} {mid} is not a member of group {gid}")


@locked
def clear_members(org: Org, gid: int, caller_uid: str) -> dict[str, list[dict[str, Any]]]:
    """DELETE /groups/{id}/members: every member removed; returns them in short forms."""
    group = writable_group(org, gid)
    removed = member_lists(org, group)
    for member in list(group["members"]):
        _remove_member(org, group, member["type"], member["id"], caller_uid)
    return removed


@locked
def replace_members(org: Org, gid: int, raw: Any, caller_uid: str) -> dict[str, Any]:
    """PUT /groups/{id}/members: the group's members become exactly ``raw``."""
    group = writable_group(org, gid)
    wanted = parse_members(org, group, raw)
    _apply_members(org, group, wanted, caller_uid)
    return group


def _apply_members(org: Org, group: dict[str, Any], wanted: list[tuple[str, str]],
                   caller_uid: str) -> None:
    for member in list(group["members"]):
        if (member["type"], member["id"]) not in wanted:
            _remove_member(org, group, member["type"], member["id"], caller_uid)
    for kind, mid in wanted:
        _add_member(org, group, kind, mid, caller_uid)


V2_KEYS = (("userIds", "user"), ("groupIds", "group"), ("departmentIds", "department"),
           ("externalContactIds", "externalContact"), ("sharedMailboxIds", "sharedMailbox"))


@locked
def patch_members_v2(org: Org, gid: int, body: dict[str, Any], add: bool, caller_uid: str
                     ) -> None:
    """PATCH /directory/v2/…/members/add|delete (§8.3): validate all ids, then apply."""
    group = writable_group(org, gid)
    changes: list[tuple[str, str]] = []
    for key, kind in V2_KEYS:
        for i, value in enumerate(opt_list(body, key) or []):
            mid = id_str(value, f"{key}[{i}]")
            if kind not in MEMBER_TYPES:  # the emulated org has no such objects
                raise ApiError(404, f"{kind} {mid} not found")
            if add:
                check_member(org, group, kind, mid)
            changes.append((kind, mid))
    for kind, mid in changes:
        if add:
            _add_member(org, group, kind, mid, caller_uid)
        else:
            _remove_member(org, group, kind, mid, caller_uid)


# ---------------------------------------------------------------- groups


def _str_ids(raw: Any, field: str) -> list[str]:
    if not isinstance(raw, list):
        raise ApiError(400, f"field {field} must be an array", field=field)
    return [id_str(v, f"{field}[{i}]") for i, v in enumerate(raw)]


def _admin_ids(org: Org, raw: Any) -> list[str]:
    ids = list(dict.fromkeys(_str_ids(raw, "adminIds")))
    for uid in ids:
        active_user(org, uid, "adminIds")
    return ids


def _label_email(org: Org, label: str) -> str:
    return f"{label}@{org.domain}" if label else ""


@locked
def create_group(org: Org, body: dict[str, Any], caller_uid: str) -> dict[str, Any]:
    """POST /groups (§8.2): a generic group; the caller is not added."""
    name = req_str(body, "name")
    label = opt_str(body, "label") or ""
    gid = max(org.groups, default=0) + 1
    group: dict[str, Any] = {
        "id": gid, "name": name, "type": "generic",
        "description": opt_str(body, "description") or "", "membersCount": 0, "label": "",
        "email": "", "aliases": [], "externalId": opt_str(body, "externalId") or "",
        "removed": False, "members": [], "memberOf": [], "adminIds": [],
        "authorId": caller_uid, "createdAt": stamp(),
    }
    wanted = parse_members(org, group, body["members"]) if "members" in body else []
    admins = _admin_ids(org, body["adminIds"]) if "adminIds" in body else []
    if label:
        group["label"] = _claim_name(org, label, "label")
        group["email"] = _label_email(org, group["label"])
    group["adminIds"] = admins
    org.groups[gid] = group
    touch(org)
    _record(org, caller_uid, "group_created", group_id=gid, name=name)
    _apply_members(org, group, wanted, caller_uid)
    return group


@locked
def update_group(org: Org, gid: int, body: dict[str, Any], caller_uid: str) -> dict[str, Any]:
    """PATCH /groups/{id} (§8.2): the create fields, each only when supplied."""
    group = writable_group(org, gid)
    changes: dict[str, Any] = {}
    if "name" in body:
        changes["name"] = req_str(body, "name")
    for field in ("description", "externalId"):
        value = opt_str(body, field)
        if value is not None:
            changes[field] = value
    label = opt_str(body, "label")
    if label is not None and label.strip().lower() != group["label"]:
        changes["label"] = _claim_name(org, label, "label") if label else ""
        changes["email"] = _label_email(org, changes["label"])
    wanted = parse_members(org, group, body["members"]) if "members" in body else None
    if "adminIds" in body:
        changes["adminIds"] = _admin_ids(org, body["adminIds"])
    group.update(changes)
    _record(org, caller_uid, "group_updated", group_id=gid, fields=sorted(changes))
    if wanted is not None:
        _apply_members(org, group, wanted, caller_uid)
    return group


@locked
def delete_group(org: Org, gid: int, caller_uid: str) -> None:
    """DELETE /groups/{id}: out of its parents, its members lose it, then it is gone."""
    group = writable_group(org, gid)
    for parent in list(group["memberOf"]):
        _remove_member(org, org.groups[parent], "group", str(gid), caller_uid)
    for member in list(group["members"]):
        _remove_member(org, group, member["type"], member["id"], caller_uid)
    del org.groups[gid]
    touch(org)
    _record(org, caller_uid, "group_deleted", group_id=gid)


@locked
def set_admins(org: Org, gid: int, raw: Any, caller_uid: str) -> dict[str, Any]:
    """PUT (``raw`` a list) or DELETE (``raw`` empty) /groups/{id}/admins."""
    group = writable_group(org, gid)
    group["adminIds"] = _admin_ids(org, raw)
    _record(org, caller_uid, "group_updated", group_id=gid, fields=["adminIds"])
    return group


# ---------------------------------------------------------------- departments


def _head_id(org: Org, body: dict[str, Any]) -> str | None:
    if body.get("headId") in (None, ""):
        return "" if "headId" in body else None
    uid = id_str(body["headId"], "headId")
    active_user(org, uid, "headId")
    return uid


@locked
def create_department(org: Org, body: dict[str, Any], caller_uid: str) -> dict[str, Any]:
    """POST /departments (§7.2): ``parentId`` must exist (404), a label must be free (409)."""
    name = req_str(body, "name")
    parent = opt_int(body, "parentId")
    if parent is None:
        raise ApiError(400, "field parentId is required", field="parentId")
    find_department(org, parent)
    head = _head_id(org, body) or ""
    label = opt_str(body, "label") or ""
    if label:
        label = _claim_name(org, label, "label")
    did = max(org.departments, default=0) + 1
    dep = {
        "id": did, "name": name, "parentId": parent,
        "description": opt_str(body, "description") or "",
        "externalId": opt_str(body, "externalId") or "", "label": label,
        "email": _label_email(org, label), "headId": head, "membersCount": 0,
        "aliases": [], "createdAt": stamp(),
    }
    org.departments[did] = dep
    touch(org)
    _record(org, caller_uid, "department_created", department_id=did, name=name)
    return dep


@locked
def update_department(org: Org, did: int, body: dict[str, Any], caller_uid: str
                      ) -> dict[str, Any]:
    """PATCH /departments/{id}: moving under itself or a descendant is a 400 (no cycles)."""
    dep = find_department(org, did)
    changes: dict[str, Any] = {}
    if "name" in body:
        changes["name"] = req_str(body, "name")
    for field in ("description", "externalId"):
        value = opt_str(body, field)
        if value is not None:
            changes[field] = value
    parent = opt_int(body, "parentId")
    if parent is not None and parent != dep["parentId"]:
        changes["parentId"] = _valid_parent(org, dep, parent)
    head = _head_id(org, body)
    if head is not None:
        changes["headId"] = head
    label = opt_str(body, "label")
    if label is not None and label.strip().lower() != dep["label"]:
        changes["label"] = _claim_name(org, label, "label") if label else ""
        changes["email"] = _label_email(org, changes["label"])
    if "parentId" in changes:
        _count_in(org, dep["parentId"], -dep["membersCount"])
    dep.update(changes)
    if "parentId" in changes:
        _count_in(org, dep["parentId"], dep["membersCount"])
        touch(org)
    if "name" in changes:
        touch(org)
    _record(org, caller_uid, "department_updated", department_id=did, fields=sorted(changes))
    return dep


def _valid_parent(org: Org, dep: dict[str, Any], parent: int) -> int:
    if dep["id"] == 1:
        raise ApiError(400, "the root department cannot be moved", field="parentId")
    find_department(org, parent)
    if dep["id"] in ancestors(org, parent):
        raise ApiError(400, "a department cannot move under itself or its sub-department",
                       field="parentId")
    return parent


@locked
def delete_department(org: Org, did: int, caller_uid: str) -> None:
    """DELETE /departments/{id}: refused (400) for the root and for non-empty departments."""
    find_department(org, did)
    if did == 1:
        raise ApiError(400, "the root department cannot be deleted")
    if any(d["parentId"] == did for d in org.departments.values()):
        raise ApiError(400, f"department {did} has sub-departments")
    if any(u["departmentId"] == did for u in visible_users(org)):
        raise ApiError(400, f"department {did} has employees")
    for group in org.groups.values():
        _remove_member(org, group, "department", str(did), caller_uid)
    del org.departments[did]
    touch(org)
    _record(org, caller_uid, "department_deleted", department_id=did)


@locked
def add_department_alias(org: Org, did: int, alias: str, caller_uid: str) -> dict[str, Any]:
    """POST /departments/{id}/aliases."""
    dep = find_department(org, did)
    dep["aliases"].append(_claim_name(org, alias, "alias"))
    _record(org, caller_uid, "department_updated", department_id=did, fields=["aliases"])
    return dep


@locked
def remove_department_alias(org: Org, did: int, alias: str, caller_uid: str) -> None:
    """DELETE /departments/{id}/aliases/{alias}: 404 if the department has no such alias."""
    dep = find_department(org, did)
    if alias not in dep["aliases"]:
        raise ApiError(404, f"alias {alias!r} not found")
    dep["aliases"].remove(alias)
    _record(org, caller_uid, "department_updated", department_id=did, fields=["aliases"])
