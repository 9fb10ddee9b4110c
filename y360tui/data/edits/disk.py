"""Unpublish a user's public Disk resource through the admin route (reference §11.2)."""

from __future__ import annotations

from typing import Any

from ..journal import Target
from . import calls
from .base import Change, Edit, Plan


class Unpublish(Edit):
    """PUT ``/v1/disk/public/resources/admin/unpublish`` for one resource.

    ``current`` is the admin list item (``public_hash``, ``name``, ``path``) plus ``user_id``,
    the owner's uid.
    """

    action = "file.unpublish"
    title = "Unpublish"
    target_kind = "file"
    bulk = True

    @property
    def public_key(self) -> str:
        return str(self.current.get("public_hash") or self.current.get("public_key") or "")

    @property
    def target(self) -> Target:
        return Target("file", self.public_key, str(self.current.get("path")
                                                   or self.current.get("name") or ""))

    def check(self) -> dict[str, str]:
        if not self.public_key:
            return {"public_key": "this resource is not published"}
        if not str(self.current.get("user_id") or ""):
            return {"user_id": "the owner is unknown"}
        return {}

    def plan(self) -> Plan:
        return self.new_plan([Change("public link", self.public_key, None)])

    async def apply(self, client: Any) -> None:
        await calls.unpublish(client, self.public_key, str(self.current["user_id"]))

    async def verify(self, client: Any) -> list[str]:
        settings = await calls.find_public_settings(client, self.public_key)
        return [] if settings is None else ["the public link still answers"]
