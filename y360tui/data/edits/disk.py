"""Unpublish a user's public Disk resource through the admin route (reference §11.2)."""

from __future__ import annotations

from typing import Any

from ..journal import Target
from . import calls
from .base import Change, Edit, Plan

MACRO_TEXT = {"all": "anyone with the link", "employees": "employees of the organisation"}


def access_name(entry: dict[str, Any], names: dict[str, str]) -> str:
    """Who an access entry (wire form) lets in: ``anyone with the link``, ``user ivan``.

    ``names`` maps ``"<type>:<id>"`` to a readable name where the caller knows one.
    """
    kind = str(entry.get("type") or "")
    if kind == "macro":
        return ", ".join(MACRO_TEXT.get(m, m) for m in entry.get("macros") or []) or "macro"
    ident = str(entry.get("id", ""))
    return f"{kind} {names.get(f'{kind}:{ident}', ident)}".strip()


def rights_text(entry: dict[str, Any]) -> str:
    return ", ".join(str(r) for r in entry.get("rights") or []) or "no rights"


class Unpublish(Edit):
    """PUT ``/v1/disk/public/resources/admin/unpublish`` for one resource.

    ``current`` is the admin list item (``public_hash``, ``name``, ``path``) plus ``user_id``,
    the owner's uid, and optionally ``owner`` (login), ``accesses`` (the PublicSettings
    entries, wire form) and ``names`` (see :func:`access_name`). :meth:`load` reads the
    access entries fresh, so the confirmation lists what really goes away.
    """

    action = "file.unpublish"
    title = "Unpublish"
    # The journal drills to the file's detail (``<owner uid>:<path>``, as the Shared files
    # view names it); the public key itself is the plan's "public link" line.
    target_kind = "shared_file"
    bulk = True

    @property
    def public_key(self) -> str:
        return str(self.current.get("public_hash") or self.current.get("public_key") or "")

    @property
    def owner_uid(self) -> str:
        return str(self.current.get("user_id") or "")

    @property
    def target(self) -> Target:
        path = str(self.current.get("path") or "")
        ident = f"{self.owner_uid}:{path}" if path else self.public_key
        return Target(self.target_kind, ident, path or str(self.current.get("name") or ""))

    def check(self) -> dict[str, str]:
        if not self.public_key:
            return {"public_key": "this resource is not published"}
        if not self.owner_uid:
            return {"user_id": "the owner is unknown"}
        if self.current.get("published") is False:
            return {"public_key": "this resource is not published any more"}
        return {}

    async def load(self, client: Any) -> None:
        """Read the access entries by public key (a 404 means someone unpublished it)."""
        if not self.public_key:
            return
        settings = await calls.find_public_settings(client, self.public_key)
        self.current["published"] = settings is not None
        self.current["accesses"] = (settings or {}).get("accesses") or []

    def plan(self) -> Plan:
        """The link goes, and with it the link's audience (``all``/``employees``); personal
        entries (users, groups, departments) are not part of the link and stay."""
        names = self.current.get("names") or {}
        accesses = self.current.get("accesses") or []
        changes = [Change("public link", self.public_key, None)]
        changes += [Change(f"access: {access_name(a, names)}", rights_text(a), None)
                    for a in accesses if a.get("type") == "macro"]
        owner = self.current.get("owner") or self.owner_uid
        notes = [f"owner: {owner} (uid {self.owner_uid}); the file stays on their Disk",
                 f"public URL: {self.current.get('public_url') or public_url_note()}"]
        kept = [f"{access_name(a, names)} ({rights_text(a)})" for a in accesses
                if a.get("type") not in ("macro", "owner")]
        if kept:
            notes.append("personal access stays: " + "; ".join(kept))
        return self.new_plan(changes, notes)

    async def apply(self, client: Any) -> None:
        await calls.unpublish(client, self.public_key, self.owner_uid)

    async def verify(self, client: Any) -> list[str]:
        """Gone when the key no longer answers and the owner's list no longer has it."""
        problems = []
        if await calls.find_public_settings(client, self.public_key) is not None:
            problems.append("the public link still answers")
        if self.public_key in await calls.public_keys_of(client, self.owner_uid):
            problems.append("the owner's public resources still list it")
        return problems


def public_url_note() -> str:
    """The admin routes return the public key, not the URL (§11.2): say so rather than guess."""
    return "not returned by the admin API; the public key above identifies the link"
