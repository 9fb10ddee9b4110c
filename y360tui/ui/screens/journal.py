"""Journal: every edit this app attempted, newest first; Enter opens the edited object."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.events import ScreenResume

from ...data.edits.base import AMBIGUOUS_OK, shown
from ...data.fields import journal_fields
from ...data.journal import JournalEntry
from ...data.paged import Chunk
from ...data.query import Field
from ..forms.flow import journal_of
from ..registry import register_view
from ..widgets.lazy_table import Column, LazyTable
from .list_view import ListScreen

# Row: (time, action, kind, target label, outcome, detail, target id)
J_TIME, J_ACTION, J_KIND, J_LABEL, J_OUTCOME, J_DETAIL, J_ID = range(7)


def entry_row(entry: JournalEntry) -> tuple[str, ...]:
    """The compact row of one journal entry."""
    error = entry.error or {}
    if entry.outcome in ("failed", "uncertain") and entry.note:
        detail = entry.note  # the error and, after an ambiguous reply, what the read-back found
    elif error:
        status = error.get("status")
        detail = f"{status}: {error.get('message', '')}" if status else str(error.get("message"))
    else:
        detail = ", ".join(f"{k}: {shown(entry.before.get(k))} -> {shown(v)}"
                           for k, v in entry.after.items()) or entry.note
        if entry.note.startswith(AMBIGUOUS_OK) and detail != entry.note:
            detail = f"{detail} ({AMBIGUOUS_OK})"
    when = entry.time.replace("T", " ")[:19]
    return (when, entry.action, entry.target.kind, entry.target.label or entry.target.id,
            entry.outcome, detail, entry.target.id)


@register_view(key="8", name="journal", title="Journal",
               description="every edit made from this app: outcome, before -> after, errors")
class JournalScreen(ListScreen):
    """The edit journal (JSON Lines under the user data dir), newest first. ``/`` filters;
    Enter drills to the edited user, group or department; ``R`` reads the file again."""

    TITLE = "Journal"
    PAGE_SIZE = 1000
    EMPTY = "no edits journaled yet"
    COLUMNS = [
        Column("Time", 19, priority=1),
        Column("Action", 18, priority=0),
        Column("Target", 20, priority=0, flex=True),
        Column("Outcome", 15, priority=0),
        Column("Detail", 30, priority=2, flex=True),
    ]

    async def fetch_page(self, page: int) -> Chunk[tuple[str, ...]]:
        """Rows of one page of the journal (read once per page: the file is local)."""
        entries = journal_of(self.app).entries()
        start = page * self.PAGE_SIZE
        rows = [entry_row(e) for e in entries[start:start + self.PAGE_SIZE]]
        return Chunk(rows, total=len(entries))

    def cells(self, row: tuple[str, ...]) -> Sequence[str]:
        """Time, action, target, outcome, detail."""
        return (row[J_TIME], row[J_ACTION], row[J_LABEL], row[J_OUTCOME], row[J_DETAIL])

    def fields(self) -> list[Field]:
        """Journal fields (``data.fields.journal_fields``): filter names, export columns."""
        return journal_fields()

    def raw_ident(self, row: tuple[str, ...]) -> tuple[str, str] | None:
        """``J`` reads the edited object (its kind varies per row)."""
        return (row[J_KIND], row[J_ID]) if row[J_KIND] in ("user", "group", "department") \
            else None

    def detail_target(self, row: tuple[str, ...]) -> None:
        """None: Enter is handled by :meth:`_open_target` (the kind varies per row)."""
        return None

    @on(LazyTable.Activated)
    def _open_target(self, event: LazyTable.Activated) -> None:
        row = event.row
        if row[J_KIND] and row[J_ID]:
            self.app.open_detail(row[J_KIND], row[J_ID], row[J_LABEL])  # type: ignore[attr-defined]

    def on_screen_resume(self, event: ScreenResume) -> None:
        """Coming back after an edit elsewhere: read the file again."""
        super().on_screen_resume(event)
        self.action_reload()
