"""Shared files (key 6): Disk public resources of the organisation's users, with their access.

The Disk admin API lists public resources *per user* (§11.2). The rows come from the session's
``data.inventory.Inventory``: the last inventory from the cache at once (marked with its age),
then the owners the audit logs name, then every other user in the background; the status line
says which phase runs, with progress and an ETA. The list grows as the inventory does (it is
loaded to the end in the background), and is read again when the inventory drops rows (a file
unpublished since the cache was written). ``R`` forgets the inventory and scans from scratch.
Columns: owner, name, path, type, created, access summary (link audience ``all``/``employees``
and the count of personal entries; fetched for the rows on screen only). Enter opens the file
(owner and each access entry drill on); ``o`` opens the owner directly; ``u`` unpublishes the
resource under the cursor (or the marked ones) and the row then shows ``unpublished`` (with
the personal access entries that remain, if any).

Opened from a user's detail, the view lists that user's files only (listed again now).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding

from ...data.fields import shared_file_fields
from ...data.inventory import Inventory, inventory_for, rows_after
from ...data.links import USER, SharedFile, access_summary
from ...data.paged import Chunk, PagedList
from ...data.query import Field
from ..dataout import ExportJob
from ..forms.actions import FileEditActions
from ..registry import register_view
from ..widgets.lazy_table import Column
from .detail import reread_file, session_linker
from .list_view import ListScreen
from .sequential import NearEndOnly


def session_inventory(app: Any) -> Inventory:
    """The app's inventory (on its ``Linker``; cached in ``app.inventory_cache_dir`` when the
    command line set one)."""
    return inventory_for(session_linker(app), cache_dir=getattr(app, "inventory_cache_dir",
                                                                None))


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
    LOAD_ALL = True  # the list follows the inventory to its end
    LOAD_ALL_CONCURRENCY = 1
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
        self._generation: int | None = None
        super().__init__(crumb)

    @property
    def inventory(self) -> Inventory:
        """The session's inventory (one for every view, finding and detail)."""
        return session_inventory(self.app)

    def make_list(self) -> PagedList[Any]:
        """A sequential list over the inventory's rows, in the order they were found."""
        return PagedList.sequential(self.fetch_next, self.PAGE_SIZE, self.search_key)

    async def fetch_next(self, cursor: Any) -> Chunk[SharedFile]:
        """The inventory's rows after ``cursor`` (waiting for the scan to find more), or the
        one owner's files."""
        inventory = self.inventory
        if self.owner_uid:
            linker = session_linker(self.app)
            owner = await linker.load(USER, self.owner_uid)
            return Chunk(await inventory.files_of(self.owner_uid, owner), more=False)
        generation, index = cursor if cursor else (inventory.generation, 0)
        self._generation = generation
        await inventory.wait_rows(index, generation)
        if inventory.generation != generation:
            return Chunk([], more=False)  # rows were dropped: the poll reloads the list
        rows, nxt, more = rows_after(inventory, (generation, index), self.PAGE_SIZE)
        return Chunk(rows, more=more, cursor=nxt)

    def on_mount(self) -> None:
        """Start the inventory; reload the list when it drops rows."""
        super().on_mount()
        if not self.owner_uid:
            self.inventory.start()
            self.set_interval(self.POLL_SECONDS, self._watch_inventory)

    def _watch_inventory(self) -> None:
        seen = self._generation
        if seen is not None and seen != self.inventory.generation and self.is_active:
            self._generation = None
            ListScreen.action_reload(self)
        self.update_status()

    def rows_shown(self, rows: list[Any]) -> None:
        """Fetch the access settings of the rows on screen that have none yet."""
        wanted = [r for r in rows if r.settings is None and not r.settings_error]
        if wanted:
            self.run_worker(self._settings(wanted), group="settings", exit_on_error=False)

    async def _settings(self, rows: list[SharedFile]) -> None:
        await self.inventory.load_settings(rows)
        if self.is_mounted:
            self.table.refresh_rows()

    def export_job(self) -> ExportJob | None:
        """The list as filtered and sorted; each exported row's access settings are read
        first (the view reads them only for the rows it shows)."""
        job = super().export_job()
        if job is not None:
            job.prepare = self.inventory.load_settings
        return job

    def action_reload(self) -> None:
        """R: forget the inventory (and its cache's rows) and scan every user again."""
        if not self.owner_uid:
            self.inventory.restart(full=True)
        super().action_reload()

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
        """The list's status plus the inventory's phase, progress and ETA."""
        text = super().status_text()
        if not self.owner_uid:
            extra = self.inventory.status_text()
            if extra:
                text += "  ·  " + extra
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
