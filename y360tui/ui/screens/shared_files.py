"""Shared files (key 6): Disk public resources of the organisation's users, with their access.

The Disk admin API lists public resources *per user* (§11.2), so this view pages through users
and, for each, their public resources and access settings (``data.links.SharedFileScan``):
each step scans ``USERS_PER_STEP`` users, and the status line says how many users have been
scanned so far. Columns: owner, name, path, type, created, access summary (link audience
``all``/``employees`` and the count of personal entries). Enter opens the file (owner and each
access entry drill on); ``o`` opens the owner directly; ``u`` unpublishes the resource under
the cursor (or the marked ones) and the row then shows ``unpublished`` (with the personal
access entries that remain, if any).

Opened from a user's detail, the view lists that user's files only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding

from ...data.fields import shared_file_fields
from ...data.links import USER, SharedFile, SharedFileScan, access_summary
from ...data.paged import Chunk, PagedList
from ...data.query import Field
from ..forms.actions import FileEditActions
from ..registry import register_view
from ..widgets.lazy_table import Column
from .detail import reread_file, session_linker
from .list_view import ListScreen
from .sequential import NearEndOnly


def created(shared: SharedFile) -> str:
    """The creation date, ``YYYY-MM-DD``."""
    moment = shared.resource.created_at
    return moment.strftime("%Y-%m-%d") if moment is not None else ""


def access_cell(shared: SharedFile) -> str:
    """The access column (or why the settings could not be read)."""
    if not shared.resource.public_hash:
        # Personal entries outlive the link: say how many are left.
        left = access_summary(shared.settings) if shared.settings is not None else ""
        return "unpublished" + (f" · {left}" if left and left != "owner only" else "")
    if shared.settings is None and shared.settings_error:
        return "error: " + shared.settings_error
    return access_summary(shared.settings)


@register_view(key="6", name="shared-files", title="Shared files",
               description="Disk public resources of every user, with their access settings")
class SharedFilesScreen(FileEditActions, NearEndOnly, ListScreen):
    """Public resources, user by user (see the module docstring)."""

    TITLE = "Shared files"
    SEQUENTIAL = True
    USERS_PER_STEP = 50
    DETAIL_KIND = "shared_file"
    EMPTY = "no public resources"
    PLACEHOLDER = "scanning users…"
    COLUMNS = [
        Column("Owner", 16, priority=0, grow=10),
        Column("Name", 24, priority=0, flex=True),
        Column("Path", 28, priority=3, flex=True),
        Column("Type", 4, priority=2),
        Column("Created", 10, priority=2),
        Column("Access", 22, priority=1),
    ]
    BINDINGS = [Binding("o", "open_owner", "Owner")]

    def __init__(self, owner_uid: str = "", crumb: str | None = None) -> None:
        self.owner_uid = owner_uid
        self.scan: SharedFileScan | None = None
        super().__init__(crumb)

    def make_list(self) -> PagedList[Any]:
        """A sequential list over the user-by-user scan."""
        return PagedList.sequential(self.fetch_next, self.USERS_PER_STEP, self.search_key)

    async def fetch_next(self, cursor: Any) -> Chunk[SharedFile]:
        """The files of the next users (or of the one owner)."""
        if self.scan is None:
            linker = session_linker(self.app)
            owner = await linker.load(USER, self.owner_uid) if self.owner_uid else None
            self.scan = SharedFileScan(linker, users_per_step=self.USERS_PER_STEP, owner=owner)
        return await self.scan.next(cursor)

    def fields(self) -> list[Field]:
        """Shared file fields (``data.fields.shared_file_fields``): filter names, export
        columns."""
        return shared_file_fields()

    def cells(self, row: SharedFile) -> Sequence[str]:
        """Owner, name, path, type, created, access."""
        res = row.resource
        return (row.owner.nickname, res.name, res.path.removeprefix("disk:"), res.type.value,
                created(row), access_cell(row))

    def detail_target(self, row: SharedFile) -> tuple[str, str]:
        """The file by ``<uid>:<path>``, labelled by name."""
        return row.ident, row.resource.name

    def status_text(self) -> str:
        """The list's status plus how far the user scan has come."""
        text = super().status_text()
        scan = self.scan
        if scan is not None and scan.owner is None and scan.users_total:
            text += f"  ·  {scan.users_scanned:,} of {scan.users_total:,} users scanned"
        return text

    async def refresh_files(self, idents: list[str]) -> None:
        """Read the edited files back and swap their rows in place."""
        wanted = set(idents)
        for i, row in list(self.data.rows()):
            if row.ident in wanted:
                self.data.replace_row(i, await reread_file(self.app, row))
        if self.is_mounted:
            self.table.refresh_rows()

    def action_open_owner(self) -> None:
        """Open the owner of the file under the cursor."""
        row = self.table.cursor_item
        if row is not None:
            self.app.open_detail(USER, row.owner.id, row.owner.nickname)  # type: ignore[attr-defined]
