"""The named fields of each directory list: what ``/`` and ``--filter`` test, what export writes.

A view's fields are the words of its columns (``status``, ``2fa``, ``dept``…) plus values no
column shows (ids, e-mail) and yes/no shortcuts for filters (``admin:yes``). The TUI and the
headless export use the same tables, so a filter means the same thing in both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .directory import (
    G_DESCRIPTION,
    G_EMAIL,
    G_ID,
    G_MEMBERS,
    G_NAME,
    G_TYPE,
    U_ADMIN,
    U_DEPT,
    U_DEPT_ID,
    U_EMAIL,
    U_ID,
    U_LOGIN,
    U_NAME,
    U_POSITION,
    U_STATUS,
    two_fa_text,
)
from .query import CHOICE, FLAG, NUMBER, Field

if TYPE_CHECKING:
    from ..api.models import Department
    from .paged import LookupCache

NOT_ASKED = "—"  # 2FA of a dismissed user: not fetched, a dismissed account cannot sign in
UNKNOWN = "?"  # 2FA that could not be fetched


def _at(i: int) -> Callable[[Any], str]:
    return lambda row: row[i]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def user_fields(two_fa: LookupCache[str, Any] | None = None) -> list[Field]:
    """Fields of a user row (``data.directory.UserRow``); ``two_fa`` is the session's per-user
    2FA cache (None: no 2FA field)."""
    fields = [
        Field("id", "Id", _at(U_ID), aliases=("uid",)),
        Field("login", "Login", _at(U_LOGIN), aliases=("nickname",)),
        Field("email", "Email", _at(U_EMAIL), aliases=("mail",)),
        Field("name", "Name", _at(U_NAME)),
        Field("dept", "Department", _at(U_DEPT), aliases=("department",)),
        Field("dept_id", "Department id", _at(U_DEPT_ID), kind=NUMBER,
              aliases=("department_id",)),
        Field("position", "Position", _at(U_POSITION), aliases=("title",)),
        Field("status", "Status", _at(U_STATUS), kind=CHOICE,
              choices=("active", "blocked", "dismissed")),
        Field("role", "Admin", _at(U_ADMIN), kind=CHOICE, choices=("admin", "robot")),
        Field("admin", "Is admin", lambda row: _yes(row[U_ADMIN] == "admin"), kind=FLAG,
              export=False),
        Field("robot", "Is robot", lambda row: _yes(row[U_ADMIN] == "robot"), kind=FLAG,
              export=False),
    ]
    if two_fa is not None:
        fields.append(two_fa_field(two_fa))
    return fields


def two_fa_field(cache: LookupCache[str, Any]) -> Field:
    """The 2FA field: ``on``/``off`` from the per-user cache, pending until fetched."""

    def get(row: Any) -> str:
        if row[U_STATUS] == "dismissed":
            return NOT_ASKED
        if row[U_ID] in cache.errors:
            return UNKNOWN
        return two_fa_text(cache.get(row[U_ID]))

    def known(row: Any) -> bool:
        uid = row[U_ID]
        return row[U_STATUS] == "dismissed" or uid in cache.values or uid in cache.errors

    return Field("2fa", "2FA", get, kind=CHOICE, aliases=("twofa", "mfa"), known=known,
                 choices=("on", "off"))


def two_fa_wanted(row: Any) -> bool:
    """Whether a user row has a 2FA state worth fetching (not for dismissed users)."""
    return row[U_STATUS] != "dismissed"


def group_fields() -> list[Field]:
    """Fields of a group row (``data.directory.GroupRow``)."""
    return [
        Field("id", "Id", _at(G_ID), kind=NUMBER),
        Field("name", "Name", _at(G_NAME)),
        Field("type", "Type", _at(G_TYPE), kind=CHOICE),
        Field("members", "Members", _at(G_MEMBERS), kind=NUMBER, aliases=("size",)),
        Field("email", "Email", _at(G_EMAIL), aliases=("mail",)),
        Field("description", "Description", _at(G_DESCRIPTION), aliases=("desc",)),
    ]


def department_fields(names: dict[int, str] | None = None) -> list[Field]:
    """Fields of a ``Department`` model; ``names`` (id -> name) names the parent."""
    names = names or {}

    def parent(dep: Department) -> str:
        pid = dep.parent_id or 0
        return names.get(pid, str(pid) if pid else "")

    return [
        Field("id", "Id", lambda d: str(d.id), kind=NUMBER),
        Field("name", "Name", lambda d: d.name),
        Field("parent", "Parent", parent),
        Field("parent_id", "Parent id", lambda d: str(d.parent_id or ""), kind=NUMBER),
        Field("members", "Members", lambda d: str(d.members_count), kind=NUMBER),
        Field("head_id", "Head id", lambda d: str(d.head_id or ""), aliases=("head",)),
        Field("email", "Email", lambda d: d.email or "", aliases=("mail",)),
        Field("label", "Label", lambda d: d.label or ""),
        Field("description", "Description", lambda d: " ".join((d.description or "").split()),
              aliases=("desc",)),
    ]
