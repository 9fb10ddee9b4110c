"""Journal: every edit this app attempted, newest first. Enter opens the entry (each field's
before -> after in the views' words, the error, where it was made); ``o`` the edited object."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ...data.details import Detail, Section
from ...data.edits.base import AMBIGUOUS_OK, shown
from ...data.fields import journal_fields
from ...data.journal import Journal, JournalEntry
from ...data.paged import Chunk
from ...data.query import Field
from ..forms.flow import journal_of
from ..registry import register_view
from ..widgets.breadcrumb import Breadcrumb
from ..widgets.lazy_table import Column, LazyTable
from .list_view import ListScreen

# Row: (time, action, kind, target label, outcome, detail, target id, profile@org)
J_TIME, J_ACTION, J_KIND, J_LABEL, J_OUTCOME, J_DETAIL, J_ID, J_WHERE = range(8)


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
            entry.outcome, detail, entry.target.id, where(entry))


def where(entry: JournalEntry) -> str:
    """``profile@org`` of an entry (the Org/Profile column of "all orgs")."""
    return f"{entry.profile or '?'}@{entry.org or '?'}"


def where_of(journal: Journal) -> str:
    """``profile@org`` of the session a journal writes for."""
    return f"{journal.profile or '?'}@{journal.org or '?'}"


@register_view(key="8", name="journal", title="Journal",
               description="every edit made from this app: outcome, before -> after, errors")
class JournalScreen(ListScreen):
    """The edit journal of this org and profile (``data.journal.open_journal``), newest
    first. ``/`` filters; Enter drills to the edited user, group or department; ``R`` reads
    the file again; ``a`` shows every org and profile's entries, with an Org/Profile column.
    Enter opens the entry; ``o`` (here or there) the edited user, group or department."""

    TITLE = "Journal"
    PAGE_SIZE = 1000
    EMPTY = "no edits journaled yet"
    # Before -> after (Detail) is what an admin opens the journal for: it stays at 80x24,
    # with the time to the minute (the entry's screen has the seconds).
    COLUMNS = [
        Column("Time", 16, priority=1),
        Column("Action", 14, priority=0, grow=6),
        Column("Target", 14, priority=0, flex=True),
        Column("Outcome", 9, priority=0, grow=6),
        Column("Detail", 20, priority=0, flex=True),
    ]
    ALL_COLUMNS = [COLUMNS[0], Column("Org/Profile", 18, priority=1), *COLUMNS[1:]]
    BINDINGS = [Binding("a", "toggle_all", "All orgs"),
                Binding("o", "open_object", "Open object")]
    everyone = False  # show the entries of every org and profile
    shown_entries: list[JournalEntry] = []  # what the rows were made of, by list position

    async def fetch_page(self, page: int) -> Chunk[tuple[str, ...]]:
        """Rows of one page of the journal (read once per page: the file is local)."""
        entries = journal_of(self.app).entries(everyone=self.everyone)
        self.shown_entries = entries
        start = page * self.PAGE_SIZE
        rows = [entry_row(e) for e in entries[start:start + self.PAGE_SIZE]]
        return Chunk(rows, total=len(entries))

    def cells(self, row: tuple[str, ...]) -> Sequence[str]:
        """Time, (org/profile,) action, target, outcome, detail."""
        when = row[J_TIME][:16]
        if self.everyone:
            return (when, row[J_WHERE], row[J_ACTION], row[J_LABEL], row[J_OUTCOME],
                    row[J_DETAIL])
        return (when, row[J_ACTION], row[J_LABEL], row[J_OUTCOME], row[J_DETAIL])

    def action_toggle_all(self) -> None:
        """This org and profile's entries <-> every org and profile's, with their column."""
        self.everyone = not self.everyone
        self.COLUMNS = self.ALL_COLUMNS if self.everyone else type(self).COLUMNS
        self.table.columns = list(self.COLUMNS)
        self.table._layout_width = -1  # lay the new columns out at the next frame
        self.table._header_strip = None
        self.table.sort_column = None
        journal = journal_of(self.app)
        self.notify("every org and profile" if self.everyone else f"only {where_of(journal)}",
                    timeout=3)
        self.action_reload()

    def status_text(self) -> str:
        """The list's status, and which entries it holds."""
        scope = "all orgs and profiles" if self.everyone \
            else f"{where_of(journal_of(self.app))} (a: all)"
        return f"{super().status_text()} · {scope}"

    def fields(self) -> list[Field]:
        """Journal fields (``data.fields.journal_fields``): filter names, export columns."""
        return journal_fields()

    def raw_ident(self, row: tuple[str, ...]) -> tuple[str, str] | None:
        """``J`` reads the edited object (its kind varies per row)."""
        return (row[J_KIND], row[J_ID]) if row[J_KIND] in ("user", "group", "department") \
            else None

    def detail_target(self, row: tuple[str, ...]) -> None:
        """None: Enter is handled by :meth:`_open_entry`."""
        return None

    @on(LazyTable.Activated)
    def _open_entry(self, event: LazyTable.Activated) -> None:
        """Enter: the entry itself (``o`` there, or here, opens the edited object)."""
        entries = self.shown_entries
        if not self.is_active or not 0 <= event.position < len(entries):
            return
        entry = entries[event.position]
        if entry_row(entry) == tuple(event.row):
            self.app.push_screen(JournalEntryScreen(entry, self))

    def action_open_object(self) -> None:
        """``o``: the edited object of the row under the cursor."""
        row = self.table.cursor_item
        if row is not None:
            self.open_object(row)

    def open_object(self, row: tuple[str, ...]) -> None:
        """Open the user, group or department a journal row edited (if in this org)."""
        if self.everyone and row[J_WHERE] != where_of(journal_of(self.app)):
            self.notify(f"this edit was made in {row[J_WHERE]}: open y360tui with that "
                        "profile to see the object", severity="warning")
            return
        if row[J_KIND] and row[J_ID]:
            self.app.open_detail(row[J_KIND], row[J_ID], row[J_LABEL])  # type: ignore[attr-defined]
        else:
            self.notify("this entry names no object to open", severity="warning")

    def on_screen_resume(self, event: ScreenResume) -> None:
        """Coming back after an edit elsewhere: read the file again."""
        super().on_screen_resume(event)
        self.action_reload()


def entry_detail(entry: JournalEntry) -> Detail:
    """An entry as detail sections: what, when, the changes in the views' words, how it
    ended, where it was made."""
    from ..forms.confirm import field_words, value_words

    target = entry.target
    rows = [("Action", entry.action), ("Time", entry.time.replace("T", " ")),
            ("Target", f"{target.kind.replace('_', ' ')} {target.label or target.id}".strip()),
            ("Target id", target.id or "—"), ("Outcome", entry.outcome)]
    keys = list(dict.fromkeys([*entry.before, *entry.after]))
    changes = tuple(
        (field_words(k, {}), f"{value_words(k, entry.before.get(k), {})} -> "
                             f"{value_words(k, entry.after.get(k), {})}")
        for k in keys) or (("", "no field changes recorded"),)
    sections = [Section("Edit", tuple(rows)), Section("Before -> after", changes)]
    error = entry.error or {}
    if error:
        sections.append(Section("Error", tuple(
            (str(k).capitalize(), shown(v)) for k, v in error.items() if v not in (None, ""))))
    if entry.note:
        sections.append(Section("Note", (("", entry.note),)))
    sections.append(Section("Made in", (("Profile", entry.profile or "—"),
                                        ("Org", entry.org or "—"))))
    return Detail("journal", f"{entry.action} {target.label}", tuple(sections))


class JournalEntryScreen(Screen):
    """One journal entry in full; ``o`` opens the edited object, Esc goes back."""

    BINDINGS = [
        Binding("o", "open_object", "Open object"),
        Binding("escape,backspace", "back", "Back"),
    ]
    CSS_PATH = Path(__file__).parent.parent / "styles" / "screens.tcss"

    def __init__(self, entry: JournalEntry, journal_screen: JournalScreen) -> None:
        super().__init__()
        self.entry = entry
        self.journal_screen = journal_screen
        self.crumb = f"{entry.action} {entry.target.label or entry.target.id}".strip()

    def compose(self) -> ComposeResult:
        """Header, breadcrumb, the entry, footer."""
        from .detail import render_detail

        yield Header()
        yield Breadcrumb(id="breadcrumb")
        with VerticalScroll(id="entry"):
            yield Static(render_detail(entry_detail(self.entry)), id="entry-text")
        yield Footer()

    def on_mount(self) -> None:
        """Arrows scroll a long entry."""
        self.query_one("#entry").focus()

    def action_open_object(self) -> None:
        """The edited user, group or department."""
        self.journal_screen.open_object(entry_row(self.entry))

    def action_back(self) -> None:
        """Back to the journal."""
        self.app.action_back()  # type: ignore[attr-defined]
