"""One domain (detail kind ``domain``): its state, the mail check and its DNS records.

At the top, in words: the domain's verification state, whether it is the master domain and
delegated to Yandex's DNS servers, and the mail check's result (``mail check: missing:
DKIM``, see ``data.domains``). Below, its DNS records (type, name, value, TTL, priority),
page by page as the API gives them (``GET …/dns``, 50 a page); ``/`` filters them, ``s``
sorts, Ctrl+S exports, Enter shows every field of a record.

Edits (hidden with ``--read-only``; also in the palette): ``a`` adds a record (a form checked
per type before anything is sent: MX needs a priority, the TTL is a number of seconds, TXT
quotes must balance…), ``x`` or Delete removes the highlighted record, ``v`` starts the
verification of an unverified domain. Each is confirmed (before → after, and what it does to
the mail check), read back and journaled; the domain and its records are then read again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input, Static

from ...api.errors import Y360Error
from ...data.domains import (
    DNS_PAGE,
    DOMAIN,
    DomainRow,
    dns_paged,
    failure,
    find_domain,
    record_value,
)
from ...data.domains import load_rows as domain_rows
from ...data.edits.base import Edit, Outcome
from ...data.edits.domains import AddDnsRecord, DeleteDnsRecord, VerifyDomain
from ...data.fields import dns_record_fields
from ...data.paged import PagedList
from ...data.query import Field
from ..forms.actions import EditCommands
from ..forms.flow import is_read_only, start_edit
from ..registry import register_detail
from ..widgets.breadcrumb import Breadcrumb
from ..widgets.lazy_table import Column, LazyTable
from .list_view import ListScreen, StatusBar

EDIT_ACTIONS = {"add_record": ("a", "Add DNS record"),
                "remove_record": ("x", "Remove DNS record"),
                "verify_domain": ("v", "Verify domain")}


class DomainEditCommands(EditCommands):
    """The palette's entries for the domain's edits. ``EditCommands`` adds the list marks'
    entries for a screen with a table, which this one has without marks: listed here alone."""

    def entries(self) -> list[tuple[str, str, Any]]:
        from ..forms.flow import READ_ONLY_MESSAGE

        screen = self.screen
        if is_read_only(self.app):
            return [("Edits disabled", READ_ONLY_MESSAGE, None)]
        return [(f"Edit: {label}", f"key {key}",
                 lambda name=name: getattr(screen, f"action_{name}")())
                for name, (key, label) in EDIT_ACTIONS.items()]


def info_lines(row: DomainRow) -> str:
    """The domain's state and its mail check, in words (two lines)."""
    parts = [row.state, "master" if row.master else "not master",
             "delegated to Yandex" if row.delegated else "not delegated"]
    check = f"mail check: {row.check_text}"
    if row.checked:
        check += f" · {row.records} DNS records"
    return f"{row.name} · {' · '.join(parts)}\n{check}"


@register_detail(DOMAIN)
class DomainDetailScreen(ListScreen):
    """One domain and its DNS records (see the module docstring)."""

    TITLE = "Domain"
    PAGE_SIZE = DNS_PAGE
    LOAD_ALL = True  # filter and sort see every record (a domain has tens, not thousands)
    EMPTY = "no DNS records"
    PLACEHOLDER = "loading DNS records…"
    CSS_PATH = Path(__file__).parent.parent / "styles" / "domains.tcss"
    COLUMNS = [
        Column("Type", 5, priority=0),
        Column("Name", 18, priority=0),
        Column("Value", 30, priority=0, flex=True, grow=10),
        Column("TTL", 6, priority=1, align_right=True,
               sort_key=lambda r: r.ttl if r.ttl is not None else -1),
        Column("Priority", 8, priority=2, align_right=True,
               sort_key=lambda r: r.rank if r.rank is not None else -1),
    ]
    COMMANDS: ClassVar[set[Any]] = {DomainEditCommands}
    EDIT_ACTIONS: ClassVar[dict[str, tuple[str, str]]] = EDIT_ACTIONS
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("a", "add_record", "Add record"),
        Binding("x", "remove_record", "Remove"),
        Binding("delete", "remove_record", "Remove", show=False),
        Binding("v", "verify_domain", "Verify"),
    ]

    def __init__(self, ident: str = "", label: str = "") -> None:
        self.ident = ident
        self.row: DomainRow | None = None
        super().__init__(crumb=label or ident)

    # ------------------------------------------------------------------ the list

    def make_list(self) -> PagedList[Any]:
        """The domain's records, ``PAGE_SIZE`` a page (``data.domains.dns_paged``)."""
        return dns_paged(self.app.client, self.ident, self.PAGE_SIZE)  # type: ignore[attr-defined]

    def fields(self) -> list[Field]:
        """``data.fields.dns_record_fields``: filter names and export columns."""
        return dns_record_fields()

    def cells(self, row: Any) -> Sequence[str]:
        """Type, name, value, TTL, priority."""
        return (row.type.value, row.name, record_value(row),
                "" if row.ttl is None else str(row.ttl),
                "" if row.rank is None else str(row.rank))

    def compose(self) -> ComposeResult:
        """Header, breadcrumb, the domain's state and check, the records, filter, status."""
        yield Header()
        yield Breadcrumb(id="breadcrumb")
        yield Static("loading the domain…", id="domain-info")
        yield self.table
        yield Input(placeholder="filter…  (Enter keeps, Esc clears)", id="filter",
                    classes="hidden")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.load_info()

    def load_info(self) -> None:
        """Read the domain and run its mail check (in a worker)."""
        self.run_worker(self._load_info(), group="domain-info", exclusive=True,
                        exit_on_error=False)

    async def _load_info(self) -> None:
        info = self.query_one("#domain-info", Static)
        try:
            domain = await find_domain(self.app.client, self.ident)  # type: ignore[attr-defined]
            self.row = (await domain_rows(self.app.client, [domain]))[0]  # type: ignore[attr-defined]
        except Y360Error as exc:
            info.update(f"{self.ident}: could not be read ({failure(exc)})")
            return
        info.update(info_lines(self.row))
        info.set_class(bool(self.row.missing) or not self.row.verified, "-warning")

    @on(LazyTable.Activated)
    def _open_record(self, event: LazyTable.Activated) -> None:
        if self.is_active and event.row is not None:
            from .detail import ObjectDetailScreen

            row = event.row
            self.app.push_screen(ObjectDetailScreen(row, f"{row.type.value} {row.name}"))

    def action_reload(self) -> None:
        """Read the domain and its records again."""
        super().action_reload()
        self.load_info()

    # ------------------------------------------------------------------ edits

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit keys are hidden (and refused) in read-only mode."""
        if action in EDIT_ACTIONS and is_read_only(self.app):
            return False
        return super().check_action(action, parameters)

    def current(self) -> dict[str, Any]:
        return {"id": self.ident, "name": self.ident}

    def action_add_record(self) -> None:
        """Add a DNS record (a form, checked per type)."""
        self.edit(AddDnsRecord(self.current()))

    def action_remove_record(self) -> None:
        """Remove the highlighted record (confirmed first)."""
        record = self.table.cursor_item
        if record is None:
            self.notify("highlight a record first", severity="warning")
            return
        wire = record.model_dump(by_alias=True, exclude_none=True, mode="json")
        self.edit(DeleteDnsRecord({**self.current(), "record": wire}), form=False)

    def action_verify_domain(self) -> None:
        """Ask the server to verify the domain now."""
        if self.row is not None and self.row.verified:
            self.notify(f"{self.ident} is verified already", severity="information")
            return
        self.edit(VerifyDomain(self.current()), form=False)

    def edit(self, edit: Edit, *, form: bool = True) -> None:
        start_edit(self, edit, form=form, after=self.after_edit)

    async def after_edit(self, outcome: Outcome) -> None:
        """Read the domain, its records and the Domains list under it again."""
        from .domains import DomainsScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, DomainsScreen):
                screen.action_reload()
        if self.is_attached:
            self.action_reload()
