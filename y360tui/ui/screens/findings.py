"""Findings (key 9): what an admin must act on, with severity, count and a drill-down.

The checks are ``data.findings`` (``FindingsRun``): the list shows every check from the start
and fills in as each source completes — the directory findings at once (the session's
directory is usually loaded already), 2FA as the states arrive, Disk when the scan of every
user's public resources ends — with a progress line under the table. Rows are sorted by
severity; checks that found nothing go last (``✓``). A source that fails (a 403 for a missing
scope) shows ``could not check: …`` on its findings only.

Enter opens the finding's objects as their usual view (``finding_objects``): users as in Users
(marks and bulk edits: e.g. ``*`` then ``o`` signs every user without 2FA out), groups as in
Groups, public links as in Shared files (``u`` unpublishes), departments, service applications
and settings as a short list with details. ``r`` checks everything again (the directory and
2FA states are read again too).

The computation runs as an app worker, so switching to another view does not stop it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input, Static

from ...data.fields import finding_fields
from ...data.findings import DONE, FAILED, SETTING, Finding, FindingsRun
from ...data.findings_out import findings_records
from ...data.paged import Chunk, PagedList
from ...data.query import Field
from ..registry import register_view
from ..widgets.breadcrumb import Breadcrumb
from ..widgets.lazy_table import Column, LazyTable
from .list_view import ListScreen, StatusBar

STYLES = Path(__file__).parent.parent / "styles"
MARKS = {"error": "✗ error", "warning": "! warning", "info": "i info"}


def severity_cell(finding: Finding) -> str:
    """``✗ error``, ``! warning``, ``i info``; ``✓ ok`` when the check found nothing, ``?``
    before the severity when it could not check."""
    if finding.state == DONE and not finding.count:
        return "✓ ok"
    if finding.state == FAILED:
        return "? " + finding.severity
    return MARKS.get(finding.severity, finding.severity)


def count_cell(finding: Finding) -> str:
    """The count, ``…`` while checking, ``—`` when it could not be checked."""
    if finding.state == FAILED:
        return "—"
    if finding.count is None:
        return "…"
    return f"{finding.count:,}"


def _record_value(get: Callable[[Any], str], finding: Finding) -> str:
    return get(findings_records([finding])[0])


class ProgressLine(Static):
    """Which sources are still being checked, or that every check is done."""


@register_view(key="9", name="findings", title="Findings",
               description="what to act on: 2FA, admins, odd users, empty groups, "
                           "public links, settings")
class FindingsScreen(ListScreen):
    """The findings of the organisation (see the module docstring)."""

    TITLE = "Findings"
    CSS_PATH = STYLES / "findings.tcss"
    PLACEHOLDER = "checking…"
    COLUMNS = [
        Column("Severity", 9, priority=0),
        Column("Count", 6, priority=0, align_right=True),
        Column("Finding", 30, priority=0),
        Column("Detail", 30, priority=1, flex=True),
    ]
    BINDINGS = [Binding("r", "retry", "Recompute")]

    def __init__(self, crumb: str | None = None) -> None:
        self.run: FindingsRun | None = None
        self.findings: list[Finding] = []
        super().__init__(crumb)

    def compose(self) -> ComposeResult:
        """The list's layout with the progress line above the status bar."""
        yield Header()
        yield Breadcrumb(id="breadcrumb")
        yield self.table
        yield Input(placeholder="filter…  (Enter keeps, Esc clears)", id="filter",
                    classes="hidden")
        yield ProgressLine("starting…", id="findings-progress")
        yield StatusBar(id="status")
        yield Footer()

    def make_list(self) -> PagedList[Any]:
        """One page: the findings in display order."""
        return PagedList.random(self._page, 100, self.search_key)

    def on_mount(self) -> None:
        """Start checking (the list's own mount loads the first page: the checks)."""
        if self.run is None:
            self.start()

    async def _page(self, page: int) -> Chunk[Finding]:
        return Chunk(list(self.findings) if page == 0 else [], total=len(self.findings))

    def cells(self, row: Finding) -> Sequence[str]:
        """Severity, count, title, detail."""
        return (severity_cell(row), count_cell(row), row.title, row.detail)

    def fields(self) -> list[Field]:
        """The fields of a finding record (``data.fields.finding_fields``): the filter
        (``severity:error``, ``count:>100``) and export are those of ``export findings``."""
        return [replace(f, get=partial(_record_value, f.get)) for f in finding_fields()]

    def detail_target(self, row: Any) -> tuple[str, str] | None:
        """Enter opens the objects (``_activated`` below), not a detail screen."""
        return None

    # ------------------------------------------------------------------ computing

    def start(self) -> None:
        """Compute every finding (again) in an app worker (it outlives a view switch)."""
        app: Any = self.app
        run = self.run = FindingsRun(app.client, app.directory, self._linker(),
                                     on_change=self._changed)
        refresh = bool(self.findings)
        self.findings = run.sorted()
        app.run_worker(partial(run.run, refresh=refresh), group="findings", exclusive=True,
                       exit_on_error=False, description="findings")
        self._changed()

    def _linker(self) -> Any:
        from .detail import session_linker

        return session_linker(self.app)

    def _changed(self) -> None:
        """A source moved on: re-sort the rows, redraw at the next poll, say how far."""
        if self.run is None:
            return
        keep = self.table.cursor_item
        self.findings = self.run.sorted()
        if self.data.loaded_count == len(self.findings):
            for i, finding in enumerate(self.findings):
                self.data.replace_row(i, finding)
            if isinstance(keep, Finding) and keep in self.findings and self.is_mounted:
                pos = self.data.view_pos(self.findings.index(keep))
                if pos is not None and pos != self.table.cursor:
                    self.table.move_cursor(pos)
        if self.is_mounted:
            self.query_one(ProgressLine).update(self.progress_text())
            self.update_status()

    def progress_text(self) -> str:
        """The sources still being checked, or that all is done."""
        run = self.run
        if run is None:
            return "starting…"
        busy = [p.text() for p in run.progress.values() if p.state not in (DONE, FAILED)]
        failed = [p.name for p in run.progress.values() if p.state == FAILED]
        if busy:
            done = len(run.progress) - len(busy)
            return f"checking ({done} of {len(run.progress)} sources done): " + " · ".join(busy)
        text = "every check done"
        if failed:
            text += f" · could not check: {', '.join(failed)}"
        return text + " · r recomputes"

    def status_text(self) -> str:
        """How many findings of each severity; the filter, as in every list."""
        act = [f for f in self.findings if f.state == DONE and f.count]
        counts = {s: sum(1 for f in act if f.severity == s) for s in MARKS}
        parts = [f"{len(act)} of {len(self.findings)} checks found something",
                 f"{counts['error']} error · {counts['warning']} warning · "
                 f"{counts['info']} info"]
        if self.filter_problem:
            parts.append(f"filter: {self.filter_problem}")
        if self.data.query:
            parts.append(f"filter “{self.data.query}”: {len(self.data.index or []):,} match")
        return "  ·  ".join(parts)

    # ------------------------------------------------------------------ keys

    def action_retry(self) -> None:
        """``r``: check everything again (unless a check is still running)."""
        if self.run is not None and self.run.running:
            self.notify("still checking: wait for the progress line to say done",
                        title="Findings")
            return
        self.start()

    @on(LazyTable.Activated)
    def _open_finding(self, event: LazyTable.Activated) -> None:
        finding = event.row
        if not isinstance(finding, Finding) or not self.is_active:
            return
        if finding.state == FAILED:
            self.notify(finding.detail, severity="error", title=finding.title, timeout=8)
            return
        if finding.state != DONE:
            self.notify("still checking", title=finding.title)
            return
        if not finding.objects:
            self.notify("nothing found", title=finding.title)
            return
        if finding.kind != SETTING and not finding.count:
            return
        from .finding_objects import objects_screen

        self.app.push_screen(objects_screen(finding))
