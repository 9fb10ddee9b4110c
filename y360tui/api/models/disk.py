"""Disk models (reference §11), snake_case on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .common import SafeEnum, SnakeModel


class ResourceType(SafeEnum):
    """File or folder."""

    FILE = "file"
    DIR = "dir"


class AccessType(SafeEnum):
    """Kind of a public-settings access entry."""

    MACRO = "macro"
    USER = "user"
    GROUP = "group"
    DEPARTMENT = "department"
    OWNER = "owner"


class AccessRight(SafeEnum):
    """What an access entry allows."""

    READ = "read"
    WRITE = "write"
    READ_WITHOUT_DOWNLOAD = "read_without_download"
    READ_WITH_PASSWORD = "read_with_password"
    READ_WITH_PASSWORD_WITHOUT_DOWNLOAD = "read_with_password_without_download"


def _as_list(value: Any) -> Any:
    # Sources show ``rights`` both as one string and as a list; normalise to a list.
    return [value] if isinstance(value, str) else value


class Access(SnakeModel):
    """One public-settings access entry; ``macros`` only for ``type == "macro"``."""

    type: AccessType
    id: int | None = None
    org_id: int | None = None
    macros: list[str] = Field(default_factory=list)
    rights: Annotated[list[AccessRight], BeforeValidator(_as_list)] = Field(default_factory=list)


class PublicSettings(SnakeModel):
    """Public-link settings; ``available_until`` None = no expiry (Unix time or ISO text)."""

    available_until: int | str | None = None
    accesses: list[Access] = Field(default_factory=list)


class Resource(SnakeModel):
    """A Disk resource as the owner's API returns it (§11.1)."""

    name: str = ""
    path: str = ""
    type: ResourceType = ResourceType.FILE
    public_key: str | None = None
    public_url: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    mime_type: str | None = None
    size: int | None = None
    media_type: str | None = None
    md5: str | None = None
    sha256: str | None = None
    resource_id: str | None = None
    public_settings: PublicSettings | None = None


class ResourceShort(SnakeModel):
    """A public resource as the admin list returns it; ``public_hash`` is its public key."""

    public_hash: str | None = None
    name: str = ""
    path: str = ""
    type: ResourceType = ResourceType.FILE
    created_at: datetime | None = None
    modified_at: datetime | None = None


class Link(SnakeModel):
    """A Disk API link object (answer to publish/unpublish)."""

    href: str = ""
    method: str = "GET"
    templated: bool = False


class PublicResourcesList(SnakeModel):
    """One page of the owner's published resources (paging style d)."""

    items: list[Resource] = Field(default_factory=list)
    limit: int = 20
    offset: int = 0
    type: ResourceType | None = None


class ResourceShortList(SnakeModel):
    """One page of a user's public resources, admin view (paging style d)."""

    items: list[ResourceShort] = Field(default_factory=list)
    limit: int = 100
    offset: int = 0


class AccessibleResourcesPage(SnakeModel):
    """One page of resources a user has personal access to (paging style c, no time window)."""

    items: list[ResourceShort] = Field(default_factory=list)
    iteration_key: str | None = None
