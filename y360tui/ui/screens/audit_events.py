"""Audit views: the shared ``AuditLogScreen`` and the organisation's audit events (key 5).

An audit view is a ``ListScreen`` over a newest-first log fetched page by page
(``data.audit.LogSource``) with a query line above the table (``QueryBar``). Its keys:

- ``t`` cycles the time window presets (1 h → 24 h → 7 d → 30 d), ``T`` asks for a custom
  start/end; the window and filters are sent to the server, never applied locally;
- ``u`` filters by user (uids, logins or emails; logins are resolved through the directory),
  ``e`` by event type, and for audit events ``v`` by service and ``i`` by IP; ``x`` clears;
- ``f`` toggles follow mode: every ``POLL_SECONDS`` the head of the log is polled for events
  newer than the newest seen (``data.audit.Follower``), and new ones are put on top, like
  ``tail -f``. The cursor stays on its row unless it was on the top one.

Tests and snapshots pin "now" by setting ``app.clock`` (a callable returning an aware
datetime); without it the views use the current time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume, ScreenSuspend
from textual.timer import Timer

from ...api.models import AuditEvent, AuditService
from ...data.audit import (
    PRESETS,
    EventsQuery,
    Follower,
    LogSource,
    TimeWindow,
    short_time,
    utc_now,
)
from ...data.directory import U_EMAIL, U_ID, U_LOGIN
from ...data.fields import audit_event_fields
from ...data.paged import Chunk, PagedList, PageState
from ...data.query import Field
from ..widgets.breadcrumb import Breadcrumb
from ..widgets.lazy_table import Column, LazyTable
from ..widgets.time_window import CustomWindowScreen, PromptScreen, QueryBar, parse_window
from .detail import STYLES, ObjectDetailScreen
from .list_view import ListScreen, error_text
from .sequential import NearEndOnly

PRESET_ORDER = list(PRESETS)


def when(moment: Any) -> str:
    """A row's date column: ``YYYY-MM-DD HH:MM`` UTC."""
    return short_time(moment) if moment is not None else ""


class AuditLogScreen(NearEndOnly, ListScreen):
    """A newest-first audit log with server-side window/filters and follow mode."""

    SEQUENTIAL = True
    PAGE_SIZE = 100
    POLL_SECONDS: ClassVar[float] = 5.0
    FILTER_KEYS: ClassVar[tuple[str, ...]] = ("uids", "types")
    CSS_PATH = STYLES / "audit.tcss"
    BINDINGS = [
        Binding("t", "next_window", "Window"),
        Binding("T", "custom_window", "Custom window", show=False),
        Binding("u", "filter_user", "User"),
        Binding("e", "filter_type", "Type"),
        Binding("x", "clear_query", "Clear", show=False),
        Binding("f", "follow", "Follow"),
    ]

    def __init__(self, *, uids: Sequence[str] = (), crumb: str | None = None,
                 who: str = "") -> None:
        self.query_state: Any = self.initial_query().with_(uids=uids)
        self.uid_labels = {uid: who for uid in uids if who}
        self.source: LogSource | None = None
        self.follower: Follower[Any] | None = None
        self.following = False
        self.news = 0
        self._timer: Timer | None = None
        super().__init__(crumb)

    # ------------------------------------------------------------------ hooks

    def initial_query(self) -> Any:
        """The query a fresh view starts with (last 24 h, no filters)."""
        raise TypeError(f"{type(self).__name__} must define initial_query")

    def make_list(self) -> PagedList[Any]:
        """A sequential list over the log source (created when the first page is asked)."""
        return PagedList.sequential(self.fetch_next, self.PAGE_SIZE, self.search_key)

    async def fetch_next(self, cursor: Any) -> Chunk[Any]:
        """The page after ``cursor`` of the current query."""
        return await self.log_source().next(cursor)

    def log_source(self) -> LogSource:
        """The source for the current query (one per view, reset when the query changes)."""
        if self.source is None:
            self.source = LogSource(self.app.client, self.query_state,  # type: ignore[attr-defined]
                                    clock=self.clock, page_size=self.PAGE_SIZE)
        return self.source

    def clock(self) -> Any:
        """Now, from ``app.clock`` when the app has one (tests pin it)."""
        return getattr(self.app, "clock", utc_now)()

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        """The list screen's widgets with the query line under the breadcrumb."""
        for widget in super().compose():
            yield widget
            if isinstance(widget, Breadcrumb):
                yield QueryBar(id="query")

    def on_mount(self) -> None:
        """Show the query line (``ListScreen.on_mount`` then loads the first page: Textual
        calls the handler of every class in the MRO)."""
        self.show_query()

    def show_query(self) -> None:
        """Redraw the query line."""
        for bar in self.query(QueryBar):
            bar.show(self.query_state.window, self.filters_text(), self.following, self.news)

    def filters_text(self) -> str:
        """The filters for the query line (users by login when known)."""
        query = self.query_state
        parts = []
        if query.uids:
            parts.append("user " + ", ".join(self.uid_labels.get(u) or u for u in query.uids))
        if query.types:
            parts.append("type " + ", ".join(query.types))
        for name in ("service", "ip"):
            value = getattr(query, name, "")
            if value:
                parts.append(f"{name} {value}")
        return " · ".join(parts)

    # ------------------------------------------------------------------ the query

    def apply_query(self, query: Any) -> None:
        """Ask the server again with ``query`` (the follower re-primes on its next tick)."""
        self.query_state = query
        self.log_source().reset(query)
        self.follower = None
        self.news = 0
        self.show_query()
        self.action_reload()

    def action_next_window(self) -> None:
        """The next preset window (1 h → 24 h → 7 d → 30 d → 1 h)."""
        current = self.query_state.window.preset
        index = PRESET_ORDER.index(current) + 1 if current in PRESET_ORDER else 0
        preset = PRESET_ORDER[index % len(PRESET_ORDER)]
        self.apply_query(self.query_state.with_(window=TimeWindow(preset)))

    def action_custom_window(self) -> None:
        """Ask for a custom start/end."""
        now = self.clock()

        def done(text: str | None) -> None:
            if text:
                self.apply_query(self.query_state.with_(window=parse_window(text, now)))

        self.app.push_screen(CustomWindowScreen(now, self.query_state.window), done)

    def action_filter_user(self) -> None:
        """Ask for users (uids, logins or emails, comma-separated); empty clears."""
        current = ", ".join(self.uid_labels.get(u) or u for u in self.query_state.uids)

        def done(text: str | None) -> None:
            if text is not None:
                self.run_worker(partial(self._set_users, text), group="query", exit_on_error=False)

        self.app.push_screen(PromptScreen("Only events of these users", value=current,
                                          hint="uids, logins or emails, comma-separated; "
                                               "empty = everyone"), done)

    async def _set_users(self, text: str) -> None:
        names = [p.strip() for p in text.split(",") if p.strip()]
        try:
            uids = await self.resolve_users(names)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", timeout=6)
            return
        except Exception as exc:
            self.notify(error_text(exc), severity="error", timeout=8)
            return
        self.apply_query(self.query_state.with_(uids=uids))

    async def resolve_users(self, names: list[str]) -> list[str]:
        """Uids for ``names`` (digits pass as uids; logins/emails are looked up among the
        directory's users, loading them all once if they are not already)."""
        directory = self.app.directory  # type: ignore[attr-defined]
        wanted = {n.lower() for n in names if not n.isdigit()}
        found: dict[str, str] = {}
        for attempt in range(2):
            for _, row in directory.users.rows():
                for key in (row[U_LOGIN].lower(), row[U_EMAIL].lower()):
                    if key in wanted:
                        found[key] = row[U_ID]
                        self.uid_labels[row[U_ID]] = row[U_LOGIN]
            if attempt == 0 and len(found) < len(wanted) and not directory.users.complete:
                await directory.load_all_users()
        missing = sorted(wanted - set(found))
        if missing:
            raise ValueError(f"no user with login or email {', '.join(missing)}")
        return [n if n.isdigit() else found[n.lower()] for n in names]

    def action_filter_type(self) -> None:
        """Ask for event types (comma-separated); empty clears."""
        self._ask("types", "Only these event types", ", ".join(self.query_state.types),
                  self.type_hint(), check=self.check_types)

    def type_hint(self) -> str:
        """Help under the event-type prompt."""
        return "comma-separated; empty = every type"

    def check_types(self, text: str) -> None:
        """Refuse event types the API does not know (ValueError); views override."""

    def _ask(self, field: str, question: str, value: str, hint: str, check: Any = None
             ) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            if field in ("uids", "types"):
                values = [p for p in text.replace(" ", ",").split(",") if p]
                self.apply_query(self.query_state.with_(**{field: values}))
            else:
                self.apply_query(self.query_state.with_(**{field: text}))

        self.app.push_screen(PromptScreen(question, value=value, hint=hint, check=check), done)

    def action_clear_query(self) -> None:
        """Back to the last 24 h with no filters."""
        self.apply_query(self.initial_query())

    # ------------------------------------------------------------------ follow

    def action_follow(self) -> None:
        """Start or stop polling for new events."""
        self.following = not self.following
        self.news = 0
        if self.following:
            self._timer = self.set_interval(self.POLL_SECONDS, self.poll_now)
            self.poll_now()
        elif self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.show_query()
        self.update_status()

    def poll_now(self) -> None:
        """Poll once for new events (in a worker; a poll still running is replaced)."""
        self.run_worker(self._poll, group="follow", exclusive=True, exit_on_error=False)

    async def _poll(self) -> None:
        if not self.following:
            return
        if self.follower is None:
            if self.data.state(0) is not PageState.LOADED:
                return  # the first page is not there yet: its rows are the baseline
            self.follower = self.log_source().follower()
            self.follower.prime([row for _, row in self.data.rows()])
        try:
            fresh = await self.follower.poll()
        except Exception as exc:
            self.notify(f"follow: {error_text(exc)}", severity="warning", timeout=5)
            return
        if fresh:
            self.add_on_top(fresh)

    def add_on_top(self, rows: list[Any]) -> None:
        """Put new events above the others; the cursor keeps its row unless it was on top."""
        table = self.table
        on_top = table.cursor == 0
        keep = table.cursor_index
        self.data.prepend(rows)
        self.news += len(rows)
        table.refresh_rows()
        if not on_top and keep >= 0:
            table.restore_cursor(keep + len(rows))
        self.show_query()
        self.update_status()

    def on_screen_suspend(self, event: ScreenSuspend) -> None:
        """Leaving the view: pause polling too (``ListScreen``'s handler, also called,
        cancels the page loads); it resumes when the view comes back."""
        if self._timer is not None:
            self._timer.pause()

    def on_screen_resume(self, event: ScreenResume) -> None:
        """Back on the view: resume polling if following."""
        if self._timer is not None:
            self._timer.resume()

    def status_text(self) -> str:
        """The list's status plus the follow state."""
        text = super().status_text()
        if self.following:
            text += f"  ·  following every {self.POLL_SECONDS:g} s"
        return text

    # ------------------------------------------------------------------ detail

    @on(LazyTable.Activated)
    def _open_event(self, event: LazyTable.Activated) -> None:
        self.app.push_screen(ObjectDetailScreen(event.row))


SERVICES = [s.value for s in AuditService]


class AuditEventsScreen(AuditLogScreen):
    """Organisation audit events (§10.3), newest first."""

    TITLE = "Audit events"
    EMPTY = "no audit events in this window"
    COLUMNS = [
        Column("Date", 16, priority=0),
        Column("Type", 26, priority=0, grow=20),  # some event types have 40-odd characters
        Column("Status", 7, priority=2),
        Column("Service", 9, priority=1, grow=6),
        Column("User", 22, priority=1, grow=12),
        Column("IP", 15, priority=3, grow=24),
    ]
    BINDINGS = [
        Binding("v", "filter_service", "Service", show=False),  # 80 columns keep ? and q
        Binding("i", "filter_ip", "IP", show=False),
    ]

    def initial_query(self) -> EventsQuery:
        """The last 24 hours, every event."""
        return EventsQuery(TimeWindow("24h"))

    def fields(self) -> list[Field]:
        """Audit event fields (``data.fields.audit_event_fields``): filter names, export
        columns."""
        return audit_event_fields()

    def cells(self, row: AuditEvent) -> Sequence[str]:
        """Date, type, status, service, user, IP."""
        event = row.event
        return (when(event.occurred_at), event.type, event.status.value, event.service.value,
                row.user_login.split("@")[0] or str(event.uid or ""), event.ip)

    def action_filter_service(self) -> None:
        """Ask for one service (Web, Api, ID …); empty clears."""
        def check(text: str) -> None:
            if text not in SERVICES:
                raise ValueError(f"service must be one of {', '.join(SERVICES)}")

        self._ask("service", "Only events from this service", self.query_state.service,
                  ", ".join(SERVICES), check=check)

    def action_filter_ip(self) -> None:
        """Ask for one initiator IP; empty clears."""
        self._ask("ip", "Only events from this IP", self.query_state.ip,
                  "one address, exactly as the log shows it")

    def type_hint(self) -> str:
        """Examples of audit event types."""
        return "e.g. id_cookie.set, disk_fs-set-public, ya360_b2bplatform_user_blocked"
