"""Anti-spam allowlist (``0 a``): IP addresses and CIDR ranges whose mail the spam filter never
marks (``GET /mail/antispam/allowlist/ips``), numbered in the server's order.

Columns: #, entry, kind (address/range), IP version, addresses covered. ``n`` adds an entry
(checked with ``ipaddress`` and normalised; a duplicate, or an entry inside a range already
listed, is refused), ``d`` removes the highlighted one. The API replaces the whole list on
each write: the confirmation shows the whole list (``+`` added, ``-`` removed), the list is
read again just before sending and the edit refused if it changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding

from ...data.edits.mail_flow import ALLOWLIST, AddAllowEntry, RemoveAllowEntry
from ...data.mail_flow import AllowEntry
from ..registry import register_detail, register_view
from ..widgets.lazy_table import Column
from .mail_flow_common import MailFlowList


def _size(count: int) -> str:
    return f"{count:,}" if count < 10**7 else f"2^{count.bit_length() - 1}"


@register_view(key="a", name="antispam-allowlist", title="Anti-spam allowlist",
               description="IP addresses and ranges the spam filter always lets through")
class AntispamAllowlistScreen(MailFlowList):
    """The allow list (see the module docstring)."""

    TITLE = "Anti-spam allowlist"
    VIEW = "antispam-allowlist"
    EMPTY = "the allow list is empty (n adds an entry)"
    COLUMNS = [
        Column("#", 3, priority=0, align_right=True, sort_key=lambda r: r.position),
        Column("Entry", 24, priority=0, flex=True),
        Column("Kind", 7, priority=0),
        Column("Version", 7, priority=1),
        Column("Addresses", 12, priority=2, align_right=True, sort_key=lambda r: r.kind[2]),
    ]
    EDIT_ACTIONS = {"add_entry": ("n", "Add IP/range…"), "remove_entry": ("d", "Remove")}
    BINDINGS = [Binding("n", "add_entry", "Add"), Binding("d", "remove_entry", "Remove")]

    def cells(self, row: AllowEntry) -> Sequence[str]:
        """#, entry, kind, version, addresses."""
        kind, version, count = row.kind
        return (str(row.position), row.entry, kind, version, _size(count))

    def action_add_entry(self) -> None:
        """Ask for an IP address or CIDR range and add it to the list."""
        self.edit(AddAllowEntry())

    def action_remove_entry(self) -> None:
        """Remove the highlighted entry."""
        row = self.selected()
        if row is not None:
            self.edit(RemoveAllowEntry(None, {"entry": row.entry}))


@register_detail(ALLOWLIST)
class AllowlistFromJournal(AntispamAllowlistScreen):
    """The list opened from a journal entry (``o``)."""

    def __init__(self, ident: str = "", label: str = "", *args: Any) -> None:
        super().__init__("Anti-spam allowlist")
