"""Mail audit log (key 4): the legacy mail audit log (§10.1), newest first.

Columns: date, event type, mailbox owner, folder, subject (or sender when there is no subject),
client IP. The window (``afterDate``/``beforeDate``), users (``includeUids``) and event types
(``types``) are filtered by the server; ``f`` follows new events (see ``AuditLogScreen``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ...api.models import MailEvent, MailEventType
from ...data.audit import MailQuery, TimeWindow
from ...data.fields import mail_event_fields
from ...data.query import Field
from ..widgets.lazy_table import Column
from .audit_events import AuditLogScreen, when

MAIL_TYPES = [t.value for t in MailEventType]


def subject_or_sender(event: MailEvent) -> str:
    """The subject; the sender when the event has no subject (e.g. a receive without one)."""
    return event.subject or (f"from {event.from_}" if event.from_ else "")


class MailAuditScreen(AuditLogScreen):
    """The mail audit log, newest first."""

    TITLE = "Mail audit"
    EMPTY = "no mail events in this window"
    COLUMNS = [
        Column("Date", 16, priority=0),
        Column("Type", 15, priority=0),
        Column("User", 20, priority=0, grow=8),
        Column("Folder", 12, priority=3),
        Column("Subject / from", 24, priority=1, flex=True),
        Column("IP", 15, priority=2, grow=24),
    ]

    def initial_query(self) -> MailQuery:
        """The last 24 hours, every mailbox and type."""
        return MailQuery(TimeWindow("24h"))

    def fields(self) -> list[Field]:
        """Mail event fields (``data.fields.mail_event_fields``): filter names, export columns."""
        return mail_event_fields()

    def cells(self, row: MailEvent) -> Sequence[str]:
        """Date, type, user, folder, subject or sender, IP."""
        return (when(row.date), row.event_type.value, row.user_login.split("@")[0],
                row.folder_name or "", subject_or_sender(row), row.client_ip)

    def type_hint(self) -> str:
        """The mail event types the API knows."""
        return ", ".join(MAIL_TYPES)

    def check_types(self, text: str) -> None:
        """Only the 12 documented mail event types."""
        unknown = [t for t in text.replace(" ", ",").split(",") if t and t not in MAIL_TYPES]
        if unknown:
            raise ValueError(f"unknown mail event type {', '.join(unknown)}")
