"""Yandex Tracker models (reference §13), camelCase on the wire."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .common import ApiModel


class TrackerGroupRef(ApiModel):
    """A group reference inside a Tracker user (present with ``expand=groups``)."""

    self_: str = Field("", alias="self")
    id: str = ""
    display: str = ""


class TrackerUser(ApiModel):
    """A Tracker user (§13.2). Login dates stay text: Tracker writes ``+0300`` offsets."""

    self_: str = Field("", alias="self")
    uid: int
    login: str = ""
    tracker_uid: int | None = None
    passport_uid: int | None = None
    cloud_uid: str = ""
    first_name: str = ""
    last_name: str = ""
    display: str = ""
    email: str = ""
    groups: list[TrackerGroupRef] = Field(default_factory=list)
    external: bool = False
    has_license: bool = False
    dismissed: bool = False
    use_new_filters: bool = False
    disable_notifications: bool = False
    first_login_date: str = ""
    last_login_date: str = ""
    welcome_mail_sent: bool = False
    sources: list[str] = Field(default_factory=list)
    position: str = ""


class TrackerGroup(ApiModel):
    """A Tracker group; ``parent`` is kept as sent (a reference object or null)."""

    self_: str = Field("", alias="self")
    id: int | str
    parent: Any = None
    type: str = ""
    code: str = ""
    name: str = ""
    url: str = ""
    description: str = ""


class TrackerRelativePage(ApiModel):
    """One page of ``GET /v3/users/_relative`` (paging style e1)."""

    users: list[TrackerUser] = Field(default_factory=list)
    has_next: bool = False
