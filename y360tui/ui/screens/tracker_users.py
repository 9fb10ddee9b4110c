"""Tracker users (key 7): ``GET /v3/users/_relative`` (§13.3), page after page by uid.

Columns: login, name, email, licence, dismissed, last login. The relative pager only knows
"more or not", so the status line says "N, more…" until the end. Enter opens the Tracker user
(its directory account drills on through ``passportUid``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on

from ...api.models import TrackerUser
from ...data.fields import tracker_user_fields
from ...data.paged import Chunk
from ...data.query import Field
from ...data.sources import tracker_users_page
from ..widgets.lazy_table import Column, LazyTable
from .detail import ObjectDetailScreen
from .list_view import ListScreen
from .sequential import NearEndOnly


def login_date(text: str) -> str:
    """Tracker's ``2025-05-30T10:11:12.000+0300`` as ``2025-05-30 10:11`` (its own offset)."""
    return text[:16].replace("T", " ") if text else "never"


class TrackerUsersScreen(NearEndOnly, ListScreen):
    """Every Tracker user, by uid."""

    TITLE = "Tracker users"
    SEQUENTIAL = True
    LOAD_ALL = True  # a directory list: filter and sort see every Tracker user
    PAGE_SIZE = 100  # the _relative maximum
    EMPTY = "no Tracker users"
    COLUMNS = [
        Column("Login", 18, priority=0, grow=10),
        Column("Name", 22, priority=0, flex=True),
        Column("Email", 26, priority=3, flex=True),
        Column("Licence", 7, priority=0),
        Column("Dismissed", 9, priority=1),
        Column("Last login", 16, priority=2),
    ]

    async def fetch_next(self, cursor: Any) -> Chunk[TrackerUser]:
        """The users after uid ``cursor``."""
        return await tracker_users_page(self.app.client, cursor, self.PAGE_SIZE)  # type: ignore[attr-defined]

    def fields(self) -> list[Field]:
        """Tracker user fields (``data.fields.tracker_user_fields``): filter names, export
        columns."""
        return tracker_user_fields()

    def cells(self, row: TrackerUser) -> Sequence[str]:
        """Login, name, email, licence, dismissed, last login."""
        name = row.display or " ".join(p for p in (row.first_name, row.last_name) if p)
        return (row.login, name, row.email, "yes" if row.has_license else "no",
                "dismissed" if row.dismissed else "", login_date(row.last_login_date))

    @on(LazyTable.Activated)
    def _open_user(self, event: LazyTable.Activated) -> None:
        self.app.push_screen(ObjectDetailScreen(event.row))
