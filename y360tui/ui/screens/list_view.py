"""``ListScreen``: the generic paged list view (k9s style: a view = columns + fetch + bindings).

A view subclasses ``ListScreen`` and declares::

    @register_view(key="3", name="groups", title="Groups")
    class GroupsScreen(ListScreen):
        COLUMNS = [Column("Name", 24, flex=True), Column("Type", 10, priority=2), …]
        PAGE_SIZE = 200
        DETAIL_KIND = "group"                         # Enter opens this detail screen

        def make_list(self) -> PagedList:              # or override fetch_page / fetch_next
            return self.app.directory.groups

        async def fetch_page(self, page: int) -> Chunk: …   # 0-based page -> rows
        def cells(self, row) -> Sequence[str]: …            # row -> one string per column
        def detail_target(self, row) -> tuple[str, str]: …  # (ident, label) for Enter

Rows should be compact (tuples of strings): 100k of them stay in memory. The screen does the
rest: loads the first page on mount and further pages as the table asks (one worker per page, in
the worker group ``pages``), shows "N of M loaded" and a loading mark, filters with ``/``, retries
failed pages with ``r``, reloads with ``R``, and cancels its workers when it is left (another view,
a pushed detail) or removed. Errors become notifications with the API's own message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import partial
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume, ScreenSuspend
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static
from textual.worker import NoActiveWorker, get_current_worker

from ...api.errors import ApiError, Forbidden, NotFound, TransportError, Unauthorized
from ...data.paged import Chunk, PagedList
from ...data.query import Field, Query, parse
from ..dataout import ListDataOut
from ..widgets.breadcrumb import Breadcrumb
from ..widgets.lazy_table import Column, LazyTable
from .list_status import ListStatus, retryable

# The scope a read needs, by path fragment (reference §2.2), to say what a 401/403 lacks.
SCOPES_BY_PATH = (
    ("/dns", "directory:manage_dns"),
    ("/domains", "directory:read_domains"),
    ("/mail/routing/", "ya360_admin:mail_read_routing_rules"),
    ("/mail/antispam/", "ya360_admin:mail_read_antispam_settings"),
    ("/mailboxes/", "ya360_admin:mail_read_shared_mailbox_inventory"),
    ("/audit_log/mail", "ya360_security:audit_log_mail"),
    ("/audit_log/disk", "ya360_security:audit_log_disk"),
    ("/auditlog/", "ya360_security:read_auditlog"),
    ("/2fa", "directory:read_users"),
    ("/users", "directory:read_users"),
    ("/departments", "directory:read_departments"),
    ("/groups", "directory:read_groups"),
    ("/service_applications", "ya360_security:service_applications_read"),
    ("/v1/disk", "cloud_api:disk.read"),
    ("/v2/", "tracker:read"),
    ("/v3/", "tracker:read"),
    ("/directory/v1/org", "directory:read_organization"),
)


RETRY_HINT = " — press r to retry"
ORG_FIX = (" — the organisation id is wrong: set org_id in the profile (config file) or "
           "Y360_ORG_ID to your organisation's id (admin.yandex.ru shows it), then start "
           "y360tui again")


def wrong_org(exc: BaseException) -> bool:
    """A 404 that names the organisation: the org id the client sends is not one."""
    return isinstance(exc, NotFound) and "organi" in (exc.message or "").lower()


def error_text(exc: BaseException) -> str:
    """A one-line, user-facing description of ``exc`` (the API's own message first)."""
    if isinstance(exc, ApiError):
        text = exc.message or str(exc)
        if isinstance(exc, (Unauthorized, Forbidden)):
            scope = next((s for frag, s in SCOPES_BY_PATH if frag in exc.path), None)
            if scope and scope not in text:
                text += f" (needs scope {scope})"
        if wrong_org(exc):
            text += ORG_FIX
        return f"{exc.status}: {text}"
    if isinstance(exc, TransportError):
        return f"network: {exc}{RETRY_HINT}"
    return f"{type(exc).__name__}: {exc}"


def column_field_name(label: str) -> str:
    """The filter name of a column: its label in lower case, words joined by ``_``."""
    return "_".join(label.lower().replace("/", " ").split())


def _cell(cells: Any, i: int, row: Any) -> str:
    return str(cells(row)[i])


class StatusBar(Static):
    """One line under a list: what is loaded, filter, sort, marks."""


class ListScreen(ListStatus, ListDataOut, Screen):
    """A paged, filterable, sortable list (see the module docstring)."""

    COLUMNS: ClassVar[Sequence[Column]] = ()
    PAGE_SIZE: ClassVar[int] = 100
    SEQUENTIAL: ClassVar[bool] = False
    DETAIL_KIND: ClassVar[str | None] = None
    PLACEHOLDER: ClassVar[str] = "loading…"
    EMPTY: ClassVar[str] = "nothing here"
    LOAD_ALL: ClassVar[bool] = False  # load every page in the background after the first
    LOAD_ALL_CONCURRENCY: ClassVar[int] = 4
    POLL_SECONDS: ClassVar[float] = 0.25  # redraw rate while rows arrive in the background
    LOOKUP_BATCH: ClassVar[int] = 200  # per-row values fetched between two re-filters

    BINDINGS = [
        # priority: the action runs (and focuses the box) before the next key of the same burst
        # is routed, so "/status:blocked" typed at once lands in the box, not in the list.
        Binding("slash", "filter", "Filter", priority=True),
        Binding("escape", "escape", "Back", show=False),
        Binding("backspace", "back", "Back", show=False),
        Binding("r", "retry", "Retry", show=False),
        Binding("R", "reload", "Reload", show=False),
    ]

    def __init__(self, crumb: str | None = None) -> None:
        super().__init__()
        self.crumb = crumb or self.title or ""
        self.title = None  # the header shows the app's title (org, profile); the crumb the view
        self.data: PagedList[Any] = self.make_list()
        self.table = LazyTable(self.COLUMNS, self.data, self.cells,
                               placeholder=self.PLACEHOLDER, empty=self.EMPTY, id="table")
        self.filter_problem = ""  # why the filter text could not be used, if it could not
        self._seen_version = -1
        self._reported: set[int] = set()  # failed pages already told to the user
        self.sort_waiting = 0  # rows whose per-row value the sort still waits for
        self._status_shown: str | None = None

    # ---------------------------------------------------------------- subclass hooks

    def make_list(self) -> PagedList[Any]:
        """The ``PagedList`` behind the table (default: built on ``fetch_page``/``fetch_next``).
        Override to share a list with other screens (e.g. the app's directory cache)."""
        if self.SEQUENTIAL:
            return PagedList.sequential(self.fetch_next, self.PAGE_SIZE, self.search_key)
        return PagedList.random(self.fetch_page, self.PAGE_SIZE, self.search_key)

    async def fetch_page(self, page: int) -> Chunk[Any]:
        """Rows of 0-based ``page`` (random-access views override this)."""
        raise TypeError(f"{type(self).__name__} must override fetch_page or make_list")

    async def fetch_next(self, cursor: Any) -> Chunk[Any]:
        """The page after ``cursor`` (``SEQUENTIAL`` views override this)."""
        raise TypeError(f"{type(self).__name__} must override fetch_next or make_list")

    def cells(self, row: Any) -> Sequence[str]:
        """One string per column for ``row`` (default: the row itself)."""
        return row

    def search_key(self, row: Any) -> str:
        """The text ``/`` matches (lowered once per row by the list)."""
        return "\t".join(self.cells(row))

    def detail_target(self, row: Any) -> tuple[str, str] | None:
        """``(ident, label)`` of the object Enter opens, or None (default: first two cells)."""
        return (str(row[0]), str(row[1])) if isinstance(row, tuple) and len(row) > 1 else None

    def rows_shown(self, rows: list[Any]) -> None:
        """Called with the loaded rows on screen (e.g. to fetch per-row extras)."""

    def fields(self) -> list[Field]:
        """The named fields ``field:value`` filters can test (default: one text field per
        column, named by its label: ``type:``, ``last_login:``)."""
        return [Field(column_field_name(c.label), c.label, partial(_cell, self.cells, i))
                for i, c in enumerate(self.COLUMNS)]

    async def fetch_values(self, rows: list[Any], fields: list[Field]) -> None:
        """Fetch the per-row values of ``fields`` for ``rows`` (views with such fields)."""

    # ---------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        """Header, breadcrumb, table, filter input, status bar, footer."""
        yield Header()
        yield Breadcrumb(id="breadcrumb")
        yield self.table
        yield Input(placeholder="filter…  (Enter keeps, Esc clears)", id="filter",
                    classes="hidden")
        yield StatusBar(id="status")
        yield Footer()

    def uses_marks(self) -> bool:
        """Whether something acts on marked rows here (edit mixins say yes)."""
        return False

    def on_mount(self) -> None:
        """Load the first page right away."""
        self.table.markable = self.uses_marks()
        self.table.focus()
        self.update_status()
        self.request_pages(self.data.pages_needed(0, self.table.page_rows))
        self.start_polling()
        self._report_failures()

    def _report_failures(self) -> None:
        """Tell the user about pages that failed in work this screen does not own (the app's
        background load), once per failure."""
        failed = [p for p in self.data.failed_pages() if p not in self._reported]
        self._reported.intersection_update(self.data.failed_pages())
        if failed:
            self._reported.update(failed)
            error = self.data.error(failed[0])
            if error is not None and isinstance(error, Exception):
                self.report_load_error(error)

    def start_polling(self) -> None:
        """Redraw when rows arrived by other means (the app's background load of the whole
        directory, per-row values a filter waits for)."""
        self._seen_version = self.data.version
        self.set_interval(self.POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        if not self.is_active:  # under a modal (help) the status line still shows
            if self.is_attached:
                self.update_status()
            return
        self._report_failures()
        if self.data.version == self._seen_version:
            self.update_status()  # background work may have ended: "loading" goes
            return
        self._seen_version = self.data.version
        self.table.refresh_rows()
        self.update_status()
        self._fetch_pending()

    # ---------------------------------------------------------------- loading

    def request_pages(self, pages: list[int]) -> None:
        """Start one worker per page (the list skips pages already loaded or in flight)."""
        for page in pages:
            self.run_worker(partial(self._load, page), group="pages", exit_on_error=False,
                            description=f"{self.crumb} page {page + 1}")
        if pages:
            self.update_status()

    async def _load(self, page: int) -> None:
        try:
            await self.data.load_page(page)
            # Draw the rows now; details that follow them (department names) redraw later.
            self._rows_landed()
            await self.data.settled()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._reported.add(page)
            self.report_load_error(exc)
        finally:
            self._rows_landed()

    def report_load_error(self, exc: Exception) -> None:
        """A rejected token ends the session's views; any other error is a notification."""
        if isinstance(exc, Unauthorized):
            self.app.token_rejected(error_text(exc))  # type: ignore[attr-defined]
        else:
            text = error_text(exc)
            if retryable(exc) and not text.endswith(RETRY_HINT):
                text += RETRY_HINT  # a 4xx answer would come again: say what to fix instead
            self.notify(f"{self.crumb}: {text}", severity="error", timeout=8,
                        title="Could not load")

    def _rows_landed(self) -> None:
        if self.is_attached:
            self.table.refresh_rows()
            self.update_status()
            self.load_rest()

    def load_rest(self) -> None:
        """``LOAD_ALL`` views: once the first page is in, fetch every other page in the
        background (bounded concurrency), so filter, sort and marks cover the whole list."""
        data = self.data
        if not self.LOAD_ALL or data.complete or data.loaded_count == 0 or data.failed_pages():
            return
        if not self.is_active or any(w.group == "all" and w.is_running for w in self.workers):
            return
        self.run_worker(self._load_rest, group="all", exit_on_error=False,
                        description=f"{self.crumb}: every page")

    async def _load_rest(self) -> None:
        try:
            await self.data.load_all(self.LOAD_ALL_CONCURRENCY)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._reported.update(self.data.failed_pages())
            self.report_load_error(exc)
        finally:
            if self.is_attached:
                self.table.refresh_rows()
                self.update_status()

    @on(LazyTable.NeedRows)
    def _need_rows(self, event: LazyTable.NeedRows) -> None:
        # The table already looks one screen ahead, so no extra pages ahead here.
        pages = self.data.pages_needed(event.first, event.last, ahead=0) \
            if event.first >= 0 else []
        if event.more:
            nxt = self.data.next_missing_page()
            if nxt is not None and nxt not in pages and nxt not in self.data.failed_pages():
                pages.append(nxt)
        self.request_pages(pages)

    @on(LazyTable.RowsShown)
    def _rows_shown(self, event: LazyTable.RowsShown) -> None:
        rows = [r for i in event.positions if (r := self.data.row(i)) is not None]
        self.rows_shown(rows)

    def cancel_loading(self) -> None:
        """Stop this view's in-flight work (its pages go back to missing)."""
        self.workers.cancel_node(self)
        self.table.forget_requests()

    def on_screen_suspend(self, event: ScreenSuspend) -> None:
        """Leaving the view (another view or a pushed detail): stop loading."""
        self.cancel_loading()

    def on_screen_resume(self, event: ScreenResume) -> None:
        """Back on the view: ask again for what is on screen, refresh the path."""
        self.query_one(Breadcrumb).update_path()
        if self.is_mounted:
            self.table.refresh_rows()
            self.update_status()
            self.call_after_refresh(self.load_rest)

    def on_unmount(self) -> None:
        """Workers die with the screen; say so explicitly for in-flight pages."""
        self.cancel_loading()

    # ---------------------------------------------------------------- status

    def _loading_rest(self) -> bool:
        return not self.data.complete and any(w.group == "all" and w.is_running
                                              for w in self.workers)

    def loading_elsewhere(self) -> bool:
        """True while this view's rows also arrive from work it does not own (the app's
        background load of the directory)."""
        return False

    def update_status(self) -> None:
        """Redraw the status bar (only when its text changed)."""
        if self.is_mounted:
            text = self.status_text()
            if text != self._status_shown:
                self._status_shown = text
                self.query_one(StatusBar).update(text)

    @on(LazyTable.Sorted)
    def _sorted(self, event: LazyTable.Sorted) -> None:
        """Sorting on a per-row value (2FA): fetch it for every loaded row, sorting again as
        it arrives, so the order is true for the whole list."""
        field = self._column_field(event.column)
        self.sort_waiting = 0
        if field is not None and field.known is not None:
            self.run_worker(partial(self._fill_sort_values, event.column, field),
                            group="sort-values", exclusive=True, exit_on_error=False)
        self.update_status()

    def _column_field(self, column: int | None) -> Field | None:
        if column is None:
            return None
        label = self.COLUMNS[column].label
        return next((f for f in self.fields() if f.label == label), None)

    async def _fill_sort_values(self, column: int, field: Field) -> None:
        known = field.known
        assert known is not None
        while self.table.sort_column == column:
            missing = [r for _, r in self.data.rows() if not known(r)]
            self.sort_waiting = len(missing)
            self.update_status()
            if not missing:
                break
            await self.fetch_values(missing[: self.LOOKUP_BATCH * 5], [field])
            if sum(1 for _, r in self.data.rows() if not known(r)) >= len(missing):
                break  # nothing more could be fetched
            self.table.resort()
        self.sort_waiting = 0
        self.table.resort()
        self.update_status()

    @on(LazyTable.MarksChanged)
    def _marks_changed(self) -> None:
        self.update_status()

    # ---------------------------------------------------------------- filter

    def action_filter(self) -> None:
        """Show the filter input and type into it ("/" typed in the box is a character: the
        regular expressions of the filter language need it)."""
        box = self.query_one("#filter", Input)
        if self.focused is box:  # behind any keys of the same burst still queued for the box
            box.post_message(events.Key("slash", "/"))
            return
        box.remove_class("hidden")
        # At once, not after the keys already queued: "/status:blocked" typed in one burst
        # must land in the box, not run as list commands (t would open an edit form).
        self.set_focus(box)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    def apply_filter(self, text: str) -> bool:
        """Filter by ``text`` (``data.query`` language over ``fields()``); words that cannot
        be understood are left out and the status line says why. True if all were used."""
        query = parse(text, self.fields(), strict=False)
        self.filter_problem = "; ".join(query.problems)
        self.table.set_query(query)
        self.update_status()
        self._fetch_pending()
        return not query.problems

    def _fetch_pending(self) -> None:
        """Fetch the per-row values the filter waits for (only rows the rest of it let
        through), unless that is running already."""
        query = self.data.structured
        if query is None or not self.data.pending or not query.lookups:
            return
        try:
            current = get_current_worker()  # a fetch ending hands over to a newer filter
        except NoActiveWorker:
            current = None
        if any(w.group == "values" and w.is_running and w is not current
               for w in self.workers):
            return
        self.run_worker(partial(self._fill_pending, query), group="values",
                        exit_on_error=False, description=f"{self.crumb} filter values")

    async def _fill_pending(self, query: Query) -> None:
        fields = query.lookup_fields
        while self.data.structured is query and self.data.pending:
            batch = [r for i in self.data.pending[: self.LOOKUP_BATCH]
                     if (r := self.data.row(i)) is not None]
            before = len(self.data.pending)
            await self.fetch_values(batch, fields)
            self.data.refilter()
            self.table.refresh_rows()
            self.update_status()
            if len(self.data.pending) >= before:  # nothing could be fetched: stop asking
                return
        if self.data.structured is not query:  # the filter changed while this one fetched
            self._fetch_pending()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        if not event.value:
            event.input.add_class("hidden")
        self.table.focus()

    def show_filter(self, text: str) -> None:
        """Put ``text`` in the filter box and filter by it (a saved filter)."""
        box = self.query_one("#filter", Input)
        box.remove_class("hidden")
        with box.prevent(Input.Changed):
            box.value = text
        self.apply_filter(text)
        self.table.focus()

    def clear_filter(self) -> None:
        """Drop the filter and hide its input."""
        box = self.query_one("#filter", Input)
        box.value = ""
        box.add_class("hidden")
        self.filter_problem = ""
        self.table.set_filter("")
        self.table.focus()
        self.update_status()

    # ---------------------------------------------------------------- keys

    def action_escape(self) -> None:
        """Esc: close/clear the filter first, then go back."""
        box = self.query_one("#filter", Input)
        if box.has_focus or self.data.query or self.filter_problem:
            self.clear_filter()
        else:
            self.action_back()

    def action_back(self) -> None:
        """Go back one step on the navigation stack."""
        self.app.action_back()

    def action_retry(self) -> None:
        """Fetch failed pages again (the loaded ones stay)."""
        failed = self.data.failed_pages()
        if not failed:
            self.notify("nothing to retry")
            return
        self.run_worker(self._retry, group="pages", exit_on_error=False)

    async def _retry(self) -> None:
        retry = asyncio.ensure_future(self.data.retry_failed())
        try:
            await asyncio.sleep(0)  # a failed page is on its way again: say so at once
            self.update_status()
            await retry
        except asyncio.CancelledError:
            retry.cancel()
            raise
        except Exception as exc:
            self.notify(f"{self.crumb}: {error_text(exc)}", severity="error", timeout=8,
                        title="Retry failed")
        finally:
            self.table.refresh_rows()
            self.update_status()
            self.load_rest()

    def action_reload(self) -> None:
        """Forget every row and load again from the first page."""
        self.cancel_loading()
        self.data.clear()
        self.table.marked.clear()
        self.table.refresh_rows()
        self.update_status()

    @on(LazyTable.Activated)
    def _activated(self, event: LazyTable.Activated) -> None:
        target = self.detail_target(event.row)
        # Opened here, not by a posted message: a second Enter typed before that message was
        # handled would open a second detail. Only from the screen on top.
        if self.DETAIL_KIND and target is not None and self.is_active:
            self.app.open_detail(self.DETAIL_KIND, *target)  # type: ignore[attr-defined]
