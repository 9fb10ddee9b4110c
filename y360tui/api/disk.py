"""Disk sub-client (reference §11): admin views of a user's public resources, and the
owner-side publish API (call those with a client for the owner's token, e.g. a
service-app token from ``service_apps.client_for``)."""

from __future__ import annotations

from typing import Any

from ._base import SubClient, check_int_range, check_str, user_id
from .models.disk import (
    AccessibleResourcesPage,
    Link,
    PublicResourcesList,
    PublicSettings,
    Resource,
    ResourceShort,
    ResourceShortList,
    ResourceType,
)
from .paging import Page, Pager, key_page, offset_page

_ADMIN = "/v1/disk/public/resources/admin"


class DiskApi(SubClient):
    """Disk REST API on cloud-api.yandex.net."""

    host = "cloud"

    # --- admin (org-admin token) ---------------------------------------------------------

    def admin_public_resources(self, uid: str | int, limit: int = 100, *, start: int = 0
                               ) -> Pager[ResourceShort]:
        """Resources the employee ``uid`` has published (paging style d).
        ``limit``: page size >= 1; ``start``: first offset."""
        uid = user_id(uid)
        check_int_range("limit", limit, 1)
        check_int_range("start", start, 0)

        async def fetch(offset: int) -> Page[ResourceShort]:
            body = await self._call("GET", f"{_ADMIN}/public-resources", ResourceShortList,
                                    params={"user_id": uid, "org_id": self.org_id,
                                            "limit": limit, "offset": offset})
            return offset_page(body.items, offset, limit)

        return Pager(fetch, start)

    async def admin_public_settings(self, public_key: str) -> PublicSettings:
        """Public-link settings of a resource by its public key (``public_hash``)."""
        check_str("public_key", public_key)
        return await self._call("GET", f"{_ADMIN}/public-settings", PublicSettings,
                                params={"public_key": public_key})

    async def admin_public_settings_by_path(self, uid: str | int, path: str) -> PublicSettings:
        """Public-link settings of the employee's resource at ``path`` (``disk:/…`` or ``/…``)."""
        params = {"user_id": user_id(uid), "path": _strip_disk(check_str("path", path))}
        return await self._call("GET", f"{_ADMIN}/public-settings-by-path", PublicSettings,
                                params=params)

    def accessible_resources(self, uid: str | int, limit: int = 100, *,
                             include_group_access: bool = False, start: str | None = None
                             ) -> Pager[ResourceShort]:
        """Resources the employee has personal (or, optionally, group) access to
        (paging style c without a time window)."""
        uid = user_id(uid)
        check_int_range("limit", limit, 1)

        async def fetch(key: str | None) -> Page[ResourceShort]:
            body = await self._call("GET", f"{_ADMIN}/accessible-resources",
                                    AccessibleResourcesPage, params={
                                        "user_id": uid, "org_id": self.org_id, "limit": limit,
                                        "include_group_access": include_group_access,
                                        "iteration_key": key})
            return key_page(body.items, body.iteration_key)

        return Pager(fetch, start)

    async def admin_unpublish(self, uid: str | int, public_key: str) -> None:
        """Unpublish the employee's resource with ``public_key`` (admin action)."""
        params = {"public_key": check_str("public_key", public_key), "user_id": user_id(uid),
                  "org_id": self.org_id}
        await self._call("PUT", f"{_ADMIN}/unpublish", None, params=params)

    # --- owner side (the resource owner's token) -----------------------------------------

    def public_resources(self, limit: int = 20, *, type: ResourceType | str | None = None,
                         start: int = 0) -> Pager[Resource]:
        """Resources the token's owner has published (paging style d). ``type``: file/dir."""
        check_int_range("limit", limit, 1)
        check_int_range("start", start, 0)
        kind = _resource_type(type)

        async def fetch(offset: int) -> Page[Resource]:
            body = await self._call("GET", "/v1/disk/resources/public", PublicResourcesList,
                                    params={"limit": limit, "offset": offset, "type": kind})
            return offset_page(body.items, offset, limit)

        return Pager(fetch, start)

    async def public_settings(self, path: str) -> PublicSettings:
        """Public-link settings of the owner's resource at ``path``."""
        return await self._call("GET", "/v1/disk/public/resources/public-settings",
                                PublicSettings, params={"path": check_str("path", path),
                                                        "allow_address_access": True})

    async def publish(self, path: str, *, public_settings: PublicSettings | dict[str, Any]
                      | None = None, allow_address_access: bool | None = None) -> Link:
        """Publish the owner's resource at ``path``, optionally with access settings."""
        settings = public_settings
        if isinstance(settings, dict):
            settings = PublicSettings.model_validate(settings)
        body = ({"public_settings": settings.model_dump(mode="json", exclude_none=True)}
                if settings is not None else None)
        params = {"path": check_str("path", path), "allow_address_access": allow_address_access}
        return await self._call("PUT", "/v1/disk/resources/publish", Link, params=params,
                                json_body=body)

    async def unpublish(self, path: str) -> Link:
        """Unpublish the owner's resource at ``path``."""
        return await self._call("PUT", "/v1/disk/resources/unpublish", Link,
                                params={"path": check_str("path", path)})

    async def get_resource(self, path: str, *, limit: int | None = None,
                           offset: int | None = None) -> Resource:
        """Metadata of the owner's resource at ``path`` (folders list ``_embedded`` items)."""
        return await self._call("GET", "/v1/disk/resources", Resource, params={
            "path": check_str("path", path), "limit": limit, "offset": offset})


def _strip_disk(path: str) -> str:
    # The admin API wants the path on the user's Disk; orglib drops the "disk:" prefix too.
    return path[len("disk:"):] if path.startswith("disk:") else path


def _resource_type(value: ResourceType | str | None) -> str | None:
    if value is None:
        return None
    kind = ResourceType(value)
    if not kind.is_known:
        raise ValueError(f"type must be 'file' or 'dir', got {kind.value!r}")
    return kind.value
