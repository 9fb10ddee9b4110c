"""The client calls edits make, in one place, each returning plain wire-format dicts.

Edits compare before/after as wire dicts (camelCase as in the reference), so every read here
goes through :func:`~y360tui.data.edits.base.wire`. ``find_*`` return None on 404 so a verify
step can tell "gone" from an error.
"""

from __future__ import annotations

import re
from typing import Any

from ...api.errors import NotFound
from .base import wire

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake(body: dict[str, Any]) -> dict[str, Any]:
    """Wire (camelCase) keys as the client's keyword arguments (``departmentId`` ->
    ``department_id``)."""
    return {_CAMEL.sub("_", k).lower(): v for k, v in body.items()}


async def get_user(client: Any, uid: str) -> dict[str, Any]:
    return wire(await client.directory.get_user(uid))


async def patch_user(client: Any, uid: str, body: dict[str, Any]) -> dict[str, Any]:
    return wire(await client.directory.update_user(uid, **snake(body)))


async def put_contacts(client: Any, uid: str, contacts: list[dict[str, str]]) -> None:
    await client.directory.set_contacts(uid, contacts)


async def add_alias(client: Any, uid: str, alias: str) -> None:
    await client.directory.add_user_alias(uid, alias)


async def remove_alias(client: Any, uid: str, alias: str) -> None:
    await client.directory.remove_user_alias(uid, alias)


async def set_auth_type(client: Any, uid: str, auth_type: str, *, password: str | None = None,
                        password_change_required: bool = False, drop_otp: bool = False) -> None:
    """Only the arguments the direction allows: the client refuses the others (§6.11)."""
    if auth_type == "portal":
        await client.directory.set_auth_type(
            uid, "portal", password=password, password_change_required=password_change_required)
    else:
        await client.directory.set_auth_type(uid, "idp", drop_otp=drop_otp)


async def get_2fa(client: Any, uid: str) -> dict[str, Any]:
    """``{"has2fa", "hasSecurityPhone"}`` read from the model's attributes (its camelCase
    alias generator would spell the first key ``has2Fa``)."""
    state = await client.directory.get_user_2fa(uid)
    return {"has2fa": bool(state.has2fa), "hasSecurityPhone": bool(state.has_security_phone)}


async def reset_2fa(client: Any, uid: str) -> None:
    await client.directory.reset_user_2fa(uid)


async def logout(client: Any, uid: str) -> None:
    await client.security.logout_user(uid)


async def get_group(client: Any, gid: int) -> dict[str, Any]:
    return wire(await client.directory.get_group(gid))


async def find_group(client: Any, gid: int) -> dict[str, Any] | None:
    try:
        return await get_group(client, gid)
    except NotFound:
        return None


async def create_group(client: Any, body: dict[str, Any]) -> dict[str, Any]:
    return wire(await client.directory.create_group(**snake(body)))


async def group_ids_named(client: Any, name: str) -> set[int]:
    """Ids of every group called ``name`` (reads the whole group list)."""
    return {int(g.id) async for g in client.directory.groups(per_page=1000).items()
            if g.name == name}


async def patch_group(client: Any, gid: int, body: dict[str, Any]) -> None:
    await client.directory.update_group(gid, **snake(body))


async def delete_group(client: Any, gid: int) -> None:
    await client.directory.delete_group(gid)


async def add_member(client: Any, gid: int, kind: str, member_id: str) -> None:
    await client.directory.add_group_member(gid, member_id, kind)


async def remove_member(client: Any, gid: int, kind: str, member_id: str) -> None:
    await client.directory.remove_group_member(gid, member_id, kind)


async def group_member_ids(client: Any, gid: int) -> set[tuple[str, str]]:
    """Direct members of a group as ``(type, id)`` pairs, from the v2 member list."""
    members = wire(await client.directory.group_members_v2(gid))
    out = {("user", str(u["id"])) for u in members.get("users") or []}
    out |= {("group", str(g["id"])) for g in members.get("groups") or []}
    out |= {("department", str(d["id"])) for d in members.get("departments") or []}
    return out


async def get_department(client: Any, did: int) -> dict[str, Any]:
    return wire(await client.directory.get_department(did))


async def find_department(client: Any, did: int) -> dict[str, Any] | None:
    try:
        return await get_department(client, did)
    except NotFound:
        return None


async def department_child_count(client: Any, did: int) -> int:
    """How many direct sub-departments ``did`` has (one page of one item is enough)."""
    page = await client.directory.departments(per_page=1, parent_id=did).get_page(1)
    return int(page.total or 0)


async def create_department(client: Any, body: dict[str, Any]) -> dict[str, Any]:
    return wire(await client.directory.create_department(**snake(body)))


async def department_ids_named(client: Any, parent_id: int, name: str) -> set[int]:
    """Ids of the sub-departments of ``parent_id`` called ``name``."""
    pager = client.directory.departments(per_page=1000, parent_id=parent_id)
    return {int(d.id) async for d in pager.items() if d.name == name}


async def patch_department(client: Any, did: int, body: dict[str, Any]) -> None:
    await client.directory.update_department(did, **snake(body))


async def delete_department(client: Any, did: int) -> None:
    await client.directory.delete_department(did)


async def unpublish(client: Any, public_key: str, owner_uid: str) -> None:
    await client.disk.admin_unpublish(owner_uid, public_key)


async def find_public_settings(client: Any, public_key: str) -> dict[str, Any] | None:
    try:
        return wire(await client.disk.admin_public_settings(public_key))
    except NotFound:
        return None


async def public_keys_of(client: Any, owner_uid: str) -> set[str]:
    """The public keys of every resource ``owner_uid`` still has published (admin list)."""
    return {r.public_hash async for r in client.disk.admin_public_resources(owner_uid).items()
            if r.public_hash}
