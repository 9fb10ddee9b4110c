"""Mailboxes (``0 m``): shared and delegated mailboxes in one list, and a mailbox's detail.

The list (``data.mailboxes``): address, type (shared / delegated), actors (employees who can
open it), name, description; ``/`` filters (``type:delegated actors:>2``), ``s`` sorts, Ctrl+S
exports. Enter opens the mailbox: its card on the left, who can open it with which rights on
the right (Enter on a person opens that user). There ``g`` grants a user access (pick the
user, then the rights; an actor already listed gets their rights changed) and ``x`` / Delete
revokes the highlighted person's access. Both are asynchronous on the server: the screen
shows the task's progress, then reads the access list back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.binding import Binding

from ...api.errors import Y360Error
from ...data.details import Detail, Section
from ...data.edits.base import Outcome
from ...data.edits.mailboxes import (
    MAILBOX,
    CreateSharedMailbox,
    GrantMailboxAccess,
    MailboxAccess,
    RevokeMailboxAccess,
)
from ...data.links import INFO, USER, Target, failure_text
from ...data.mailboxes import ActorRow, MailboxRow, inventory_of
from ...data.paged import PagedList
from ...data.query import Field
from ...data.sources import mailboxes_source
from ..forms.actions import EditCommands
from ..forms.flow import is_read_only, start_edit
from ..registry import register_detail, register_view
from ..widgets.lazy_table import Column
from .detail import DetailScreen, render_detail
from .list_view import ListScreen

ACCESS = "Access"
EDIT_ACTIONS = {"grant": ("g", "Grant access"), "revoke": ("x", "Revoke access")}


@register_view(key="m", name="mailboxes", title="Mailboxes",
               description="shared and delegated mailboxes: who can open them, with which rights")
class MailboxesScreen(ListScreen):
    """Every shared and delegated mailbox (see the module docstring)."""

    TITLE = "Mailboxes"
    DETAIL_KIND = MAILBOX
    LOAD_ALL = True  # pages of 100 with their cards: the rest follows in the background
    EMPTY = "no shared or delegated mailboxes"
    PLACEHOLDER = "loading mailboxes and their cards…"
    COLUMNS = [
        Column("Address", 26, priority=0, flex=True, grow=10),
        Column("Type", 9, priority=0),
        Column("Actors", 6, priority=0, align_right=True, sort_key=lambda r: r.count),
        Column("Name", 22, priority=1, flex=True),
        Column("Description", 24, priority=3, flex=True),
    ]

    EDIT_ACTIONS: ClassVar[dict[str, tuple[str, str]]] = {
        "new_mailbox": ("n", "New shared mailbox")}
    COMMANDS: ClassVar[set[Any]] = {EditCommands}
    BINDINGS: ClassVar[list[Binding]] = [Binding("n", "new_mailbox", "New")]
    _created: CreateSharedMailbox | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The edit key is hidden (and refused) in read-only mode."""
        if action in self.EDIT_ACTIONS and is_read_only(self.app):
            return False
        return super().check_action(action, parameters)

    def action_new_mailbox(self) -> None:
        """Create a shared mailbox (a form: address, name, description), then open it."""
        self._created = CreateSharedMailbox(None)
        start_edit(self, self._created, after=self.after_create)

    async def after_create(self, outcome: Outcome) -> None:
        """Read the list again; open the new mailbox when it was made."""
        inventory_of(self.app.client).forget()  # type: ignore[attr-defined]
        if self.is_attached:
            self.action_reload()
        edit_target = self._created.target if self._created is not None else None
        if outcome.status == "ok" and edit_target is not None and edit_target.id:
            self.app.open_detail(MAILBOX, edit_target.id, edit_target.label)  # type: ignore[attr-defined]

    def make_list(self) -> PagedList[Any]:
        """The session's mailboxes (``data.sources.mailboxes_source``)."""
        self.source = mailboxes_source(self.app.client)  # type: ignore[attr-defined]
        return self.source.paged

    def fields(self) -> list[Field]:
        """``data.fields.mailbox_fields``: filter names and export columns."""
        return self.source.fields

    def cells(self, row: MailboxRow) -> Sequence[str]:
        """Address, type, actors, name, description."""
        return (row.label, row.type, str(row.count), row.name, row.description)

    def detail_target(self, row: MailboxRow) -> tuple[str, str]:
        """Open the mailbox by id, labelled by its address."""
        return row.id, row.label


@register_detail(MAILBOX)
class MailboxDetailScreen(DetailScreen):
    """One mailbox: its card, and who can open it (see the module docstring)."""

    KIND = MAILBOX
    EDIT_ACTIONS: ClassVar[dict[str, tuple[str, str]]] = EDIT_ACTIONS
    COMMANDS: ClassVar[set[Any]] = {EditCommands}  # the palette lists g and x too
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("g", "grant", "Grant"),
        Binding("x", "revoke", "Revoke"),
        Binding("delete", "revoke", "Revoke", show=False),
    ]

    def __init__(self, ident: str = "", label: str = "") -> None:
        super().__init__(ident, label)
        self.actors: list[ActorRow] = []
        self.progress = ""

    @property
    def inventory(self) -> Any:
        return inventory_of(self.app.client)  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit keys are hidden (and refused) in read-only mode."""
        if action in EDIT_ACTIONS and is_read_only(self.app):
            return False
        return super().check_action(action, parameters)

    # ------------------------------------------------------------------ loading

    async def fetch(self) -> MailboxRow:
        """The mailbox's card (a shared mailbox) or owner (a delegated one)."""
        return await self.inventory.mailbox(self.ident)

    async def _name_ids(self) -> None:
        """Nothing to name: the card holds addresses, not ids."""

    async def _fill_targets(self) -> None:
        try:
            self.actors = await self.inventory.actors(self.ident)
        except Y360Error as exc:
            self.show_targets([Target(ACCESS, INFO, "error", "Access list",
                                      note=f"could not be read ({failure_text(exc)})")])
            return
        self.show_targets(self.actor_targets())
        self.show_fields()  # the actor count as just read

    def actor_targets(self) -> list[Target]:
        """One line per person who can open the mailbox: login, then rights and name."""
        out = [Target(ACCESS, USER, a.uid, a.label,
                      note=a.rights + (f" · {a.name}" if a.name else ""), obj=a)
               for a in self.actors]
        if not out:
            out.append(Target(ACCESS, INFO, "nobody", "nobody can open it",
                              note="g grants access"))
        return out

    def show_fields(self, graph: Any = None) -> None:
        """The mailbox's card, and the access change in progress if there is one."""
        row: MailboxRow = self.obj
        rows = [("Address", row.email or "—"), ("Name", row.name or "—"),
                ("Type", "shared mailbox" if row.type == "shared" else
                 "an employee's own mailbox, delegated"),
                ("Id", row.id), ("Actors", str(len(self.actors) or row.count)),
                ("Description", row.description or "—")]
        card = self.inventory.cards.get(row.id)
        if card is not None:
            rows += [("Created", card.created_at or "—"), ("Updated", card.updated_at or "—")]
        sections = [Section("Mailbox", tuple(rows))]
        if self.progress:  # first: a short pane shows it without scrolling
            sections.insert(0, Section("Access change", (("Progress", self.progress),)))
        self.query_one("#fields").update(render_detail(  # type: ignore[attr-defined]
            Detail(MAILBOX, row.label, tuple(sections))))

    def action_reload(self) -> None:
        """Read the mailbox and its access list again."""
        self.obj = None
        self.load()

    # ------------------------------------------------------------------ edits

    def current(self, actor: str, label: str) -> dict[str, Any] | None:
        if self.obj is None:
            self.notify("the mailbox is still loading", severity="warning")
            return None
        row: MailboxRow = self.obj
        return {"id": row.id, "email": row.label, "type": row.type, "actorId": actor,
                "actorLabel": label}

    def action_grant(self) -> None:
        """Pick a user, then the rights to give them (or change theirs)."""
        if self.obj is None:
            self.notify("the mailbox is still loading", severity="warning")
            return
        self.run_worker(self._grant(), group="mailbox-grant", exit_on_error=False)

    async def _grant(self) -> None:
        from ..forms.actions import user_search
        from ..forms.picker import PickerScreen

        choice = await self.app.push_screen_wait(
            PickerScreen(f"Grant access to {self.obj.label} — pick a user",
                         user_search(self.app)))
        if choice is None:
            return
        current = self.current(choice.id, choice.label)
        if current is not None:
            self.edit(GrantMailboxAccess(current))

    def action_revoke(self) -> None:
        """Take away the highlighted person's access (confirmed first)."""
        target = self.highlighted_target()
        if target is None or target.section != ACCESS or target.kind != USER:
            self.notify("highlight a person in the access list first", severity="warning")
            return
        current = self.current(str(target.key), target.label)
        if current is not None:
            self.edit(RevokeMailboxAccess(current), form=False)

    def edit(self, edit: MailboxAccess, *, form: bool = True) -> None:
        """Run the edit; its task's progress shows in the fields pane."""
        edit.progress = self.show_progress
        start_edit(self, edit, form=form, after=self.after_edit)

    def show_progress(self, text: str) -> None:
        self.progress = text
        if self.is_attached and self.obj is not None:
            self.show_fields()

    async def after_edit(self, outcome: Outcome) -> None:
        """Show the outcome in the fields pane and read the mailbox again."""
        self.progress = f"{outcome.status}: {outcome.message}"
        self.inventory.forget(self.ident)
        for screen in self.app.screen_stack:  # the list under this detail: fresh counts
            if isinstance(screen, MailboxesScreen):
                screen.action_reload()
        if self.is_attached:
            self.action_reload()
